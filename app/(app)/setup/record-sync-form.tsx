"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/forms/state";
import type { Messages } from "@/lib/i18n/messages";
import type { RecordEventNames } from "@/lib/sync/record-key";
import { changeRecordEventsAction, startFirstSyncAction } from "./record-sync-actions";

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

/** The six event names (settings: Rackbeat's exact names are unconfirmed). */
export function RecordEventsForm({
  t,
  current,
  readOnly,
}: {
  t: Messages["recordSync"]["events"];
  current: RecordEventNames;
  readOnly: boolean;
}) {
  const [state, action] = useActionState(changeRecordEventsAction, initialFormState);
  const slots = Object.keys(current) as (keyof RecordEventNames)[];
  return (
    <form action={action} className="max-w-md space-y-3" noValidate>
      <h3 className="text-sm font-semibold text-slate-700">{t.heading}</h3>
      <p className="text-sm text-slate-600">{t.hint}</p>
      <fieldset disabled={readOnly} className="space-y-3">
        {slots.map((slot) => (
          <TextField
            key={slot}
            name={slot}
            label={t.slots[slot]}
            defaultValue={state.values?.[slot] ?? current[slot]}
            errors={state.fieldErrors?.[slot]}
            required
          />
        ))}
        <SubmitButton pendingLabel={t.saving} variant="secondary" disabled={readOnly}>
          {t.save}
        </SubmitButton>
      </fieldset>
      <FormMessage state={state} />
    </form>
  );
}
