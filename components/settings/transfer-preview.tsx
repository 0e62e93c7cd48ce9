"use client";

import { useId, useMemo, useState } from "react";
import type { Messages } from "@/lib/i18n/messages";
import { type SampleInvoiceKey, sampleInvoiceKeys } from "@/lib/settings/sample-invoice";
import type { CustomerInvoiceSettings, Locale } from "@/lib/settings/schema";
import { type PreviewDefaults, previewTransfer } from "@/lib/settings/transfer-preview";

/** "Sådan overføres en faktura", recomputed on every change of the form by the engine's own pure plan. */
export function TransferPreview({
  values,
  locale,
  t,
  defaults,
  activated,
}: {
  values: CustomerInvoiceSettings;
  locale: Locale;
  t: Messages["customerInvoice"]["preview"];
  defaults: PreviewDefaults;
  activated: boolean;
}) {
  const [sample, setSample] = useState<SampleInvoiceKey>("regular");
  const headingId = useId();
  const preview = useMemo(
    () => previewTransfer(values, sample, locale, defaults),
    [values, sample, locale, defaults],
  );
  return (
    <section
      aria-labelledby={headingId}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-6"
      data-testid="transfer-preview"
    >
      <div>
        <h2 id={headingId} className="text-lg font-semibold">
          {t.title}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t.intro}</p>
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-800">{t.sample}</legend>
        {sampleInvoiceKeys.map((key) => (
          <label key={key} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="preview-sample"
              value={key}
              checked={sample === key}
              onChange={() => setSample(key)}
            />
            {t.samples[key]}
          </label>
        ))}
      </fieldset>
      {!activated ? <p className="text-xs text-slate-500">{t.notActive}</p> : null}
      <ul aria-live="polite" aria-label={t.title} className="space-y-1 text-sm" data-testid="preview-lines">
        {preview.lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines are an ordered text, recomputed whole
          <li key={index} className={preview.failed ? "text-red-700" : "text-slate-800"}>
            {line}
          </li>
        ))}
      </ul>
      {preview.hints.length > 0 ? (
        <div>
          <h3 className="text-sm font-medium text-slate-800">{t.hints}</h3>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-amber-900" data-testid="preview-hints">
            {preview.hints.map((hint) => (
              <li key={hint}>{hint}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
