import { type NextFetchEvent, type NextRequest, NextResponse } from "next/server";
import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";
import { authSecret, env, externalUrls } from "@/lib/env";
import { contentSecurityPolicy, HSTS_VALUE, newNonce, originOf } from "@/lib/security/headers";

// The first gate only: pages, actions and route handlers check session and role themselves too.
const { auth } = NextAuth(() => ({ ...authConfig, secret: authSecret() }));
const authGate = auth as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

/**
 * Every request gets a fresh CSP nonce: passed to the render in the request's `x-nonce` and
 * Content-Security-Policy headers (Next.js puts it on its own scripts, see the Next.js guide
 * "Content Security Policy"), and the policy itself goes on the response, with HSTS over https.
 */
export default async function middleware(request: NextRequest, event: NextFetchEvent): Promise<Response> {
  const nonce = newNonce();
  const https = isHttps(request);
  const csp = contentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV !== "production",
    formActions: [originOf(externalUrls().economicGrant)].filter((o): o is string => Boolean(o)),
    https,
  });
  const gated = await authGate(request, event);
  let response: Response = gated;
  if (gated.headers.get("x-middleware-next")) {
    // Let the request through with the nonce; keep the cookies Auth.js set.
    const headers = new Headers(request.headers);
    headers.set("x-nonce", nonce);
    headers.set("content-security-policy", csp);
    const next = NextResponse.next({ request: { headers } });
    for (const cookie of gated.headers.getSetCookie()) next.headers.append("set-cookie", cookie);
    response = next;
  }
  response.headers.set("content-security-policy", csp);
  if (https) response.headers.set("strict-transport-security", HSTS_VALUE);
  return response;
}

function isHttps(request: NextRequest): boolean {
  return (
    request.nextUrl.protocol === "https:" ||
    request.headers.get("x-forwarded-proto") === "https" ||
    env().APP_URL.startsWith("https:")
  );
}

export const config = {
  // Rackbeat's webhooks (and the ingest benchmark's no-op baseline) carry no session and authenticate
  // themselves: skipping the session middleware saves each delivery its cost.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/rackbeat/webhooks$|api/noop$).*)"],
};
