import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { companySettings, settingsChanges } from "@/db/schema";
import {
  type CustomerInvoiceSettings,
  customerInvoiceSettingsSchema,
  defaultSettings,
  diffSettings,
} from "./schema";

export interface StoredSettings {
  values: CustomerInvoiceSettings;
  /** 0 while the company has never saved: the defaults apply. */
  version: number;
  updatedAt: Date | null;
}

/**
 * A company's stored settings values, re-validated: a setting added later gets its default, a bad
 * value cannot leak in. No row (never saved): the defaults.
 */
export function settingsValuesOf(stored: unknown): CustomerInvoiceSettings {
  if (stored === null || stored === undefined) return defaultSettings;
  const parsed = customerInvoiceSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultSettings;
}

export async function loadSettings(db: Db, companyId: string): Promise<StoredSettings> {
  const [row] = await db.select().from(companySettings).where(eq(companySettings.companyId, companyId));
  if (!row) return { values: defaultSettings, version: 0, updatedAt: null };
  return { values: settingsValuesOf(row.values), version: row.version, updatedAt: row.updatedAt };
}

export type SaveResult =
  | { ok: true; version: number; changed: number }
  | { ok: false; reason: "conflict"; current: StoredSettings };

/**
 * Saves on top of `expectedVersion` only: a save edited from an older version (another tab saved
 * in between) is refused with the newer values, never silently overwriting them. Every changed
 * setting is written to the history in the same transaction.
 */
export async function saveSettings(
  db: Db,
  input: {
    companyId: string;
    userId: string;
    userName: string;
    expectedVersion: number;
    values: CustomerInvoiceSettings;
  },
): Promise<SaveResult> {
  return db.transaction(async (tx) => {
    // Lock the row (or, for a first save, the company's slot via the unique key) for the comparison.
    const [row] = await tx
      .select()
      .from(companySettings)
      .where(eq(companySettings.companyId, input.companyId))
      .for("update");
    const currentVersion = row?.version ?? 0;
    const currentValues = row ? customerInvoiceSettingsSchema.parse(row.values) : defaultSettings;
    if (currentVersion !== input.expectedVersion) {
      return {
        ok: false as const,
        reason: "conflict" as const,
        current: { values: currentValues, version: currentVersion, updatedAt: row?.updatedAt ?? null },
      };
    }
    const changes = diffSettings(currentValues, input.values);
    if (changes.length === 0) return { ok: true as const, version: currentVersion, changed: 0 };
    const version = currentVersion + 1;
    if (row) {
      const updated = await tx
        .update(companySettings)
        .set({ values: input.values, version, updatedAt: sql`now()`, updatedBy: input.userId })
        .where(
          and(eq(companySettings.companyId, input.companyId), eq(companySettings.version, currentVersion)),
        )
        .returning({ version: companySettings.version });
      if (updated.length === 0) throw new Error("settings row changed under a lock");
    } else {
      const inserted = await tx
        .insert(companySettings)
        .values({ companyId: input.companyId, values: input.values, version, updatedBy: input.userId })
        .onConflictDoNothing()
        .returning({ version: companySettings.version });
      if (inserted.length === 0) {
        // Another first save won the race.
        const current = await loadSettingsIn(tx, input.companyId);
        return { ok: false as const, reason: "conflict" as const, current };
      }
    }
    await tx.insert(settingsChanges).values(
      changes.map((change) => ({
        companyId: input.companyId,
        version,
        userId: input.userId,
        userName: input.userName,
        key: change.key,
        oldValue: change.from,
        newValue: change.to,
      })),
    );
    return { ok: true as const, version, changed: changes.length };
  });
}

function loadSettingsIn(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], companyId: string) {
  return loadSettings(tx as unknown as Db, companyId);
}

export async function listSettingsChanges(db: Db, companyId: string, limit = 50) {
  return db
    .select()
    .from(settingsChanges)
    .where(eq(settingsChanges.companyId, companyId))
    .orderBy(desc(settingsChanges.changedAt), desc(settingsChanges.id))
    .limit(limit);
}
