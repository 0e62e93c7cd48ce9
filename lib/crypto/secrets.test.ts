import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, hashToken, secretHint, tokenMatchesHash } from "./secrets";

describe("secrets at rest", () => {
  it("round-trips, with a fresh IV each time, and never stores the plain text", () => {
    const a = encryptSecret("grant-token-1234");
    const b = encryptSecret("grant-token-1234");
    expect(a).not.toBe(b);
    expect(a).not.toContain("grant-token");
    expect(decryptSecret(a)).toBe("grant-token-1234");
  });

  it("refuses a tampered ciphertext", () => {
    const stored = encryptSecret("api-key");
    const [v, iv, tag, data] = stored.split(".");
    // Change the second-to-last character (always a whole byte's worth of base64), to another one.
    const replaced = data!.at(-2);
    const flipped = `${data!.slice(0, -2)}${replaced === "A" ? "B" : "A"}${data!.slice(-1)}`;
    expect(flipped).not.toBe(data);
    expect(() => decryptSecret([v, iv, tag, flipped].join("."))).toThrow();
    expect(() => decryptSecret("v0.x.y.z")).toThrow();
  });

  it("shows only a hint and compares tokens by hash", () => {
    expect(secretHint("abcdefgh12345678")).toBe("…5678");
    const hash = hashToken("a".repeat(32));
    expect(tokenMatchesHash("a".repeat(32), hash)).toBe(true);
    expect(tokenMatchesHash("b".repeat(32), hash)).toBe(false);
    expect(tokenMatchesHash("", hash)).toBe(false);
  });
});
