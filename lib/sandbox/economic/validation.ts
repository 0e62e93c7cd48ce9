import { errorCodes, type IssuePath, type Issues } from "./errors";
import { toScaled } from "./money";
import type { JsonObject, JsonValue } from "./schema";

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** e-conomic refuses `null` anywhere in a request body. */
export function rejectNulls(value: unknown, issues: Issues, path: IssuePath = []): void {
  if (value === null) {
    issues.add(path, errorCodes.nullValue, `${String(path.at(-1) ?? "body")} cannot be null.`);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) rejectNulls(v, issues, [...path, i]);
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) rejectNulls(v, issues, [...path, k]);
  }
}

interface FieldOptions {
  required?: boolean;
}

/** Typed field readers that record e-conomic-style issues instead of throwing. */
export class Reader {
  constructor(readonly issues: Issues) {}

  private present(o: Obj | undefined, key: string, path: IssuePath, options: FieldOptions): unknown {
    const value = o?.[key];
    if (value === undefined && options.required) {
      this.issues.add([...path, key], errorCodes.required, `${key} is required.`);
    }
    return value ?? undefined;
  }

  private wrongType(path: IssuePath, key: string, expected: string, value: unknown) {
    this.issues.add([...path, key], errorCodes.invalidType, `${key} must be ${expected}.`, value);
  }

  obj(o: Obj | undefined, key: string, path: IssuePath, options: FieldOptions = {}): Obj | undefined {
    const value = this.present(o, key, path, options);
    if (value === undefined) return undefined;
    if (!isObj(value)) return void this.wrongType(path, key, "an object", value);
    return value;
  }

  str(
    o: Obj | undefined,
    key: string,
    path: IssuePath,
    options: FieldOptions & { max?: number; pattern?: RegExp; values?: readonly string[] } = {},
  ): string | undefined {
    const value = this.present(o, key, path, options);
    if (value === undefined) return undefined;
    if (typeof value !== "string") return void this.wrongType(path, key, "a string", value);
    if (options.required && value.trim() === "") {
      this.issues.add([...path, key], errorCodes.required, `${key} is required.`);
      return undefined;
    }
    if (options.max !== undefined && value.length > options.max) {
      this.issues.add(
        [...path, key],
        errorCodes.tooLong,
        `${key} cannot be longer than ${options.max} characters.`,
        value,
      );
      return undefined;
    }
    if (
      (options.pattern && !options.pattern.test(value)) ||
      (options.values && !options.values.includes(value))
    ) {
      this.issues.add([...path, key], errorCodes.invalidValue, `${key} has an invalid value.`, value);
      return undefined;
    }
    return value;
  }

  int(
    o: Obj | undefined,
    key: string,
    path: IssuePath,
    options: FieldOptions & { min?: number; max?: number } = {},
  ): number | undefined {
    const value = this.present(o, key, path, options);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return void this.wrongType(path, key, "an integer", value);
    }
    if (
      (options.min !== undefined && value < options.min) ||
      (options.max !== undefined && value > options.max)
    ) {
      this.issues.add([...path, key], errorCodes.invalidValue, `${key} is out of range.`, value);
      return undefined;
    }
    return value;
  }

  /** A decimal with at most `scale` decimals, returned scaled (E04740 otherwise). */
  decimal(
    o: Obj | undefined,
    key: string,
    path: IssuePath,
    options: FieldOptions & { scale?: number; min?: number; max?: number } = {},
  ): bigint | undefined {
    const value = this.present(o, key, path, options);
    if (value === undefined) return undefined;
    if (typeof value !== "number") return void this.wrongType(path, key, "a number", value);
    const scale = options.scale ?? 2;
    const scaled = toScaled(value, scale);
    if (scaled === undefined) {
      this.issues.add(
        [...path, key],
        errorCodes.scale,
        `${key} scale cannot be greater then two decimal places.`,
        value,
      );
      return undefined;
    }
    if (
      (options.min !== undefined && value < options.min) ||
      (options.max !== undefined && value > options.max)
    ) {
      this.issues.add([...path, key], errorCodes.invalidValue, `${key} is out of range.`, value);
      return undefined;
    }
    return scaled;
  }

  number(o: Obj | undefined, key: string, path: IssuePath, options: FieldOptions = {}): number | undefined {
    const value = this.present(o, key, path, options);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value))
      return void this.wrongType(path, key, "a number", value);
    return value;
  }

  bool(o: Obj | undefined, key: string, path: IssuePath): boolean | undefined {
    const value = this.present(o, key, path, {});
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") return void this.wrongType(path, key, "a boolean", value);
    return value;
  }

  /** A reference object such as `customer{customerNumber}`: the number inside, validated as an integer. */
  ref(o: Obj | undefined, key: string, numberField: string, path: IssuePath, options: FieldOptions = {}) {
    const inner = this.obj(o, key, path, options);
    if (!inner) return undefined;
    return this.int(inner, numberField, [...path, key], { required: true, min: 1 });
  }

  date(o: Obj | undefined, key: string, path: IssuePath, options: FieldOptions = {}): string | undefined {
    const value = this.str(o, key, path, { ...options, pattern: /^\d{4}-\d{2}-\d{2}$/ });
    if (value === undefined) return undefined;
    const parsed = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
      this.issues.add([...path, key], errorCodes.invalidValue, `${key} is not a valid date.`, value);
      return undefined;
    }
    return value;
  }
}

/** Copies the listed string fields that are present (already validated) into `target`. */
export function copyStrings(source: Obj, target: JsonObject, keys: readonly string[]): void {
  for (const key of keys) if (typeof source[key] === "string") target[key] = source[key] as JsonValue;
}
