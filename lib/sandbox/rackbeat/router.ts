import type { Db } from "@/db/client";
import type { AuthenticatedAccount } from "./auth";
import { authenticate } from "./auth";
import { type DispatcherOptions, WebhookDispatcher } from "./dispatcher";
import { delay, RackbeatFaults } from "./faults";
import { errorResponse, json, listResponse, notFound, pageOf, readJson, SandboxHttpError } from "./http";
import { bookInvoiceInTx, createInvoice, getInvoice, listInvoices, serializeInvoiceRow } from "./invoices";
import { createAccount } from "./seed";
import * as store from "./store";
import {
  deleteWebhook,
  getDelivery,
  INVOICE_BOOKED_EVENT,
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
    async ({ db, account, request }) =>
      created("customer_group", await store.createCustomerGroup(db, account.id, await readJson(request))),
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
    async ({ db, account, request }) =>
      created("customer", await store.createCustomer(db, account.id, await readJson(request))),
  ],
  [
    "GET",
    "customers/:int",
    async ({ db, account }, [n]) => json({ customer: await store.getCustomer(db, account.id, Number(n)) }),
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
    async ({ db, account, request }) =>
      created("product_group", await store.createProductGroup(db, account.id, await readJson(request))),
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
    async ({ db, account }, [n]) => json({ product: await store.getProduct(db, account.id, n!) }),
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
      const booked = url.searchParams.get("is_booked");
      const isBooked = booked === null ? undefined : booked === "true" || booked === "1";
      return list("customer_invoices", url, (p) => listInvoices(db, account.id, p, isBooked));
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
    async ({ db, account }, [n]) => json({ customer_invoice: await getInvoice(db, account.id, n!) }),
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
    async ({ db, account, request }) => {
      const { created: isNew, webhook } = await registerWebhook(db, account.id, await readJson(request));
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
    async ({ db, account, dispatcher }, [id]) =>
      json({ webhook_delivery: await redeliver(db, dispatcher, account.id, Number(id)) }),
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

function created(key: string, value: unknown) {
  return json({ [key]: value }, 201);
}

/** Books in one transaction with the delivery rows; webhooks go out only after it commits. */
async function bookInvoice({ db, account, request, dispatcher }: Ctx, [number]: string[]): Promise<Response> {
  const body = (await readJson(request)) as { suppress_webhooks?: unknown } | null;
  const suppress = body?.suppress_webhooks === true;
  const { invoice, deliveries } = await db.transaction(async (tx) => {
    const booked = await bookInvoiceInTx(tx, account.id, number!);
    const rows = suppress ? [] : await insertDeliveries(tx, account.id, INVOICE_BOOKED_EVENT, booked.number);
    return { invoice: booked, deliveries: rows };
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
  const faults = new RackbeatFaults();

  const handler = async (request: Request): Promise<Response> => {
    try {
      const url = new URL(request.url);
      const method = request.method.toUpperCase();
      const admin = segmentsAfter(url.pathname, `${basePath}/accounts`);
      if (admin && admin.length === 0) {
        if (method !== "POST") throw new SandboxHttpError(405, "Method not allowed.");
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
          faults.clear(account.id);
          return new Response(null, { status: 204 });
        }
        if (method !== "POST") throw new SandboxHttpError(405, "Method not allowed.");
        return json({ fault: faults.add(account.id, await readJson(request)) }, 201);
      }
      const fault = faults.take(account.id, `/${segments.join("/")}`);
      if (fault?.delayMs) await delay(fault.delayMs);
      if (fault?.respond) return json({ message: "Sandbox fault." }, fault.respond);
      let pathMatched = false;
      for (const [m, pattern, route] of routes) {
        const params = match(pattern, segments);
        if (!params) continue;
        pathMatched = true;
        if (m !== method) continue;
        return await route({ db, account, request, url, dispatcher }, params);
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
