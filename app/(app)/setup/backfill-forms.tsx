"use client";

import { useActionState } from "react";
import { FieldErrors } from "@/components/ui/field-errors";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { initialFormState } from "@/lib/forms/state";
import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { cancelBackfillAction, previewBackfillAction, startBackfillAction } from "./reconcile-actions";

/**
 * "Overfør fakturaer bogført siden [dato]" in two steps: the preview counts what will be
 * transferred, then the admin confirms that number.
 */
export function BackfillForm({ t, readOnly }: { t: Messages["reconcile"]["backfill"]; readOnly: boolean }) {
  const [preview, previewAction] = useActionState(previewBackfillAction, initialFormState);
  const [started, startAction] = useActionState(startBackfillAction, initialFormState);
  const count = preview.status === "success" ? Number(preview.values?.count ?? 0) : 0;
  const errorId = "field-backfill-since-error";
  const hintId = "field-backfill-since-hint";
  const invalid = Boolean(preview.fieldErrors?.since?.length);
  return (
    <div className="space-y-3">
      <form action={previewAction} className="max-w-md space-y-3" noValidate>
        <fieldset disabled={readOnly} className="space-y-3">
          <div className="space-y-1">
            <label htmlFor="field-backfill-since" className="block text-sm font-medium text-slate-800">
              {t.since}
            </label>
            <input
              id="field-backfill-since"
              name="since"
              type="date"
              required
              defaultValue={preview.values?.since}
              aria-invalid={invalid}
              aria-describedby={`${hintId} ${errorId}`}
              className={`block rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-emerald-600 ${
                invalid ? "border-red-600" : "border-slate-300"
              }`}
            />
            <p id={hintId} className="text-xs text-slate-500">
              {t.sinceHint}
            </p>
            <FieldErrors id={errorId} errors={preview.fieldErrors?.since} />
          </div>
          <SubmitButton pendingLabel={t.previewing} variant="secondary" disabled={readOnly}>
            {t.preview}
          </SubmitButton>
        </fieldset>
        <FormMessage state={preview} />
      </form>
      {count > 0 && started.status !== "success" ? (
        <form action={startAction}>
          <input type="hidden" name="since" value={preview.values?.since ?? ""} />
          <input type="hidden" name="count" value={String(count)} />
          <SubmitButton pendingLabel={t.starting} disabled={readOnly}>
            {format(t.confirm, { count: String(count) })}
          </SubmitButton>
        </form>
      ) : null}
      <FormMessage state={started} />
    </div>
  );
}

export function CancelBackfillForm({
  t,
  backfillId,
  readOnly,
}: {
  t: Messages["reconcile"]["backfill"];
  backfillId: string;
  readOnly: boolean;
}) {
  const [state, action] = useActionState(cancelBackfillAction, initialFormState);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="backfillId" value={backfillId} />
      <fieldset disabled={readOnly}>
        <SubmitButton pendingLabel={t.cancelling} variant="secondary" disabled={readOnly}>
          {t.cancel}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}
