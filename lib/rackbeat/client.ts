import { z } from "zod";
import { externalUrls } from "@/lib/env";
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryDecision,
  type RetryOptions,
  type RetryPolicy,
  retrying,
} from "@/lib/http/retry";
import { describeTransportFailure } from "@/lib/http/transport-failure";
import { RackbeatError } from "./errors";
import {
  intLike,
  type RackbeatCustomer,
  type RackbeatCustomerGroup,
  type RackbeatCustomerInvoice,
  type RackbeatInvoiceListItem,
  type RackbeatProduct,
  type RackbeatProductGroup,
  type RackbeatSelf,
  type RackbeatWebhook,
  rackbeatCustomerGroupSchema,
  rackbeatCustomerInvoiceSchema,
  rackbeatCustomerSchema,
  rackbeatErrorBodySchema,
  rackbeatInvoiceListItemSchema,
  rackbeatListSchema,
  rackbeatProductGroupSchema,
  rackbeatProductSchema,
  rackbeatSelfSchema,
  rackbeatWebhookSchema,
} from "./schemas";

export interface RackbeatConsumer {
  /** Our integration's name, e.g. "Rackbeat → e-conomic". */
  name: string;
  /** A contact e-mail Rackbeat can reach us at. */
  contact: string;
}

export interface RackbeatClientConfig {
  apiKey: string;
  consumer: RackbeatConsumer;
  /** Defaults to `externalUrls().rackbeat` (the sandbox outside production). */
  baseUrl?: string;
  /** Per attempt, response body included. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  /** For tests: replaces the real wait between attempts. */
  sleep?: RetryOptions["sleep"];
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export const DEFAULT_RACKBEAT_TIMEOUT_MS = 15_000;
/** What a customer invoice is fetched with: everything a transfer needs in one call. */
export const DEFAULT_INVOICE_EXPAND = "customer,lines,order,project";

type Method = "GET" | "POST" | "DELETE";

interface RequestSpec<S extends z.ZodType | undefined> {
  method: Method;
  /** Encoded path below the base URL, starting with "/". */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: S;
}

type Result<S> = S extends z.ZodType ? z.infer<S> : undefined;

const seg = (value: string | number) => encodeURIComponent(String(value));

const wrapped = <K extends string, T extends z.ZodType>(key: K, schema: T) =>
  z.looseObject({ [key]: schema } as { [P in K]: T });

/**
 * Rackbeat's API for one account: bearer key, consumer headers, zod-checked answers, one error type
 * (`RackbeatError`), and retries of 429, 5xx, time-outs and dropped connections through the shared
 * `retrying` helper (every call we make is a read or idempotent).
 */
export class RackbeatClient {
  private readonly baseUrl: string;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly headers: Record<string, string>;

  constructor(private readonly config: RackbeatClientConfig) {
    this.baseUrl = (config.baseUrl ?? externalUrls().rackbeat).replace(/\/+$/, "");
    this.policy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    this.fetchImpl = config.fetch ?? fetch;
    const { name, contact } = config.consumer;
    this.headers = {
      Authorization: `Bearer ${config.apiKey}`,
      Accept: "application/json",
      "User-Agent": `${name} (${contact})`,
      "Consumer-Name": name,
      "Consumer-Contact": contact,
    };
  }

  /** `GET /self`: the account the key belongs to (also how a key is checked). */
  async getSelf(options?: CallOptions): Promise<RackbeatSelf> {
    const res = await this.request({ method: "GET", path: "/self", schema: rackbeatSelfSchema }, options);
    return res.user_account;
  }

  /** A customer invoice with its customer, lines, order and project. */
  async getCustomerInvoice(
    number: string | number,
    options?: CallOptions & { expand?: string },
  ): Promise<RackbeatCustomerInvoice> {
    const res = await this.request(
      {
        method: "GET",
        path: `/customer-invoices/${seg(number)}`,
        query: { expand: options?.expand ?? DEFAULT_INVOICE_EXPAND },
        schema: wrapped("customer_invoice", rackbeatCustomerInvoiceSchema),
      },
      options,
    );
    return res.customer_invoice;
  }

  async getCustomer(number: number | string, options?: CallOptions): Promise<RackbeatCustomer> {
    const path = `/customers/${seg(number)}`;
    const res = await this.request(
      { method: "GET", path, schema: wrapped("customer", rackbeatCustomerSchema) },
      options,
    );
    return res.customer;
  }

  async getCustomerGroup(number: number | string, options?: CallOptions): Promise<RackbeatCustomerGroup> {
    const path = `/customer-groups/${seg(number)}`;
    const schema = wrapped("customer_group", rackbeatCustomerGroupSchema);
    return (await this.request({ method: "GET", path, schema }, options)).customer_group;
  }

  /** Item numbers may hold dashes, slashes and spaces: they are URL-encoded as one segment. */
  async getProduct(number: string, options?: CallOptions): Promise<RackbeatProduct> {
    const path = `/products/${seg(number)}`;
    return (
      await this.request({ method: "GET", path, schema: wrapped("product", rackbeatProductSchema) }, options)
    ).product;
  }

  async getProductGroup(number: number | string, options?: CallOptions): Promise<RackbeatProductGroup> {
    const path = `/product-groups/${seg(number)}`;
    const schema = wrapped("product_group", rackbeatProductGroupSchema);
    return (await this.request({ method: "GET", path, schema }, options)).product_group;
  }

  /**
   * One page of booked customer invoices, newest booking first, booked at or after `bookedSince`.
   * Rackbeat documents `?page=&limit=` and `is_booked`; the booking-time filter and sort
   * (`booked_since`, `sort=-booked_at`) are our sandbox's and unconfirmed for the real API, so
   * callers must cope with them being ignored (see lib/reconcile/list-booked.ts).
   */
  async listBookedInvoices(
    query: { page: number; limit: number; bookedSince?: Date },
    options?: CallOptions,
  ): Promise<{ invoices: RackbeatInvoiceListItem[]; page: number; pages: number; total?: number }> {
    const schema = rackbeatListSchema("customer_invoices", rackbeatInvoiceListItemSchema);
    const res = await this.request(
      {
        method: "GET",
        path: "/customer-invoices",
        query: {
          page: query.page,
          limit: query.limit,
          is_booked: "true",
          booked_since: query.bookedSince?.toISOString(),
          sort: "-booked_at",
        },
        schema,
      },
      options,
    );
    return {
      invoices: res.customer_invoices,
      page: res.page ?? query.page,
      pages: res.pages ?? 1,
      total: res.total,
    };
  }

  /**
   * One page of the numbers of an account's customers, customer groups or product groups
   * (`GET /customers`, `/customer-groups`, `/product-groups` with Rackbeat's documented
   * `?page=&limit=` and list envelope, rackbeat-api.md): the debitor integration's first sync.
   */
  async listRecordNumbers(
    kind: "customers" | "customer_groups" | "product_groups",
    query: { page: number; limit: number },
    options?: CallOptions,
  ): Promise<{ numbers: number[]; pages: number }> {
    const schema = rackbeatListSchema(kind, z.looseObject({ number: intLike }));
    const res = await this.request(
      { method: "GET", path: `/${kind.replace("_", "-")}`, query, schema },
      options,
    );
    const items = res[kind] as { number: number }[];
    return { numbers: items.map((item) => Number(item.number)), pages: res.pages ?? 1 };
  }

  /**
   * Registers a webhook. Registering the same event and URL again updates the existing one, whose
   * answer carries no token (Rackbeat shows it only at creation): see `registerWebhookWithToken`.
   */
  async registerWebhook(
    input: { event: string; url: string },
    options?: CallOptions,
  ): Promise<RackbeatWebhook> {
    const schema = wrapped("webhook", rackbeatWebhookSchema);
    const res = await this.request({ method: "POST", path: "/webhooks", body: input, schema }, options);
    return res.webhook;
  }

  /**
   * Registers a webhook and makes sure we learn its token: when the webhook existed already (or a
   * retried POST found the one its lost first attempt created), it is deleted and created afresh.
   */
  async registerWebhookWithToken(
    input: { event: string; url: string },
    options?: CallOptions,
  ): Promise<RackbeatWebhook & { token: string }> {
    let webhook = await this.registerWebhook(input, options);
    if (!webhook.token) {
      await this.deleteWebhook(webhook.id, options);
      webhook = await this.registerWebhook(input, options);
    }
    if (!webhook.token) {
      throw new RackbeatError({
        kind: "response",
        method: "POST",
        path: "/webhooks",
        status: 200,
        message: "Rackbeat registered the webhook but returned no token",
      });
    }
    return webhook as RackbeatWebhook & { token: string };
  }

  /** Every webhook of the account (all pages). */
  async listWebhooks(options?: CallOptions): Promise<RackbeatWebhook[]> {
    const schema = rackbeatListSchema("webhooks", rackbeatWebhookSchema);
    const all: RackbeatWebhook[] = [];
    for (let page = 1; ; page++) {
      const res = await this.request(
        { method: "GET", path: "/webhooks", query: { page, limit: 100 }, schema },
        options,
      );
      all.push(...res.webhooks);
      const pages = res.pages ?? 1;
      if (page >= pages || res.webhooks.length === 0) return all;
    }
  }

  /** Deletes a webhook; one that is already gone (404) counts as deleted. */
  async deleteWebhook(id: number, options?: CallOptions): Promise<void> {
    try {
      await this.request({ method: "DELETE", path: `/webhooks/${seg(id)}`, schema: undefined }, options);
    } catch (error) {
      if (error instanceof RackbeatError && error.status === 404) return;
      throw error;
    }
  }

  private async request<S extends z.ZodType | undefined>(
    spec: RequestSpec<S>,
    options: CallOptions = {},
  ): Promise<Result<S>> {
    let attempts = 0;
    try {
      return await retrying(
        (attempt) => {
          attempts = attempt;
          return this.attempt(spec, options);
        },
        { ...this.policy, classify },
        { signal: options.signal, sleep: this.config.sleep, random: this.config.random },
      );
    } catch (error) {
      const mapped = error instanceof RackbeatError ? error : transportError(error, spec, options.signal);
      mapped.attempts = Math.max(attempts, 1);
      throw mapped;
    }
  }

  private async attempt<S extends z.ZodType | undefined>(
    spec: RequestSpec<S>,
    options: CallOptions,
  ): Promise<Result<S>> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(spec.query ?? {}))
      if (value !== undefined) query.set(key, String(value));
    const qs = query.toString();
    const url = `${this.baseUrl}${spec.path}${qs ? `?${qs}` : ""}`;
    const timeout = AbortSignal.timeout(this.config.timeoutMs ?? DEFAULT_RACKBEAT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { ...this.headers };
    if (spec.body !== undefined) headers["Content-Type"] = "application/json";
    try {
      const response = await this.fetchImpl(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
      const text = await response.text();
      if (!response.ok) throw httpError(response, text, spec);
      if (spec.schema === undefined) return undefined as Result<S>;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw responseError(spec, response.status, "Rackbeat answered with invalid JSON", cause);
      }
      const parsed = spec.schema.safeParse(json);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
          .join("; ");
        throw responseError(spec, response.status, `Unexpected Rackbeat response: ${detail}`, parsed.error);
      }
      return parsed.data as Result<S>;
    } catch (error) {
      if (error instanceof RackbeatError) throw error;
      throw transportError(error, spec, options.signal);
    }
  }
}

function classify(error: unknown): RetryDecision {
  if (!(error instanceof RackbeatError)) return { retry: false };
  if (error.kind === "timeout" || error.kind === "network") return { retry: true };
  if (error.kind === "http" && (error.status === 429 || (error.status ?? 0) >= 500)) {
    return { retry: true, retryAfterMs: error.retryAfterMs };
  }
  return { retry: false };
}

function httpError(
  response: Response,
  text: string,
  spec: RequestSpec<z.ZodType | undefined>,
): RackbeatError {
  let message = `Rackbeat answered ${response.status}`;
  const fieldErrors: Record<string, string[]> = {};
  try {
    const body = rackbeatErrorBodySchema.safeParse(JSON.parse(text));
    if (body.success) {
      if (body.data.message) message = body.data.message;
      for (const [field, list] of Object.entries(body.data.errors ?? {})) {
        fieldErrors[field] = Array.isArray(list) ? list : [list];
      }
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone has to do.
  }
  return new RackbeatError({
    kind: "http",
    method: spec.method,
    path: spec.path,
    status: response.status,
    message,
    fieldErrors,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
  });
}

function responseError(
  spec: RequestSpec<z.ZodType | undefined>,
  status: number,
  message: string,
  cause: unknown,
) {
  return new RackbeatError({
    kind: "response",
    method: spec.method,
    path: spec.path,
    status,
    message,
    cause,
  });
}

function transportError(
  error: unknown,
  spec: RequestSpec<z.ZodType | undefined>,
  signal?: AbortSignal,
): RackbeatError {
  const failure = describeTransportFailure(error, signal);
  const kind = failure?.kind === "aborted" ? "aborted" : failure?.kind === "timeout" ? "timeout" : "network";
  const reason = error instanceof Error ? error.message : String(error);
  const message =
    kind === "aborted"
      ? "The Rackbeat request was aborted"
      : kind === "timeout"
        ? "Rackbeat did not answer in time"
        : `Could not reach Rackbeat: ${reason}`;
  return new RackbeatError({ kind, method: spec.method, path: spec.path, message, cause: error });
}
