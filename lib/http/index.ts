export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryClassifier,
  type RetryDecision,
  type RetryInfo,
  type RetryOptions,
  type RetryPolicy,
  retrying,
  sleep,
} from "./retry";
export {
  describeTransportFailure,
  type TransportFailure,
  type TransportFailureKind,
} from "./transport-failure";
