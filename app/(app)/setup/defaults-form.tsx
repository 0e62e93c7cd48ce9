"use client";

import { useActionState } from "react";
import { SelectField, type SelectOption } from "@/components/setup/select-field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { saveDefaultsAction } from "./actions";

export function DefaultsForm({
  t,
  layouts,
  paymentTerms,
  current,
  readOnly,
}: {
  t: Messages["setup"];
  layouts: SelectOption[];
  paymentTerms: SelectOption[];
  current: {
    defaultLayoutNumber: string;
    defaultPaymentTermsNumber: string;
    senderEmail: string;
    defaultCustomerGroupNumber: string;
  };
  readOnly: boolean;
}) {
  const [state, action] = useActionState(saveDefaultsAction, initialFormState);
  const value = (field: keyof typeof current) => state.values?.[field] ?? current[field];
  return (
    <form action={action} className="max-w-md space-y-4" noValidate>
      <fieldset disabled={readOnly} className="space-y-4">
        <SelectField
          name="defaultLayoutNumber"
          label={t.defaults.layout}
          options={layouts}
          placeholder={t.defaults.choose}
          defaultValue={value("defaultLayoutNumber")}
          errors={state.fieldErrors?.defaultLayoutNumber}
          required
        />
        <SelectField
          name="defaultPaymentTermsNumber"
          label={t.defaults.paymentTerms}
          options={paymentTerms}
          placeholder={t.defaults.choose}
          defaultValue={value("defaultPaymentTermsNumber")}
          errors={state.fieldErrors?.defaultPaymentTermsNumber}
          required
        />
        <TextField
          name="senderEmail"
          label={t.defaults.senderEmail}
          type="email"
          autoComplete="email"
          hint={t.defaults.senderEmailHint}
          defaultValue={value("senderEmail")}
          errors={state.fieldErrors?.senderEmail}
          required
        />
        <TextField
          name="defaultCustomerGroupNumber"
          label={t.defaults.customerGroup}
          hint={t.defaults.customerGroupHint}
          defaultValue={value("defaultCustomerGroupNumber")}
          errors={state.fieldErrors?.defaultCustomerGroupNumber}
        />
        <SubmitButton pendingLabel={t.saving} disabled={readOnly}>
          {t.defaults.save}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}
