import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { authSecret } from "@/lib/env";
import { authConfig } from "./config";
import { authenticate } from "./credentials";

/** Carries the wait to the sign-in form; the code names no user, so it is safe in a URL. */
export class ThrottledSignin extends CredentialsSignin {
  constructor(retryAfterSeconds: number) {
    super();
    this.code = `throttled:${retryAfterSeconds}`;
  }
}

export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || null;
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
          ip: clientIp(request.headers),
        });
        if (result.ok) return result.user;
        if (result.reason === "throttled") throw new ThrottledSignin(result.retryAfterSeconds);
        return null;
      },
    }),
  ],
}));
