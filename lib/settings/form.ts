import "@/lib/security/zod-no-eval";
import { z } from "zod";
import { type FormEntries, parseSettingsForm } from "./schema";

/**
 * The posted Kundefaktura form: the nine settings plus the version the user edited. Shared by the
 * server action and the unit tests.
 */

/** Every posted value per name (checkboxes may post twice); files are ignored. */
export function formEntries(formData: FormData): FormEntries {
  const entries: FormEntries = {};
  for (const key of new Set(formData.keys())) {
    const texts = formData.getAll(key).filter((value): value is string => typeof value === "string");
    entries[key] = texts.length === 1 ? texts[0] : texts;
  }
  return entries;
}

const versionSchema = z.coerce.number({ error: "invalid_version" }).int().min(0).max(2_147_483_647);

export const settingsIntents = ["save", "activate"] as const;
export type SettingsIntent = (typeof settingsIntents)[number];
const intentSchema = z.enum(settingsIntents).catch("save");

export type SettingsSubmission =
  | {
      ok: true;
      intent: SettingsIntent;
      version: number;
      settings: ReturnType<typeof parseSettingsForm>;
    }
  /** No usable version: a tampered or truncated form, never saved. */
  | { ok: false; intent: SettingsIntent };

export function parseSettingsSubmission(entries: FormEntries): SettingsSubmission {
  const intent = intentSchema.parse(single(entries.intent));
  const rawVersion = single(entries.version);
  const version =
    rawVersion === undefined || rawVersion === "" ? undefined : versionSchema.safeParse(rawVersion);
  if (!version?.success) return { ok: false, intent };
  return { ok: true, intent, version: version.data, settings: parseSettingsForm(entries) };
}

function single(entry: string | string[] | undefined): string | undefined {
  return Array.isArray(entry) ? entry.at(-1) : entry;
}

/** The Kundefaktura form's action state: the shared FormState plus what a refused save must show. */
export interface SettingsFormState {
  status: "idle" | "success" | "error";
  message?: string;
  fieldErrors?: Record<string, string[]>;
  /** A save on top of a newer version: the newer values, readable, setting by setting. */
  conflict?: { version: number; items: { label: string; value: string }[] };
  /** "Aktivér integration" refused: what is missing, one readable line each. */
  missing?: string[];
}

export const initialSettingsFormState: SettingsFormState = { status: "idle" };
