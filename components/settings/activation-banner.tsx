"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { type FormState, initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";

/** **Aktiv** / **Ikke aktiv**, with **Deaktivér** for an admin while active. */
export function ActivationBanner({
  activated,
  readOnly,
  t,
  deactivateAction,
}: {
  activated: boolean;
  readOnly: boolean;
  t: Messages["customerInvoice"]["status"];
  deactivateAction: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, action] = useActionState(deactivateAction, initialFormState);
  return (
    <section
      aria-label={t.label}
      className={`flex flex-wrap items-center justify-between gap-4 rounded-lg border px-5 py-4 ${
        activated ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50"
      }`}
    >
      <div>
        <p className="text-sm text-slate-700">
          {t.label}:{" "}
          <strong
            data-testid="activation-status"
            className={activated ? "text-emerald-800" : "text-amber-900"}
          >
            {activated ? t.active : t.inactive}
          </strong>
        </p>
        <p className="text-sm text-slate-600">{activated ? t.activeText : t.inactiveText}</p>
      </div>
      {activated ? (
        <form
          action={action}
          className="space-y-2"
          onSubmit={(event) => {
            // Switching transfers off is a big step: ask first.
            if (!window.confirm(t.confirmDeactivate)) event.preventDefault();
          }}
        >
          <SubmitButton variant="secondary" pendingLabel={t.deactivating} disabled={readOnly}>
            {t.deactivate}
          </SubmitButton>
        </form>
      ) : null}
      <div className="w-full empty:hidden">
        <FormMessage state={state} />
      </div>
    </section>
  );
}
