"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { connectRackbeatAction } from "./actions";

/** A pasted API key: tested, webhook registered, stored, all or nothing. */
export function RackbeatKeyForm({ t, readOnly }: { t: Messages["setup"]; readOnly: boolean }) {
  const [state, action] = useActionState(connectRackbeatAction, initialFormState);
  return (
    <form action={action} className="max-w-md space-y-3" noValidate>
      <fieldset disabled={readOnly} className="space-y-3">
        <TextField
          name="rackbeatApiKey"
          label={t.rackbeat.apiKey}
          type="password"
          autoComplete="off"
          hint={t.rackbeat.apiKeyHint}
          errors={state.fieldErrors?.rackbeatApiKey}
          required
        />
        <SubmitButton pendingLabel={t.rackbeat.connecting} disabled={readOnly}>
          {t.rackbeat.connect}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}
