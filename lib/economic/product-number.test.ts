import { describe, expect, it } from "vitest";
import { decodeProductNumber, encodeProductNumber, PRODUCT_NUMBER_TOKENS } from "./product-number";

describe("product number codec", () => {
  it("encodes the documented example", () => {
    expect(encodeProductNumber("My Awesome Product_Discount5%")).toBe(
      "My_9_Awesome_9_Product_8_Discount5_3_",
    );
  });

  it("uses the _N_ token for every character of the table", () => {
    for (const [char, token] of PRODUCT_NUMBER_TOKENS) expect(encodeProductNumber(char)).toBe(token);
  });

  it("percent-encodes characters outside the table", () => {
    expect(encodeProductNumber("Æble=1;ø")).toBe("%C3%86ble%3D1%3Bø".replace("ø", "%C3%B8"));
    expect(encodeProductNumber("ABC-123")).toBe("ABC-123");
  });

  it("round-trips awkward product numbers", () => {
    const samples = [
      "A/B 10%",
      "x_y_z",
      "_8_",
      "1.5+2#3?",
      "a:b&c<d>e*f\\g",
      "__  ..",
      ">0_",
      "_1_0_",
      "ÆØÅ æøå €",
      "100%_off/sale",
      "'\"=;,@!",
    ];
    for (const sample of samples) {
      const encoded = encodeProductNumber(sample);
      expect(encoded).not.toMatch(/[/?#\s]/);
      expect(decodeProductNumber(encoded)).toBe(sample);
    }
  });
});
