import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";
import { isCalendarDay, nextDay, startOfDanishDay } from "./dates";
import { parseReviewParams, reviewQueryString } from "./filters";
import { maskSensitive } from "./mask";

describe("cursor", () => {
  it("round-trips and refuses anything else", () => {
    const cursor = { createdAt: "2024-03-01T12:00:00.123456Z", id: "0b7c6a1e-5f0e-4c3b-9b1a-2d3e4f5a6b7c" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of ["", "abc", "!!!", encodeCursor({ ...cursor, id: "1; drop table" }), undefined, null]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});

describe("Danish days", () => {
  it("starts a day at midnight in Copenhagen, summer and winter", () => {
    expect(startOfDanishDay("2024-01-15").toISOString()).toBe("2024-01-14T23:00:00.000Z");
    expect(startOfDanishDay("2024-07-15").toISOString()).toBe("2024-07-14T22:00:00.000Z");
    expect(startOfDanishDay("2024-03-31").toISOString()).toBe("2024-03-30T23:00:00.000Z");
    expect(startOfDanishDay("2024-10-27").toISOString()).toBe("2024-10-26T22:00:00.000Z");
    expect(nextDay("2024-02-28")).toBe("2024-02-29");
    expect(nextDay("2024-12-31")).toBe("2025-01-01");
    expect(isCalendarDay("2024-02-30")).toBe(false);
    expect(isCalendarDay("2024-2-3")).toBe(false);
    expect(isCalendarDay("2024-02-29")).toBe(true);
  });
});

describe("review URL", () => {
  it("keeps what it understands and names the rest", () => {
    expect(parseReviewParams({ status: "failed", from: "2024-01-01", to: "", q: "  1021 " })).toEqual({
      filters: { status: "failed", from: "2024-01-01", q: "1021" },
      invalid: [],
    });
    expect(parseReviewParams({ status: "lost", from: "2024-02-30", q: ["a", "b"] })).toEqual({
      filters: { q: "a" },
      invalid: ["status", "from"],
    });
    expect(reviewQueryString({ status: "failed", q: "Hansen & Co" }, "abc")).toBe(
      "?status=failed&q=Hansen+%26+Co&cursor=abc",
    );
    expect(reviewQueryString({})).toBe("");
  });
});

describe("masking", () => {
  it("masks e-mails and tokens, keeps numbers and ids", () => {
    expect(maskSensitive("POST /customers/1021 jens.hansen@firma.dk")).toBe(
      "POST /customers/1021 j***@firma.dk",
    );
    expect(maskSensitive("X-AgreementGrantToken: sbx_9f8e7d6c5b4a39281706")).toBe(
      "X-AgreementGrantToken: ***",
    );
    expect(maskSensitive("grant 9f8e7d6c5b4a392817069f8e")).toBe("grant 9f8e…");
    expect(maskSensitive("/invoices/drafts/12345678901234567890")).toBe(
      "/invoices/drafts/12345678901234567890",
    );
    expect(maskSensitive("transfer 0b7c6a1e-5f0e-4c3b-9b1a-2d3e4f5a6b7c")).toBe(
      "transfer 0b7c6a1e-5f0e-4c3b-9b1a-2d3e4f5a6b7c",
    );
  });
});
