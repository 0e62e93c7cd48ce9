"use client";

import { type FormEvent, useActionState, useState, useTransition } from "react";
import { FieldErrors } from "@/components/ui/field-errors";
import type { Messages } from "@/lib/i18n/messages";
import {
  type AccountFieldName,
  accountChoices,
  accountKindOf,
  accountValue,
  type ChartAccount,
  withAccountValue,
} from "@/lib/settings/account-choices";
import { initialSettingsFormState, type SettingsFormState } from "@/lib/settings/form";
import {
  type CustomerInvoiceSettings,
  type CustomerNumberField,
  customerNumberFieldLabels,
  customerNumberFieldOptions,
  type Locale,
  productGroupAccountLabels,
  settingLabels,
  vatZoneKeys,
} from "@/lib/settings/schema";
import type { PreviewDefaults } from "@/lib/settings/transfer-preview";
import { AccountPicker } from "./account-picker";
import { CheckboxField } from "./checkbox-field";
import { TransferPreview } from "./transfer-preview";

type BooleanSetting =
  | "debtorIntegration"
  | "bookAndSendFromEconomic"
  | "bookWhenBookedInRackbeat"
  | "useActualQuantity"
  | "neverBookEanInvoices"
  | "orderNumberToOtherReference"
  | "transferMismatchAsDraft";

const transferCheckboxes: readonly BooleanSetting[] = [
  "bookAndSendFromEconomic",
  "bookWhenBookedInRackbeat",
  "useActualQuantity",
  "transferMismatchAsDraft",
  "neverBookEanInvoices",
  "orderNumberToOtherReference",
];

export type SettingsAction = (state: SettingsFormState, formData: FormData) => Promise<SettingsFormState>;

/**
 * The nine settings, grouped as e-conomic's guide groups them, with the live preview beside them.
 * The values are React state so the preview follows every click; the form still posts plain
 * fields (and the version it was loaded with) to the server action, which decides.
 */
export function CustomerInvoiceForm({
  t,
  locale,
  initialValues,
  version,
  chart,
  readOnly,
  activated,
  previewDefaults,
  action,
}: {
  t: Messages["customerInvoice"];
  locale: Locale;
  initialValues: CustomerInvoiceSettings;
  version: number;
  /** null while e-conomic is not connected or not answering: account fields then stay as stored. */
  chart: readonly ChartAccount[] | null;
  readOnly: boolean;
  activated: boolean;
  previewDefaults: PreviewDefaults;
  action: SettingsAction;
}) {
  const [values, setValues] = useState(initialValues);
  const [state, dispatch, pending] = useActionState(action, initialSettingsFormState);
  const [, startTransition] = useTransition();
  const [intent, setIntent] = useState<"save" | "activate">("save");

  // Submitted through onSubmit rather than <form action>: React resets a form after an action,
  // which would put the controlled selects back to their first option.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    setIntent(formData.get("intent") === "activate" ? "activate" : "save");
    startTransition(() => dispatch(formData));
  }

  const setChecked = (key: BooleanSetting) => (checked: boolean) =>
    setValues((current) => ({ ...current, [key]: checked }));
  const setAccount = (field: AccountFieldName) => (accountNumber: number | null) =>
    setValues((current) => withAccountValue(current, field, accountNumber));
  const errorsFor = (field: string) => state.fieldErrors?.[field];
  const choicesFor = (field: AccountFieldName) =>
    chart === null ? null : accountChoices(chart, accountKindOf(field));

  const pickerText = t.accounts;

  return (
    <div className="grid gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <form onSubmit={submit} noValidate className="space-y-6" aria-label={t.title}>
        <input type="hidden" name="version" value={version} />
        <fieldset disabled={readOnly} className="space-y-6">
          <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-6">
            <h2 className="text-lg font-semibold">{t.sections.customerInvoice}</h2>
            <CheckboxField
              name="debtorIntegration"
              label={settingLabels.debtorIntegration[locale]}
              help={t.help.debtorIntegration}
              checked={values.debtorIntegration}
              onCheckedChange={setChecked("debtorIntegration")}
              disabled={readOnly}
              errors={errorsFor("debtorIntegration")}
            />
            <AccountPicker
              name="customerGroupAccount"
              label={settingLabels.customerGroupAccount[locale]}
              help={t.help.customerGroupAccount}
              value={values.customerGroupAccount}
              onChange={setAccount("customerGroupAccount")}
              choices={choicesFor("customerGroupAccount")}
              disabled={readOnly}
              errors={errorsFor("customerGroupAccount")}
              text={pickerText}
            />
          </section>

          <fieldset className="space-y-4 rounded-lg border border-slate-200 bg-white p-6">
            <legend className="float-left mb-1 w-full text-lg font-semibold">
              {settingLabels.productGroupAccounts[locale]}
            </legend>
            <p className="clear-both text-xs text-slate-500">{t.help.productGroupAccounts}</p>
            <div className="space-y-4">
              {vatZoneKeys.map((zone) => {
                const field = `productGroupAccounts.${zone}` as const;
                return (
                  <AccountPicker
                    key={zone}
                    name={field}
                    label={productGroupAccountLabels[zone][locale]}
                    help={t.help[zone]}
                    value={accountValue(values, field)}
                    onChange={setAccount(field)}
                    choices={choicesFor(field)}
                    disabled={readOnly}
                    errors={errorsFor(field)}
                    text={pickerText}
                  />
                );
              })}
            </div>
          </fieldset>

          <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-6">
            <h2 className="text-lg font-semibold">{t.sections.transfer}</h2>
            {transferCheckboxes.map((key) => (
              <CheckboxField
                key={key}
                name={key}
                label={settingLabels[key][locale]}
                help={t.help[key]}
                checked={values[key]}
                onCheckedChange={setChecked(key)}
                disabled={readOnly}
                errors={errorsFor(key)}
              />
            ))}
            <div className="space-y-1">
              <label htmlFor="field-customerNumberField" className="block text-sm font-medium text-slate-800">
                {settingLabels.customerNumberField[locale]}
              </label>
              <select
                id="field-customerNumberField"
                name="customerNumberField"
                value={values.customerNumberField}
                onChange={(event) =>
                  setValues((current) => ({
                    ...current,
                    customerNumberField: event.target.value as CustomerNumberField,
                  }))
                }
                disabled={readOnly}
                aria-invalid={Boolean(errorsFor("customerNumberField")?.length)}
                aria-describedby="field-customerNumberField-help field-customerNumberField-error"
                className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-emerald-600 disabled:bg-slate-100 sm:w-64"
              >
                {customerNumberFieldOptions.map((option) => (
                  <option key={option} value={option}>
                    {customerNumberFieldLabels[option][locale]}
                  </option>
                ))}
              </select>
              <p id="field-customerNumberField-help" className="text-xs text-slate-500">
                {t.help.customerNumberField}
              </p>
              <FieldErrors id="field-customerNumberField-error" errors={errorsFor("customerNumberField")} />
            </div>
          </section>

          <div className="flex flex-wrap gap-3">
            <button
              type="submit"
              name="intent"
              value="save"
              disabled={readOnly || pending}
              aria-disabled={readOnly || pending}
              aria-busy={pending && intent === "save"}
              className="inline-flex items-center rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700"
            >
              {pending && intent === "save" ? t.actions.saving : t.actions.save}
            </button>
            {activated ? null : (
              <button
                type="submit"
                name="intent"
                value="activate"
                disabled={readOnly || pending}
                aria-disabled={readOnly || pending}
                aria-busy={pending && intent === "activate"}
                className="inline-flex items-center rounded-md border border-emerald-700 bg-white px-4 py-2 text-sm font-medium text-emerald-800 hover:bg-emerald-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:border-slate-200 disabled:bg-slate-100 disabled:text-slate-600"
              >
                {pending && intent === "activate" ? t.actions.activating : t.actions.activate}
              </button>
            )}
            {pending && intent === "activate" ? (
              <p className="basis-full text-sm text-slate-700">{t.actions.activatingHint}</p>
            ) : null}
          </div>
        </fieldset>
        <SettingsFormMessage state={state} t={t} />
      </form>
      <div className="lg:sticky lg:top-4 lg:self-start">
        <TransferPreview
          values={values}
          locale={locale}
          t={t.preview}
          defaults={previewDefaults}
          activated={activated}
        />
      </div>
    </div>
  );
}

function SettingsFormMessage({ state, t }: { state: SettingsFormState; t: Messages["customerInvoice"] }) {
  if (!state.message) return <div aria-live="polite" aria-atomic="true" />;
  const error = state.status === "error";
  return (
    <div aria-live="polite" aria-atomic="true">
      <div
        role={error ? "alert" : "status"}
        className={`space-y-2 rounded-md px-3 py-2 text-sm ${error ? "bg-red-50 text-red-800" : "bg-emerald-50 text-emerald-800"}`}
      >
        <p>{state.message}</p>
        {state.conflict ? (
          <>
            {state.conflict.items.length === 0 ? (
              <p>{t.results.conflictSame}</p>
            ) : (
              <ul className="list-disc pl-5" data-testid="conflict-values">
                {state.conflict.items.map((item) => (
                  <li key={item.label}>
                    {item.label}: <strong>{item.value}</strong>
                  </li>
                ))}
              </ul>
            )}
            {/* A full load, so the form starts again from the newest values and version. */}
            <a href="/settings/customer-invoice" className="font-medium underline">
              {t.results.conflictReload}
            </a>
          </>
        ) : null}
        {state.missing ? (
          <ul className="list-disc pl-5" data-testid="activation-missing">
            {state.missing.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
