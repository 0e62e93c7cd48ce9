/**
 * Builds e-conomic `filter=` expressions. Values are escaped here, so a customer called
 * "Smith (Ltd), [DK]" can never change the meaning of a filter. The result is a plain string to
 * be URL-encoded as one query parameter (URLSearchParams does that).
 *
 *   and(eq("customer.customerNumber", 7), like("name", "A/S"))
 *   → customer.customerNumber$eq:7$and:name$like:A/S
 *
 * Grouping: e-conomic honours parentheses for operator affinity, so a nested and/or is wrapped.
 */

export type FilterScalar = string | number | boolean | null;

/**
 * A filter expression; only this module creates them, which guarantees the escaping.
 * `kind` lets and/or decide when a nested expression needs parentheses.
 */
export interface Filter {
  readonly expression: string;
  readonly kind: "predicate" | "and" | "or";
  toString(): string;
}

function filter(expression: string, kind: Filter["kind"]): Filter {
  return Object.freeze({ expression, kind, toString: () => expression });
}

const SPECIAL = /[$()*,[\]]/g;

/** `$ ( ) * , [ ]` take a leading `$`, per e-conomic's filter grammar. */
export function escapeFilterValue(value: string): string {
  return value.replace(SPECIAL, (char) => `$${char}`);
}

function formatValue(value: FilterScalar): string {
  if (value === null) return "$null:";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`Filter value must be finite, got ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  return escapeFilterValue(value);
}

const FIELD = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

function predicate(field: string, operator: string, value: string): Filter {
  // Field names come from our code, never from users; reject anything that could smuggle syntax.
  if (!FIELD.test(field)) throw new TypeError(`Invalid filter field: ${field}`);
  return filter(`${field}${operator}${value}`, "predicate");
}

export const eq = (field: string, value: FilterScalar) => predicate(field, "$eq:", formatValue(value));
export const ne = (field: string, value: FilterScalar) => predicate(field, "$ne:", formatValue(value));
export const gt = (field: string, value: string | number) => predicate(field, "$gt:", formatValue(value));
export const gte = (field: string, value: string | number) => predicate(field, "$gte:", formatValue(value));
export const lt = (field: string, value: string | number) => predicate(field, "$lt:", formatValue(value));
export const lte = (field: string, value: string | number) => predicate(field, "$lte:", formatValue(value));

/**
 * Substring match. Without `*` e-conomic treats the value as "contains"; pass `wildcards: true`
 * to keep `*` in `pattern` as a wildcard (all other special characters are still escaped).
 */
export function like(field: string, pattern: string, options: { wildcards?: boolean } = {}): Filter {
  const value = options.wildcards
    ? pattern.split("*").map(escapeFilterValue).join("*")
    : escapeFilterValue(pattern);
  return predicate(field, "$like:", value);
}

/** e-conomic allows `$in:` on numeric properties only, with at most 200 values. */
export function isIn(field: string, values: readonly (number | null)[]): Filter {
  if (values.length === 0) throw new RangeError("An $in: filter needs at least one value");
  if (values.length > 200) throw new RangeError("e-conomic allows at most 200 values in $in:");
  return predicate(field, "$in:", `[${values.map(formatValue).join(",")}]`);
}

export function notIn(field: string, values: readonly (number | null)[]): Filter {
  if (values.length === 0) throw new RangeError("A $nin: filter needs at least one value");
  if (values.length > 200) throw new RangeError("e-conomic allows at most 200 values in $nin:");
  return predicate(field, "$nin:", `[${values.map(formatValue).join(",")}]`);
}

function join(kind: "and" | "or", parts: readonly Filter[]): Filter {
  if (parts.length === 0) throw new RangeError(`${kind}() needs at least one filter`);
  if (parts.length === 1) return parts[0]!;
  const rendered = parts.map((part) =>
    part.kind !== "predicate" && part.kind !== kind ? `(${part.expression})` : part.expression,
  );
  return filter(rendered.join(`$${kind}:`), kind);
}

export const and = (...parts: Filter[]): Filter => join("and", parts);
export const or = (...parts: Filter[]): Filter => join("or", parts);
