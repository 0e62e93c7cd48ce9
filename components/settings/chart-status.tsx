"use client";

import Link from "next/link";
import { useActionState } from "react";
import { LinkPending } from "@/components/shell/link-pending";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { type FormState, initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";

/** Where the account pickers' chart came from, with "Genindlæs kontoplan"; or why there is none. */
export function ChartStatus({
  status,
  fetchedText,
  readOnly,
  t,
  reloadAction,
}: {
  status: "ok" | "not_connected" | "unavailable";
  fetchedText?: string;
  readOnly: boolean;
  t: Messages["customerInvoice"]["accounts"];
  reloadAction: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, action] = useActionState(reloadAction, initialFormState);
  if (status === "not_connected") {
    return (
      <p role="note" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
        {t.notConnected}{" "}
        <Link href="/setup" className="font-medium underline">
          {t.setupLink}
          <LinkPending skeleton="form" />
        </Link>
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <form
        action={action}
        className={`flex flex-wrap items-center justify-between gap-3 rounded-md px-4 py-3 text-sm ${
          status === "ok" ? "bg-slate-50 text-slate-700" : "bg-amber-50 text-amber-900"
        }`}
      >
        <p role={status === "ok" ? undefined : "note"}>{status === "ok" ? fetchedText : t.unavailable}</p>
        <SubmitButton variant="secondary" pendingLabel={t.reloading} disabled={readOnly}>
          {t.reload}
        </SubmitButton>
      </form>
      <FormMessage state={state} />
    </div>
  );
}
