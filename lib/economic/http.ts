import type { z } from "zod";
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicy,
  retrying,
} from "@/lib/http/retry";
import { describeTransportFailure } from "@/lib/http/transport-failure";
import { EconomicError, parseErrorBody } from "./errors";
import { parseProductsApiErrorBody } from "./product-groups-api";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";
export type EconomicApi = "rest" | "products" | "projects";

export interface CallInfo {
  method: HttpMethod;
  /** The path below its base, without the query string (stable for counting per endpoint). */
  path: string;
  api: EconomicApi;
  query?: string;
  /** Undefined when no response status arrived. */
  status?: number;
  durationMs: number;
  /** 1-based attempt number of this call. */
  attempt: number;
  error?: EconomicError;
}

export interface EconomicClientConfig {
  restBase: string;
  productsBase: string;
  projectsBase: string;
  appSecretToken: string;
  agreementGrantToken: string;
  /**
   * The agreement this client writes to (its number), part of the Idempotency-Key of Products API
   * writes. Default: a hash of the grant token, which is as stable per agreement.
   */
  agreementScope?: string;
  /** Per attempt, response body included. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * Whether to retry after an ambiguous failure (5xx, time-out, dropped connection), per method.
   * POST defaults to false: e-conomic has no idempotency keys, so a retried POST may create twice.
   */
  retryAmbiguous?: Partial<Record<HttpMethod, boolean>>;
  onCall?: (info: CallInfo) => void;
  fetch?: typeof fetch;
  /** For tests: replaces the real wait between attempts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-method `retryAmbiguous` for this call. */
  retryAmbiguous?: boolean;
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export const DEFAULT_ECONOMIC_RETRY: Readonly<RetryPolicy> = DEFAULT_RETRY_POLICY;

export const DEFAULT_RETRY_AMBIGUOUS: Readonly<Record<HttpMethod, boolean>> = Object.freeze({
  GET: true,
  PUT: true,
  DELETE: true,
  POST: false,
});

export type ResponseKind<T> = { kind: "json"; schema: z.ZodType<T> } | { kind: "bytes" } | { kind: "none" };

export interface RequestSpec<T> {
  method: HttpMethod;
  api?: EconomicApi;
  /** Already encoded path segments, starting with "/". */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Extra request headers, e.g. the Products API's `Idempotency-Key`. */
  headers?: Record<string, string>;
  response: ResponseKind<T>;
}

/** Sends one logical request with time-outs, retries, error mapping and the onCall hook. */
export class EconomicTransport {
  private readonly policy: RetryPolicy;
  private readonly ambiguous: Record<HttpMethod, boolean>;
  private readonly fetchImpl: typeof fetch;
  private readonly bases: Record<EconomicApi, string>;

  constructor(private readonly config: EconomicClientConfig) {
    this.policy = { ...DEFAULT_ECONOMIC_RETRY, ...config.retry };
    this.ambiguous = { ...DEFAULT_RETRY_AMBIGUOUS, ...config.retryAmbiguous };
    this.fetchImpl = config.fetch ?? fetch;
    const trim = (url: string) => url.replace(/\/+$/, "");
    this.bases = {
      rest: trim(config.restBase),
      products: trim(config.productsBase),
      projects: trim(config.projectsBase),
    };
  }

  async request<T>(spec: RequestSpec<T>, options: CallOptions = {}): Promise<T> {
    const retryAmbiguous = options.retryAmbiguous ?? this.ambiguous[spec.method];
    let attempts = 0;
    try {
      return await retrying(
        (attempt) => {
          attempts = attempt;
          return this.attempt(spec, attempt, options);
        },
        { ...this.policy, classify: (error) => classify(error, retryAmbiguous) },
        { signal: options.signal, sleep: this.config.sleep, random: this.config.random },
      );
    } catch (error) {
      const mapped =
        error instanceof EconomicError ? error : mapFailure(error, spec, undefined, options.signal);
      mapped.attempts = Math.max(attempts, 1);
      throw mapped;
    }
  }

  private async attempt<T>(spec: RequestSpec<T>, attempt: number, options: CallOptions): Promise<T> {
    const api = spec.api ?? "rest";
    const query = buildQuery(spec.query);
    const url = `${this.bases[api]}${spec.path}${query ? `?${query}` : ""}`;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      "X-AppSecretToken": this.config.appSecretToken,
      "X-AgreementGrantToken": this.config.agreementGrantToken,
      Accept: spec.response.kind === "bytes" ? "application/pdf" : "application/json",
    };
    if (spec.body !== undefined) headers["Content-Type"] = "application/json";
    Object.assign(headers, spec.headers);
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await this.fetchImpl(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
      status = response.status;
      if (!response.ok) throw await httpError(response, spec);
      const value = await readBody(response, spec);
      this.report({ method: spec.method, path: spec.path, api, query, status, attempt, started });
      return value;
    } catch (caught) {
      const error = mapFailure(caught, spec, status, options.signal);
      this.report({ method: spec.method, path: spec.path, api, query, status, attempt, started, error });
      throw error;
    }
  }

  private report(info: Omit<CallInfo, "durationMs" | "query"> & { started: number; query: string }): void {
    if (!this.config.onCall) return;
    const { started, query, ...rest } = info;
    try {
      this.config.onCall({ ...rest, query: query || undefined, durationMs: performance.now() - started });
    } catch {
      // A logging hook must never turn a successful call into a failure.
    }
  }
}

function buildQuery(query: RequestSpec<unknown>["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  return params.toString();
}

async function readBody<T>(response: Response, spec: RequestSpec<T>): Promise<T> {
  if (spec.response.kind === "none") {
    // Drain so the connection can be reused, and so a dropped body still surfaces as an error.
    await response.arrayBuffer();
    return undefined as T;
  }
  if (spec.response.kind === "bytes") return new Uint8Array(await response.arrayBuffer()) as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch (cause) {
    throw responseError(spec, response.status, "e-conomic answered with invalid JSON", cause);
  }
  const parsed = spec.response.schema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw responseError(spec, response.status, `Unexpected e-conomic response: ${detail}`, parsed.error);
  }
  return parsed.data;
}

function responseError(spec: RequestSpec<unknown>, status: number, message: string, cause: unknown) {
  return new EconomicError({
    kind: "response",
    method: spec.method,
    path: spec.path,
    status,
    message,
    // The request succeeded; only our reading of the answer failed.
    mayHaveCommitted: spec.method !== "GET",
    cause,
  });
}

async function httpError(response: Response, spec: RequestSpec<unknown>): Promise<EconomicError> {
  let body: unknown;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // An unreadable error body still leaves the status, which is what decides retries.
  }
  // The REST API and the newer Products API answer errors in different models.
  const parsed = spec.api === "products" ? parseProductsApiErrorBody(body) : parseErrorBody(body);
  const status = response.status;
  const retryAfterMs =
    status === 429 || status === 503 ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
  return new EconomicError({
    kind: "http",
    method: spec.method,
    path: spec.path,
    status,
    errorCode: parsed.errorCode,
    message: parsed.message ?? `e-conomic answered ${status}`,
    developerHint: parsed.developerHint,
    logId: parsed.logId,
    fieldErrors: parsed.fieldErrors,
    mayHaveCommitted: spec.method !== "GET" && status >= 500,
    retryAfterMs,
  });
}

function mapFailure(
  error: unknown,
  spec: RequestSpec<unknown>,
  status: number | undefined,
  callerSignal: AbortSignal | undefined,
): EconomicError {
  if (error instanceof EconomicError) return error;
  const failure = describeTransportFailure(error, callerSignal);
  const writes = spec.method !== "GET";
  if (!failure) {
    return new EconomicError({
      kind: "network",
      method: spec.method,
      path: spec.path,
      status,
      message: error instanceof Error ? error.message : String(error),
      mayHaveCommitted: writes,
      cause: error,
    });
  }
  const kind = failure.kind === "timeout" ? "timeout" : failure.kind === "aborted" ? "aborted" : "network";
  const what =
    failure.kind === "timeout"
      ? "timed out"
      : failure.kind === "aborted"
        ? "was aborted"
        : failure.kind === "connect"
          ? `could not connect (${failure.code ?? "unknown"})`
          : `lost its connection${failure.code ? ` (${failure.code})` : ""}`;
  return new EconomicError({
    kind,
    method: spec.method,
    path: spec.path,
    status,
    message: `e-conomic ${spec.method} ${spec.path} ${what}`,
    mayHaveCommitted: writes && failure.mayHaveBeenSent,
    cause: error,
  });
}

/**
 * 429 is always safe to retry (e-conomic's limiter rejects before doing anything), as is a request
 * that never left. A 5xx, time-out or dropped connection is ambiguous for writes, hence the flag.
 */
function classify(error: unknown, retryAmbiguous: boolean): RetryDecision {
  if (!(error instanceof EconomicError)) return { retry: false };
  switch (error.kind) {
    case "http": {
      const status = error.status ?? 0;
      if (status === 429) return { retry: true, retryAfterMs: error.retryAfterMs };
      if (status >= 500) return { retry: retryAmbiguous, retryAfterMs: error.retryAfterMs };
      return { retry: false };
    }
    case "timeout":
    case "network":
      return { retry: error.method === "GET" || !error.mayHaveCommitted || retryAmbiguous };
    default:
      return { retry: false };
  }
}
