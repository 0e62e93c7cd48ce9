/** The one state shape of every form's server action (see architecture.md, conventions 3). */
export interface FormState {
  status: "idle" | "success" | "error";
  message?: string;
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
}

export const initialFormState: FormState = { status: "idle" };

/** The submitted text fields, to refill the form after an error (never passwords). */
export function submittedValues(formData: FormData, fields: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = formData.get(field);
    if (typeof value === "string") values[field] = value;
  }
  return values;
}
