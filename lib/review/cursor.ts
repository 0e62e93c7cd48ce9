/**
 * The review list's keyset cursor: the last row's (createdAt, id), opaque to the user. createdAt is
 * kept as Postgres prints it with microseconds, because a JavaScript Date (milliseconds) would
 * skip or repeat rows that share a millisecond.
 */
export interface ReviewCursor {
  /** UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ". */
  createdAt: string;
  id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function encodeCursor(cursor: ReviewCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, "utf8").toString("base64url");
}

/** The cursor, or null for anything that is not one we made (a tampered link shows the first page). */
export function decodeCursor(value: string | undefined | null): ReviewCursor | null {
  if (!value || value.length > 200 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const [createdAt, id, ...rest] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !createdAt || !id || !TIMESTAMP.test(createdAt) || !isUuid(id)) return null;
  if (!isRealInstant(createdAt)) return null;
  return { createdAt, id };
}

/**
 * A timestamp Postgres accepts: a real calendar day (no 2025-02-30, which `Date.parse` rolls over
 * but Postgres refuses with 22008) and a real time of day.
 */
function isRealInstant(timestamp: string): boolean {
  const [y, mo, d, h, mi, s] = timestamp.split(/[-T:.Z]/).map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!));
  return (
    y! >= 1 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo! - 1 &&
    date.getUTCDate() === d &&
    h! < 24 &&
    mi! < 60 &&
    s! < 60
  );
}
