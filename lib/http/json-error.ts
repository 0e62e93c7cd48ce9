/**
 * The one JSON error shape of our route handlers: `{"error":{"code","message","field"?}}`. `field`
 * names the header or body field at fault. Never database details.
 */
export interface JsonErrorBody<Code extends string = string> {
  error: { code: Code; message: string; field?: string };
}

export function jsonError<Code extends string>(
  status: number,
  code: Code,
  message: string,
  field?: string,
): Response {
  const body: JsonErrorBody<Code> = { error: { code, message, ...(field === undefined ? {} : { field }) } };
  return Response.json(body, { status });
}
