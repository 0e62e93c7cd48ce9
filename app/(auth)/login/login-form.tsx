"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { loginAction } from "./actions";

export function LoginForm({ t, callbackUrl }: { t: Messages["login"]; callbackUrl?: string }) {
  const [state, action] = useActionState(loginAction, initialFormState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <TextField
        name="email"
        type="email"
        label={t.email}
        autoComplete="username"
        defaultValue={state.values?.email}
        required
      />
      <TextField
        name="password"
        type="password"
        label={t.password}
        autoComplete="current-password"
        required
      />
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <SubmitButton pendingLabel={t.pending}>{t.submit}</SubmitButton>
    </form>
  );
}
