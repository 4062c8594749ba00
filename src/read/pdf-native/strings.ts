// Text strings outside content streams (§7.9.2.2): UTF-16BE or UTF-8 with a byte order mark,
// else PDFDocEncoding, which differs from Latin-1 in 0x18–0x1F and 0x80–0xA0.
const PDF_DOC_HIGH = '\u2022\u2020\u2021\u2026\u2014\u2013\u0192\u2044\u2039\u203a\u2212\u2030\u201e\u201c\u201d\u2018\u2019\u201a\u2122\ufb01\ufb02\u0141\u0152\u0160\u0178\u017d\u0131\u0142\u0153\u0161\u017e\ufffd\u20ac';
const PDF_DOC_LOW = '\u02d8\u02c7\u02c6\u02d9\u02dd\u02db\u02da\u02dc';

export function decodePdfString(b: Uint8Array): string {
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
  let s = '';
  for (const c of b) {
    if (c >= 0x18 && c <= 0x1f) s += PDF_DOC_LOW[c - 0x18];
    else if (c >= 0x80 && c <= 0xa0) s += PDF_DOC_HIGH[c - 0x80];
    else s += String.fromCharCode(c);
  }
  return s;
}
