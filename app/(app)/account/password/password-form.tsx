"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { changePasswordAction } from "./actions";

export function PasswordForm({ t, hint }: { t: Messages["password"]; hint: string }) {
  const [state, action] = useActionState(changePasswordAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="max-w-md space-y-4" noValidate>
      <FormMessage state={state} />
      <TextField
        name="currentPassword"
        type="password"
        label={t.current}
        autoComplete="current-password"
        errors={errors.currentPassword}
        required
      />
      <TextField
        name="newPassword"
        type="password"
        label={t.next}
        autoComplete="new-password"
        hint={hint}
        errors={errors.newPassword}
        required
      />
      <SubmitButton pendingLabel={t.pending}>{t.submit}</SubmitButton>
    </form>
  );
}
