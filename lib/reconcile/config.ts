import { env } from "@/lib/env";
import { DEFAULT_SWEEP_INTERVAL_MS } from "./sweep";

/** `SWEEP_INTERVAL_MS` (default 10 minutes; 0: no sweep). */
export function sweepIntervalMs(): number {
  const value = env().SWEEP_INTERVAL_MS;
  return value === undefined ? DEFAULT_SWEEP_INTERVAL_MS : Number(value);
}
