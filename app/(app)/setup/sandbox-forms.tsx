"use client";

import Link from "next/link";
import { useActionState } from "react";
import { LinkPending } from "@/components/shell/link-pending";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import { connectSandboxAction, sendTestInvoiceAction } from "./actions";

type T = Messages["setup"];

/** "Brug sandkasse": a sandbox agreement and account, connected in one click. */
export function SandboxConnectForm({ t, readOnly }: { t: T; readOnly: boolean }) {
  const [state, action] = useActionState(connectSandboxAction, initialFormState);
  return (
    <form action={action} className="space-y-2">
      <fieldset disabled={readOnly}>
        <SubmitButton pendingLabel={t.sandbox.using} disabled={readOnly}>
          {t.sandbox.use}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}

/** "Send testfaktura": books an invoice in the Rackbeat sandbox, whose webhook then reaches us. */
export function TestInvoiceForm({
  t,
  readOnly,
  disabled,
  inactive = false,
}: {
  t: T;
  readOnly: boolean;
  disabled: boolean;
  /** The integration is not active: the invoice reaches the review as "Ikke overført". */
  inactive?: boolean;
}) {
  const [state, action] = useActionState(sendTestInvoiceAction, initialFormState);
  const invoiceNumber = state.status === "success" ? state.values?.invoiceNumber : undefined;
  return (
    <form action={action} className="space-y-2">
      <p className="text-sm text-slate-600">{disabled ? t.sandbox.needsRackbeat : t.sandbox.sendTestIntro}</p>
      {!disabled && inactive ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950">{t.sandbox.notActive}</p>
      ) : null}
      <fieldset disabled={readOnly || disabled}>
        <SubmitButton pendingLabel={t.sandbox.sending} variant="secondary" disabled={readOnly || disabled}>
          {t.sandbox.sendTest}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
      {invoiceNumber ? (
        <p className="text-sm">
          <Link href="/review" className="font-medium text-emerald-800 underline">
            {t.sandbox.sentLink}
            <LinkPending skeleton="list" />
          </Link>
        </p>
      ) : null}
    </form>
  );
}
