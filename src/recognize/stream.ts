// A document flattened into one NFKC string with a map back to blocks and cells, so that
// headings and row labels can be found wherever line and cell breaks fall, and every value
// still knows its source place.
import type { Block, Document, Place } from '../read/document.js';
import { isDigitCode, isSpaceCode } from '../read/chars.js';
import { isDigits, nfkc, nfkcCompact, parseWord } from './normalize.js';

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
   * A line of its own holding only no-break spaces (Block emptyCell): perhaps an empty cell of a
   * table written one cell per line. Whether it is one is decided per table (tables.ts).
   */
  emptyLine: boolean;
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
  /**
   * The compact view's runs of non-space text: run k starts at compact index segCompact[k] and
   * at text offset segText[k] (ascending). A run per word, not a map entry per character: most
   * units (CJK paragraphs and cells) hold no white space and are one run.
   */
  segText: number[];
  segCompact: number[];
}

// Page furniture that pdftotext and crawlers leave between table rows.
const PAGE_NUMBER = /^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4})\s*$/;

const SPLIT_NUMBER = /^\s*[+-]?[\d０-９]+(?:[.,，．][\d０-９]+)*(?:\s+[\d０-９]+(?:[.,，．][\d０-９]+)*)+\s*$/;

export function buildStream(doc: Document): Stream {
  // The units' raw text first, then NFKC and the compact view over all of it at once (nfkcCompact).
  const raws: string[] = [];
  const units: Unit[] = [];
  let off = 0;
  // A unit's line breaks become spaces in the normalisation below (each unit is one line of the text).
  const add = (text: string, block: number, cell: number, place: Place, reliableBlank: boolean, inRow: boolean, cut = false, emptyLine = false) => {
    units.push({ start: off, end: off + text.length, block, cell, place, reliableBlank, inRow, emptyLine, cut });
    raws.push(text);
    off += text.length + 1;
  };
  const blocks = doc.blocks;
  for (let bi = 0; bi < blocks.length; bi++) {
    const b: Block = blocks[bi];
    if (b.kind === 'para') {
      // Every page-number form holds an ASCII digit (\d): most short lines have none and skip the test.
      if (b.text.length < 24 && hasDigit(b.text) && PAGE_NUMBER.test(b.text)) continue;
      add(b.text, bi, -1, b.place, false, false, false, b.emptyCell === true);
    } else {
      const inRow = b.cells.length > 1;
      // One cell of an authored table holding digit groups split by white space ("2 52": the
      // digits in separate <span>s on separate source lines) is one value whose digits are in
      // doubt, never two values: as two, every later cell of the row moves one column. Its
      // column is kept and its value unknown, as for a cut cell. (A PDF cell may be two cells
      // whose rule was not drawn, so PDF rows are left as they are.)
      const cells = b.cells;
      for (let ci = 0; ci < cells.length; ci++) {
        const c = cells[ci];
        add(c.text, bi, ci, c.place, b.blanksReliable, inRow, c.cut === true || (inRow && doc.format !== 'pdf' && SPLIT_NUMBER.test(c.text)));
      }
    }
  }
  // Every unit ends with "\n". A character outside the fast table may change a unit's length:
  // then each unit is normalised on its own and the offsets are laid out again.
  const flat = nfkcCompact(raws);
  if (flat) return { text: flat.text, units, compact: flat.compact, segText: flat.segText, segCompact: flat.segCompact };
  const parts: string[] = [];
  let o = 0;
  for (let k = 0; k < units.length; k++) {
    const t = nfkc(raws[k]).replace(/\n/g, ' ');
    units[k].start = o;
    units[k].end = o + t.length;
    parts.push(t, '\n');
    o += t.length + 1;
  }
  const text = parts.join('');
  return { text, units, ...compactView(text) };
}

/**
 * The runs of non-space text (RegExp \S+) joined, with where each run starts in both strings,
 * for text the fast table could not normalise (nfkcCompact makes the same in its own pass).
 * "\n" ends every unit, so no run crosses two.
 */
export function compactView(text: string): { compact: string; segText: number[]; segCompact: number[] } {
  const segText: number[] = [];
  const segCompact: number[] = [];
  const cparts: string[] = [];
  let cn = 0;
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text))) {
    segText.push(m.index);
    segCompact.push(cn);
    cparts.push(m[0]);
    cn += m[0].length;
  }
  return { compact: cparts.join(''), segText, segCompact };
}
const WORD = /\S+/g;

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
  if (ci >= s.compact.length) return s.text.length;
  // The last run starting at or before ci holds it.
  const lo = lastAtOrBefore(s.segCompact, ci);
  return s.segText[lo] + (ci - s.segCompact[lo]);
}

/** Index of the last element of a non-empty ascending array that is ≤ v (0 when none is). */
export function lastAtOrBefore(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Compact index of the first compact char at or after text offset `off`. */
export function compactIndex(s: Stream, off: number): number {
  const st = s.segText;
  if (st.length === 0 || off <= st[0]) return 0;
  // The last run starting at or before off: off is inside it, or after it (then the next run).
  const lo = lastAtOrBefore(st, off);
  const len = (lo + 1 < st.length ? s.segCompact[lo + 1] : s.compact.length) - s.segCompact[lo];
  return s.segCompact[lo] + Math.min(off - st[lo], len);
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

/**
 * Every token with the same fields in the same order (absent ones undefined, glued false): one
 * object shape keeps the property reads of the table readers, which see tokens of every kind and
 * of every layout in turn, on one shape instead of several.
 */
function valueTok(kind: ValueTok['kind'], value: number | null, raw: string, place: Place, unit: string | undefined, digits: string | undefined, glued: boolean, unitIndex: number, offset: number): ValueTok {
  return { kind, value, digits, raw, place, unit, glued, unitIndex, offset };
}

/** A blank cell token at `place`: an empty cell known by its position, not by any text. */
export function blankTok(place: Place, unitIndex: number, offset: number): ValueTok {
  return valueTok('blank', null, '', place, undefined, undefined, false, unitIndex, offset);
}

const HAS_WORD = /[\p{L}]/u;
// Words a value cell may hold: its unit, or 无 (nothing).
const VALUE_WORDS = /万元|[元件项个条无]/g;

/** Tokens of text[from, to), unit by unit. Blank units become blank tokens where reliable, or lines that may be empty cells. */
export function tokensBetween(s: Stream, from: number, to: number): ValueTok[] {
  const out: ValueTok[] = [];
  if (to <= from) return out;
  bareItems = 0;
  const first = unitAt(s, from);
  // The stream's runs of non-space text, from the last one starting at or before `from`.
  let run = lastAtOrBefore(s.segText, from);
  for (let ui = first; ui < s.units.length && s.units[ui].start < to; ui++) {
    const u = s.units[ui];
    const a = Math.max(from, u.start);
    const b = Math.min(to, u.end);
    // A cut cell holding no word is a value cell whose value was lost past the page edge: one
    // token that keeps its column ("3件" may be what is left of 3119件). A cut cell with other
    // words is label text and is read as such.
    if (u.cut && !HAS_WORD.test(s.text.slice(u.start, u.end).replace(VALUE_WORDS, ''))) {
      out.push(valueTok('cut', null, s.text.slice(a, b).trim(), u.place, undefined, undefined, false, ui, u.start));
      continue;
    }
    if (u.start >= from && u.end <= to && onlySpace(s.text, a, b)) {
      if (u.reliableBlank || u.emptyLine) out.push(blankTok(u.place, ui, u.start));
      continue;
    }
    run = tokenizePiece(s, run, a, b, u, ui, out);
  }
  if (bareItems > 0) bareItemsToText(out, 0);
  return out;
}

// Bare item numbers ("3.") tokenizeWord has read in the current tokensBetween call.
let bareItems = 0;

/** text[a, b) is empty or white space only (its trim would be ''). */
function onlySpace(text: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (!isSpaceCode(text.charCodeAt(i))) return false;
  return true;
}

/**
 * The tokens of the words of text[a, b), a piece of unit u: its runs of characters outside the
 * RegExp class \s (/\S+/g). The stream already holds those runs (segText, from building the
 * compact view): a word is a run cut to the piece, with no character looked at again. `run`: a
 * run starting at or before the first one that reaches past `a`; returns the same for the next
 * piece after this one.
 */
function tokenizePiece(s: Stream, run: number, a: number, b: number, u: Unit, ui: number, out: ValueTok[]): number {
  const st = s.segText;
  const sc = s.segCompact;
  const text = s.text;
  for (; run < st.length && st[run] < b; run++) {
    const i = st[run] > a ? st[run] : a;
    const end = st[run] + ((run + 1 < sc.length ? sc[run + 1] : s.compact.length) - sc[run]);
    const j = end < b ? end : b;
    if (j > i) tokenizeWord(text.slice(i, j), i - a, u, ui, a - u.start, a, out);
  }
  return run;
}

/** The tokens of one white-space-free word at offset `at` of its piece. */
function tokenizeWord(word: string, at: number, u: Unit, ui: number, offInUnit: number, base: number, out: ValueTok[]): void {
  // A word of digits only (most value cells) is a number: no page-number form is digits alone
  // (each has a dash, 第…页 or a slash), and parseValue reads it as Number does.
  if (isDigits(word)) {
    const value = Number(word);
    if (Number.isFinite(value)) {
      out.push(valueTok('number', value, word, placeIn(u, offInUnit + at), undefined, word, false, ui, base + at));
      return;
    }
  }
  // Whether the word holds a digit, and a sign, in one look at it.
  let digit = false;
  let sign = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c === 0x2b || c === 0x2d) sign = true;
  }
  // Every page-number form holds a digit: words without one skip the test.
  if (digit && PAGE_NUMBER.test(word)) return;
  // The place is copied only for words that become tokens (most words are label text), and
  // once per word: the tokens of a mixed word share it.
  let place: Place | undefined;
  // The stream's words are NFKC text without white space: read without normalising again.
  const p = parseWord(word);
  if (p && p.kind !== 'blank') {
    place = placeIn(u, offInUnit + at);
    out.push(valueTok(p.kind, p.value, word, place, p.unit, isDigits(word) ? word : undefined, false, ui, base + at));
    return;
  }
  // A word without digits or signs is one text run (what the cut below would find): most words
  // of a table region are row labels.
  if (!digit && !sign) {
    if (hasLetter(word)) out.push(valueTok('text', null, word, placeIn(u, offInUnit + at), undefined, undefined, false, ui, base + at));
    return;
  }
  // Mixed word: label text and digits run together, cut as RUN cuts it (runAt).
  let prevText = false;
  for (let k = 0; k < word.length; ) {
    const e = runAt(word, k);
    if (e < 0) {
      // Text up to the next digit or sign, or a sign alone; a run with a letter is label text.
      const te = -e - 1;
      const run = word.slice(k, te);
      if (hasLetter(run)) {
        place ??= placeIn(u, offInUnit + at);
        out.push(valueTok('text', null, run, place, undefined, undefined, false, ui, base + at + k));
        prevText = true;
      }
      k = te;
      continue;
    }
    const num = word.slice(k, e);
    if (k === 0 && isBareItemNumber(word, e)) {
      // "3." alone: pdftotext -layout prints a wrapped label's item number on a line of its own
      // where the label is centred beside it ("危及“三安全一稳 2" / "3." / "定” 0 0 0 0 0 2").
      // It is read as a value (raw "3.") unless label text follows it (bareItemsToText).
      place ??= placeIn(u, offInUnit + at);
      out.push(valueTok('number', Number(num), word, place, undefined, num, false, ui, base + at));
      bareItems++;
      return;
    }
    if (isItemNumber(word, e, num)) {
      // "5.要求行政机关…": the item number of a row label, never a value. Where that label was
      // not found (its anchors garbled), its number would otherwise end the row before it.
      place ??= placeIn(u, offInUnit + at);
      out.push(valueTok('text', null, num, place, undefined, undefined, false, ui, base + at + k));
      prevText = true;
      k = e;
      continue;
    }
    const q = parseWord(num);
    if (q && q.kind === 'number') {
      place ??= placeIn(u, offInUnit + at);
      // A number scaled by the word after it ("1.2万", "5千元", "3亿"): its value depends on
      // the column's unit and was rounded when printed. It fills its cell with an unknown
      // value; read as its digits alone, "1.2万" became 1.2.
      if (q.unit === undefined && isMagnitude(word.charCodeAt(e))) {
        out.push(valueTok('cut', null, num, place, undefined, undefined, false, ui, base + at + k));
        prevText = false;
        k = e;
        continue;
      }
      out.push(valueTok('number', q.value, num, place, q.unit, isDigits(num) ? num : undefined, prevText, ui, base + at + k));
    }
    prevText = false;
    k = e;
  }
}

// The definition of the cut of a mixed word: a number (a sign, digits, a fraction, a unit), else
// text up to the next digit or sign, or a sign alone. runAt finds its runs by comparing code
// units, with no match object per run (test/stream.test.ts holds it to this).
export const RUN = /([+-]?\d+(?:\.\d+)?(?:万元|元|件|项|个|条)?)|([^\d+-]+|[+-])/g;

/**
 * The end of RUN's match at k in w: itself for a number (the first group), -(end + 1) for text
 * or a lone sign (the second).
 */
export function runAt(w: string, k: number): number {
  const e = numberEnd(w, k);
  if (e >= 0) return e;
  const c = w.charCodeAt(k);
  return -((c === 0x2b || c === 0x2d ? k + 1 : textEnd(w, k)) + 1);
}

/** End of the number run RUN's first group matches at k, or -1 when it matches none there. */
function numberEnd(w: string, k: number): number {
  let i = k;
  const c = w.charCodeAt(i);
  if (c === 0x2b || c === 0x2d) i++;
  if (!isDigitCode(w.charCodeAt(i))) return -1;
  while (isDigitCode(w.charCodeAt(i))) i++;
  if (w.charCodeAt(i) === 0x2e && isDigitCode(w.charCodeAt(i + 1))) {
    i += 2;
    while (isDigitCode(w.charCodeAt(i))) i++;
  }
  const unit = w.charCodeAt(i);
  if (unit === 0x4e07 && w.charCodeAt(i + 1) === 0x5143) return i + 2; // 万元
  if (unit === 0x5143 || unit === 0x4ef6 || unit === 0x9879 || unit === 0x4e2a || unit === 0x6761) return i + 1; // 元件项个条
  return i;
}

/** End of the run of characters other than digits and signs from k. */
function textEnd(w: string, k: number): number {
  let i = k + 1;
  for (; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (isDigitCode(c) || c === 0x2b || c === 0x2d) break;
  }
  return i;
}

/** 万, 千, 百 or 亿: the number before it is scaled. */
function isMagnitude(c: number): boolean {
  return c === 0x4e07 || c === 0x5343 || c === 0x767e || c === 0x4ebf;
}

/** The text holds a letter (\p{L}): a CJK ideograph or an ASCII letter at once, else the class test. */
function hasLetter(t: string): boolean {
  let ascii = true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return true;
    if (c >= 0x80) ascii = false;
  }
  return !ascii && HAS_WORD.test(t);
}

/**
 * The unit's place with its column moved `col` characters into the unit: a copy where it moves,
 * the unit's own place where it does not (a whole cell, a place with no column). Places are
 * never changed once made, so sharing one is safe, and most value tokens are whole cells.
 */
function placeIn(u: Unit, col: number): Place {
  const p = u.place;
  if (col === 0 || p.column === undefined) return p;
  return { ...p, column: p.column + col };
}

/** The word is one or two digits and "." or "、" ("3."), the digits ending at `end`. */
function isBareItemNumber(word: string, end: number): boolean {
  const sep = word.charCodeAt(end);
  return (sep === 0x2e || sep === 0x3001) && end + 1 === word.length && end <= 2;
}

/** A number token read from a bare item number ("3."): its raw text keeps the separator. */
export function isBareItem(t: ValueTok): boolean {
  return t.kind === 'number' && t.raw.length > 1 && isBareItemNumber(t.raw, t.raw.length - 1);
}

/**
 * A bare item number ("3.") followed by label text is that label's number, printed apart from
 * it: label text, not a value. One followed by a value or by nothing stays a value, as it was
 * read before: in pdftotext's default mode a column of item numbers ("2." "3." … "2.") runs
 * between a row's values, and read as values they make the row too long to place, where
 * dropped they would leave a short row whose values belong to other rows.
 */
function bareItemsToText(out: ValueTok[], from: number): void {
  for (let i = from; i + 1 < out.length; i++) {
    const t = out[i];
    if (t.kind === 'number' && out[i + 1].kind === 'text' && isBareItem(t)) {
      out[i] = valueTok('text', null, t.raw, t.place, undefined, undefined, false, t.unitIndex, t.offset);
    }
  }
}

/** Digits followed by "." or "、" and a letter: a numbered item ("5.要求…", "2、申请人…"). */
function isItemNumber(word: string, end: number, digits: string): boolean {
  const sep = word.charCodeAt(end);
  if (sep !== 0x2e && sep !== 0x3001) return false;
  if (!isDigits(digits)) return false;
  return end + 1 < word.length && HAS_WORD.test(word[end + 1]);
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
