import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { authSecret, env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { authConfig } from "./config";
import { authenticate } from "./credentials";

/** Carries the wait to the sign-in form; the code names no user, so it is safe in a URL. */
export class ThrottledSignin extends CredentialsSignin {
  constructor(retryAfterSeconds: number) {
    super();
    this.code = `throttled:${retryAfterSeconds}`;
  }
}

/** The client's address as far as the configured proxies are trusted (TRUSTED_PROXY_HOPS). */
export function requestIp(headers: Headers): string | null {
  return clientIp(headers, env().TRUSTED_PROXY_HOPS);
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: authSecret(),
  logger: {
    // A wrong password is an expected outcome, not a server error worth a stack trace.
    error(error: Error) {
      if (error instanceof CredentialsSignin) return;
      console.error(error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const result = await authenticate(await getDb(), {
          email: String(credentials?.email ?? ""),
          password: String(credentials?.password ?? ""),
          ip: requestIp(request.headers),
        });
        if (result.ok) return result.user;
        if (result.reason === "throttled") throw new ThrottledSignin(result.retryAfterSeconds);
        return null;
      },
    }),
  ],
}));
