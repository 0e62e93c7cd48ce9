import { EconomicError, type EconomicFieldError } from "./errors";

/**
 * e-conomic refusing a request because a record it references does not exist: a 400 whose field
 * error has code E06000 and the message "<field> does not exist." (documented by e-conomic, see
 * ../shared/spec/economic-api.md: "Unknown customer/product/layout: E06000"). The code decides; the
 * message is the fallback for an answer without one.
 */
export const DOES_NOT_EXIST_CODE = "E06000";

export function isDoesNotExist(fieldError: EconomicFieldError): boolean {
  if (fieldError.errorCode) return fieldError.errorCode === DOES_NOT_EXIST_CODE;
  return /does not exist/i.test(fieldError.message);
}

/** A reference e-conomic refused as missing: the field it names and the value it quotes. */
export interface MissingReference {
  /** The referencing field without array indexes: `customer`, `product`, `customerContact`. */
  field: string;
  /** The request path, e.g. `lines[2].product`. */
  path: string;
  /** The number e-conomic quotes (`value`), when it does. */
  value?: string;
}

/** The references a 400 answer says do not exist; empty for any other error. */
export function missingReferences(error: unknown): MissingReference[] {
  if (!(error instanceof EconomicError) || error.status !== 400) return [];
  return error.fieldErrors.filter(isDoesNotExist).map((e) => {
    const field =
      e.path
        .replace(/\[\d+\]/g, "")
        .split(".")
        .at(-1) ?? "";
    const value = typeof e.value === "string" || typeof e.value === "number" ? String(e.value) : undefined;
    return { field, path: e.path, ...(value === undefined || value === "" ? {} : { value }) };
  });
}
