import { describe, expect, it } from "vitest";
import { and, eq, escapeFilterValue, gt, gte, isIn, like, lt, lte, ne, notIn, or } from "./filter";

describe("escapeFilterValue", () => {
  it("prefixes every special character with $", () => {
    expect(escapeFilterValue("a$b(c)d*e,f[g]h")).toBe("a$$b$(c$)d$*e$,f$[g$]h");
    expect(escapeFilterValue("$$")).toBe("$$$$");
    expect(escapeFilterValue("plain text: æøå / & ?")).toBe("plain text: æøå / & ?");
  });
});

describe("filter builder", () => {
  it("renders each operator", () => {
    expect(eq("name", "Joe").expression).toBe("name$eq:Joe");
    expect(ne("customerNumber", 5).expression).toBe("customerNumber$ne:5");
    expect(gt("date", "2026-01-01").expression).toBe("date$gt:2026-01-01");
    expect(gte("netAmount", 10.5).expression).toBe("netAmount$gte:10.5");
    expect(lt("customerNumber", 3).expression).toBe("customerNumber$lt:3");
    expect(lte("customerNumber", 3).expression).toBe("customerNumber$lte:3");
    expect(eq("barred", true).expression).toBe("barred$eq:true");
    expect(eq("ean", null).expression).toBe("ean$eq:$null:");
    expect(isIn("customerNumber", [2, 5, 7]).expression).toBe("customerNumber$in:[2,5,7]");
    expect(notIn("customerNumber", [1, null]).expression).toBe("customerNumber$nin:[1,$null:]");
  });

  it("escapes values with special characters so they cannot end or extend the filter", () => {
    expect(eq("references.other", "RB-1 (rest), [DK] $5*").expression).toBe(
      "references.other$eq:RB-1 $(rest$)$, $[DK$] $$5$*",
    );
    expect(eq("name", "x$and:name$eq:y").expression).toBe("name$eq:x$$and:name$$eq:y");
    expect(like("name", "A/S (DK)").expression).toBe("name$like:A/S $(DK$)");
    expect(like("name", "*port (x)", { wildcards: true }).expression).toBe("name$like:*port $(x$)");
  });

  it("joins with $and:/$or: and parenthesises a nested different operator", () => {
    const a = eq("name", "Joe");
    const b = like("city", "*port", { wildcards: true });
    const c = lt("age", 40);
    expect(and(a, b).expression).toBe("name$eq:Joe$and:city$like:*port");
    expect(and(a, or(b, c)).expression).toBe("name$eq:Joe$and:(city$like:*port$or:age$lt:40)");
    expect(or(and(a, b), c).expression).toBe("(name$eq:Joe$and:city$like:*port)$or:age$lt:40");
    expect(and(and(a, b), c).expression).toBe("name$eq:Joe$and:city$like:*port$and:age$lt:40");
    expect(String(and(a))).toBe("name$eq:Joe");
  });

  it("rejects field names that are not plain property paths, and bad $in: lists", () => {
    expect(() => eq("name$or:x", "1")).toThrow(TypeError);
    expect(() => eq("", "1")).toThrow(TypeError);
    expect(() => isIn("customerNumber", [])).toThrow(RangeError);
    expect(() =>
      isIn(
        "customerNumber",
        Array.from({ length: 201 }, (_, i) => i),
      ),
    ).toThrow(RangeError);
    expect(() => eq("netAmount", Number.NaN)).toThrow(RangeError);
  });

  it("survives URL encoding as one query parameter", () => {
    const f = and(eq("customer.customerNumber", 7), eq("references.other", "a&b=c?d#e"));
    const params = new URLSearchParams({ filter: f.expression });
    expect(new URLSearchParams(params.toString()).get("filter")).toBe(f.expression);
  });
});
