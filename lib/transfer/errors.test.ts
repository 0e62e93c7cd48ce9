import { describe, expect, it } from "vitest";
import { EconomicError } from "@/lib/economic/errors";
import { transferDa, transferEn } from "@/lib/i18n/messages/transfer";
import { RackbeatError } from "@/lib/rackbeat/errors";
import { errorCodes } from "@/lib/sandbox/economic/errors";
import {
  describeAttemptOutcome,
  describeNextStep,
  describeTransferError,
  locateFieldError,
  outcomeOfError,
} from "./errors";
import { InvoiceMappingError } from "./map-invoice";
import { AmountMismatchError, PlanInputError } from "./plan-types";
import { LeaseLostError } from "./types";

const validation = (path: string, errorCode: string, message: string) =>
  new EconomicError({
    kind: "http",
    method: "POST",
    path: "/invoices/drafts",
    status: 400,
    message: "Validation error.",
    fieldErrors: [{ path, errorCode, message }],
    mayHaveCommitted: false,
  });

describe("transfer errors", () => {
  it("locates line and field of an e-conomic field path", () => {
    expect(locateFieldError("lines[2].unitNetPrice")).toEqual({ line: 3, field: "unitNetPrice" });
    expect(locateFieldError("references.customerContact")).toEqual({ field: "customerContact" });
    expect(locateFieldError("")).toEqual({});
  });

  it("maps a field error to the Rackbeat line, in Danish and English", () => {
    const outcome = outcomeOfError(
      validation(
        "lines[2].unitNetPrice",
        "E04740",
        "unitNetPrice scale cannot be greater then two decimal places.",
      ),
    );
    expect(outcome.kind).toBe("failed");
    expect(outcome.error).toMatchObject({ code: "economic_validation", line: 3, field: "unitNetPrice" });
    expect(describeTransferError(outcome.error, "da")).toBe("Linje 3: enhedsprisen har mere end 2 decimaler");
    expect(describeTransferError(outcome.error, "en")).toBe(
      "Line 3: the unit price has more than 2 decimals",
    );
  });

  it("describes invoice-level and unknown field errors with e-conomic's own message", () => {
    const customer = outcomeOfError(validation("customer", "E06000", "customer does not exist."));
    expect(describeTransferError(customer.error, "da")).toBe("Fakturaen: kunden findes ikke i e-conomic");
    const odd = outcomeOfError(validation("lines[0].weird", "E99999", "weird is odd."));
    expect(describeTransferError(odd.error, "en")).toBe(
      "Line 1: the field “weird” was refused by e-conomic: weird is odd.",
    );
  });

  it("retries what is transient and fails what is not", () => {
    const http = (status: number, retryAfterMs?: number) =>
      new EconomicError({
        kind: "http",
        method: "POST",
        path: "/x",
        status,
        message: "",
        mayHaveCommitted: status >= 500,
        retryAfterMs,
      });
    expect(outcomeOfError(http(429, 3000))).toMatchObject({
      kind: "retry",
      retryAfterMs: 3000,
      error: { code: "economic_rate_limited" },
    });
    expect(outcomeOfError(http(503)).kind).toBe("retry");
    expect(outcomeOfError(http(401))).toMatchObject({
      kind: "failed",
      error: { code: "economic_unauthorized" },
    });
    const timeout = new EconomicError({
      kind: "timeout",
      method: "POST",
      path: "/x",
      message: "",
      mayHaveCommitted: true,
    });
    expect(outcomeOfError(timeout).kind).toBe("retry");
    const rb = (status: number) =>
      new RackbeatError({ kind: "http", method: "GET", path: "/customer-invoices/1", status, message: "" });
    expect(outcomeOfError(rb(404))).toMatchObject({ kind: "failed", error: { code: "rackbeat_not_found" } });
    expect(outcomeOfError(rb(502)).kind).toBe("retry");
    expect(
      outcomeOfError(new PlanInputError("invalid_customer_number", "customer.number", "A-1")),
    ).toMatchObject({
      kind: "failed",
      error: { code: "invalid_customer_number", field: "customer.number", params: { value: "A-1" } },
    });
    expect(
      outcomeOfError(new InvoiceMappingError("customer_group_missing", "customer.group", "7")).kind,
    ).toBe("failed");
    expect(() => outcomeOfError(new LeaseLostError("t"))).toThrow(LeaseLostError);
    expect(outcomeOfError(new Error("db down"))).toMatchObject({
      kind: "retry",
      error: { code: "internal" },
    });
  });

  it("has a text for every code in both languages", () => {
    for (const code of ["book_number_taken", "sender_email_missing", "rackbeat_not_found", "not_connected"]) {
      const da = describeTransferError({ code, params: { number: 1021 } }, "da");
      const en = describeTransferError({ code, params: { number: 1021 } }, "en");
      expect(da).not.toContain("({code})");
      expect(da).not.toBe(en);
    }
    expect(describeTransferError({ code: "book_number_taken", params: { number: 1021 } }, "da")).toContain(
      "1021",
    );
  });

  it("fails an invoice whose amounts cannot match, naming them in the reader's notation", () => {
    const outcome = outcomeOfError(
      new AmountMismatchError({
        rackbeatNet: "1250.00",
        economicNet: "1250.01",
        rackbeatGross: "1562.50",
        economicGross: "1562.51",
        currency: "DKK",
      }),
    );
    expect(outcome).toMatchObject({ kind: "failed", error: { code: "amounts_mismatch" } });
    expect(describeTransferError(outcome.error, "da")).toContain(
      "Rackbeat har netto 1250,00 og brutto 1562,50 DKK, e-conomic ville vise netto 1250,01 og brutto 1562,51 DKK",
    );
    expect(describeTransferError(outcome.error, "en")).toContain(
      "Rackbeat has net 1250.00 and gross 1562.50 DKK, e-conomic would show net 1250.01 and gross 1562.51 DKK",
    );
  });

  it("has a Danish and an English text, without raw details, for every engine code", () => {
    for (const code of Object.keys(transferDa.errors)) {
      const params = {
        number: 1021,
        value: "X",
        field: "quantity",
        message: "M",
        detail: "GET /self → 500",
        holder: "Kunde A/S",
        holderAmount: "100,00",
        currency: "DKK",
        draft: 7,
        customer: 101,
        rackbeatNet: "1,00",
        rackbeatGross: "1,25",
        economicNet: "1,01",
        economicGross: "1,26",
      };
      const da = describeTransferError({ code, params, detail: "raw" }, "da");
      const en = describeTransferError({ code, params, detail: "raw" }, "en");
      expect(da, code).not.toBe(en);
      for (const text of [da, en]) {
        expect(text, code).not.toMatch(/\{\w+\}|GET \/self|raw|_/);
      }
    }
  });

  it("words every e-conomic error code the sandbox answers with, in both languages", () => {
    for (const errorCode of Object.values(errorCodes)) {
      expect(transferDa.problems, errorCode).toHaveProperty(errorCode);
      expect(transferEn.problems, errorCode).toHaveProperty(errorCode);
    }
  });

  it("says what to do: nothing while retrying, the fitting fix once given up", () => {
    expect(describeNextStep("economic_unavailable", "da", true)).toBe(
      "Du behøver ikke gøre noget: overførslen prøves igen automatisk.",
    );
    expect(describeNextStep("economic_unauthorized", "da", false)).toContain("Forbind e-conomic igen");
    expect(describeNextStep("customer_missing", "en", false)).toContain("in Rackbeat");
    expect(describeNextStep("economic_unavailable", "da", false)).toContain("Klik Prøv igen");
    expect(describeNextStep(undefined, "en", false)).toContain("Click Retry");
  });

  it("translates attempt outcomes", () => {
    expect(describeAttemptOutcome("gave_up", "da")).toBe("Opgivet efter flere forsøg");
    expect(describeAttemptOutcome("retry", "en")).toBe("Failed, will be retried");
    expect(describeAttemptOutcome(null, "da")).toBe("I gang");
  });
});
