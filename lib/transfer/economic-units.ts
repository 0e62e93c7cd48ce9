import type { EconomicClient } from "@/lib/economic";
import { unitKey } from "./plan-types";

/**
 * e-conomic's units (`GET /units`) by `unitKey(name)`, so a new product gets the unit Rackbeat
 * names. Units are a short, rarely changed list: kept per company and agreement in this process for a while,
 * so a run of invoices with new products asks once, not once per invoice.
 */

const TTL_MS = 10 * 60_000;
const cache = new Map<string, { at: number; units: Map<string, number> }>();

export async function economicUnits(
  economic: EconomicClient,
  agreementKey: string,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<Map<string, number>> {
  const hit = cache.get(agreementKey);
  if (hit && now() - hit.at < TTL_MS) return hit.units;
  const list = await economic.units.all({}, { signal });
  const units = new Map(list.flatMap((u) => (u.name ? [[unitKey(u.name), u.unitNumber] as const] : [])));
  cache.set(agreementKey, { at: now(), units });
  return units;
}
