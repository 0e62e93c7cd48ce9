import { z } from "zod";
import type { EconomicProductGroupInput } from "./schemas";

/*
 * The one place that knows the Products API's product-group wire format. Its field names are not
 * confirmed by e-conomic's documentation; when they are, correct them here only.
 */

export const PRODUCTS_API_PRODUCT_GROUPS_PATH = "/productgroups";

export interface ProductsApiProductGroup {
  number: number;
  name: string;
  salesAccounts: { vatZoneNumber: number; accountNumber: number }[];
}

export function toProductsApiProductGroup(input: EconomicProductGroupInput): ProductsApiProductGroup {
  return {
    number: input.productGroupNumber,
    name: input.name,
    salesAccounts: input.salesAccounts.map((a) => ({
      vatZoneNumber: a.vatZoneNumber,
      accountNumber: a.accountNumber,
    })),
  };
}

/** Whatever the Products API answers, we only rely on it not being an error; the body may vary. */
export const productsApiCreateResponseSchema = z.unknown();
