import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { companyIntegrations } from "@/db/schema";
import type { EconomicClient } from "@/lib/economic";
import { emailFieldSchema } from "@/lib/forms/fields";
import { economicClientFor, loadIntegration } from "./clients";
import { type ConnectionFailure, economicFailure } from "./failures";
import type { IntegrationOptions } from "./options";

const requiredNumber = z
  .string()
  .trim()
  .min(1, { error: "required" })
  .regex(/^\d{1,9}$/, { error: "required" })
  .transform(Number);

/** Empty: none; otherwise a whole number. */
const optionalNumber = z
  .string()
  .trim()
  .regex(/^(\d{1,9})?$/, { error: "wholeNumber" })
  .transform((v) => (v === "" ? null : Number(v)));

/** The defaults form as submitted (strings). Error messages are keys the UI translates. */
export const defaultsFormSchema = z.object({
  defaultLayoutNumber: requiredNumber,
  defaultPaymentTermsNumber: requiredNumber,
  senderEmail: emailFieldSchema,
  /** The customer group of a Rackbeat customer without one (lib/rackbeat/adapter.ts); optional. */
  defaultCustomerGroupNumber: optionalNumber.optional().transform((v) => v ?? null),
});
/** Without `defaultCustomerGroupNumber` the stored one is kept. */
export type DefaultsInput = Omit<z.output<typeof defaultsFormSchema>, "defaultCustomerGroupNumber"> & {
  defaultCustomerGroupNumber?: number | null;
};
export type DefaultsField = keyof DefaultsInput;

export interface Choice {
  number: number;
  name: string;
}

export type DefaultChoices =
  | { status: "notConnected" }
  | { status: "ok"; layouts: Choice[]; paymentTerms: Choice[] }
  | { status: "error"; error: ConnectionFailure };

async function choicesFrom(client: EconomicClient): Promise<{ layouts: Choice[]; paymentTerms: Choice[] }> {
  const [layouts, paymentTerms] = await Promise.all([client.layouts.all(), client.paymentTerms.all()]);
  return {
    layouts: layouts.map((l) => ({ number: l.layoutNumber, name: l.name ?? "" })),
    paymentTerms: paymentTerms.map((p) => ({ number: p.paymentTermsNumber, name: p.name })),
  };
}

/** The layouts and payment terms of the company's e-conomic agreement, for the two selects. */
export async function loadDefaultChoices(
  db: Db,
  companyId: string,
  options: IntegrationOptions = {},
): Promise<DefaultChoices> {
  const client = economicClientFor(await loadIntegration(db, companyId), options);
  if (!client) return { status: "notConnected" };
  try {
    return { status: "ok", ...(await choicesFrom(client)) };
  } catch (error) {
    return { status: "error", error: economicFailure(error) };
  }
}

export type SaveDefaultsResult =
  | { ok: true }
  | { ok: false; error: "economicNotConnected" | ConnectionFailure }
  | { ok: false; error: "invalid"; fieldErrors: Partial<Record<DefaultsField, "notInEconomic">> };

/**
 * Stores the default layout, payment terms and sender e-mail after checking that the layout and the
 * payment terms exist in the company's e-conomic agreement now (a stale select must not slip through).
 */
export async function saveDefaults(
  db: Db,
  companyId: string,
  input: DefaultsInput,
  options: IntegrationOptions = {},
): Promise<SaveDefaultsResult> {
  const client = economicClientFor(await loadIntegration(db, companyId), options);
  if (!client) return { ok: false, error: "economicNotConnected" };
  let choices: { layouts: Choice[]; paymentTerms: Choice[] };
  try {
    choices = await choicesFrom(client);
  } catch (error) {
    return { ok: false, error: economicFailure(error) };
  }
  const fieldErrors: Partial<Record<DefaultsField, "notInEconomic">> = {};
  if (!choices.layouts.some((l) => l.number === input.defaultLayoutNumber))
    fieldErrors.defaultLayoutNumber = "notInEconomic";
  if (!choices.paymentTerms.some((p) => p.number === input.defaultPaymentTermsNumber))
    fieldErrors.defaultPaymentTermsNumber = "notInEconomic";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, error: "invalid", fieldErrors };
  await db
    .update(companyIntegrations)
    .set({
      defaultLayoutNumber: input.defaultLayoutNumber,
      defaultPaymentTermsNumber: input.defaultPaymentTermsNumber,
      senderEmail: input.senderEmail,
      defaultCustomerGroupNumber: input.defaultCustomerGroupNumber,
      updatedAt: new Date(),
    })
    .where(eq(companyIntegrations.companyId, companyId));
  return { ok: true };
}
