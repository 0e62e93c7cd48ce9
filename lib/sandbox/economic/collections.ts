import { type Ctx, jsonResponse } from "./context";
import { ApiError, errorCodes, errorResponse, notFound } from "./errors";
import { FilterError, parseFilter } from "./filter";
import { filterToSql } from "./filter-sql";
import { envelope, parsePage } from "./pagination";
import { present } from "./present";
import { type DocKind, getDoc, listDocs } from "./store";

const notFoundNames: Record<DocKind, string> = {
  account: "Account",
  vatZone: "VAT zone",
  paymentTerms: "Payment terms",
  layout: "Layout",
  unit: "Unit",
  customerGroup: "Customer group",
  productGroup: "Product group",
  project: "Project",
  customer: "Customer",
  contact: "Customer contact",
  product: "Product",
  draft: "Draft invoice",
  booked: "Booked invoice",
  vatAccount: "VAT account",
  idempotency: "Idempotency key",
};

export function missing(kind: DocKind): ApiError {
  return notFound(notFoundNames[kind]);
}

/** Any collection GET: pagination, filter, envelope. */
export async function listCollection(ctx: Ctx, kind: DocKind, parentKey?: string): Promise<Response> {
  const page = parsePage(ctx.url);
  const filterText = ctx.url.searchParams.get("filter");
  let filter: Parameters<typeof listDocs>[3]["filter"];
  if (filterText) {
    try {
      const node = parseFilter(filterText);
      filter = (data) => filterToSql(node, data);
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      throw new ApiError(
        errorResponse(400, errorCodes.badRequest, error.message, "Check the filter syntax."),
      );
    }
  }
  const result = await listDocs(ctx.db, ctx.agreement.agreementNumber, kind, { ...page, filter, parentKey });
  const items = result.rows.map((row) => present(kind, row, ctx.base));
  return jsonResponse({ ...envelope(items, page, result, ctx.url.toString()) });
}

export async function loadDoc(ctx: Ctx, kind: DocKind, key: string) {
  const row = await getDoc(ctx.db, ctx.agreement.agreementNumber, kind, key);
  if (!row) throw missing(kind);
  return row;
}

export async function getOne(ctx: Ctx, kind: DocKind, key: string): Promise<Response> {
  return jsonResponse(present(kind, await loadDoc(ctx, kind, key), ctx.base));
}
