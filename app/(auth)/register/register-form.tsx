"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { registerAction } from "./actions";

export function RegisterForm({ t }: { t: Messages["register"] }) {
  const [state, action] = useActionState(registerAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <TextField
        name="companyName"
        label={t.companyName}
        autoComplete="organization"
        defaultValue={state.values?.companyName}
        errors={errors.companyName}
        required
      />
      <TextField
        name="name"
        label={t.name}
        autoComplete="name"
        defaultValue={state.values?.name}
        errors={errors.name}
        required
      />
      <TextField
        name="email"
        type="email"
        label={t.email}
        autoComplete="email"
        defaultValue={state.values?.email}
        errors={errors.email}
        required
      />
      <TextField
        name="password"
        type="password"
        label={t.password}
        autoComplete="new-password"
        hint={t.passwordHint}
        errors={errors.password}
        required
      />
      <SubmitButton pendingLabel={t.pending}>{t.submit}</SubmitButton>
    </form>
  );
}
