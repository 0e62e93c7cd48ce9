import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/db/schema";
import { jsonError } from "@/lib/http/json-error";
import type { Locale } from "@/lib/i18n/locale";

// Edge-safe: no database, no Node APIs. middleware.ts uses this; index.ts adds Credentials.

/** Reachable without a session. Everything else sends signed-out visitors to /login. */
const PUBLIC_PREFIXES = [
  "/login",
  "/register",
  "/api/health",
  "/api/auth",
  "/api/rackbeat/webhooks",
  // The ingest benchmark's baseline; answers 404 outside sandbox mode.
  "/api/noop",
  "/sandbox",
  // The favicon (app/icon.svg), shown on the sign-in page too.
  "/icon.svg",
];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      companyId: string;
      role: Role;
      locale: Locale;
      email: string;
      name: string;
      /** Compared with the user's row on every request (lib/auth/session.ts). */
      sessionVersion: number;
    };
  }
  interface User {
    companyId?: string;
    role?: Role;
    locale?: Locale;
    sessionVersion?: number;
  }
}

export const authConfig = {
  pages: { signIn: "/login" },
  // The app runs behind its own server or a proxy that sets the host; Auth.js must trust it.
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  providers: [],
  callbacks: {
    authorized({ auth, request }) {
      const { pathname } = request.nextUrl;
      if (isPublicPath(pathname)) return true;
      if (auth?.user) return true;
      if (pathname.startsWith("/api/")) {
        return jsonError(401, "unauthenticated", "Sign in first.");
      }
      return false;
    },
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.companyId = user.companyId;
        token.role = user.role;
        token.locale = user.locale;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = String(token.uid ?? "");
      session.user.companyId = String(token.companyId ?? "");
      session.user.role = token.role === "admin" ? "admin" : "viewer";
      session.user.locale = token.locale === "en" ? "en" : "da";
      session.user.sessionVersion = typeof token.sv === "number" ? token.sv : -1;
      return session;
    },
  },
} satisfies NextAuthConfig;
