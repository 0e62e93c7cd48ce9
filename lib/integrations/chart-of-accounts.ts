import "server-only";
import type { CompanyIntegration } from "@/db/schema";
import type { ChartAccount } from "@/lib/settings/account-choices";
import { type ClientOptions, economicClientFor } from "./clients";

/**
 * The company's chart of accounts from e-conomic, for the Kundefaktura account pickers and the
 * server's check of a submitted choice. Kept in process for a few minutes per agreement, so the
 * page and its save do not both page through /accounts; "Genindlæs kontoplan" refreshes it.
 */

export const CHART_CACHE_TTL_MS = 5 * 60 * 1000;

export type ChartOfAccounts =
  | { status: "ok"; accounts: ChartAccount[]; fetchedAt: Date }
  | { status: "not_connected" }
  /** e-conomic did not answer or refused the token: the pickers cannot be validated now. */
  | { status: "unavailable" };

type Entry = { accounts: ChartAccount[]; fetchedAt: Date; expiresAt: number };

const cache = new Map<string, Entry>();
const inFlight = new Map<string, Promise<Entry>>();

type ChartIntegration = Pick<
  CompanyIntegration,
  "companyId" | "economicGrantTokenEnc" | "economicGrantTokenHint" | "economicAgreementNumber"
>;

/** Per company and agreement; a reconnected token (new hint) never reads the old agreement's chart. */
function cacheKey(integration: ChartIntegration): string {
  return [
    integration.companyId,
    integration.economicAgreementNumber ?? "",
    integration.economicGrantTokenHint ?? "",
  ].join("|");
}

export interface ChartOptions extends ClientOptions {
  /** Skip the cache (the "Genindlæs kontoplan" button). */
  refresh?: boolean;
  now?: () => number;
}

export async function loadChartOfAccounts(
  integration: ChartIntegration | undefined,
  options: ChartOptions = {},
): Promise<ChartOfAccounts> {
  const client = economicClientFor(integration, options);
  if (!integration || !client) return { status: "not_connected" };
  const now = options.now ?? Date.now;
  const key = cacheKey(integration);
  const cached = cache.get(key);
  if (!options.refresh && cached && cached.expiresAt > now()) {
    return { status: "ok", accounts: cached.accounts, fetchedAt: cached.fetchedAt };
  }
  let pending = inFlight.get(key);
  if (!pending) {
    pending = client.accounts
      .all({}, { timeoutMs: 10_000 })
      .then((rows) => {
        const entry: Entry = {
          accounts: rows.map((row) => ({
            accountNumber: row.accountNumber,
            name: row.name ?? "",
            accountType: row.accountType,
            barred: row.barred === true,
          })),
          fetchedAt: new Date(now()),
          expiresAt: now() + CHART_CACHE_TTL_MS,
        };
        cache.set(key, entry);
        return entry;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  try {
    const entry = await pending;
    return { status: "ok", accounts: entry.accounts, fetchedAt: entry.fetchedAt };
  } catch {
    return { status: "unavailable" };
  }
}

/** Drops every cached chart of the company (all its agreements). */
export function forgetChartOfAccounts(companyId: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${companyId}|`)) cache.delete(key);
}
