import { formatDateTime } from "@/lib/i18n/date-time";
import type { Messages } from "@/lib/i18n/messages";
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

/** Who changed which setting when, old → new, newest first. */
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
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-600">
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
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className="border-b border-slate-100 align-top">
                  <td className="whitespace-nowrap py-2 pr-4">
                    <time dateTime={row.changedAt.toISOString()}>
                      {formatDateTime(row.changedAt, locale)}
                    </time>
                  </td>
                  <td className="py-2 pr-4">{row.userName ?? t.unknownUser}</td>
                  <td className="py-2 pr-4">
                    {isSettingKey(row.key) ? settingLabels[row.key][locale] : row.key}
                  </td>
                  <td className="py-2">
                    {formatSettingValue(row.key, row.oldValue, locale, chart)} →{" "}
                    {formatSettingValue(row.key, row.newValue, locale, chart)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
