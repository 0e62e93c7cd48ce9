import { describe, expect, it } from "vitest";
import { decodeProductNumber, encodeProductNumber } from "@/lib/economic/product-number";
import { Issues } from "./errors";
import { actionOf, faultPlanSchema, matchRule } from "./faults";
import { parseFilter } from "./filter";
import { likePattern } from "./filter-sql";
import { vatAmounts } from "./line-vat";
import { divRound, fromScaled, lineTotalCents, toScaled } from "./money";
import { renderPdf } from "./pdf";

describe("product number codec", () => {
  it.each([
    ["A 1", "A_9_1"],
    ["a/b", "a_6_b"],
    ["x_y", "x_8_y"],
    ["50%", "50_3_"],
    ["v1.2", "v1_11_2"],
    ["#7", "_12_7"],
    ["a+b?", "a_13_b_10_"],
    ["a_9_b", "a_8_9_8_b"],
  ])("round-trips %j as %j", (plain, encoded) => {
    expect(encodeProductNumber(plain)).toBe(encoded);
    expect(decodeProductNumber(encoded)).toBe(plain);
  });
  it("leaves unknown tokens alone", () => {
    expect(decodeProductNumber("a_99_b")).toBe("a_99_b");
  });
});

describe("money", () => {
  it("scales decimals without floats and refuses a third decimal", () => {
    expect(toScaled(12.34)).toBe(1234n);
    expect(toScaled(-0.5)).toBe(-50n);
    expect(toScaled(1e21)).toBe(100000000000000000000000n);
    expect(toScaled(12.345)).toBeUndefined();
    expect(toScaled(1e-7)).toBeUndefined();
    expect(fromScaled(1234n)).toBe(12.34);
  });
  it("rounds half away from zero", () => {
    expect(divRound(5n, 10n)).toBe(1n);
    expect(divRound(-5n, 10n)).toBe(-1n);
    expect(divRound(4n, 10n)).toBe(0n);
  });
  it("computes line and invoice totals with discount and VAT", () => {
    // 3 × 33.33 less 10 % = 89.991 → 89.99
    const line = lineTotalCents({ quantity: 300n, unitNetPrice: 3333n, discountPercentage: 1000n });
    expect(line).toBe(8999n);
    // 0.10 + 0.20 at 25 %: VAT on the rate's sum (0.075 → 0.08), each line's own VAT rounded alone.
    expect(vatAmounts([10n, 20n], [25, 25])).toEqual({
      lines: [
        { netAmount: 0.1, vatAmount: 0.03, grossAmount: 0.13 },
        { netAmount: 0.2, vatAmount: 0.05, grossAmount: 0.25 },
      ],
      invoice: { netAmount: 0.3, vatAmount: 0.08, grossAmount: 0.38 },
    });
    expect(vatAmounts([8999n, 1000n], [0, 25]).invoice).toEqual({
      netAmount: 99.99,
      vatAmount: 2.5,
      grossAmount: 102.49,
    });
  });
});

describe("filter parser", () => {
  it("parses conditions with $and binding tighter than $or", () => {
    expect(parseFilter("a$eq:1$or:b$eq:2$and:c$ne:3")).toEqual({
      type: "or",
      nodes: [
        { type: "cond", field: ["a"], op: "eq", value: "1" },
        {
          type: "and",
          nodes: [
            { type: "cond", field: ["b"], op: "eq", value: "2" },
            { type: "cond", field: ["c"], op: "ne", value: "3" },
          ],
        },
      ],
    });
  });
  it("handles groups, nested fields, $in lists and escapes", () => {
    expect(parseFilter("(customer.customerNumber$in:[1,2$,3])$and:references.other$eq:RB$$1$(x$)")).toEqual({
      type: "and",
      nodes: [
        { type: "cond", field: ["customer", "customerNumber"], op: "in", values: ["1", "2,3"] },
        { type: "cond", field: ["references", "other"], op: "eq", value: "RB$1(x)" },
      ],
    });
  });
  it("keeps unescaped * as a wildcard in $like only", () => {
    const node = parseFilter("name$like:*a$*b*");
    expect(node).toEqual({
      type: "cond",
      field: ["name"],
      op: "like",
      pattern: [{ wildcard: true }, { text: "a*b" }, { wildcard: true }],
    });
    expect(likePattern([{ wildcard: true }, { text: "50%_x" }])).toBe("%50\\%\\_x");
    expect(likePattern([{ text: "abc" }])).toBe("%abc%");
  });
  it.each(["name", "name$xx:1", "name$eq:a$b", "(a$eq:1", "a$in:1", "a$in:[1"])("rejects %j", (f) => {
    expect(() => parseFilter(f)).toThrow();
  });
});

describe("validation issues", () => {
  it("builds e-conomic's error tree with arrayIndex entries", () => {
    const issues = new Issues();
    issues.add(["customer"], "E06000", "customer does not exist.", "987");
    issues.add(["lines", 1, "unitNetPrice"], "E04740", "scale");
    issues.add(["lines", 0, "quantity"], "E04730", "qty");
    issues.add(["recipient", "name"], "E00200", "req");
    expect(issues.any).toBe(true);
    return issues
      .toResponse()
      .json()
      .then((body) => {
        expect(body.httpStatusCode).toBe(400);
        expect(body.errors).toEqual({
          customer: { errors: [{ errorCode: "E06000", message: "customer does not exist.", value: "987" }] },
          lines: [
            { arrayIndex: 0, quantity: { errors: [{ errorCode: "E04730", message: "qty" }] } },
            { arrayIndex: 1, unitNetPrice: { errors: [{ errorCode: "E04740", message: "scale" }] } },
          ],
          recipient: { name: { errors: [{ errorCode: "E00200", message: "req" }] } },
        });
      });
  });
});

describe("fault rules", () => {
  const rules = faultPlanSchema.parse([
    { method: "post", path: "/invoices/drafts", times: 0, respond: 500 },
    { method: "POST", path: "/invoices/drafts", respond: 503 },
    { path: "/customers", delayMs: 10 },
  ]);
  it("matches by method and segment prefix, skipping spent rules", () => {
    expect(matchRule(rules, "POST", "/invoices/drafts")).toBe(1);
    expect(matchRule(rules, "GET", "/invoices/drafts")).toBe(-1);
    expect(matchRule(rules, "GET", "/customers/5")).toBe(2);
    expect(matchRule(rules, "GET", "/customers-x")).toBe(-1);
  });
  it("turns random rules into one of their kinds", () => {
    const rule = faultPlanSchema.parse({
      random: { rate: 0.5, kinds: ["429", "timeout"] },
      timeoutMs: 50,
    })[0]!;
    expect(actionOf(rule, () => 0.9)).toBeUndefined();
    expect(actionOf(rule, () => 0.1)).toEqual({ respond: 429, retryAfter: 1 });
    const draws = [0.1, 0.9];
    expect(actionOf(rule, () => draws.shift()!)).toEqual({ delayMs: 50 });
  });
  it("rejects rules without an action or with unknown fields", () => {
    expect(faultPlanSchema.safeParse({ method: "GET" }).success).toBe(false);
    expect(faultPlanSchema.safeParse({ respond: 500, bogus: 1 }).success).toBe(false);
  });
});

describe("pdf", () => {
  it("writes a valid one-page PDF with escaped text and correct xref offsets", () => {
    const bytes = renderPdf(["Faktura (nr. 7) \\ Æblegården ÆØÅ æøå €"]);
    const text = Buffer.from(bytes).toString("latin1");
    expect(text.startsWith("%PDF-1.4")).toBe(true);
    expect(text).toContain("(Faktura \\(nr. 7\\) \\\\ Æblegården ÆØÅ æøå \x80)");
    const startxref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 4)).toBe("xref");
    const offsets = [...text.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((offset, i) => {
      expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    const length = Number(/\/Length (\d+)/.exec(text)?.[1]);
    const streamStart = text.indexOf("stream\n") + 7;
    expect(text.slice(streamStart + length, streamStart + length + 9)).toBe("endstream");
  });
});
