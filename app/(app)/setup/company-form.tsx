"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { updateCompanyAction } from "./actions";

export function CompanyForm({
  t,
  companyName,
  readOnly,
}: {
  t: Messages["setup"];
  companyName: string;
  readOnly: boolean;
}) {
  const [state, action] = useActionState(updateCompanyAction, initialFormState);
  return (
    <form action={action} className="max-w-md space-y-4" noValidate>
      <fieldset disabled={readOnly} className="space-y-4">
        <TextField
          name="companyName"
          label={t.companyName}
          defaultValue={state.values?.companyName ?? companyName}
          errors={state.fieldErrors?.companyName}
          required
        />
        <SubmitButton pendingLabel={t.saving} disabled={readOnly}>
          {t.save}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}
