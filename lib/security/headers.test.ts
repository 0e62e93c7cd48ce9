import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, originOf } from "./headers";

describe("security headers (finding 3)", () => {
  it("a fresh, unguessable nonce per call", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("scripts only with the nonce, no framing, no plugins, forms to this origin and the named ones", () => {
    const csp = contentSecurityPolicy({ nonce: "abc", formActions: ["https://secure.e-conomic.com"] });
    const directives = Object.fromEntries(
      csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]),
    );
    expect(directives["script-src"]).toBe("'self' 'nonce-abc' 'strict-dynamic'");
    expect(directives["frame-ancestors"]).toBe("'none'");
    expect(directives["object-src"]).toBe("'none'");
    expect(directives["form-action"]).toBe("'self' https://secure.e-conomic.com");
    expect(directives["style-src"]).toBe("'self' 'nonce-abc'");
    expect(csp.match(/unsafe-inline/g)).toHaveLength(1);
    expect(directives["style-src-attr"]).toBe("'unsafe-inline'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy({ nonce: "n", development: true, https: true })).toMatch(
      /'unsafe-eval'.*upgrade-insecure-requests/,
    );
  });

  it("origins of absolute http(s) URLs only", () => {
    expect(originOf("https://secure.e-conomic.com/secure/api1/requestaccess.aspx")).toBe(
      "https://secure.e-conomic.com",
    );
    expect(originOf("javascript:alert(1)")).toBeUndefined();
    expect(originOf("not a url")).toBeUndefined();
  });
});
