import { describe, expect, it } from "vitest";
import { readBookedPage } from "./list-booked";

const item = (number: string, bookedAt?: string, isBooked: boolean | null = true) => ({
  number,
  is_booked: isBooked,
  booked_at: bookedAt ?? null,
});

describe("readBookedPage: a page of Rackbeat's booked list, whether or not our filter and sort were honoured", () => {
  const since = new Date("2025-03-01T10:00:00Z");

  it("newest first: stops at the page that reaches past the watermark, keeping only what is new", () => {
    const page = readBookedPage(
      [
        item("3", "2025-03-01T12:00:00Z"),
        item("2", "2025-03-01T10:00:00Z"),
        item("1", "2025-03-01T09:00:00Z"),
      ],
      1,
      5,
      since,
    );
    expect(page.invoices.map((i) => i.number)).toEqual(["3", "2"]);
    expect(page.last).toBe(true);
  });

  it("sort ignored (oldest first): filters the page but reads on to the last page", () => {
    const page = readBookedPage(
      [item("1", "2025-03-01T09:00:00Z"), item("2", "2025-03-01T11:00:00Z")],
      1,
      3,
      since,
    );
    expect(page.invoices.map((i) => i.number)).toEqual(["2"]);
    expect(page.last).toBe(false);
    expect(readBookedPage([item("9", "2025-03-02T00:00:00Z")], 3, 3, since).last).toBe(true);
  });

  it("filter ignored: drafts are left out; invoices without a booking time are kept, never dropped", () => {
    const page = readBookedPage(
      [item("7", undefined), item("8", "2025-03-02T00:00:00Z", false)],
      1,
      2,
      since,
    );
    expect(page.invoices.map((i) => i.number)).toEqual(["7"]);
    expect(page.last).toBe(false);
  });

  it("an empty page ends the walk", () => {
    expect(readBookedPage([], 1, 9, since)).toMatchObject({ invoices: [], last: true });
  });
});
