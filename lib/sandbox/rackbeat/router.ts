import type { Db } from "@/db/client";
import type { AuthenticatedAccount } from "./auth";
import { authenticate } from "./auth";
import { delay, RackbeatFaults } from "./call-faults";
import { type DispatcherOptions, WebhookDispatcher } from "./dispatcher";
import { accountFaults, authorizeAccountAdmin, clearFaults, dropShareOf, setFaults } from "./faults";
import {
  errorResponse,
  invalidField,
  json,
  listResponse,
  notFound,
  pageOf,
  readJson,
  SandboxHttpError,
} from "./http";
import {
  bookInvoiceInTx,
  createInvoice,
  getInvoice,
  type InvoiceListFilter,
  listInvoices,
  serializeInvoiceRow,
} from "./invoices";
import { RateLimiter, type RateLimitOptions } from "./rate-limit";
import {
  fireRecordEvent,
  type RecordEntity,
  updateCustomer,
  updateCustomerGroup,
  updateProductGroup,
} from "./record-events";
import { createAccount } from "./seed";
import { minimalCustomer, minimalInvoice, minimalProduct } from "./shapes";
import * as store from "./store";
import {
  deleteWebhook,
  getDelivery,
  insertDeliveries,
  listDeliveries,
  listWebhooks,
  redeliver,
  registerWebhook,
} from "./webhooks";

export interface RackbeatSandboxOptions {
  db: () => Promise<Db>;
  /** Where the sandbox is mounted: admin API at `<basePath>/accounts`, Rackbeat's API at `<basePath>/api`. */
  basePath?: string;
  /** Used for webhook deliveries. */
  fetch?: typeof fetch;
  webhooks?: Omit<DispatcherOptions, "fetch">;
  /**
   * The only origin webhooks may be registered for and delivered to (the app's own, from APP_URL),
   * so the sandbox cannot be used to make this server send requests elsewhere. Unset: any.
   */
  webhookOrigin?: string;
  /** Limits the admin endpoints (account creation, redelivery) per client. Unset: none. */
  adminRateLimit?: RateLimitOptions;
}

export type RackbeatSandboxHandler = ((request: Request) => Promise<Response>) & {
  /** Resolves when no webhook delivery is queued, in flight or waiting to be retried. */
  idle(): Promise<void>;
};

interface Ctx {
  db: Db;
  account: AuthenticatedAccount;
  request: Request;
  url: URL;
  dispatcher: WebhookDispatcher;
  webhookOrigin?: string;
}

type Route = (ctx: Ctx, params: string[]) => Promise<Response>;

/** `:int` matches a positive integer, `:str` any non-empty (decoded) segment. */
const routes: [method: string, pattern: string, handler: Route][] = [
  ["GET", "self", async ({ account }) => json({ user_account: { id: account.id, name: account.name } })],

  [
    "GET",
    "payment-terms",
    async ({ db, account, url }) =>
      list("payment_terms", url, (p) => store.listPaymentTerms(db, account.id, p)),
  ],

  [
    "GET",
    "customer-groups",
    async ({ db, account, url }) =>
      list("customer_groups", url, (p) => store.listCustomerGroups(db, account.id, p)),
  ],
  [
    "POST",
    "customer-groups",
    async (ctx) => {
      const group = await store.createCustomerGroup(ctx.db, ctx.account.id, await readJson(ctx.request));
      await fire(ctx, "customer_group", "created", group.number);
      return created("customer_group", group);
    },
  ],
  [
    "PUT",
    "customer-groups/:int",
    async (ctx, [n]) => {
      const group = await updateCustomerGroup(ctx.db, ctx.account.id, Number(n), await readJson(ctx.request));
      await fire(ctx, "customer_group", "updated", group.number);
      return json({ customer_group: group });
    },
  ],
  [
    "GET",
    "customer-groups/:int",
    async ({ db, account }, [n]) =>
      json({ customer_group: await store.getCustomerGroup(db, account.id, Number(n)) }),
  ],

  [
    "GET",
    "customers",
    async ({ db, account, url }) => list("customers", url, (p) => store.listCustomers(db, account.id, p)),
  ],
  [
    "POST",
    "customers",
    async (ctx) => {
      const customer = await store.createCustomer(ctx.db, ctx.account.id, await readJson(ctx.request));
      await fire(ctx, "customer", "created", customer.number);
      return created("customer", customer);
    },
  ],
  [
    "PUT",
    "customers/:int",
    async (ctx, [n]) => {
      const customer = await updateCustomer(ctx.db, ctx.account.id, Number(n), await readJson(ctx.request));
      await fire(ctx, "customer", "updated", customer.number);
      return json({ customer });
    },
  ],
  [
    "GET",
    "customers/:int",
    async ({ db, account }, [n]) => {
      const customer = await store.getCustomer(db, account.id, Number(n));
      const minimal = await wantsMinimal(db, account.id);
      return json({ customer: minimal ? minimalCustomer(customer as Json) : customer });
    },
  ],

  [
    "GET",
    "product-groups",
    async ({ db, account, url }) =>
      list("product_groups", url, (p) => store.listProductGroups(db, account.id, p)),
  ],
  [
    "POST",
    "product-groups",
    async (ctx) => {
      const group = await store.createProductGroup(ctx.db, ctx.account.id, await readJson(ctx.request));
      await fire(ctx, "product_group", "created", group.number);
      return created("product_group", group);
    },
  ],
  [
    "PUT",
    "product-groups/:int",
    async (ctx, [n]) => {
      const group = await updateProductGroup(ctx.db, ctx.account.id, Number(n), await readJson(ctx.request));
      await fire(ctx, "product_group", "updated", group.number);
      return json({ product_group: group });
    },
  ],
  [
    "GET",
    "product-groups/:int",
    async ({ db, account }, [n]) =>
      json({ product_group: await store.getProductGroup(db, account.id, Number(n)) }),
  ],

  [
    "GET",
    "products",
    async ({ db, account, url }) => list("products", url, (p) => store.listProducts(db, account.id, p)),
  ],
  [
    "POST",
    "products",
    async ({ db, account, request }) =>
      created("product", await store.createProduct(db, account.id, await readJson(request))),
  ],
  [
    "GET",
    "products/:str",
    async ({ db, account }, [n]) => {
      const product = await store.getProduct(db, account.id, n!);
      const minimal = await wantsMinimal(db, account.id);
      return json({ product: minimal ? minimalProduct(product as Json) : product });
    },
  ],

  [
    "GET",
    "projects",
    async ({ db, account, url }) => list("projects", url, (p) => store.listProjects(db, account.id, p)),
  ],
  [
    "POST",
    "projects",
    async ({ db, account, request }) =>
      created("project", await store.createProject(db, account.id, await readJson(request))),
  ],
  [
    "GET",
    "projects/:str",
    async ({ db, account }, [n]) => json({ project: await store.getProject(db, account.id, n!) }),
  ],

  [
    "GET",
    "customer-invoices",
    async ({ db, account, url }) => {
      const minimal = await wantsMinimal(db, account.id);
      return list("customer_invoices", url, async (p) => {
        const page = await listInvoices(db, account.id, p, invoiceListFilter(url));
        return minimal ? { ...page, items: page.items.map((i) => minimalInvoice(i as Json)) } : page;
      });
    },
  ],
  [
    "POST",
    "customer-invoices",
    async ({ db, account, request }) =>
      created("customer_invoice", await createInvoice(db, account, await readJson(request))),
  ],
  [
    "GET",
    "customer-invoices/:str",
    async ({ db, account }, [n]) => {
      const invoice = await getInvoice(db, account.id, n!);
      const minimal = await wantsMinimal(db, account.id);
      return json({ customer_invoice: minimal ? minimalInvoice(invoice as Json) : invoice });
    },
  ],
  ["POST", "customer-invoices/:str/book", bookInvoice],

  [
    "GET",
    "webhooks",
    async ({ db, account, url }) => list("webhooks", url, (p) => listWebhooks(db, account.id, p)),
  ],
  [
    "POST",
    "webhooks",
    async ({ db, account, request, webhookOrigin }) => {
      const { created: isNew, webhook } = await registerWebhook(
        db,
        account.id,
        await readJson(request),
        webhookOrigin,
      );
      return json({ webhook }, isNew ? 201 : 200);
    },
  ],
  [
    "DELETE",
    "webhooks/:int",
    async ({ db, account }, [id]) => {
      await deleteWebhook(db, account.id, Number(id));
      return new Response(null, { status: 204 });
    },
  ],

  // Sandbox-only: what the sandbox sent, and sending it again.
  [
    "GET",
    "webhook-deliveries",
    async ({ db, account, url }) => list("webhook_deliveries", url, (p) => listDeliveries(db, account.id, p)),
  ],
  [
    "GET",
    "webhook-deliveries/:int",
    async ({ db, account }, [id]) =>
      json({ webhook_delivery: await getDelivery(db, account.id, Number(id)) }),
  ],
  [
    "POST",
    "webhook-deliveries/:int/redeliver",
    async ({ db, account, dispatcher, webhookOrigin }, [id]) =>
      json({ webhook_delivery: await redeliver(db, dispatcher, account.id, Number(id), webhookOrigin) }),
  ],
];

async function list(
  plural: string,
  url: URL,
  load: (page: ReturnType<typeof pageOf>) => Promise<{ items: unknown[]; total: number }>,
) {
  const page = pageOf(url);
  const { items, total } = await load(page);
  return listResponse(plural, items, page, total);
}

type Json = Record<string, unknown>;

async function wantsMinimal(db: Db, accountId: number): Promise<boolean> {
  return (await accountFaults(db, accountId)).minimalShapes;
}

/**
 * `?is_booked=true&booked_since=<ISO time>&sort=-booked_at`: Rackbeat's list filtered and sorted by
 * booking time (the parameter names of the real API are unconfirmed: lib/rackbeat/client.ts sends
 * these and copes when they are ignored).
 */
function invoiceListFilter(url: URL): InvoiceListFilter {
  const booked = url.searchParams.get("is_booked");
  const since = url.searchParams.get("booked_since");
  const bookedSince = since === null ? undefined : new Date(since);
  if (bookedSince && Number.isNaN(bookedSince.getTime())) {
    throw invalidField("booked_since", "The booked since is not a valid date.");
  }
  return {
    isBooked: booked === null ? undefined : booked === "true" || booked === "1",
    bookedSince,
    newestBookedFirst: url.searchParams.get("sort") === "-booked_at",
  };
}

/** A master-data event, after the record's write committed (record-events.ts). */
function fire(ctx: Ctx, entity: RecordEntity, action: "created" | "updated", number: number) {
  return fireRecordEvent(
    { db: ctx.db, accountId: ctx.account.id, dispatcher: ctx.dispatcher, webhookOrigin: ctx.webhookOrigin },
    entity,
    action,
    number,
  );
}

function created(key: string, value: unknown) {
  return json({ [key]: value }, 201);
}

/** Books in one transaction with the delivery rows; webhooks go out only after it commits. */
async function bookInvoice(
  { db, account, request, dispatcher, webhookOrigin }: Ctx,
  [number]: string[],
): Promise<Response> {
  const body = (await readJson(request)) as { suppress_webhooks?: unknown } | null;
  const suppress = body?.suppress_webhooks === true;
  const faults = await accountFaults(db, account.id);
  const { invoice, deliveries } = await db.transaction(async (tx) => {
    const booked = await bookInvoiceInTx(tx, account.id, number!);
    const rows = suppress
      ? []
      : await insertDeliveries(tx, account.id, faults.invoiceEvent, booked.number, webhookOrigin);
    return { invoice: booked, deliveries: await dropShareOf(tx, rows, faults.dropWebhooks) };
  });
  dispatcher.enqueue(deliveries);
  return json({ customer_invoice: await serializeInvoiceRow(db, account.id, invoice) });
}

function match(pattern: string, segments: string[]): string[] | undefined {
  const parts = pattern.split("/");
  if (parts.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part === ":int") {
      if (!/^\d{1,9}$/.test(segment)) return undefined;
      params.push(segment);
    } else if (part === ":str") {
      if (segment === "") return undefined;
      params.push(segment);
    } else if (part !== segment) return undefined;
  }
  return params;
}

/** Path segments after `prefix`, each percent-decoded (so `%2F` inside an item number stays in it). */
function segmentsAfter(pathname: string, prefix: string): string[] | undefined {
  if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return undefined;
  const rest = pathname.slice(prefix.length).replace(/^\/+|\/+$/g, "");
  if (rest === "") return [];
  try {
    return rest.split("/").map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/**
 * The Rackbeat sandbox as one web-standard handler: the admin API (`POST <basePath>/accounts`) and
 * Rackbeat's API under `<basePath>/api`.
 */
export function createRackbeatSandbox(options: RackbeatSandboxOptions): RackbeatSandboxHandler {
  const basePath = (options.basePath ?? "/sandbox/rackbeat").replace(/\/$/, "");
  const dispatcher = new WebhookDispatcher(options.db, { ...options.webhooks, fetch: options.fetch });
  const webhookOrigin = options.webhookOrigin;
  const adminLimiter = options.adminRateLimit ? new RateLimiter(options.adminRateLimit) : undefined;
  const throttleAdmin = (request: Request) => {
    const wait = adminLimiter?.retryAfterSeconds(request) ?? 0;
    if (wait > 0)
      throw new SandboxHttpError(429, "Too Many Attempts.", undefined, { "Retry-After": String(wait) });
  };
  const callFaults = new RackbeatFaults();

  const handler = async (request: Request): Promise<Response> => {
    try {
      const url = new URL(request.url);
      const method = request.method.toUpperCase();
      const admin = segmentsAfter(url.pathname, `${basePath}/accounts`);
      if (admin && admin.length === 2 && admin[1] === "faults" && /^\d{1,9}$/.test(admin[0]!)) {
        const db = await options.db();
        const accountId = await authorizeAccountAdmin(db, request, admin[0]!);
        if (method === "POST")
          return json({ faults: await setFaults(db, accountId, await readJson(request)) });
        if (method === "DELETE") return json({ faults: await clearFaults(db, accountId) });
        throw new SandboxHttpError(405, "Method not allowed.");
      }
      if (admin && admin.length === 0) {
        if (method !== "POST") throw new SandboxHttpError(405, "Method not allowed.");
        throttleAdmin(request);
        const body = (await readJson(request)) as { name?: unknown } | null;
        const name = typeof body?.name === "string" && body.name.trim() ? body.name.trim() : undefined;
        return json(await createAccount(await options.db(), name), 201);
      }
      const segments = segmentsAfter(url.pathname, `${basePath}/api`);
      if (!segments) throw notFound("Route");
      const db = await options.db();
      const account = await authenticate(db, request);
      if (segments.join("/") === "sandbox/faults") {
        if (method === "DELETE") {
          callFaults.clear(account.id);
          return new Response(null, { status: 204 });
        }
        if (method !== "POST") throw new SandboxHttpError(405, "Method not allowed.");
        return json({ fault: callFaults.add(account.id, await readJson(request)) }, 201);
      }
      const fault = callFaults.take(account.id, `/${segments.join("/")}`);
      if (fault?.delayMs) await delay(fault.delayMs);
      if (fault?.respond) return json({ message: "Sandbox fault." }, fault.respond);
      let pathMatched = false;
      for (const [m, pattern, route] of routes) {
        const params = match(pattern, segments);
        if (!params) continue;
        pathMatched = true;
        if (m !== method) continue;
        if (pattern === "webhook-deliveries/:int/redeliver") throttleAdmin(request);
        return await route({ db, account, request, url, dispatcher, webhookOrigin }, params);
      }
      if (pathMatched) throw new SandboxHttpError(405, "Method not allowed.");
      throw notFound("Route");
    } catch (error) {
      if (error instanceof SandboxHttpError) return errorResponse(error);
      console.error("rackbeat sandbox: request failed", error);
      return json({ message: "Server Error" }, 500);
    }
  };
  return Object.assign(handler, { idle: () => dispatcher.idle() });
}
