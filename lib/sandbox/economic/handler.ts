import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeProductNumber } from "@/lib/economic/product-number";
import { faultsAdmin, grantPage, postAgreement } from "./admin";
import { getOne, listCollection, loadDoc, missing } from "./collections";
import { type Ctx, jsonResponse } from "./context";
import { ApiError, errorCodes, errorResponse } from "./errors";
import { actionOf, consumeRule, matchRule, parseStoredRules, withFault } from "./faults";
import { bookDraft, createDraft, deleteDraft, invoicePdf, updateDraft } from "./invoices";
import {
  createContact,
  createCustomer,
  createCustomerGroup,
  createProduct,
  listSalesAccounts,
  presentProject,
  updateCustomer,
  updateCustomerGroup,
} from "./master-data";
import { envelope, pageOf, parsePage } from "./pagination";
import {
  createProductsApiGroup,
  createProductsApiZone,
  getProductsApiGroup,
  listProductsApiGroups,
  listProductsApiZones,
  updateProductsApiGroup,
} from "./products-api";
import { documents } from "./schema";
import { type DocKind, deleteDoc, findAgreementByToken, listDocs, seedAgreement } from "./store";

export interface EconomicSandboxOptions {
  db: () => Promise<Db>;
  basePath?: string;
  /** App secret tokens accepted in X-AppSecretToken; default `["sandbox"]`. */
  appSecretTokens?: string[];
}

type Method = "get" | "post" | "put" | "delete";
type Action = (ctx: Ctx) => Promise<Response>;
type Route = { pattern: string[]; methods: Partial<Record<Method, Action>> };

const p = (ctx: Ctx, i: number) => ctx.params[i]!;

function referenceRoutes(path: string, kind: DocKind): Route[] {
  return [
    { pattern: [path], methods: { get: (c) => listCollection(c, kind) } },
    { pattern: [path, ":n"], methods: { get: (c) => getOne(c, kind, p(c, 0)) } },
  ];
}

const routes: Route[] = [
  { pattern: ["self"], methods: { get: async (c) => self(c) } },
  ...referenceRoutes("accounts", "account"),
  ...referenceRoutes("vat-zones", "vatZone"),
  ...referenceRoutes("payment-terms", "paymentTerms"),
  ...referenceRoutes("layouts", "layout"),
  ...referenceRoutes("units", "unit"),
  { pattern: ["customers"], methods: { get: (c) => listCollection(c, "customer"), post: createCustomer } },
  {
    pattern: ["customers", ":n"],
    methods: {
      get: (c) => getOne(c, "customer", p(c, 0)),
      put: (c) => updateCustomer(c, p(c, 0)),
      // e-conomic's REST API deletes a customer with DELETE /customers/:customerNumber (204).
      delete: deleteCustomer,
    },
  },
  {
    pattern: ["customers", ":n", "contacts"],
    methods: {
      get: async (c) => {
        await loadDoc(c, "customer", p(c, 0));
        return listCollection(c, "contact", p(c, 0));
      },
      post: (c) => createContact(c, p(c, 0)),
    },
  },
  {
    pattern: ["customers", ":n", "contacts", ":c"],
    methods: {
      get: async (c) => {
        const row = await loadDoc(c, "contact", p(c, 1));
        if (row.parentKey !== p(c, 0)) throw missing("contact");
        return getOne(c, "contact", p(c, 1));
      },
    },
  },
  {
    pattern: ["customer-groups"],
    methods: { get: (c) => listCollection(c, "customerGroup"), post: createCustomerGroup },
  },
  {
    pattern: ["customer-groups", ":n"],
    methods: {
      get: (c) => getOne(c, "customerGroup", p(c, 0)),
      put: (c) => updateCustomerGroup(c, p(c, 0)),
    },
  },
  ...referenceRoutes("product-groups", "productGroup"),
  {
    pattern: ["product-groups", ":n", "sales-accounts"],
    methods: {
      get: async (c) => {
        const page = parsePage(c.url);
        const all = await listSalesAccounts(c, p(c, 0));
        const counts = { results: all.length, resultsWithoutFilter: all.length };
        return jsonResponse({ ...envelope(pageOf(all, page), page, counts, c.url.toString()) });
      },
    },
  },
  { pattern: ["products"], methods: { get: (c) => listCollection(c, "product"), post: createProduct } },
  {
    pattern: ["products", ":pn"],
    methods: {
      get: (c) => getOne(c, "product", decodeProductNumber(p(c, 0))),
      // e-conomic's REST API deletes a product with DELETE /products/:productNumber (204).
      delete: (c) => deleteProduct(c, decodeProductNumber(p(c, 0))),
    },
  },
  { pattern: ["invoices", "drafts"], methods: { get: (c) => listCollection(c, "draft"), post: createDraft } },
  {
    pattern: ["invoices", "drafts", ":n"],
    methods: {
      get: (c) => getOne(c, "draft", p(c, 0)),
      put: (c) => updateDraft(c, p(c, 0)),
      delete: (c) => deleteDraft(c, p(c, 0)),
    },
  },
  { pattern: ["invoices", "drafts", ":n", "pdf"], methods: { get: (c) => invoicePdf(c, "draft", p(c, 0)) } },
  { pattern: ["invoices", "booked"], methods: { get: (c) => listCollection(c, "booked"), post: bookDraft } },
  { pattern: ["invoices", "booked", ":n"], methods: { get: (c) => getOne(c, "booked", p(c, 0)) } },
  { pattern: ["invoices", "booked", ":n", "pdf"], methods: { get: (c) => invoicePdf(c, "booked", p(c, 0)) } },
  {
    pattern: ["productsapi", "v1.1.0", "productgroups"],
    methods: { get: listProductsApiGroups, post: createProductsApiGroup, put: updateProductsApiGroup },
  },
  {
    pattern: ["productsapi", "v1.1.0", "productgroups", ":n"],
    methods: { get: (c) => getProductsApiGroup(c, p(c, 0)) },
  },
  {
    pattern: ["productsapi", "v1.1.0", "productgroups", ":n", "zones"],
    methods: {
      get: (c) => listProductsApiZones(c, p(c, 0)),
      post: (c) => createProductsApiZone(c, p(c, 0)),
    },
  },
  ...referenceRoutes("vat-accounts", "vatAccount"),
  { pattern: ["projectsapi", "v1.1.0", "Projects"], methods: { get: listProjects } },
  {
    pattern: ["projectsapi", "v1.1.0", "Projects", ":n"],
    methods: { get: async (c) => Response.json(presentProject((await loadDoc(c, "project", p(c, 0))).data)) },
  },
];

/** The customer and its contacts, as e-conomic removes a customer's contacts with it. */
async function deleteCustomer(ctx: Ctx): Promise<Response> {
  const number = p(ctx, 0);
  const agreementNumber = ctx.agreement.agreementNumber;
  const deleted = await ctx.db.transaction(async (tx) => {
    if (!(await deleteDoc(tx, agreementNumber, "customer", number))) return false;
    await tx
      .delete(documents)
      .where(
        and(
          eq(documents.agreementNumber, agreementNumber),
          eq(documents.kind, "contact"),
          eq(documents.parentKey, number),
        ),
      );
    return true;
  });
  if (!deleted) throw missing("customer");
  return new Response(null, { status: 204 });
}

async function deleteProduct(ctx: Ctx, productNumber: string): Promise<Response> {
  if (!(await deleteDoc(ctx.db, ctx.agreement.agreementNumber, "product", productNumber))) {
    throw missing("product");
  }
  return new Response(null, { status: 204 });
}

async function self(ctx: Ctx): Promise<Response> {
  const a = ctx.agreement;
  return jsonResponse({
    agreementNumber: a.agreementNumber,
    company: {
      name: a.companyName,
      ...(a.cvr ? { companyIdentificationNumber: a.cvr, vatNumber: a.cvr } : {}),
      country: seedAgreement.country,
    },
    settings: { baseCurrency: seedAgreement.baseCurrency },
    self: `${ctx.base}/self`,
  });
}

/** Projects API answers a plain array with booleans always present (unconfirmed shape). */
async function listProjects(ctx: Ctx): Promise<Response> {
  const { rows } = await listDocs(ctx.db, ctx.agreement.agreementNumber, "project", { skip: 0, size: 1000 });
  return Response.json(rows.map((r) => presentProject(r.data)));
}

function match(segments: string[]): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    const params: string[] = [];
    const ok = route.pattern.every((part, i) => {
      if (part.startsWith(":")) {
        params.push(segments[i]!);
        return true;
      }
      return part === segments[i];
    });
    if (ok) return { route, params };
  }
  return undefined;
}

const unknownRoute = () =>
  errorResponse(404, errorCodes.notFound, "The requested resource was not found.", "Check the URL.");

function methodNotAllowed(allowed: string[]): Response {
  return errorResponse(
    405,
    errorCodes.methodNotAllowed,
    "Method not allowed.",
    `Allowed: ${allowed.join(", ")}.`,
    {
      Allow: allowed.join(", "),
    },
  );
}

const unauthorized = () =>
  errorResponse(
    401,
    errorCodes.unauthorized,
    "Unauthorized access (401).",
    "Supply valid X-AppSecretToken and X-AgreementGrantToken headers.",
  );

/** The e-conomic sandbox as a web-standard handler; routes on the path after `basePath`. */
export function createEconomicSandbox(
  options: EconomicSandboxOptions,
): (request: Request) => Promise<Response> {
  const basePath = (options.basePath ?? "/sandbox/economic").replace(/\/+$/, "");
  const secrets = new Set(options.appSecretTokens ?? ["sandbox"]);

  return async (request) => {
    try {
      const url = new URL(request.url);
      if (!url.pathname.startsWith(basePath)) return unknownRoute();
      const path = url.pathname.slice(basePath.length).replace(/\/+$/, "") || "/";
      let segments: string[];
      try {
        segments = path.split("/").filter(Boolean).map(decodeURIComponent);
      } catch {
        return unknownRoute();
      }
      const method = request.method.toUpperCase();
      const db = await options.db();

      // Sandbox administration: no e-conomic tokens, no faults.
      if (segments[0] === "agreements") {
        if (segments.length === 1)
          return method === "POST" ? await postAgreement(db, request) : methodNotAllowed(["POST"]);
        if (segments.length === 3 && segments[2] === "faults") {
          if (!["GET", "POST", "DELETE"].includes(method)) return methodNotAllowed(["GET", "POST", "DELETE"]);
          return await faultsAdmin(db, request, segments[1]!);
        }
        return unknownRoute();
      }
      if (segments.length === 1 && segments[0] === "requestaccess") {
        if (method !== "GET" && method !== "POST") return methodNotAllowed(["GET", "POST"]);
        return await grantPage(db, request, `${basePath}/requestaccess`);
      }

      const found = match(segments);
      if (!found) return unknownRoute();
      const action = found.route.methods[method.toLowerCase() as Method];
      if (!action) return methodNotAllowed(Object.keys(found.route.methods).map((m) => m.toUpperCase()));

      const secret = request.headers.get("x-appsecrettoken");
      const grant = request.headers.get("x-agreementgranttoken");
      if (!secret || !grant || !secrets.has(secret)) return unauthorized();
      const auth = await findAgreementByToken(db, grant);
      if (!auth) return unauthorized();

      const ctx: Ctx = {
        db,
        agreement: auth.agreement,
        base: `${url.origin}${basePath}`,
        url,
        request,
        params: found.params,
      };
      const perform = () => action(ctx).catch(errorToResponse);
      const rules = parseStoredRules(auth.faultRules);
      if (rules.length > 0) {
        const index = matchRule(rules, method, path);
        const rule = index >= 0 ? rules[index] : undefined;
        const fault = rule ? actionOf(rule) : undefined;
        if (
          rule &&
          fault &&
          (rule.times === undefined || (await consumeRule(db, auth.agreement.agreementNumber, index)))
        ) {
          return await withFault(fault, perform);
        }
      }
      return await perform();
    } catch (error) {
      return errorToResponse(error);
    }
  };
}

function errorToResponse(error: unknown): Response {
  if (error instanceof ApiError) return error.response;
  // Database details never reach a response; the log keeps them.
  console.error("e-conomic sandbox failed", error);
  return errorResponse(500, errorCodes.internal, "Internal server error.");
}
