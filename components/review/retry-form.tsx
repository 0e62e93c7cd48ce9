"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { type FormState, initialFormState } from "@/lib/forms/state";

/**
 * "Prøv igen" / "Overfør nu". The button is disabled while the action runs; the server re-queues
 * only from failed/skipped in one atomic update, so a second click can never queue twice.
 */
export function RetryForm({
  transferId,
  label,
  pendingLabel,
  action,
}: {
  transferId: string;
  label: string;
  pendingLabel: string;
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="transferId" value={transferId} />
      <SubmitButton pendingLabel={pendingLabel}>{label}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
