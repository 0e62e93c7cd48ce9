"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { type FormState, initialFormState } from "@/lib/forms/state";

/** "Hent manglende fakturaer nu": one reconciliation sweep at once, and what it found. */
export function SweepNowForm({
  label,
  pendingLabel,
  action,
}: {
  label: string;
  pendingLabel: string;
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="space-y-2">
      <SubmitButton pendingLabel={pendingLabel} variant="secondary">
        {label}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
