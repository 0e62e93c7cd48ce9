import { accountLabel, type ChartAccount } from "./account-choices";
import {
  type CustomerNumberField,
  customerNumberFieldLabels,
  customerNumberFieldOptions,
  type Locale,
  productGroupAccountLabels,
  type SettingKey,
  vatZoneKeys,
} from "./schema";

/**
 * Setting values as people read them (history, conflict message): checkboxes as on/off, accounts
 * with their names when the chart is at hand, options by their label. Stored history values are
 * JSON of any age, so unknown shapes are shown as they are rather than trusted.
 */

const words = {
  da: { on: "Slået til", off: "Slået fra", none: "Ingen" },
  en: { on: "On", off: "Off", none: "None" },
} as const;

function account(value: unknown, locale: Locale, chart: ReadonlyMap<number, ChartAccount>): string {
  if (value === null || value === undefined) return words[locale].none;
  if (typeof value !== "number") return JSON.stringify(value);
  const known = chart.get(value);
  return known ? accountLabel(known) : String(value);
}

export function chartIndex(chart: readonly ChartAccount[]): Map<number, ChartAccount> {
  return new Map(chart.map((a) => [a.accountNumber, a]));
}

export function formatSettingValue(
  key: SettingKey | string,
  value: unknown,
  locale: Locale,
  chart: ReadonlyMap<number, ChartAccount> = new Map(),
): string {
  switch (key) {
    case "customerGroupAccount":
      return account(value, locale, chart);
    case "productGroupAccounts": {
      if (typeof value !== "object" || value === null) return words[locale].none;
      const zones = value as Record<string, unknown>;
      return vatZoneKeys
        .map((zone) => `${productGroupAccountLabels[zone][locale]}: ${account(zones[zone], locale, chart)}`)
        .join("; ");
    }
    case "customerNumberField":
      return (customerNumberFieldOptions as readonly unknown[]).includes(value)
        ? customerNumberFieldLabels[value as CustomerNumberField][locale]
        : String(value);
    default:
      if (typeof value === "boolean") return value ? words[locale].on : words[locale].off;
      return value === null || value === undefined ? words[locale].none : String(value);
  }
}
