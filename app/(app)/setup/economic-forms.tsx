"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { saveEconomicTokenAction, startEconomicGrantAction } from "./actions";

type T = Messages["setup"];

/** "Forbind til e-conomic": the server sets the state cookie and sends the browser to e-conomic. */
export function EconomicGrantForm({ t, readOnly }: { t: T; readOnly: boolean }) {
  const [state, action] = useActionState(startEconomicGrantAction, initialFormState);
  return (
    <form action={action} className="space-y-2">
      <fieldset disabled={readOnly}>
        <SubmitButton pendingLabel={t.economic.redirecting} disabled={readOnly}>
          {t.economic.connect}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}

/** A pasted grant token, tested with e-conomic before anything is stored. */
export function EconomicTokenForm({ t, readOnly }: { t: T; readOnly: boolean }) {
  const [state, action] = useActionState(saveEconomicTokenAction, initialFormState);
  return (
    <form action={action} className="max-w-md space-y-3" noValidate>
      <fieldset disabled={readOnly} className="space-y-3">
        <TextField
          name="agreementGrantToken"
          label={t.economic.token}
          type="password"
          autoComplete="off"
          hint={t.economic.tokenFieldHint}
          errors={state.fieldErrors?.agreementGrantToken}
          required
        />
        <SubmitButton pendingLabel={t.economic.savingToken} variant="secondary" disabled={readOnly}>
          {t.economic.saveToken}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}
