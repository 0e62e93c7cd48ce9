/**
 * The one retry helper shared by our HTTP clients (e-conomic, Rackbeat).
 *
 *   retrying(fn, policy, options?)   runs `fn(attempt)` (attempt is 1-based) until it resolves, the
 *                                    policy's `classify(error)` says "do not retry", the attempt cap
 *                                    is hit, or the next wait would overrun the total time budget;
 *                                    then it rethrows the LAST error unchanged.
 *   backoffDelay(attempt, policy, random)   exponential back-off with full jitter:
 *                                    random() * min(maxDelayMs, baseDelayMs * 2^(attempt-1)).
 *   parseRetryAfter(header, nowMs)   a `Retry-After` value (delta-seconds or an HTTP date) in ms.
 *   sleep(ms, signal?)               the default, abortable wait.
 *
 * Full jitter (rather than equal or no jitter) spreads the retries of many workers that failed at
 * the same moment, which is what a rate-limited API such as e-conomic's wants. A server-given
 * `retryAfterMs` replaces the computed back-off because the server knows when its bucket refills.
 * `sleep`, `random` and `now` are injectable so tests run instantly and deterministically.
 * The helper knows nothing about HTTP: deciding what is retryable (and whether a failed POST may
 * already have been committed) belongs to each client's `classify`.
 */

export interface RetryPolicy {
  /** Total attempts, the first one included (1 = never retry). */
  maxAttempts: number;
  /** Back-off ceiling of the first retry; doubles per attempt. */
  baseDelayMs: number;
  /** Cap on one computed back-off (a server's Retry-After is not capped by this, only by the budget). */
  maxDelayMs: number;
  /** No retry is started if waiting for it would pass this many ms since the first attempt began. */
  maxElapsedMs: number;
}

export interface RetryDecision {
  retry: boolean;
  /** The server's wish (e.g. from Retry-After); used instead of the computed back-off. */
  retryAfterMs?: number;
}

export type RetryClassifier = (error: unknown, attempt: number) => RetryDecision;

export interface RetryInfo {
  /** The attempt that just failed. */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface RetryOptions {
  /** Aborting stops waiting and prevents further attempts; the abort reason is thrown. */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxElapsedMs: 30_000,
});

export async function retrying<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy & { classify: RetryClassifier },
  options: RetryOptions = {},
): Promise<T> {
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      // A caller's abort is a decision, not a failure to recover from.
      if (options.signal?.aborted) throw error;
      if (attempt >= policy.maxAttempts) throw error;
      const decision = policy.classify(error, attempt);
      if (!decision.retry) throw error;
      const delayMs =
        decision.retryAfterMs !== undefined
          ? Math.max(0, decision.retryAfterMs)
          : backoffDelay(attempt, policy, random);
      if (now() - started + delayMs > policy.maxElapsedMs) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, options.signal);
    }
  }
}

/** Full-jitter back-off before the retry that follows failed `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity for large attempts; min() keeps the ceiling finite.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds to wait according to a `Retry-After` header, or undefined when absent or unparseable.
 * A date in the past means "now" (0).
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only HTTP dates; Date.parse would also accept "1.5" or "-3" as some date.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
