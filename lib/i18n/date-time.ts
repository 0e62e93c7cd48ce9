import type { Locale } from "./locale";

/** Our users are Danish businesses: times are Danish time whatever language they read. */
export const DANISH_TIME_ZONE = "Europe/Copenhagen";

const formats = {
  minute: {
    da: new Intl.DateTimeFormat("da-DK", {
      timeZone: DANISH_TIME_ZONE,
      dateStyle: "medium",
      timeStyle: "short",
    }),
    en: new Intl.DateTimeFormat("en-GB", {
      timeZone: DANISH_TIME_ZONE,
      dateStyle: "medium",
      timeStyle: "short",
    }),
  },
  second: {
    da: new Intl.DateTimeFormat("da-DK", {
      timeZone: DANISH_TIME_ZONE,
      dateStyle: "short",
      timeStyle: "medium",
    }),
    en: new Intl.DateTimeFormat("en-GB", {
      timeZone: DANISH_TIME_ZONE,
      dateStyle: "short",
      timeStyle: "medium",
    }),
  },
} as const;

/** A moment in Danish time; "second" where the order of close events matters (attempts, calls). */
export function formatDateTime(
  value: Date | null | undefined,
  locale: Locale,
  precision: "minute" | "second" = "minute",
): string {
  return value ? formats[precision][locale].format(value) : "";
}
