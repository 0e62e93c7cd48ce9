/**
 * e-conomic's own encoding of special characters in resource ids (product numbers), from the
 * "Custom resource self-link encoding" table of its REST docs. Everything else that is not
 * URL-safe is percent-encoded as usual. Kept as one table so a correction is a one-line change.
 */
export const PRODUCT_NUMBER_TOKENS: ReadonlyArray<readonly [char: string, token: string]> = [
  ["<", "_0_"],
  [">", "_1_"],
  ["*", "_2_"],
  ["%", "_3_"],
  [":", "_4_"],
  ["&", "_5_"],
  ["/", "_6_"],
  ["\\", "_7_"],
  ["_", "_8_"],
  [" ", "_9_"],
  ["?", "_10_"],
  [".", "_11_"],
  ["#", "_12_"],
  ["+", "_13_"],
];

const toToken = new Map(PRODUCT_NUMBER_TOKENS);
const fromToken = new Map(PRODUCT_NUMBER_TOKENS.map(([char, token]) => [token, char]));

/** The path segment for a product number: `_N_` tokens first, then percent-encoding of the rest. */
export function encodeProductNumber(productNumber: string): string {
  let out = "";
  for (const char of productNumber) {
    const token = toToken.get(char);
    out += token ?? encodeURIComponent(char);
  }
  return out;
}

/** Inverse of encodeProductNumber (e.g. for a `self` link's last segment). */
export function decodeProductNumber(segment: string): string {
  // One pass over tokens and percent-escapes: decoding either first would let its output (a "%"
  // or a "_") be misread by the other.
  return segment.replace(/_(1[0-3]|[0-9])_|(?:%[0-9A-Fa-f]{2})+/g, (match) =>
    match.startsWith("_") ? (fromToken.get(match) ?? match) : decodeURIComponent(match),
  );
}
