import { formatDateTime } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import { ACTIVATION_HISTORY_KEY } from "@/lib/integrations/activation-key";
import type { ChartAccount } from "@/lib/settings/account-choices";
import { formatSettingValue } from "@/lib/settings/format";
import { type Locale, type SettingKey, settingKeys, settingLabels } from "@/lib/settings/schema";

export type HistoryRow = {
  id: number;
  changedAt: Date;
  userName: string | null;
  key: string;
  oldValue: unknown;
  newValue: unknown;
};

function isSettingKey(key: string): key is SettingKey {
  return (settingKeys as readonly string[]).includes(key);
}

function settingName(key: string, locale: Locale, t: Messages["customerInvoice"]["history"]): string {
  if (key === ACTIVATION_HISTORY_KEY) return t.integration;
  return isSettingKey(key) ? settingLabels[key][locale] : key;
}

function change(
  row: HistoryRow,
  locale: Locale,
  chart: ReadonlyMap<number, ChartAccount>,
  t: Messages["customerInvoice"]["history"],
): string {
  if (row.key === ACTIVATION_HISTORY_KEY) return row.newValue === true ? t.activated : t.deactivated;
  return `${formatSettingValue(row.key, row.oldValue, locale, chart)} → ${formatSettingValue(row.key, row.newValue, locale, chart)}`;
}

/**
 * Who changed which setting when, old → new, newest first; switching the integration on and off
 * too. Below the `sm` width each row stacks into a block, so the change text wraps on a phone.
 */
export function SettingsHistory({
  rows,
  locale,
  chart,
  t,
}: {
  rows: readonly HistoryRow[];
  locale: Locale;
  chart: ReadonlyMap<number, ChartAccount>;
  t: Messages["customerInvoice"]["history"];
}) {
  return (
    <section aria-labelledby="settings-history" className="rounded-lg border border-slate-200 bg-white p-6">
      <h2 id="settings-history" className="mb-4 text-lg font-semibold">
        {t.title}
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t.empty}</p>
      ) : (
        <table className="w-full text-left text-sm max-sm:block">
          <thead className="border-b border-slate-200 text-slate-600 max-sm:sr-only">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">
                {t.when}
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                {t.who}
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                {t.setting}
              </th>
              <th scope="col" className="py-2 font-medium">
                {t.change}
              </th>
            </tr>
          </thead>
          <tbody className="max-sm:block">
            {rows.map((row) => (
              <tr key={row.id} className="border-b border-slate-100 align-top max-sm:block max-sm:py-2">
                <td className="whitespace-nowrap py-2 pr-4 max-sm:block max-sm:py-0 max-sm:text-slate-600">
                  <time dateTime={row.changedAt.toISOString()}>{formatDateTime(row.changedAt, locale)}</time>
                </td>
                <td className="py-2 pr-4 max-sm:block max-sm:py-0 max-sm:text-slate-600">
                  {row.userName ?? t.unknownUser}
                </td>
                <td className="py-2 pr-4 font-medium max-sm:block max-sm:py-0 sm:font-normal">
                  {settingName(row.key, locale, t)}
                </td>
                <td className="py-2 break-words max-sm:block max-sm:py-0">{change(row, locale, chart, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
