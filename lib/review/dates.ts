import { DANISH_TIME_ZONE } from "@/lib/i18n/date-time";

/** The review's date filter is on the day a transfer was received, in Danish time. */

const parts = new Intl.DateTimeFormat("en-US", {
  timeZone: DANISH_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Year, month, day of a YYYY-MM-DD string (validated by the caller). */
function ymd(day: string): [number, number, number] {
  const [y = 0, m = 1, d = 1] = day.split("-").map(Number);
  return [y, m, d];
}

/** Milliseconds the zone is ahead of UTC at this instant. */
function zoneOffsetMs(at: Date): number {
  const p = new Map(parts.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  const n = (type: Intl.DateTimeFormatPartTypes) => p.get(type) ?? 0;
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Midnight at the start of `day` (YYYY-MM-DD) in Copenhagen, as an instant. */
export function startOfDanishDay(day: string): Date {
  const [y, m, d] = ymd(day);
  const naive = Date.UTC(y, m - 1, d);
  // Twice: the offset at the guessed instant may differ from the one at the real midnight (DST).
  let instant = naive - zoneOffsetMs(new Date(naive));
  instant = naive - zoneOffsetMs(new Date(instant));
  return new Date(instant);
}

/** The day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const [y, m, d] = ymd(day);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** A real calendar day in YYYY-MM-DD. */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = ymd(value);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
