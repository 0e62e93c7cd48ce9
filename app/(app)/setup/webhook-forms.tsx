"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { changeInvoiceEventAction, reregisterWebhookAction } from "./reconcile-actions";

/** The invoice event's name (a setting: Rackbeat's exact name is unconfirmed); saving re-registers. */
export function InvoiceEventForm({
  t,
  current,
  readOnly,
}: {
  t: Messages["reconcile"]["webhook"];
  current: string;
  readOnly: boolean;
}) {
  const [state, action] = useActionState(changeInvoiceEventAction, initialFormState);
  return (
    <form action={action} className="max-w-md space-y-3" noValidate>
      <fieldset disabled={readOnly} className="space-y-3">
        <TextField
          name="invoiceEvent"
          label={t.event}
          hint={t.eventHint}
          defaultValue={state.values?.invoiceEvent ?? current}
          errors={state.fieldErrors?.invoiceEvent}
          required
        />
        <SubmitButton pendingLabel={t.saving} variant="secondary" disabled={readOnly}>
          {t.save}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}

/**
 * "Registrér webhook igen": for a webhook Rackbeat deactivated or deleted. Stays mounted when not
 * needed (button hidden), so its outcome is still announced after the page shows the webhook active.
 */
export function ReregisterWebhookForm({
  t,
  needed,
  readOnly,
}: {
  t: Messages["reconcile"]["webhook"];
  needed: boolean;
  readOnly: boolean;
}) {
  const [state, action] = useActionState(reregisterWebhookAction, initialFormState);
  return (
    <form action={action} className="space-y-2">
      {needed ? (
        <fieldset disabled={readOnly}>
          <SubmitButton pendingLabel={t.reregistering} disabled={readOnly}>
            {t.reregister}
          </SubmitButton>
        </fieldset>
      ) : null}
      <FormMessage state={state} />
    </form>
  );
}
