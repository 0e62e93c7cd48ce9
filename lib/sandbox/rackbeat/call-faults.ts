import { z } from "zod";
import { parseBody } from "./http";

/**
 * Sandbox-only slowness and failures for one account's API calls, so the app's handling of a slow
 * or failing Rackbeat can be tried by hand and in end-to-end tests:
 * `POST /sandbox/rackbeat/api/sandbox/faults` with the account's key and
 * `{"delayMs":15000,"times":1}` or `{"respond":503,"times":5}`; `DELETE` clears them.
 * Kept in memory (the sandbox serves from one process); the fault call itself is never delayed.
 */

export const maxFaultDelayMs = 120_000;

const faultSchema = z
  .strictObject({
    path: z.string().startsWith("/").optional(),
    /** Only `path` itself (a list), not the records below it. */
    exact: z.boolean().optional(),
    times: z.int().min(1).max(1000).default(1),
    delayMs: z.int().min(0).max(maxFaultDelayMs).optional(),
    respond: z.int().min(400).max(599).optional(),
  })
  .refine((f) => f.delayMs !== undefined || f.respond !== undefined, {
    error: "A fault needs delayMs or respond.",
  });

export type RackbeatFault = z.infer<typeof faultSchema>;

export class RackbeatFaults {
  private readonly byAccount = new Map<number, RackbeatFault[]>();

  add(accountId: number, body: unknown): RackbeatFault {
    const fault = parseBody(faultSchema, body);
    const list = this.byAccount.get(accountId) ?? [];
    list.push(fault);
    this.byAccount.set(accountId, list);
    return fault;
  }

  clear(accountId: number): void {
    this.byAccount.delete(accountId);
  }

  /** Takes one use of the first fault that applies to `path` (below the API root), if any. */
  take(accountId: number, path: string): RackbeatFault | undefined {
    const list = this.byAccount.get(accountId);
    if (!list) return undefined;
    const index = list.findIndex(
      (f) => f.path === undefined || path === f.path || (!f.exact && path.startsWith(`${f.path}/`)),
    );
    const fault = list[index];
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) list.splice(index, 1);
    if (list.length === 0) this.byAccount.delete(accountId);
    return fault;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
