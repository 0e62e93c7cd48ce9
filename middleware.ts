import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";
import { authSecret } from "@/lib/env";

// The first gate only: pages, actions and route handlers check session and role themselves too.
const { auth } = NextAuth(() => ({ ...authConfig, secret: authSecret() }));

export default auth;

export const config = {
  // Rackbeat's webhooks (and the ingest benchmark's no-op baseline) carry no session and authenticate
  // themselves: skipping the session middleware saves each delivery its cost.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/rackbeat/webhooks$|api/noop$).*)"],
};
