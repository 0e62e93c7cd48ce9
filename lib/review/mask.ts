/**
 * Masks what looks like personal data or a secret in text shown on the review page (call paths,
 * error details, headers): e-mail addresses keep their first letter and domain, long token-like
 * runs keep four characters, and values of secret-sounding parameters are hidden.
 */
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const SECRET_PARAM = /((?:token|secret|password|apikey|api_key|key|authorization)[=:]\s*)([^&\s;,"']+)/gi;
// 20+ characters of letters, digits, - and _ with at least one digit and one letter: grant tokens,
// API keys, JWT parts. Plain numbers (invoice numbers) and words are left alone.
const TOKEN = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{16,}/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

export function maskSensitive(text: string): string {
  // UUIDs are ids, not secrets: protect them from the token rule.
  const ids: string[] = [];
  const protectedText = text.replace(UUID, (id) => {
    ids.push(id);
    return `\uE000${ids.length - 1}\uE000`;
  });
  const masked = protectedText
    .replace(EMAIL, (_m, firstChar: string, domain: string) => `${firstChar}***@${domain}`)
    .replace(SECRET_PARAM, (_m, name: string) => `${name}***`)
    .replace(TOKEN, (_m, head: string) => `${head}…`);
  return masked.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => ids[Number(i)] ?? "");
}

/** A JSON value with every string masked (for headers and bodies shown raw). */
export function maskJson(value: unknown): unknown {
  if (typeof value === "string") return maskSensitive(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v)]));
  }
  return value;
}
