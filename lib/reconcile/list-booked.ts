import { invoiceBookedAt, type RackbeatClient, type RackbeatInvoiceListItem } from "@/lib/rackbeat";

/** Invoices per list call: Rackbeat's pages go to 250 in our sandbox; 100 is a safe ask. */
export const LIST_PAGE_LIMIT = 100;

export interface BookedPage {
  page: number;
  pages: number;
  /** Booked invoices of this page booked at or after `since` (those without a booking time too). */
  invoices: { number: string; bookedAt?: Date }[];
  /** No later page can hold an invoice booked at or after `since`. */
  last: boolean;
}

/**
 * Pure: what one page of Rackbeat's booked list says for a walk back to `since`. We ask for newest
 * booking first and only bookings since `since`; the real API may ignore either (the parameters are
 * unconfirmed), so the page is filtered here too, and the walk ends early only when the page is
 * visibly newest first and reaches past `since`. Otherwise every page is read.
 */
export function readBookedPage(
  items: RackbeatInvoiceListItem[],
  page: number,
  pages: number,
  since: Date | undefined,
): BookedPage {
  const dated = items.map((item) => ({ item, bookedAt: invoiceBookedAt(item) }));
  const invoices = dated
    .filter(({ item }) => item.is_booked !== false)
    .filter(({ bookedAt }) => !since || !bookedAt || bookedAt >= since)
    .map(({ item, bookedAt }) => ({ number: item.number, bookedAt }));
  const times = dated.map((d) => d.bookedAt?.getTime());
  const newestFirst = times.every((t, i) => t !== undefined && (i === 0 || t <= times[i - 1]!));
  const reachedSince =
    since !== undefined && newestFirst && times.length > 0 && times.at(-1)! < since.getTime();
  return { page, pages, invoices, last: page >= pages || items.length === 0 || reachedSince };
}

/** Reads page `page` of the booked invoices since `since`. One Rackbeat call. */
export async function fetchBookedPage(
  rackbeat: RackbeatClient,
  page: number,
  since: Date | undefined,
  signal?: AbortSignal,
): Promise<BookedPage> {
  const res = await rackbeat.listBookedInvoices(
    { page, limit: LIST_PAGE_LIMIT, bookedSince: since },
    { signal },
  );
  return readBookedPage(res.invoices, page, res.pages, since);
}
