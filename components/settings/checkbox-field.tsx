"use client";

import * as Checkbox from "@radix-ui/react-checkbox";
import { FieldErrors } from "@/components/ui/field-errors";

/**
 * A Radix checkbox with its label, help text and error region. Radix renders a button with
 * role="checkbox" and aria-checked, toggled by Space and by a click on the <label>; inside a form
 * with a `name` it also renders a hidden native checkbox, so the value posts with the form ("on").
 */
export function CheckboxField({
  name,
  label,
  help,
  checked,
  onCheckedChange,
  disabled,
  errors,
}: {
  name: string;
  label: string;
  help: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
  errors?: string[];
}) {
  const id = `field-${name}`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  return (
    <div className="flex gap-3">
      <Checkbox.Root
        id={id}
        name={name}
        checked={checked}
        onCheckedChange={(value) => onCheckedChange(value === true)}
        disabled={disabled}
        aria-describedby={`${helpId} ${errorId}`}
        aria-invalid={errors?.length ? true : undefined}
        className="mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded border border-slate-400 bg-white focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:bg-slate-100 data-[state=checked]:border-emerald-700 data-[state=checked]:bg-emerald-700"
      >
        <Checkbox.Indicator className="text-white">
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" fill="none">
            <path d="M3 8.5l3 3 7-7" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
        </Checkbox.Indicator>
      </Checkbox.Root>
      <div className="space-y-0.5">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        <p id={helpId} className="text-xs text-slate-500">
          {help}
        </p>
        <FieldErrors id={errorId} errors={errors} />
      </div>
    </div>
  );
}
