/**
 * A minimal PDF 1.4 writer: one A4 page of Helvetica text lines. Strings go out in WinAnsiEncoding
 * (Latin-1 plus a few typographic characters), so Danish letters render with the standard font.
 */

const winAnsiExtras: Record<string, number> = {
  "€": 0x80,
  "‚": 0x82,
  "„": 0x84,
  "…": 0x85,
  "‘": 0x91,
  "’": 0x92,
  "“": 0x93,
  "”": 0x94,
  "•": 0x95,
  "–": 0x96,
  "—": 0x97,
  "™": 0x99,
};

function winAnsiByte(ch: string): number {
  const code = ch.codePointAt(0) ?? 0x3f;
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return winAnsiExtras[ch] ?? 0x3f;
}

/** A PDF literal string's bytes: parentheses and backslashes escaped. */
function pdfString(text: string): number[] {
  const out: number[] = [0x28];
  for (const ch of text) {
    const b = winAnsiByte(ch);
    if (b === 0x28 || b === 0x29 || b === 0x5c) out.push(0x5c);
    out.push(b);
  }
  out.push(0x29);
  return out;
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

const maxLines = 60;

export function renderPdf(lines: string[]): Uint8Array<ArrayBuffer> {
  const shown = lines.length > maxLines ? [...lines.slice(0, maxLines - 1), "…"] : lines;
  const content: number[] = ascii("BT\n/F1 10 Tf\n14 TL\n50 800 Td\n");
  for (const line of shown) content.push(...pdfString(line), ...ascii(" Tj T*\n"));
  content.push(...ascii("ET\n"));

  const objects: number[][] = [
    ascii("<< /Type /Catalog /Pages 2 0 R >>"),
    ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    ascii(
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    ),
    ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
    [...ascii(`<< /Length ${content.length} >>\nstream\n`), ...content, ...ascii("endstream")],
  ];

  // The binary comment line marks the file as binary for transfer tools.
  const bytes: number[] = [...ascii("%PDF-1.4\n%"), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a];
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(bytes.length);
    bytes.push(...ascii(`${i + 1} 0 obj\n`), ...body, ...ascii("\nendobj\n"));
  });
  const xrefOffset = bytes.length;
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) xref += `${String(offset).padStart(10, "0")} 00000 n \n`;
  xref += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  bytes.push(...ascii(xref));
  return Uint8Array.from(bytes);
}
