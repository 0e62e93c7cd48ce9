import type { z } from "zod";
import type { Filter } from "./filter";
import type { CallOptions, EconomicTransport } from "./http";
import { collectionSchema, type Page } from "./schemas";

export const MAX_PAGE_SIZE = 1000;

export interface ListQuery {
  filter?: Filter;
  /** e-conomic's sort syntax, e.g. "-date" or "customerNumber". */
  sort?: string;
  /** 1..1000; e-conomic's default is 20, we ask for the maximum when iterating. */
  pageSize?: number;
}

export interface PageQuery extends ListQuery {
  skipPages?: number;
}

/** Read access to one e-conomic collection: a single page, every item lazily, or all at once. */
export interface Collection<T> {
  page(query?: PageQuery, options?: CallOptions): Promise<Page<T>>;
  /** All items over all pages, fetched page by page as the loop consumes them. */
  iterate(query?: ListQuery, options?: CallOptions): AsyncIterable<T>;
  all(query?: ListQuery, options?: CallOptions): Promise<T[]>;
}

export function collection<T>(transport: EconomicTransport, path: string, item: z.ZodType<T>): Collection<T> {
  const schema = collectionSchema(item);
  const page = async (query: PageQuery = {}, options?: CallOptions): Promise<Page<T>> => {
    const pageSize = clampPageSize(query.pageSize ?? 20);
    const skipPages = Math.max(0, Math.trunc(query.skipPages ?? 0));
    const envelope = await transport.request(
      {
        method: "GET",
        path,
        query: {
          skippages: skipPages,
          pagesize: pageSize,
          filter: query.filter?.expression,
          sort: query.sort,
        },
        response: { kind: "json", schema },
      },
      options,
    );
    const items = envelope.collection as T[];
    const results = envelope.pagination?.results;
    return {
      items,
      skipPages,
      pageSize,
      results,
      hasMore: hasMore(items.length, skipPages, pageSize, results, envelope.pagination?.nextPage),
    };
  };
  const iterate = (query: ListQuery = {}, options?: CallOptions): AsyncIterable<T> => ({
    async *[Symbol.asyncIterator]() {
      const pageSize = clampPageSize(query.pageSize ?? MAX_PAGE_SIZE);
      for (let skipPages = 0; ; skipPages++) {
        const current = await page({ ...query, pageSize, skipPages }, options);
        yield* current.items;
        if (!current.hasMore) return;
      }
    },
  });
  const all = async (query?: ListQuery, options?: CallOptions): Promise<T[]> => {
    const out: T[] = [];
    for await (const value of iterate(query, options)) out.push(value);
    return out;
  };
  return { page, iterate, all };
}

function clampPageSize(size: number): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(size)));
}

/**
 * We count pages ourselves rather than following `nextPage`, because that link points at
 * e-conomic's public host even when we talk to a proxy or the sandbox. `results` is the authority
 * when present; otherwise the link's presence, and last a short page, end the walk.
 */
function hasMore(
  count: number,
  skipPages: number,
  pageSize: number,
  results: number | undefined,
  nextPage: string | undefined,
): boolean {
  if (count === 0) return false;
  if (results !== undefined) return (skipPages + 1) * pageSize < results;
  if (nextPage !== undefined) return true;
  return count >= pageSize;
}
