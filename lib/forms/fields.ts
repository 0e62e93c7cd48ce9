import { z } from "zod";

/** An e-mail field: trimmed, lower-cased; error messages are keys of `messages.validation`. */
export const emailFieldSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, { error: "required" })
  .max(254, { error: "tooLong" })
  .pipe(z.email({ error: "email" }));
