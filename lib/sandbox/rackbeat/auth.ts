import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { unauthenticated } from "./http";
import { rbAccounts } from "./schema";

export interface AuthenticatedAccount {
  id: number;
  name: string;
}

/**
 * Keys never change or get revoked in the sandbox, so a key → account lookup is cached per database
 * handle: a benchmark's thousands of calls cost no extra query each.
 */
const cache = new WeakMap<Db, Map<string, AuthenticatedAccount>>();

/** The account of the request's `Authorization: Bearer <API key>`, or a 401. */
export async function authenticate(db: Db, request: Request): Promise<AuthenticatedAccount> {
  const header = request.headers.get("authorization") ?? "";
  const key = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!key) throw unauthenticated();
  let known = cache.get(db);
  if (!known) {
    known = new Map();
    cache.set(db, known);
  }
  const hit = known.get(key);
  if (hit) return hit;
  const [account] = await db
    .select({ id: rbAccounts.id, name: rbAccounts.name })
    .from(rbAccounts)
    .where(eq(rbAccounts.apiKey, key))
    .limit(1);
  if (!account) throw unauthenticated();
  if (known.size > 10_000) known.clear();
  known.set(key, account);
  return account;
}
