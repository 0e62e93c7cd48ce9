import { z } from "zod";
import { type TransferStatus, transferStatusEnum } from "@/db/schema";
import { decodeCursor, type ReviewCursor } from "./cursor";
import { isCalendarDay } from "./dates";

export const transferStatuses = transferStatusEnum.enumValues;

/** What the review list shows; every field comes from the URL, so a link can be shared. */
export interface ReviewFilters {
  status?: TransferStatus;
  /** Received on or after this Danish day (YYYY-MM-DD). */
  from?: string;
  /** Received on or before this Danish day (YYYY-MM-DD). */
  to?: string;
  /** Exact invoice, order or customer number, or a fragment of the customer's name. */
  q?: string;
  cursor?: ReviewCursor;
}

export type ReviewSearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === ""
    ? undefined
    : typeof value === "string"
      ? value.trim()
      : value;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const day = z.preprocess(
  blankToUndefined,
  z.string().refine(isCalendarDay, { error: "invalid_date" }).optional(),
);

/** One schema for the URL of /review, shared by the page and the tests. */
export const reviewParamsSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(transferStatuses).optional()),
  from: day,
  to: day,
  // No control characters: Postgres refuses NUL in text (22021), and none belongs in a search.
  q: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(100)
      .refine((value) => !CONTROL_CHARACTERS.test(value), { error: "invalid_search" })
      .optional(),
  ),
  cursor: z.preprocess(blankToUndefined, z.string().max(200).optional()),
});

export interface ParsedReviewParams {
  filters: ReviewFilters;
  /** Parameters that were present but not understood; they are ignored and named to the user. */
  invalid: Array<"status" | "from" | "to" | "q" | "cursor">;
}

/** Never throws: what cannot be understood is dropped (a tampered cursor means the first page). */
export function parseReviewParams(params: ReviewSearchParams): ParsedReviewParams {
  const raw = {
    status: first(params.status),
    from: first(params.from),
    to: first(params.to),
    q: first(params.q),
    cursor: first(params.cursor),
  };
  const invalid: ParsedReviewParams["invalid"] = [];
  const filters: ReviewFilters = {};
  for (const key of ["status", "from", "to", "q", "cursor"] as const) {
    const parsed = reviewParamsSchema.shape[key].safeParse(raw[key]);
    if (!parsed.success) {
      invalid.push(key);
      continue;
    }
    const value = parsed.data;
    if (value === undefined) continue;
    if (key === "cursor") {
      const cursor = decodeCursor(value);
      if (cursor) filters.cursor = cursor;
      else invalid.push("cursor");
    } else if (key === "status") {
      filters.status = value as TransferStatus;
    } else {
      filters[key] = value;
    }
  }
  return { filters, invalid };
}

/** The URL query of these filters (without the cursor unless given), in a stable order. */
export function reviewQueryString(filters: Omit<ReviewFilters, "cursor">, cursor?: string): string {
  const query = new URLSearchParams();
  if (filters.status) query.set("status", filters.status);
  if (filters.from) query.set("from", filters.from);
  if (filters.to) query.set("to", filters.to);
  if (filters.q) query.set("q", filters.q);
  if (cursor) query.set("cursor", cursor);
  const text = query.toString();
  return text ? `?${text}` : "";
}
