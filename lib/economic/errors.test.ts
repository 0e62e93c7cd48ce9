import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsFromZod, flattenValidationErrors, parseErrorBody } from "./errors";

const specBody = {
  message: "Validation error.",
  developerHint: "Inspect validation errors and correct your request.",
  logId: "c7ca5bc2-ad2d-4639-93f9-b22ba88c97d7",
  httpStatusCode: 400,
  errors: {
    customer: { errors: [{ errorCode: "E06000", message: "customer does not exist.", value: "987" }] },
    lines: [
      {
        arrayIndex: 0,
        unitNetPrice: {
          errors: [
            { errorCode: "E04740", message: "unitNetPrice scale cannot be greater then two decimal places." },
          ],
        },
      },
    ],
  },
  logTime: "2026-01-01T10:00:00",
};

describe("parseErrorBody", () => {
  it("flattens the spec's validation body to field paths", () => {
    const parsed = parseErrorBody(specBody);
    expect(parsed.message).toBe("Validation error.");
    expect(parsed.logId).toBe("c7ca5bc2-ad2d-4639-93f9-b22ba88c97d7");
    expect(parsed.fieldErrors).toEqual([
      { path: "customer", errorCode: "E06000", message: "customer does not exist.", value: "987" },
      {
        path: "lines[0].unitNetPrice",
        errorCode: "E04740",
        message: "unitNetPrice scale cannot be greater then two decimal places.",
      },
    ]);
  });

  it("uses arrayIndex, not array position, and nests objects", () => {
    const flat = flattenValidationErrors({
      lines: [
        { arrayIndex: 3, product: { errors: [{ errorCode: "E04500", message: "No identifiers" }] } },
        {
          arrayIndex: 7,
          unit: { errors: [{ errorCode: "E06000", message: "unit does not exist.", value: 10 }] },
          quantity: {
            errors: [
              { errorCode: "E04730", message: "q1" },
              { errorCode: "E04731", message: "q2" },
            ],
          },
        },
      ],
      recipient: { vatZone: { errors: [{ errorCode: "E06000", message: "vatZone does not exist." }] } },
    });
    expect(flat.map((e) => `${e.path}:${e.errorCode}`)).toEqual([
      "lines[3].product:E04500",
      "lines[7].unit:E06000",
      "lines[7].quantity:E04730",
      "lines[7].quantity:E04731",
      "recipient.vatZone:E06000",
    ]);
    expect(flat[1]?.value).toBe(10);
  });

  it("reads the plain error format and tolerates junk", () => {
    expect(
      parseErrorBody({
        message: "Not found",
        errorCode: "E07000",
        developerHint: "h",
        logId: "L",
        httpStatusCode: 404,
        logTime: "t",
      }),
    ).toEqual({ message: "Not found", errorCode: "E07000", developerHint: "h", logId: "L", fieldErrors: [] });
    expect(parseErrorBody("<html>")).toEqual({ fieldErrors: [] });
    expect(parseErrorBody(undefined)).toEqual({ fieldErrors: [] });
    expect(parseErrorBody({ errors: { a: { errors: ["x", null] } } }).fieldErrors).toEqual([]);
  });
});

describe("fieldErrorsFromZod", () => {
  it("uses the same path notation", () => {
    const schema = z.object({ lines: z.array(z.object({ quantity: z.number() })) });
    const result = schema.safeParse({ lines: [{ quantity: 1 }, { quantity: "x" }] });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(fieldErrorsFromZod(result.error).map((e) => e.path)).toEqual(["lines[1].quantity"]);
  });
});
