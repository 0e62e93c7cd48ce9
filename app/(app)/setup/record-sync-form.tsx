"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { startFirstSyncAction } from "./record-sync-actions";

export function FirstSyncForm({ t, readOnly }: { t: Messages["recordSync"]; readOnly: boolean }) {
  const [state, action] = useActionState(startFirstSyncAction, initialFormState);
  return (
    <form action={action} className="space-y-2">
      <fieldset disabled={readOnly}>
        <SubmitButton pendingLabel={t.starting} disabled={readOnly}>
          {t.start}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}
