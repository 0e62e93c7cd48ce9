/**
 * e-conomic puts product numbers in URLs with special characters replaced by `_N_` tokens. The table
 * holds the documented tokens; characters outside it are percent-encoded.
 */
const tokenToChar: Record<string, string> = {
  "3": "%",
  "6": "/",
  "8": "_",
  "9": " ",
  "10": "?",
  "11": ".",
  "12": "#",
  "13": "+",
};

const charToToken = new Map(Object.entries(tokenToChar).map(([n, c]) => [c, `_${n}_`]));

export function decodeProductNumber(segment: string): string {
  return segment.replace(/_(\d+)_/g, (whole, n: string) => tokenToChar[n] ?? whole);
}

export function encodeProductNumber(productNumber: string): string {
  let out = "";
  for (const ch of productNumber) out += charToToken.get(ch) ?? encodeURIComponent(ch);
  return out;
}
