import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { errorCodes, errorResponse } from "./errors";
import { faultPlans, type JsonValue } from "./schema";

/** Delays are bounded so a forgotten plan cannot pin a server for long. */
export const maxDelayMs = 120_000;
export const defaultTimeoutMs = 30_000;

const faultKind = z.enum(["500", "429", "timeout", "drop"]);

export const faultRuleSchema = z
  .strictObject({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .transform((m) => m.toUpperCase())
      .optional(),
    /** Matches that path and everything below it (segment prefix); the query string is ignored. */
    path: z.string().startsWith("/").optional(),
    times: z.int().min(0).optional(),
    respond: z.int().min(400).max(599).optional(),
    retryAfter: z.number().min(0).max(3600).optional(),
    delayMs: z.int().min(0).max(maxDelayMs).optional(),
    timeoutMs: z.int().min(0).max(maxDelayMs).optional(),
    dropResponseAfterCommit: z.boolean().optional(),
    random: z
      .strictObject({
        rate: z.number().min(0).max(1),
        kinds: z.array(faultKind).min(1),
      })
      .optional(),
  })
  .refine(
    (r) => r.respond !== undefined || r.delayMs !== undefined || r.dropResponseAfterCommit || r.random,
    {
      error: "A rule needs respond, delayMs, dropResponseAfterCommit or random.",
    },
  );

export type FaultRule = z.infer<typeof faultRuleSchema>;

export const faultPlanSchema = z
  .union([faultRuleSchema, z.array(faultRuleSchema)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

export function pathMatches(rulePath: string | undefined, path: string): boolean {
  if (rulePath === undefined) return true;
  const prefix = rulePath.replace(/\/+$/, "");
  return path === prefix || path.startsWith(`${prefix}/`) || prefix === "";
}

/** The first rule that applies to the request and has not run out. */
export function matchRule(rules: FaultRule[], method: string, path: string): number {
  return rules.findIndex(
    (r) =>
      (r.method === undefined || r.method === method) &&
      pathMatches(r.path, path) &&
      (r.times === undefined || r.times > 0),
  );
}

export interface FaultAction {
  delayMs?: number;
  respond?: number;
  retryAfter?: number;
  drop?: boolean;
}

/** What a matched rule does this time; random rules fire with their rate (undefined: no fault). */
export function actionOf(rule: FaultRule, random: () => number = Math.random): FaultAction | undefined {
  if (rule.random) {
    if (random() >= rule.random.rate) return undefined;
    const kind = rule.random.kinds[Math.floor(random() * rule.random.kinds.length)] ?? "500";
    switch (kind) {
      case "500":
        return { respond: 500 };
      case "429":
        return { respond: 429, retryAfter: rule.retryAfter ?? 1 };
      case "timeout":
        return { delayMs: rule.timeoutMs ?? defaultTimeoutMs };
      case "drop":
        return { drop: true };
    }
  }
  return {
    delayMs: rule.delayMs,
    respond: rule.respond,
    retryAfter: rule.retryAfter,
    drop: rule.dropResponseAfterCommit,
  };
}

export function parseStoredRules(raw: JsonValue[] | null): FaultRule[] {
  if (!raw) return [];
  const parsed = z.array(faultRuleSchema).safeParse(raw);
  return parsed.success ? parsed.data : [];
}

/**
 * Decrements a counted rule atomically; false when another request used up its last turn first.
 * Runs only when a counted rule matched, so plain traffic pays nothing for it.
 */
export async function consumeRule(db: Db, agreementNumber: number, index: number): Promise<boolean> {
  const rows = await db
    .update(faultPlans)
    .set({
      rules: sql`jsonb_set(${faultPlans.rules}, ${`{${index},times}`}::text[], to_jsonb((${faultPlans.rules} -> ${index}::int ->> 'times')::int - 1))`,
    })
    .where(
      and(
        eq(faultPlans.agreementNumber, agreementNumber),
        sql`(${faultPlans.rules} -> ${index}::int ->> 'times')::int > 0`,
      ),
    )
    .returning({ agreementNumber: faultPlans.agreementNumber });
  return rows.length === 1;
}

export async function appendRules(db: Db, agreementNumber: number, rules: FaultRule[]): Promise<JsonValue[]> {
  const value = rules as unknown as JsonValue[];
  const [row] = await db
    .insert(faultPlans)
    .values({ agreementNumber, rules: value })
    .onConflictDoUpdate({
      target: faultPlans.agreementNumber,
      set: { rules: sql`${faultPlans.rules} || excluded.rules`, updatedAt: new Date() },
    })
    .returning({ rules: faultPlans.rules });
  return row?.rules ?? [];
}

export async function readRules(db: Db, agreementNumber: number): Promise<JsonValue[]> {
  const [row] = await db.select().from(faultPlans).where(eq(faultPlans.agreementNumber, agreementNumber));
  return row?.rules ?? [];
}

export async function clearRules(db: Db, agreementNumber: number): Promise<void> {
  await db.delete(faultPlans).where(eq(faultPlans.agreementNumber, agreementNumber));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the request under a fault: delay first (a "timeout" is a delay the client gives up on while
 * the request still completes), then either an injected error instead of the request, or the request
 * followed by a broken connection.
 */
export async function withFault(action: FaultAction, perform: () => Promise<Response>): Promise<Response> {
  if (action.delayMs) await sleep(Math.min(action.delayMs, maxDelayMs));
  if (action.respond !== undefined) {
    const status = action.respond;
    const headers: Record<string, string> =
      action.retryAfter !== undefined ? { "Retry-After": String(Math.ceil(action.retryAfter)) } : {};
    const [code, message] =
      status === 429
        ? [errorCodes.tooManyRequests, "Too many requests."]
        : [errorCodes.internal, `Error ${status} injected by the sandbox fault plan.`];
    return errorResponse(status, code, message, "Injected by the e-conomic sandbox fault plan.", headers);
  }
  const response = await perform();
  if (!action.drop) return response;
  await response.body?.cancel();
  const broken = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error("response dropped by the e-conomic sandbox fault plan"));
    },
  });
  return new Response(broken, { status: response.status, headers: response.headers });
}
