import "@/lib/security/zod-no-eval";
import { z } from "zod";

/**
 * The nine Kundefaktura settings. Labels are the guide's exact Danish wording, because users follow
 * the e-conomic article while clicking; English is the second language.
 *
 * Validation messages are error CODES (`SettingErrorCode`), not texts, so one schema serves both
 * languages: render them with `settingErrorMessage` / `settingsFieldErrors`.
 */

import type { Locale } from "@/lib/i18n/locale";

export type { Locale };
export type LocalizedText = { readonly da: string; readonly en: string };

export const settingErrorCodes = ["invalid_account", "invalid_checkbox", "invalid_option"] as const;
export type SettingErrorCode = (typeof settingErrorCodes)[number];

/** `{field}` is replaced by the field's label in the same language. */
export const settingErrorMessages: Record<Locale, Record<SettingErrorCode, string>> = {
  da: {
    invalid_account: "„{field}“: vælg en gyldig konto (et kontonummer med 1-9 cifre).",
    invalid_checkbox: "„{field}“: ugyldig værdi for afkrydsningsfeltet.",
    invalid_option: "„{field}“: vælg en af de viste muligheder.",
  },
  en: {
    invalid_account: "“{field}”: choose a valid account (an account number of 1-9 digits).",
    invalid_checkbox: "“{field}”: invalid value for the checkbox.",
    invalid_option: "“{field}”: choose one of the listed options.",
  },
};

// e-conomic account numbers are positive integers; its numbering fits in 9 digits.
const accountNumberSchema = z
  .number({ error: "invalid_account" })
  .int({ error: "invalid_account" })
  .min(1, { error: "invalid_account" })
  .max(999_999_999, { error: "invalid_account" });
const optionalAccountSchema = accountNumberSchema.nullable().default(null);
const checkboxSchema = z.boolean({ error: "invalid_checkbox" }).default(false);

export const vatZoneKeys = ["domestic", "eu", "abroad", "domesticExempt"] as const;
export type VatZoneKey = (typeof vatZoneKeys)[number];

/** e-conomic's VAT zone numbers (`/vat-zones`). */
export const vatZoneNumbers: Record<VatZoneKey, 1 | 2 | 3 | 4> = {
  domestic: 1,
  eu: 2,
  abroad: 3,
  domesticExempt: 4,
};

export const productGroupAccountsSchema = z.object({
  domestic: optionalAccountSchema,
  eu: optionalAccountSchema,
  abroad: optionalAccountSchema,
  domesticExempt: optionalAccountSchema,
});
export type ProductGroupAccounts = z.infer<typeof productGroupAccountsSchema>;

export const customerNumberFieldOptions = ["customerNumber", "projectId"] as const;
export type CustomerNumberField = (typeof customerNumberFieldOptions)[number];

export const customerInvoiceSettingsSchema = z.object({
  debtorIntegration: checkboxSchema,
  customerGroupAccount: optionalAccountSchema,
  productGroupAccounts: productGroupAccountsSchema.default({
    domestic: null,
    eu: null,
    abroad: null,
    domesticExempt: null,
  }),
  bookAndSendFromEconomic: checkboxSchema,
  bookWhenBookedInRackbeat: checkboxSchema,
  useActualQuantity: checkboxSchema,
  neverBookEanInvoices: checkboxSchema,
  orderNumberToOtherReference: checkboxSchema,
  customerNumberField: z
    .enum(customerNumberFieldOptions, { error: "invalid_option" })
    .default("customerNumber"),
  /** Ours, not the guide's: an invoice whose amounts cannot match Rackbeat's is drafted, not failed. */
  transferMismatchAsDraft: checkboxSchema,
});

export type CustomerInvoiceSettings = z.infer<typeof customerInvoiceSettingsSchema>;
export type SettingKey = keyof CustomerInvoiceSettings;

/** In the order the guide (and the settings page) shows them. */
export const settingKeys = [
  "debtorIntegration",
  "customerGroupAccount",
  "productGroupAccounts",
  "bookAndSendFromEconomic",
  "bookWhenBookedInRackbeat",
  "useActualQuantity",
  "neverBookEanInvoices",
  "orderNumberToOtherReference",
  "customerNumberField",
  "transferMismatchAsDraft",
] as const satisfies readonly SettingKey[];

export const defaultSettings: CustomerInvoiceSettings = customerInvoiceSettingsSchema.parse({});

export const settingLabels: Record<SettingKey, LocalizedText> = {
  debtorIntegration: { da: "Aktiver debitor-integration", en: "Enable debtor integration" },
  customerGroupAccount: { da: "Konto til kundegrupper", en: "Account for customer groups" },
  productGroupAccounts: {
    da: "Standard til oprettelse af varegrupper i e-conomic",
    en: "Defaults for creating product groups",
  },
  bookAndSendFromEconomic: {
    da: "Bogfør og send fakturaen fra e-conomic",
    en: "Book and send the invoice from e-conomic",
  },
  bookWhenBookedInRackbeat: {
    da: "Bogfør fakturaer i e-conomic ved bogføring i Rackbeat",
    en: "Book invoices in e-conomic when booked in Rackbeat",
  },
  useActualQuantity: { da: "Brug faktisk antal ved oprettelse", en: "Use actual quantity on creation" },
  neverBookEanInvoices: { da: "Bogfør aldrig EAN fakturaer", en: "Never book EAN invoices" },
  orderNumberToOtherReference: {
    da: "Aktiver overførsel af ordrenummer til anden reference på faktura",
    en: "Transfer order number to other reference",
  },
  customerNumberField: { da: "Felt til kundenummer", en: "Field for customer number" },
  transferMismatchAsDraft: { da: "Overfør alligevel som kladde", en: "Transfer as a draft anyway" },
};

export const productGroupAccountLabels: Record<VatZoneKey, LocalizedText> = {
  domestic: { da: "Indland", en: "Domestic" },
  eu: { da: "EU", en: "EU" },
  abroad: { da: "Udland", en: "Abroad" },
  domesticExempt: { da: "Indland momsfri", en: "Domestic VAT exempt" },
};

export const customerNumberFieldLabels: Record<CustomerNumberField, LocalizedText> = {
  customerNumber: { da: "Kundenummer", en: "Customer number" },
  projectId: { da: "Projekt-ID", en: "Project ID" },
};

/** Form field names: top-level keys, plus `productGroupAccounts.<zone>` for the four pickers. */
export type SettingsFieldName =
  | Exclude<SettingKey, "productGroupAccounts">
  | `productGroupAccounts.${VatZoneKey}`;

export function fieldLabel(field: SettingsFieldName, locale: Locale): string {
  const [key, zone] = field.split(".") as [SettingKey, VatZoneKey | undefined];
  if (zone === undefined) return settingLabels[key][locale];
  return `${settingLabels.productGroupAccounts[locale]}: ${productGroupAccountLabels[zone][locale]}`;
}

export function settingErrorMessage(
  code: SettingErrorCode,
  field: SettingsFieldName,
  locale: Locale,
): string {
  return settingErrorMessages[locale][code].replace("{field}", fieldLabel(field, locale));
}

export type SettingChange = {
  [K in SettingKey]: { key: K; from: CustomerInvoiceSettings[K]; to: CustomerInvoiceSettings[K] };
}[SettingKey];

function sameValue<K extends SettingKey>(
  key: K,
  a: CustomerInvoiceSettings,
  b: CustomerInvoiceSettings,
): boolean {
  if (key !== "productGroupAccounts") return a[key] === b[key];
  return vatZoneKeys.every((zone) => a.productGroupAccounts[zone] === b.productGroupAccounts[zone]);
}

/** The changed settings, old → new, in `settingKeys` order: what the versioned history stores. */
export function diffSettings(
  previous: CustomerInvoiceSettings,
  next: CustomerInvoiceSettings,
): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const key of settingKeys) {
    if (!sameValue(key, previous, next)) {
      changes.push({ key, from: previous[key], to: next[key] } as SettingChange);
    }
  }
  return changes;
}

export type FormEntries = Record<string, string | string[] | undefined>;

const TRUE_VALUES = new Set(["on", "true", "1"]);
const FALSE_VALUES = new Set(["", "off", "false", "0"]);

function values(entry: string | string[] | undefined): string[] {
  if (entry === undefined) return [];
  return Array.isArray(entry) ? entry : [entry];
}

/**
 * A browser posts a checked box as "on" and leaves an unchecked one out. Some forms also post a
 * hidden "off" before the box, hence any truthy value among several wins.
 */
function checkboxValue(entry: string | string[] | undefined): boolean | string {
  const all = values(entry).map((v) => v.trim().toLowerCase());
  if (all.some((v) => TRUE_VALUES.has(v))) return true;
  const unknown = all.find((v) => !FALSE_VALUES.has(v));
  return unknown ?? false;
}

/** "" → null; digits → integer; anything else stays a string so the schema reports the field. */
function accountValue(entry: string | string[] | undefined): number | null | string {
  const text = (values(entry).at(-1) ?? "").trim();
  if (text === "") return null;
  return /^\d{1,9}$/.test(text) ? Number(text) : text;
}

function optionValue(entry: string | string[] | undefined): string | undefined {
  const text = values(entry).at(-1)?.trim();
  return text === "" ? undefined : text;
}

/** Turns posted form fields into the raw object the settings schema validates. */
export function settingsFromFormEntries(entries: FormEntries): Record<SettingKey, unknown> {
  return {
    debtorIntegration: checkboxValue(entries.debtorIntegration),
    customerGroupAccount: accountValue(entries.customerGroupAccount),
    productGroupAccounts: {
      domestic: accountValue(entries["productGroupAccounts.domestic"]),
      eu: accountValue(entries["productGroupAccounts.eu"]),
      abroad: accountValue(entries["productGroupAccounts.abroad"]),
      domesticExempt: accountValue(entries["productGroupAccounts.domesticExempt"]),
    },
    bookAndSendFromEconomic: checkboxValue(entries.bookAndSendFromEconomic),
    bookWhenBookedInRackbeat: checkboxValue(entries.bookWhenBookedInRackbeat),
    useActualQuantity: checkboxValue(entries.useActualQuantity),
    neverBookEanInvoices: checkboxValue(entries.neverBookEanInvoices),
    orderNumberToOtherReference: checkboxValue(entries.orderNumberToOtherReference),
    customerNumberField: optionValue(entries.customerNumberField),
    transferMismatchAsDraft: checkboxValue(entries.transferMismatchAsDraft),
  };
}

/** Use `Object.fromEntries` per key with `formData.getAll(key)` to build `entries`. */
export function parseSettingsForm(entries: FormEntries) {
  return customerInvoiceSettingsSchema.safeParse(settingsFromFormEntries(entries));
}

export type SettingsFieldErrors = Partial<Record<SettingsFieldName, SettingErrorCode[]>>;

function isErrorCode(message: string): message is SettingErrorCode {
  return (settingErrorCodes as readonly string[]).includes(message);
}

/**
 * Field errors keyed by form field name (nested pickers included, unlike `z.flattenError`, which
 * would lump the four product-group accounts together).
 */
export function settingsFieldErrors(error: z.ZodError): SettingsFieldErrors {
  const result: SettingsFieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") as SettingsFieldName;
    const code: SettingErrorCode = isErrorCode(issue.message) ? issue.message : "invalid_option";
    result[field] = [...(result[field] ?? []), code];
  }
  return result;
}

/** The same errors as readable messages in the user's language. */
export function settingsFieldMessages(
  error: z.ZodError,
  locale: Locale,
): Partial<Record<SettingsFieldName, string[]>> {
  const result: Partial<Record<SettingsFieldName, string[]>> = {};
  for (const [field, codes] of Object.entries(settingsFieldErrors(error)) as [
    SettingsFieldName,
    SettingErrorCode[],
  ][]) {
    result[field] = codes.map((code) => settingErrorMessage(code, field, locale));
  }
  return result;
}
