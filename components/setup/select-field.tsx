import { FieldErrors } from "@/components/ui/field-errors";

export interface SelectOption {
  value: string;
  label: string;
}

/**
 * A labelled select with the same error region as TextField (aria-describedby, aria-live).
 * Uncontrolled, and keyed by its default: React updates neither the selected option nor the
 * option's default flag when `defaultValue` changes, so after a saved form action (which resets
 * the form) the select would jump back to the value of page load and the next save would write
 * that old value back. A new default remounts the select with the saved value instead.
 */
export function SelectField({
  name,
  label,
  options,
  placeholder,
  defaultValue,
  errors,
  required,
  disabled,
}: {
  name: string;
  label: string;
  options: SelectOption[];
  placeholder: string;
  defaultValue?: string;
  errors?: string[];
  required?: boolean;
  disabled?: boolean;
}) {
  const id = `field-${name}`;
  const errorId = `${id}-error`;
  const invalid = Boolean(errors?.length);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        key={defaultValue ?? ""}
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        required={required}
        disabled={disabled}
        aria-invalid={invalid}
        aria-describedby={errorId}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-emerald-600 disabled:bg-slate-100 ${
          invalid ? "border-red-600" : "border-slate-300"
        }`}
      >
        <option value="">{placeholder}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
