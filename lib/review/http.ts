import { jsonError } from "@/lib/http/json-error";

/** The review route handlers' one error shape: `{error: {code, message}}`, never database details. */
export type ReviewErrorCode = "unauthenticated" | "not_found" | "economic_unavailable" | "not_connected";

const messages: Record<ReviewErrorCode, string> = {
  unauthenticated: "Sign in first.",
  not_found: "No such transfer.",
  economic_unavailable: "e-conomic did not deliver the PDF. Try again shortly.",
  not_connected: "e-conomic is not connected.",
};

const statuses: Record<ReviewErrorCode, number> = {
  unauthenticated: 401,
  not_found: 404,
  economic_unavailable: 502,
  not_connected: 409,
};

export function reviewError(code: ReviewErrorCode): Response {
  return jsonError(statuses[code], code, messages[code]);
}

/** A download with a safe file name (no header injection through a stored name). */
export function fileResponse(
  content: Uint8Array,
  name: string,
  disposition: "inline" | "attachment",
): Response {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100) || "file.pdf";
  return new Response(new Uint8Array(content), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `${disposition}; filename="${safe}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
