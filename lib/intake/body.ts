import { z } from "zod";
import { rackbeatWebhookBodySchema } from "@/lib/rackbeat";

/** The largest webhook body accepted (Rackbeat's are about 40 bytes). */
export const MAX_WEBHOOK_BODY_BYTES = 16 * 1024;
/** Nesting deeper than this is no webhook of Rackbeat's. */
export const MAX_WEBHOOK_BODY_DEPTH = 32;

export type ReadBodyResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: "too_large" | "unreadable" };

/**
 * Reads a request body, giving up as soon as it passes `limit` bytes: a Content-Length can be
 * absent (chunked) or be checked already, and the bytes are what actually counts.
 */
export async function readBodyWithLimit(request: Request, limit: number): Promise<ReadBodyResult> {
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: "too_large" };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** Content-Length as a number; undefined when absent or not a plain number. */
export function declaredLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** `application/json` or any `application/<x>+json`, parameters (charset) allowed. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";", 1)[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

const decoder = new TextDecoder("utf-8", { fatal: true });

export type ParseJsonResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Strict UTF-8 JSON that Postgres can store as jsonb as it is. */
export function parseStorableJson(bytes: Uint8Array): ParseJsonResult {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, message: "The body is not valid UTF-8." };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: "The body is not valid JSON." };
  }
  const problem = unstorable(value);
  return problem ? { ok: false, message: problem } : { ok: true, value };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badString(s: string): boolean {
  return s.includes("\u0000") || LONE_SURROGATE.test(s);
}

/**
 * What jsonb refuses (NUL characters, unpaired surrogates) or we will not store (deep nesting),
 * found before the database would throw. Iterative, so no nesting can exhaust the stack.
 */
function unstorable(root: unknown): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === "string") {
      if (badString(value))
        return "The body contains characters that cannot be stored (NUL or unpaired surrogates).";
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_WEBHOOK_BODY_DEPTH)
      return `The body is nested deeper than ${MAX_WEBHOOK_BODY_DEPTH} levels.`;
    const entries = Array.isArray(value) ? value : Object.entries(value).flat();
    for (const item of entries) stack.push({ value: item, depth: depth + 1 });
  }
  return undefined;
}

/** An invoice number as Rackbeat names it: printable, no surrounding spaces, 64 characters at most. */
const INVOICE_KEY = /^(?!\s)(?!.*\s$)[^\p{C}]{1,64}$/u;

export type WebhookBodyResult =
  | { ok: true; invoiceNumber: string }
  | { ok: false; field?: string; message: string };

/**
 * The shared `rackbeatWebhookBodySchema` (extra fields allowed), then what the intake needs on top:
 * the key is an invoice number (`key_name` "number", a printable string or a non-negative integer).
 */
export function checkWebhookBody(value: unknown): WebhookBodyResult {
  const parsed = rackbeatWebhookBodySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? String(issue.path[0]) : undefined;
    const message = field
      ? `${field}: ${issue?.message ?? "invalid"}`
      : `The body must be an object {"key_name","key"}: ${z.prettifyError(parsed.error)}`;
    return { ok: false, field, message };
  }
  if (parsed.data.key_name !== "number") {
    return { ok: false, field: "key_name", message: 'key_name must be "number".' };
  }
  const raw = (value as { key: unknown }).key;
  if (typeof raw === "number" && !(Number.isSafeInteger(raw) && raw >= 0)) {
    return { ok: false, field: "key", message: "key must be a non-negative integer or a string." };
  }
  if (!INVOICE_KEY.test(parsed.data.key)) {
    return {
      ok: false,
      field: "key",
      message: "key must be 1 to 64 printable characters without surrounding spaces.",
    };
  }
  return { ok: true, invoiceNumber: parsed.data.key };
}
