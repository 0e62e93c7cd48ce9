import { planTransfer } from "@/lib/transfer/plan";
import { AmountMismatchError, PlanInputError } from "@/lib/transfer/plan-types";
import { describeAmountMismatch, describePlan, settingHints } from "@/lib/transfer/preview";
import { type SampleInvoiceKey, sampleInvoices, sampleKnownMasterData } from "./sample-invoice";
import type { CustomerInvoiceSettings, Locale } from "./schema";

/**
 * "Sådan overføres en faktura": the same pure plan the transfer engine runs, on a sample invoice,
 * with the settings as they stand in the form (saved or not). Always planned as if activated:
 * the preview answers "what will e-conomic receive", not "is it switched on".
 */

export type TransferPreview = {
  /** describePlan's lines, or the reason the plan refuses the sample. */
  lines: string[];
  hints: string[];
  failed: boolean;
};

/** Layout and payment terms come from the setup guide; the preview only needs plausible numbers. */
export type PreviewDefaults = {
  defaultLayoutNumber: number | null;
  defaultPaymentTermsNumber: number | null;
};

const planErrorText: Record<Locale, (code: string) => string> = {
  da: (code) => `Fakturaen kan ikke overføres med disse indstillinger (${code}).`,
  en: (code) => `The invoice cannot be transferred with these settings (${code}).`,
};

export function previewTransfer(
  values: CustomerInvoiceSettings,
  sample: SampleInvoiceKey,
  locale: Locale,
  defaults: PreviewDefaults = { defaultLayoutNumber: null, defaultPaymentTermsNumber: null },
): TransferPreview {
  const hints = settingHints(values, locale);
  try {
    const plan = planTransfer(
      sampleInvoices[sample],
      {
        ...values,
        activated: true,
        defaultLayoutNumber: defaults.defaultLayoutNumber ?? 19,
        defaultPaymentTermsNumber: defaults.defaultPaymentTermsNumber ?? 1,
      },
      sampleKnownMasterData(),
    );
    return { lines: describePlan(plan, locale), hints, failed: false };
  } catch (error) {
    if (error instanceof PlanInputError) {
      return { lines: [planErrorText[locale](error.code)], hints, failed: true };
    }
    if (error instanceof AmountMismatchError) {
      return { lines: [describeAmountMismatch(error.amounts, locale)], hints, failed: true };
    }
    throw error;
  }
}
