import { ApiError, errorCodes, errorResponse } from "./errors";

export const defaultPageSize = 20;
export const maxPageSize = 1000;

export interface Page {
  skip: number;
  size: number;
}

function nonNegativeInt(raw: string | null, name: string): number | undefined {
  if (raw === null || raw === "") return undefined;
  if (!/^\d+$/.test(raw)) {
    throw new ApiError(errorResponse(400, errorCodes.badRequest, `${name} must be a non-negative integer.`));
  }
  return Number(raw);
}

export function parsePage(url: URL): Page {
  const size = nonNegativeInt(url.searchParams.get("pagesize"), "pagesize") ?? defaultPageSize;
  const skip = nonNegativeInt(url.searchParams.get("skippages"), "skippages") ?? 0;
  if (size < 1 || size > maxPageSize) {
    throw new ApiError(
      errorResponse(400, errorCodes.badRequest, `pagesize must be between 1 and ${maxPageSize}.`, "", {}),
    );
  }
  return { skip, size };
}

export interface Envelope<T> {
  collection: T[];
  pagination: {
    maxPageSizeAllowed: number;
    skipPages: number;
    pageSize: number;
    results: number;
    resultsWithoutFilter: number;
    firstPage: string;
    nextPage?: string;
    lastPage: string;
  };
  self: string;
}

/** e-conomic's collection envelope; links keep the request's other parameters (filter). */
export function envelope<T>(
  collection: T[],
  page: Page,
  counts: { results: number; resultsWithoutFilter: number },
  selfUrl: string,
): Envelope<T> {
  const link = (skip: number) => {
    const u = new URL(selfUrl);
    u.searchParams.set("skippages", String(skip));
    u.searchParams.set("pagesize", String(page.size));
    return u.toString();
  };
  const lastSkip = Math.max(0, Math.ceil(counts.results / page.size) - 1);
  return {
    collection,
    pagination: {
      maxPageSizeAllowed: maxPageSize,
      skipPages: page.skip,
      pageSize: page.size,
      results: counts.results,
      resultsWithoutFilter: counts.resultsWithoutFilter,
      firstPage: link(0),
      ...(page.skip < lastSkip ? { nextPage: link(page.skip + 1) } : {}),
      lastPage: link(lastSkip),
    },
    self: selfUrl,
  };
}

/** Pages an in-memory list (small derived collections such as a group's sales accounts). */
export function pageOf<T>(items: T[], page: Page): T[] {
  return items.slice(page.skip * page.size, (page.skip + 1) * page.size);
}
