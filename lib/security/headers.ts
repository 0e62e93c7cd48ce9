/**
 * The security headers of every response. Edge-safe and pure: middleware.ts sets the
 * Content-Security-Policy (with a fresh nonce per request) and HSTS; next.config.mjs sets the static
 * ones (nosniff, Referrer-Policy, X-Frame-Options, Permissions-Policy) on every path, including
 * those middleware skips (static files, Rackbeat's webhooks).
 */

export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/** 128 random bits, base64: unguessable per response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export interface CspOptions {
  nonce: string;
  /** `next dev` evaluates code (React's debugging); production does not. */
  development?: boolean;
  /** Origins forms may be sent to besides this one (e-conomic's grant page). */
  formActions?: readonly string[];
  https?: boolean;
}

/**
 * Scripts only with this response's nonce ('strict-dynamic' lets them load Next's chunks); styles
 * from this origin or with the nonce (style attributes inline); no plugins, no framing, no foreign form targets.
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const nonce = `'nonce-${options.nonce}'`;
  const directives = [
    "default-src 'self'",
    `script-src 'self' ${nonce} 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${nonce}`,
    // Style attributes (Radix UI positions its hidden inputs with them) cannot run script.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...(options.formActions ?? [])].join(" "),
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** An origin, or undefined for anything that is not an absolute http(s) URL. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
