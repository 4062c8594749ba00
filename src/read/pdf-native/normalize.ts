// pdfjs NFKC-normalises a fixed set of compatibility characters (ligatures, presentation forms,
// odd spaces) in its text content; the native reader does the same to the same set, so both
// engines hand the layout the same characters.
const NORMALIZE = /[\u00a0\u00b5\u037e\u0eb3\u2000-\u200a\u202f\u2126\ufb00-\ufb04\ufb06\ufb20-\ufb36\ufb38-\ufb3c\ufb3e\ufb40-\ufb41\ufb43-\ufb44\ufb46-\ufba1\ufba4-\ufba9\ufbae-\ufbb1\ufbd3-\ufbdc\ufbde-\ufbe7\ufbea-\ufbf8\ufbfc-\ufbfd\ufc00-\ufc5d\ufc64-\ufcf1\ufcf5-\ufd3d\ufd88\ufdf4\ufdfa-\ufdfb\ufe71\ufe77\ufe79\ufe7b\ufe7d]+/g;

export function normalizeLikePdfjs(s: string): string {
  if (s.length === 1 && s.charCodeAt(0) < 0xa0) return s;
  return s.replace(NORMALIZE, (m) => m.normalize('NFKC')).replace(/\ufb05/g, '\u017ft');
}
