import { FieldErrors } from "@/components/ui/field-errors";

export function TextField({
  name,
  label,
  type = "text",
  defaultValue,
  errors,
  hint,
  autoComplete,
  required,
  disabled,
}: {
  name: string;
  label: string;
  type?: "text" | "email" | "password";
  defaultValue?: string;
  errors?: string[];
  hint?: string;
  autoComplete?: string;
  required?: boolean;
  disabled?: boolean;
}) {
  const id = `field-${name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, errorId].filter(Boolean).join(" ");
  const invalid = Boolean(errors?.length);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        required={required}
        disabled={disabled}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        className={`block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-emerald-600 disabled:bg-slate-100 ${
          invalid ? "border-red-600" : "border-slate-300"
        }`}
      />
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
