import { createHash } from "node:crypto";
import { z } from "zod";
import type { EconomicFieldError, ParsedErrorBody } from "./errors";
import type { EconomicProductGroupInput } from "./schemas";

/*
 * The one place that knows e-conomic's Products API (`https://apis.e-conomic.com/productsapi/v1.1.0`),
 * through which product groups are created: the REST API only reads them.
 *
 * Sources:
 * - Rackbeat's own e-conomic client, `Rackbeat/laravel-economic`:
 *   `src/Models/ProductGroup.php` (`id`, `name`, `domesticAccountId`, `objectVersion`),
 *   `src/Models/ProductGroupVatZone.php` (`id`, `accountId`),
 *   `src/Builders/ResourceApi/Products/ProductGroupBuilder.php` (`productsapi` / `v1.1.0` / `productgroups`),
 *   `src/Builders/ResourceApi/Products/ProductGroupVatZoneBuilder.php` (`productgroups/:productGroupNumber/zones`),
 *   `src/Builders/ResourceApi/RestResourceBuilder.php` (collections answer `{"items": [...]}`).
 * - `@phasesdk/api-client-for-economic` (npm), `src/modules/open/products/productGroups.ts`: the same
 *   group model, `objectVersion: string | null`, links to apis.e-conomic.com's OpenAPI page.
 *
 * Unconfirmed, kept here only: (1) that a zone's `id` is the VAT zone number and `accountId` the
 *  revenue account's number (read from the field names); (2) that the domestic zone is given by
 *  `domesticAccountId` alone, so zones are written for the other VAT zones; (3) the error model,
 *  which we read tolerantly (`parseProductsApiErrorBody`); (4) the `Idempotency-Key` header, which
 *  e-conomic's newer APIs accept on writes (economic-api.md) and which is harmless if ignored.
 */

export const PRODUCTS_API_PRODUCT_GROUPS_PATH = "/productgroups";
export const DOMESTIC_VAT_ZONE = 1;

export function productsApiZonesPath(productGroupNumber: number): string {
  return `${PRODUCTS_API_PRODUCT_GROUPS_PATH}/${productGroupNumber}/zones`;
}

/** `POST productgroups` */
export interface ProductsApiProductGroupBody {
  id: number;
  name: string;
  domesticAccountId: number;
}

/** `POST productgroups/{id}/zones` */
export interface ProductsApiZoneBody {
  id: number;
  accountId: number;
}

export const productsApiProductGroupSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().optional(),
  domesticAccountId: z.number().int().optional(),
  objectVersion: z.string().nullish(),
});

export const productsApiZoneSchema = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int().optional(),
});

/** Our product-group input as the Products API's group and zone bodies. */
export function toProductsApiProductGroup(input: EconomicProductGroupInput): {
  group: ProductsApiProductGroupBody;
  zones: ProductsApiZoneBody[];
} {
  // The input schema requires the domestic zone.
  const domestic = input.salesAccounts.find((a) => a.vatZoneNumber === DOMESTIC_VAT_ZONE)!;
  return {
    group: { id: input.productGroupNumber, name: input.name, domesticAccountId: domestic.accountNumber },
    zones: input.salesAccounts
      .filter((a) => a.vatZoneNumber !== DOMESTIC_VAT_ZONE)
      .map((a) => ({ id: a.vatZoneNumber, accountId: a.accountNumber })),
  };
}

/**
 * A stable key per (agreement, what is written): a retry of the same write carries the same key,
 * so the Products API answers it with the first result instead of creating twice. UUID-shaped
 * (the most widely accepted key format), from SHA-256, so it reveals nothing of its inputs.
 */
export function productsApiIdempotencyKey(agreementScope: string, ...parts: (string | number)[]): string {
  const hex = createHash("sha256")
    .update(["economic-products-api", agreementScope, ...parts.map(String)].join("\u0000"))
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const problemItemSchema = z.looseObject({
  code: z.union([z.string(), z.number()]).optional(),
  errorCode: z.union([z.string(), z.number()]).optional(),
  message: z.string().optional(),
  errorMessage: z.string().optional(),
  property: z.string().optional(),
  propertyName: z.string().optional(),
  field: z.string().optional(),
});

const problemBodySchema = z.looseObject({
  message: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  errorCode: z.union([z.string(), z.number()]).optional(),
  traceId: z.string().optional(),
  logId: z.string().optional(),
  errors: z.unknown().optional(),
});

function itemsOf(errors: unknown): unknown[] {
  if (Array.isArray(errors)) return errors;
  // ASP.NET-style `{ "Name": ["message", ...] }`, which e-conomic's newer APIs may also answer.
  if (errors && typeof errors === "object") {
    return Object.entries(errors).flatMap(([property, messages]) =>
      (Array.isArray(messages) ? messages : [messages]).map((m) =>
        typeof m === "string" ? { property, message: m } : { property, ...(m as object) },
      ),
    );
  }
  return [];
}

/** A property name as a request path: `Id` → `id`, `$.domesticAccountId` → `domesticAccountId`. */
function propertyPath(property: string | undefined): string {
  const trimmed = (property ?? "").replace(/^\$\.?/, "");
  return trimmed ? trimmed.charAt(0).toLowerCase() + trimmed.slice(1) : "";
}

/**
 * Reads the Products API's error model into the same shape as the REST API's, tolerating the
 * variants such APIs use (`code`/`errorCode`, `message`/`errorMessage`, `property`/`propertyName`,
 * an array or an object of errors). Unconfirmed against e-conomic; see the file comment.
 */
export function parseProductsApiErrorBody(body: unknown): ParsedErrorBody {
  const parsed = problemBodySchema.safeParse(body);
  if (!parsed.success) return { fieldErrors: [] };
  const top = parsed.data;
  const fieldErrors: EconomicFieldError[] = itemsOf(top.errors).flatMap((item) => {
    const e = problemItemSchema.safeParse(item);
    if (!e.success) return [];
    const code = e.data.code ?? e.data.errorCode;
    return [
      {
        path: propertyPath(e.data.property ?? e.data.propertyName ?? e.data.field),
        ...(code === undefined ? {} : { errorCode: String(code) }),
        message: e.data.message ?? e.data.errorMessage ?? String(code ?? "Invalid value"),
      },
    ];
  });
  const code = top.code ?? top.errorCode ?? fieldErrors[0]?.errorCode;
  return {
    message: top.message ?? top.title ?? top.detail,
    ...(code === undefined ? {} : { errorCode: String(code) }),
    developerHint: top.detail,
    logId: top.traceId ?? top.logId,
    fieldErrors,
  };
}

/**
 * The Products API refusing a create because the id is taken: 409, or a 400/422 naming the `id`
 * property. The caller then adopts the existing record.
 */
export function isProductsApiDuplicate(error: {
  status?: number;
  fieldErrors: EconomicFieldError[];
}): boolean {
  if (error.status === 409) return true;
  return (
    (error.status === 400 || error.status === 422) &&
    error.fieldErrors.some(
      (e) => e.path === "id" && /exist|duplicate|taken|in use/i.test(`${e.errorCode} ${e.message}`),
    )
  );
}
