export * from "./adapter";
export {
  type CallOptions,
  DEFAULT_INVOICE_EXPAND,
  DEFAULT_RACKBEAT_TIMEOUT_MS,
  RackbeatClient,
  type RackbeatClientConfig,
  type RackbeatConsumer,
} from "./client";
export { RackbeatError, type RackbeatErrorKind } from "./errors";
export * from "./schemas";
export * from "./webhook";
