import { type JsonErrorBody, jsonError } from "@/lib/http/json-error";

/**
 * The intake's one error shape: `{"error":{"code","message","field"?}}`. `field` names the header or
 * body field at fault, so Rackbeat's delivery log (and whoever reads it) sees what was wrong.
 */
export type IntakeErrorCode =
  | "unauthenticated"
  | "unknown_event"
  | "unsupported_media_type"
  | "payload_too_large"
  | "invalid_json"
  | "invalid_body"
  | "unavailable";

const STATUS: Record<IntakeErrorCode, number> = {
  unauthenticated: 401,
  unknown_event: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  invalid_json: 400,
  invalid_body: 400,
  unavailable: 503,
};

export type IntakeErrorBody = JsonErrorBody<IntakeErrorCode>;

export function intakeError(code: IntakeErrorCode, message: string, field?: string): Response {
  return jsonError(STATUS[code], code, message, field);
}
