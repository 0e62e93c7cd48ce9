"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { type FormState, initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";

/**
 * "Afbryd forbindelse" for one system; the action comes from the page. It stays mounted while not
 * connected (button hidden), so the outcome of a disconnect is still announced after the page refreshes.
 */
export function DisconnectForm({
  t,
  action,
  connected,
  readOnly,
}: {
  t: Messages["setup"];
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
  connected: boolean;
  readOnly: boolean;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="space-y-2">
      {connected ? (
        <fieldset disabled={readOnly}>
          <SubmitButton pendingLabel={t.disconnecting} variant="secondary" disabled={readOnly}>
            {t.disconnect}
          </SubmitButton>
        </fieldset>
      ) : null}
      <FormMessage state={state} />
    </form>
  );
}
