import type { z } from "zod";

/** Field errors in Rackbeat's (Laravel's) validation body: `{"message","errors":{"field":["..."]}}`. */
export type FieldErrors = Record<string, string[]>;

/** An error answered in Rackbeat's JSON shape. Thrown inside handlers, rendered by the router. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "SandboxHttpError";
  }
}

export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function errorResponse(error: SandboxHttpError): Response {
  const body: { message: string; errors?: FieldErrors } = { message: error.message };
  if (error.errors) body.errors = error.errors;
  return json(body, error.status, error.headers);
}

export const unauthenticated = () => new SandboxHttpError(401, "Unauthenticated.");
export const notFound = (what: string) => new SandboxHttpError(404, `${what} not found.`);

export function invalid(errors: FieldErrors): SandboxHttpError {
  const first = Object.values(errors)[0]?.[0];
  const more = Object.values(errors).reduce((n, list) => n + list.length, 0) - 1;
  const message = first
    ? more > 0
      ? `${first} (and ${more} more error${more > 1 ? "s" : ""})`
      : first
    : "The given data was invalid.";
  return new SandboxHttpError(422, message, errors);
}

/** One field error, as Laravel words it. */
export function invalidField(field: string, message: string): SandboxHttpError {
  return invalid({ [field]: [message] });
}

export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SandboxHttpError(400, "The request body is not valid JSON.");
  }
}

/** Parses a body with zod; validation failures become a 422 keyed by dotted field paths. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join(".") || "body";
    const list = errors[field] ?? [];
    list.push(issue.message);
    errors[field] = list;
  }
  throw invalid(errors);
}

export interface Page {
  page: number;
  limit: number;
  offset: number;
}

/** `?page=&limit=`: 1-based page, limit 1..250 (default 20). */
export function pageOf(url: URL): Page {
  const page = clampInt(url.searchParams.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = clampInt(url.searchParams.get("limit"), 20, 1, 250);
  return { page, limit, offset: (page - 1) * limit };
}

function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback;
  return Math.min(max, Math.max(min, Number(value)));
}

/**
 * A list in Rackbeat's envelope. Rackbeat may answer lists with 206; the sandbox does so when more
 * pages follow, so clients are exercised on it.
 */
export function listResponse(plural: string, items: unknown[], page: Page, total: number): Response {
  const pages = Math.max(1, Math.ceil(total / page.limit));
  return json(
    { [plural]: items, pages, page: page.page, limit: page.limit, total },
    page.page < pages ? 206 : 200,
  );
}
