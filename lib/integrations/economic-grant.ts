import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { env, externalUrls, isSandboxMode } from "@/lib/env";
import { appUrlOf, type IntegrationOptions } from "./options";

// e-conomic's grant flow: the user approves our app on e-conomic's page, which sends the browser
// back to our callback with `?token=<agreementGrantToken>`. A random `state`, kept in an httpOnly
// cookie and carried in the redirect URL, proves the callback answers a request this browser made
// (otherwise anyone could send a signed-in admin a link that connects *their* agreement).

export const ECONOMIC_CALLBACK_PATH = "/setup/economic/callback";
export const ECONOMIC_STATE_COOKIE = "economic_grant_state";
export const ECONOMIC_STATE_MAX_AGE_S = 10 * 60;

/** What the callback tells the setup page (`/setup?economic=<result>`). */
export const GRANT_RESULTS = [
  "connected",
  "forbidden",
  "state",
  "missing",
  "invalidCredentials",
  "unreachable",
  "unexpected",
] as const;
export type GrantResult = (typeof GRANT_RESULTS)[number];

export function newGrantState(): string {
  return randomBytes(24).toString("base64url");
}

export function grantStatesMatch(received: string | null | undefined, expected: string | undefined): boolean {
  if (!received || !expected) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Our public app token at e-conomic; the sandbox's grant page accepts any, we send "sandbox". */
export function economicAppPublicToken(): string {
  const value = env().ECONOMIC_APP_PUBLIC_TOKEN;
  if (value) return value;
  if (isSandboxMode()) return "sandbox";
  throw new Error("ECONOMIC_APP_PUBLIC_TOKEN must be set in production");
}

export function economicCallbackUrl(state: string, options: IntegrationOptions = {}): string {
  const url = new URL(`${appUrlOf(options)}${ECONOMIC_CALLBACK_PATH}`);
  url.searchParams.set("state", state);
  return url.toString();
}

/** Where "Forbind til e-conomic" sends the browser. */
export function economicGrantUrl(state: string, options: IntegrationOptions = {}): string {
  const url = new URL((options.urls ?? externalUrls()).economicGrant);
  url.searchParams.set("appPublicToken", economicAppPublicToken());
  url.searchParams.set("redirectUrl", economicCallbackUrl(state, options));
  url.searchParams.set("locale", "da-DK");
  return url.toString();
}

/** Secure cookies only where the app is served over https (the e2e server runs on plain http). */
export function stateCookieOptions(options: IntegrationOptions = {}) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: appUrlOf(options).startsWith("https:"),
    path: ECONOMIC_CALLBACK_PATH,
    maxAge: ECONOMIC_STATE_MAX_AGE_S,
  };
}
