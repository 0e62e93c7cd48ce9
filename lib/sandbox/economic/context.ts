import type { Db } from "@/db/client";
import { ApiError, errorCodes, errorResponse, Issues } from "./errors";
import type { AgreementRow, JsonObject, JsonValue } from "./schema";
import { rejectNulls } from "./validation";

export interface Ctx {
  db: Db;
  agreement: AgreementRow;
  /** Origin and base path, for `self` links. */
  base: string;
  url: URL;
  request: Request;
  params: string[];
}

/** e-conomic leaves out false booleans; `_`-prefixed keys are the sandbox's internal fields. */
export function outward(value: JsonValue): JsonValue | undefined {
  if (value === false) return undefined;
  if (Array.isArray(value)) return value.map((v) => outward(v) ?? null);
  if (value !== null && typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith("_")) continue;
      const shown = outward(v);
      if (shown !== undefined) out[k] = shown;
    }
    return out;
  }
  return value;
}

export function jsonResponse(data: JsonValue, status = 200, headers?: Record<string, string>): Response {
  return Response.json(outward(data) ?? null, { status, headers });
}

export function created(data: JsonObject & { self?: JsonValue }): Response {
  return jsonResponse(data, 201, typeof data.self === "string" ? { Location: data.self } : undefined);
}

/** The request's JSON body: 415 unless JSON, 400 for malformed JSON or any `null`. */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type.trim())) {
    throw new ApiError(
      errorResponse(
        415,
        errorCodes.unsupportedMediaType,
        "Unsupported media type.",
        "Send Content-Type: application/json.",
      ),
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw new ApiError(errorResponse(400, errorCodes.badRequest, "The request body is not valid JSON."));
  }
  const issues = new Issues();
  rejectNulls(body, issues);
  if (issues.any) throw new ApiError(issues.toResponse());
  return body;
}
