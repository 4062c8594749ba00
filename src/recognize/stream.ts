// A document flattened into one NFKC string with a map back to blocks and cells, so that
// headings and row labels can be found wherever line and cell breaks fall, and every value
// still knows its source place.
import type { Block, Document, Place } from '../read/document.js';
import { isDigits, nfkc, parseValue } from './normalize.js';

export interface Unit {
  start: number; // offset in Stream.text
  end: number;
  block: number;
  cell: number; // -1 for a paragraph
  place: Place;
  /** An empty cell here is a real empty cell of the table. */
  reliableBlank: boolean;
  /** Unit is a cell of a multi-cell row. */
  inRow: boolean;
  /**
   * The cell was cut by the page edge (Cell.cut), or holds digits split by white space: its
   * visible text is not its content.
   */
  cut: boolean;
}

export interface Stream {
  text: string;
  units: Unit[];
  /** compact (no white space) view for label matching, with offsets back into text */
  compact: string;
  compactToText: Int32Array;
}

// Page furniture that pdftotext and crawlers leave between table rows.
const PAGE_NUMBER = /^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4})\s*$/;

const SPLIT_NUMBER = /^\s*[+-]?[\d０-９]+(?:[.,，．][\d０-９]+)*(?:\s+[\d０-９]+(?:[.,，．][\d０-９]+)*)+\s*$/;

export function buildStream(doc: Document): Stream {
  const parts: string[] = [];
  const units: Unit[] = [];
  let off = 0;
  const push = (text: string, block: number, cell: number, place: Place, reliableBlank: boolean, inRow: boolean, cut = false) => {
    let t = nfkc(text);
    if (t.includes('\n')) t = t.replace(/\n/g, ' ');
    units.push({ start: off, end: off + t.length, block, cell, place, reliableBlank, inRow, cut });
    parts.push(t, '\n');
    off += t.length + 1;
  };
  doc.blocks.forEach((b: Block, bi) => {
    if (b.kind === 'para') {
      if (b.text.length < 24 && PAGE_NUMBER.test(b.text)) return;
      push(b.text, bi, -1, b.place, false, false);
    } else {
      const inRow = b.cells.length > 1;
      // One cell of an authored table holding digit groups split by white space ("2 52": the
      // digits in separate <span>s on separate source lines) is one value whose digits are in
      // doubt, never two values: as two, every later cell of the row moves one column. Its
      // column is kept and its value unknown, as for a cut cell. (A PDF cell may be two cells
      // whose rule was not drawn, so PDF rows are left as they are.)
      b.cells.forEach((c, ci) => push(c.text, bi, ci, c.place, b.blanksReliable, inRow, c.cut === true || (inRow && doc.format !== 'pdf' && SPLIT_NUMBER.test(c.text))));
    }
  });
  const text = parts.join('');
  // One pass builds the compact view and its offset map: runs between white space are sliced
  // out whole, and the common characters (printable ASCII) skip the full white-space test.
  const map = new Int32Array(text.length);
  const runs: string[] = [];
  let n = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c > 32 && c < 0x7f) || !isJsSpace(c)) {
      map[n++] = i;
      continue;
    }
    if (i > run) runs.push(text.slice(run, i));
    run = i + 1;
  }
  if (text.length > run) runs.push(text.slice(run));
  return { text, units, compact: runs.join(''), compactToText: map.subarray(0, n) };
}

/** Exactly the characters of the RegExp class \\s, so `compact` and its offset map agree. */
function isJsSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Index of the unit holding text offset `off` (binary search). */
export function unitAt(s: Stream, off: number): number {
  let lo = 0;
  let hi = s.units.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s.units[mid].start <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Text offset of compact index i (end-exclusive form for i === length). */
export function textOffset(s: Stream, ci: number): number {
  if (ci >= s.compactToText.length) return s.text.length;
  return s.compactToText[ci];
}

/** Compact index of the first compact char at or after text offset `off`. */
export function compactIndex(s: Stream, off: number): number {
  let lo = 0;
  let hi = s.compactToText.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.compactToText[mid] < off) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ValueTok {
  /** 'cut': a value cell cut by the page edge, whose content is unknown (not blank, not its visible digits). */
  kind: 'number' | 'placeholder' | 'blank' | 'text' | 'cut';
  value: number | null;
  digits?: string;
  raw: string;
  place: Place;
  unit?: string;
  /** A number written straight after label text with no separator (crawler text). */
  glued?: boolean;
  unitIndex: number;
  /** Offset of the token in Stream.text. */
  offset: number;
}

const HAS_WORD = /[\p{L}]/u;
// Words a value cell may hold: its unit, or 无 (nothing).
const VALUE_WORDS = /万元|[元件项个条无]/g;

/** Tokens of text[from, to), unit by unit. Blank units become blank tokens where reliable. */
export function tokensBetween(s: Stream, from: number, to: number): ValueTok[] {
  const out: ValueTok[] = [];
  if (to <= from) return out;
  const first = unitAt(s, from);
  for (let ui = first; ui < s.units.length && s.units[ui].start < to; ui++) {
    const u = s.units[ui];
    const a = Math.max(from, u.start);
    const b = Math.min(to, u.end);
    const piece = s.text.slice(a, b);
    // A cut cell holding no word is a value cell whose value was lost past the page edge: one
    // token that keeps its column ("3件" may be what is left of 3119件). A cut cell with other
    // words is label text and is read as such.
    if (u.cut && !HAS_WORD.test(s.text.slice(u.start, u.end).replace(VALUE_WORDS, ''))) {
      out.push({ kind: 'cut', value: null, raw: piece.trim(), place: u.place, unitIndex: ui, offset: u.start });
      continue;
    }
    if (u.start >= from && u.end <= to && piece.trim() === '') {
      if (u.reliableBlank) out.push({ kind: 'blank', value: null, raw: '', place: u.place, unitIndex: ui, offset: u.start });
      continue;
    }
    tokenizePiece(piece, u, ui, a - u.start, a, out);
  }
  return out;
}

const RUN = /([+-]?\d+(?:\.\d+)?(?:万元|元|件|项|个|条)?)|([^\d+-]+|[+-])/g;

function tokenizePiece(piece: string, u: Unit, ui: number, offInUnit: number, base: number, out: ValueTok[]): void {
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(piece))) {
    const word = m[0];
    const at = m.index;
    // Every page-number form holds a digit: words without one skip the test.
    if (hasDigit(word) && PAGE_NUMBER.test(word)) continue;
    // The place is copied only for words that become tokens (most words are label text).
    let place: Place | undefined;
    const placeOf = (): Place => {
      if (!place) {
        place = { ...u.place };
        if (place.column !== undefined) place.column += offInUnit + at;
      }
      return place;
    };
    const p = parseValue(word);
    if (p && p.kind !== 'blank') {
      out.push({ kind: p.kind, value: p.value, raw: word, place: placeOf(), unit: p.unit, digits: isDigits(word) ? word : undefined, unitIndex: ui, offset: base + at });
      continue;
    }
    // Mixed word: label text and digits run together.
    let prevText = false;
    let r: RegExpExecArray | null;
    RUN.lastIndex = 0;
    while ((r = RUN.exec(word))) {
      if (r[1] !== undefined) {
        const q = parseValue(r[1]);
        if (q && q.kind === 'number') {
          out.push({ kind: 'number', value: q.value, raw: r[1], place: placeOf(), unit: q.unit, digits: isDigits(r[1]) ? r[1] : undefined, glued: prevText, unitIndex: ui, offset: base + at + r.index });
        }
        prevText = false;
      } else if (HAS_WORD.test(r[2])) {
        out.push({ kind: 'text', value: null, raw: r[2], place: placeOf(), unitIndex: ui, offset: base + at + r.index });
        prevText = true;
      }
    }
  }
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
