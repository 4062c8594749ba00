// Tables 2, 3 and 4: anchor each row on its label in the template's order, read the values
// that follow it, then place them (place.ts).
import type { Place } from '../read/document.js';
import { isDigitCode, isSpaceCode } from '../read/chars.js';
import { blankTok, compactIndex, isBareItem, lastAtOrBefore, textOffset, tokensBetween, unitAt, type Stream, type ValueTok } from './stream.js';
import { CUT, rowCandidates, type RowCandidates, type Token, type Vector } from './place.js';
import { nfkc } from './normalize.js';
import { APPLICANT_COLUMNS, TABLE2, TABLE3_APPLICANTS, TABLE3_COLUMN_LABELS, TABLE3_ORGS } from '../model/template.js';

export interface RowSpec {
  key: string;
  anchors: readonly string[];
  fallbackAnchors?: readonly string[];
  item?: number;
}

export interface RowRead {
  key: string;
  tokens: ValueTok[];
  /** values found after the row ended, before the next label (layout noise or a broken row) */
  orphans: number;
  /**
   * The values after the end, when the row is a line of text whose end came from label text
   * after its first values: pdftotext -layout prints the values of a row whose label wraps on
   * both of its lines ("（二）部分公开（…只计这一情 1 0 0" / "形，不计其他情形） 0 0 0 1").
   */
  continued?: ValueTok[];
  /**
   * The tokens with the row's lines of no-break spaces among them as empty cells (Unit
   * emptyLine), when it has any before its end; read instead of `tokens` only where the whole
   * table agrees (adoptEmptyLines).
   */
  withEmptyLines?: ValueTok[];
  glued: boolean;
  place: Place;
  labelText: string;
  /** Unit index and text offset of the label, for the table's extent in the text. */
  anchorUnit: number;
  labelOffset: number;
  labelEnd: number;
}

// An anchor without RegExp syntax is searched with indexOf (same first match, no match
// object); the others are compiled once.
const reCache = new Map<string, RegExp | string>();
function anchorRe(src: string): RegExp | string {
  let re = reCache.get(src);
  if (re === undefined) {
    re = /[\\^$.*+?()[\]{}|]/.test(src) ? new RegExp(src, 'g') : src;
    reCache.set(src, re);
  }
  return re;
}

interface Hit {
  start: number; // compact index
  end: number;
  anchor?: string;
  /** Found across values printed inside the label (earliestAcrossValues): where they start. */
  valuesFrom?: number;
}

function earliest(finder: AnchorFinder, anchors: readonly string[], from: number, to: number): Hit | null {
  let at = -1;
  let len = 0;
  let anchor = '';
  for (const a of anchors) {
    const m = finder.first(a, from, to);
    if (m.at >= 0 && (at < 0 || m.at < at)) {
      at = m.at;
      len = m.len;
      anchor = a;
    }
  }
  return at < 0 ? null : { start: at, end: at + len, anchor, valuesFrom: undefined };
}

const NONE: { readonly at: number; readonly len: number } = { at: -1, len: 0 };

/**
 * The first occurrence of each anchor at or after a position, outside bracketed notes, in one
 * compact text, remembered per anchor. readRows asks for every row's anchors, and the next
 * row's, from positions that move forward through the table, and each ask for a phrase the
 * table does not hold scanned to the table's end. An answer found from f holds for any ask from
 * f up to that answer: no occurrence lies between. A plain phrase is searched only up to the
 * ask's end (readRows asks whether a label repeats before the next row's): then "none" holds for
 * asks from f that end no later.
 */
export class AnchorFinder {
  // The memo's entries live in one module-wide map, one per anchor phrase (the templates' few
  // hundred), each stamped with the finder that filled it: a finder per table per parse then adds
  // no map entries and makes no objects, and an entry of another finder counts as none.
  private readonly id = ++finders;
  constructor(private readonly compact: string) {}

  /**
   * Position and length of the first occurrence at or after `from`, when it ends at or before
   * `to`; at -1 otherwise. Read at once: the entry is reused.
   */
  first(anchor: string, from: number, to = Infinity): { at: number; len: number } {
    let e = ANCHOR_MEMO.get(anchor);
    if (!e) ANCHOR_MEMO.set(anchor, (e = { finder: 0, from: 0, at: -1, len: 0, upTo: 0 }));
    if (!(e.finder === this.id && e.from <= from && (e.at >= 0 ? from <= e.at : to <= e.upTo))) {
      const re = anchorRe(anchor);
      // A RegExp match's length varies: its first match is searched in the whole text.
      const upTo = typeof re === 'string' ? Math.min(to, this.compact.length) : Infinity;
      const { at, len } = firstOutsideNote(this.compact, anchor, from, upTo);
      e.finder = this.id;
      e.from = from;
      e.at = at;
      e.len = len;
      e.upTo = upTo;
    }
    return e.at >= 0 && e.at + e.len <= to ? e : NONE;
  }
}
let finders = 0;
const ANCHOR_MEMO = new Map<string, { finder: number; from: number; at: number; len: number; upTo: number }>();

/**
 * The first occurrence at or after `from` outside a bracketed note, searched afresh; a plain
 * phrase only among occurrences that end by `upTo` (an earlier one would end earlier still).
 */
export function firstOutsideNote(compact: string, anchor: string, from: number, upTo = Infinity): { at: number; len: number } {
  const re = anchorRe(anchor);
  const hay = typeof re === 'string' && upTo < compact.length ? compact.slice(0, upTo) : compact;
  let at = from;
  let len = 0;
  // A phrase inside a row label's bracketed note is no label: real reports explain a row in
  // brackets ("其他对外管理服务事项（…含行政确认、行政处罚、行政强制…）", "其他主动公开文件（…除
  // 规范性文件以外…）"), and anchoring there reads that row's values into the named one.
  for (;;) {
    if (typeof re === 'string') {
      at = hay.indexOf(re, at);
      len = re.length;
    } else {
      re.lastIndex = at;
      const m = re.exec(compact);
      at = m ? m.index : -1;
      len = m ? m[0].length : 0;
    }
    if (at < 0 || !insideNote(compact, at, at + len)) break;
    at += 1;
  }
  return { at, len };
}

/**
 * The compact text of [from, to) without its numbers, with where each of its runs (the text
 * between two numbers) starts in the compact text: on a narrow page pdftotext -layout prints a
 * row's values between the lines of its wrapped label, and the break may fall inside every
 * anchor phrase ("5.属于三类内 0 0 … 0" / "部事务信息"). Run r starts at view index runAt[r]
 * and compact index runFrom[r]; runs are never empty.
 */
export interface LabelView {
  text: string;
  runAt: number[];
  runFrom: number[];
}

export function labelView(c: string, from: number, to: number): LabelView {
  const runAt: number[] = [];
  const runFrom: number[] = [];
  let text = '';
  let runStart = from;
  for (let i = from; i <= to; ) {
    const ch = i < to ? c.charCodeAt(i) : -1;
    if (i === to || (ch >= 48 && ch <= 57)) {
      if (i > runStart) {
        runAt.push(text.length);
        runFrom.push(runStart);
        text += c.slice(runStart, i);
      }
      if (i === to) break;
      // a number: its digits and the separators inside it
      while (i < to && (isDigitCode(c.charCodeAt(i)) || ((c[i] === '.' || c[i] === ',') && isDigitCode(c.charCodeAt(i + 1))))) i++;
      runStart = i;
      continue;
    }
    i++;
  }
  return { text, runAt, runFrom };
}

/** Compact index of the view's character k (0 ≤ k < text.length). */
export function viewCompact(v: LabelView, k: number): number {
  const r = lastAtOrBefore(v.runAt, k);
  return v.runFrom[r] + (k - v.runAt[r]);
}

/** The first view index whose compact index is `from` or after it (text.length: none). */
export function viewIndex(v: LabelView, from: number): number {
  if (v.runAt.length === 0 || from <= v.runFrom[0]) return 0;
  const r = lastAtOrBefore(v.runFrom, from);
  const next = r + 1 < v.runAt.length ? v.runAt[r + 1] : v.text.length;
  const k = v.runAt[r] + (from - v.runFrom[r]);
  return k < next ? k : next;
}

const LETTER = /\p{L}/u;
const DIGIT = /\d/;

/** A number in c[from, to) that is not an item number ("6." or "6、" before a label). */
function hasValueNumber(c: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (!isDigitCode(c.charCodeAt(i))) continue;
    let j = i;
    while (j < to && isDigitCode(c.charCodeAt(j))) j++;
    // An item number has one or two digits; a longer run before "2." holds values too
    // ("00000002.": seven cells and the next label's number, run together without spaces).
    const sep = c.charCodeAt(j);
    if (j - i > 2 || !((sep === 0x2e || sep === 0x3001) && j + 1 < c.length && LETTER.test(c[j + 1]))) return true;
    i = j;
  }
  return false;
}

// How far a bracketed note may reach either side of a phrase in it (compact characters): a
// row's explanation runs to some 100 characters; an unclosed bracket further away is not it.
const NOTE_REACH = 120;

/**
 * [start, end) lies inside a bracketed note: an open bracket before it, not closed before it,
 * and a close bracket after it, not preceded by another open bracket, both within reach. An
 * item number such as "(三)" before a label closes before the label and does not count.
 */
function insideNote(compact: string, start: number, end: number): boolean {
  const b = bracketsOf(compact);
  // The last bracket before the phrase opens a note within reach...
  let lo = 0;
  let hi = b.pos.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (b.pos[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  const before = lo - 1;
  if (before < 0 || !b.open[before] || b.pos[before] < start - NOTE_REACH) return false;
  // ... and the first bracket after it closes that note within reach.
  let after = lo;
  while (after < b.pos.length && b.pos[after] < end) after++;
  return after < b.pos.length && !b.open[after] && b.pos[after] < end + NOTE_REACH;
}

// The brackets of the last compact text asked about, found once (native searches) instead of a
// scan back and forth around every anchor match.
let bracketText: string | undefined;
let bracketCache: { pos: number[]; open: boolean[] } = { pos: [], open: [] };
function bracketsOf(compact: string): { pos: number[]; open: boolean[] } {
  if (compact === bracketText) return bracketCache;
  const pos: number[] = [];
  const open: boolean[] = [];
  let o = compact.indexOf('(');
  let c = compact.indexOf(')');
  while (o >= 0 || c >= 0) {
    if (c < 0 || (o >= 0 && o < c)) {
      pos.push(o);
      open.push(true);
      o = compact.indexOf('(', o + 1);
    } else {
      pos.push(c);
      open.push(false);
      c = compact.indexOf(')', c + 1);
    }
  }
  bracketText = compact;
  bracketCache = { pos, open };
  return bracketCache;
}

/**
 * The earliest plain anchor found in labelView only, where it is broken by numbers: the hit spans
 * the numbers, which are the row's own values (valuesFrom). Anchors with RegExp syntax or digits
 * are not looked for this way.
 */
function earliestAcrossValues(c: string, view: LabelView, anchors: readonly string[], from: number, to: number): Hit | null {
  let best: Hit | null = null;
  const v0 = viewIndex(view, from);
  for (const a of anchors) {
    if (typeof anchorRe(a) !== 'string' || DIGIT.test(a)) continue;
    const k = view.text.indexOf(a, v0);
    if (k < 0) continue;
    const start = viewCompact(view, k);
    const end = viewCompact(view, k + a.length - 1) + 1;
    if (end > to || end - start === a.length) continue; // not broken: the plain search decides
    let digit = start;
    while (digit < end && !isDigitCode(c.charCodeAt(digit))) digit++;
    if (!best || start < best.start) best = { start, end, anchor: a, valuesFrom: digit };
  }
  return best;
}

// Label characters a row label may have before its anchor phrase: not digits, not separators
// (the RegExp /[^\d.,:;|+\-/]/ on one code unit, as a comparison).
function isLabelChar(c: number): boolean {
  if (c >= 48 && c <= 57) return false; // 0-9
  return c !== 0x2e && c !== 0x2c && c !== 0x3a && c !== 0x3b && c !== 0x7c && c !== 0x2b && c !== 0x2d && c !== 0x2f; // . , : ; | + - /
}

/**
 * Length of the row's own item number, "(3)" or "3." / "3、", ending at compact index `end` and
 * starting no earlier than `floor` nor 5 characters back; 0 when there is none. The same match as
 * /(?:\(3\)|3[.、．])$/ on compact.slice(max(floor, end - 5), end), without the copy and the
 * match (test/table-labels.test.ts).
 */
export function itemNumberBefore(compact: string, end: number, floor: number, item: number): number {
  const d = String(item);
  const lo = Math.max(floor, end - 5);
  const paren = d.length + 2;
  if (end - paren >= lo && compact.charCodeAt(end - 1) === 0x29 && compact.charCodeAt(end - paren) === 0x28 && compact.startsWith(d, end - paren + 1)) return paren;
  const sep = compact.charCodeAt(end - 1);
  if (end - d.length - 1 >= lo && (sep === 0x2e || sep === 0x3001 || sep === 0xff0e) && compact.startsWith(d, end - d.length - 1)) return d.length + 1;
  return 0;
}

/** Start of the whole label, walking back from the anchor over label text and its item number. */
function labelStart(s: Stream, hit: Hit, floor: number, item?: number): number {
  const compact = s.compact;
  // The label is the text of the anchor's own cell or line before the anchor phrase.
  const unit = s.units[unitAt(s, textOffset(s, hit.start))];
  floor = Math.max(floor, compactIndex(s, unit.start));
  let i = hit.start;
  let steps = 0;
  while (i > floor && steps < 40 && isLabelChar(compact.charCodeAt(i - 1))) {
    i--;
    steps++;
  }
  if (item !== undefined) {
    // "、" is a label character (不补正、行政机关), so the walk stops inside "1、申请人…", at
    // the 、 after the item's digits: the item number then ends one character further.
    const end = i < hit.start && compact.charCodeAt(i) === 0x3001 ? i + 1 : i;
    const n = itemNumberBefore(compact, end, floor, item);
    if (n > 0) i = end - n;
  }
  return i;
}

/** Find the rows of one table between compact indexes [from, to). */
export function readRows(s: Stream, rows: readonly RowSpec[], from: number, to: number): Map<string, RowRead> {
  // Searching a prefix that ends with the table keeps a missing label from scanning the rest.
  const c = to >= s.compact.length ? s.compact : s.compact.slice(0, to);
  const hits = new Map<string, Hit>();
  const finder = new AnchorFinder(c);
  let pos = from;
  let view: LabelView | undefined;
  rows.forEach((row, i) => {
    let hit = earliest(finder, row.anchors, pos, to);
    if (!hit) {
      // Every anchor broken: perhaps by the row's own values printed inside its label.
      view ??= labelView(c, from, to);
      hit = earliestAcrossValues(c, view, row.anchors, pos, to);
    }
    if (!hit) return;
    let next = rows[i + 1] ? earliest(finder, rows[i + 1].anchors, pos, to) : null;
    if (next && next.start < hit.start) {
      // The next row's phrase comes first: either this row is absent, or that phrase was only
      // mentioned in text before the table (a sentence such as 无上年结转申请 above table 3).
      // The row is absent only when the next row's label does not also follow this one.
      next = earliest(finder, rows[i + 1].anchors, hit.end, to);
      if (!next) return;
    }
    // A label printed twice (a heading above its own little table, then the row) anchors at
    // its last repetition before the next row's label: the same phrase again, in another cell
    // or line (a wrapped label holding a second anchor phrase is still one label).
    let last = hit;
    for (; hit.valuesFrom === undefined; ) {
      const again = earliest(finder, [hit.anchor!], last.end, next ? next.start : to);
      if (!again) break;
      last = again;
    }
    hits.set(row.key, last);
    pos = last.end;
  });
  // Fallback anchors fill gaps between found neighbours (e.g. a single "(六)其他处理" row).
  rows.forEach((row, i) => {
    if (hits.has(row.key) || !row.fallbackAnchors) return;
    let lo = from;
    for (let j = i - 1; j >= 0; j--) if (hits.has(rows[j].key)) { lo = hits.get(rows[j].key)!.end; break; }
    let hi = to;
    for (let j = i + 1; j < rows.length; j++) if (hits.has(rows[j].key)) { hi = hits.get(rows[j].key)!.start; break; }
    const hit = earliest(finder, row.fallbackAnchors, lo, hi);
    if (hit) hits.set(row.key, hit);
  });
  let ordered = inTextOrder(rows, hits);
  // A label found whole but with no number after it, before the next label, may have printed its
  // values inside itself, breaking an earlier anchor phrase ("5.属于三类内 0 … 0" / "部事务信息"
  // holds 事务信息 whole): that earlier, broken occurrence is the label, after the row before.
  let moved = false;
  ordered.forEach((row, k) => {
    const hit = hits.get(row.key)!;
    if (hit.valuesFrom !== undefined) return;
    const nextStart = k + 1 < ordered.length ? hits.get(ordered[k + 1].key)!.start : to;
    if (hasValueNumber(c, hit.end, nextStart)) return;
    const prevEnd = k > 0 ? hits.get(ordered[k - 1].key)!.end : from;
    view ??= labelView(c, from, to);
    const broken = earliestAcrossValues(c, view, row.anchors, prevEnd, hit.start);
    if (broken && broken.end <= hit.start + (hit.end - hit.start)) {
      hits.set(row.key, broken);
      moved = true;
    }
  });
  if (moved) ordered = inTextOrder(rows, hits);
  const out = new Map<string, RowRead>();
  ordered.forEach((row, k) => {
    const hit = hits.get(row.key)!;
    const nextRow = ordered[k + 1];
    const endC = nextRow ? labelStart(s, hits.get(nextRow.key)!, hit.end, nextRow.item) : to;
    const fromT = hit.valuesFrom !== undefined ? textOffset(s, hit.valuesFrom) : textOffset(s, hit.end - 1) + 1;
    const toT = endC >= s.compact.length ? s.text.length : textOffset(s, endC);
    const toks = tokensBetween(s, fromT, toT);
    const anchorUnit = unitAt(s, textOffset(s, hit.start));
    const got = collect(s, toks, anchorUnit);
    const tokens = row.item !== undefined ? withoutOwnItemNumber(s, got.tokens, row.item) : got.tokens;
    // One object shape for every row (a spread of collect's result was several times slower).
    out.set(row.key, { key: row.key, tokens, orphans: got.orphans, glued: got.glued, continued: got.continued, withEmptyLines: got.withEmptyLines, place: s.units[anchorUnit].place, labelText: c.slice(hit.start, hit.end), anchorUnit, labelOffset: textOffset(s, hit.start), labelEnd: fromT });
  });
  return out;
}

/**
 * The row's values without its own item number printed bare among them ("5."), where the other
 * values share lines: pdftotext -layout prints a wrapped label's number on a line of its own
 * between the row's first value and the rest ("属于三类内部事务 13" / "5." / "0 0 0 0 0 13").
 * A bare number is otherwise a value (bareItemsToText): in pdftotext's default mode every value
 * is alone on its line, and a column of item numbers runs between them.
 */
function withoutOwnItemNumber(s: Stream, toks: ValueTok[], item: number): ValueTok[] {
  let own = -1;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (!isBareItem(t)) continue;
    if (t.value !== item || own >= 0) return toks;
    own = k;
  }
  if (own < 0) return toks;
  let shared = false;
  for (let k = 1; k < toks.length && !shared; k++) {
    if (k === own || k - 1 === own) continue;
    const a = toks[k - 1];
    const b = toks[k];
    shared = a.kind !== 'blank' && b.kind !== 'blank' && a.unitIndex === b.unitIndex && !s.units[a.unitIndex].inRow;
  }
  return shared ? toks.filter((_, k) => k !== own) : toks;
}

/**
 * The rows found, in the order of their labels in the text (ties in template order). Most tables
 * are printed in template order: then nothing is sorted.
 */
export function inTextOrder(rows: readonly RowSpec[], hits: Map<string, Hit>): RowSpec[] {
  const found: RowSpec[] = [];
  const starts: number[] = [];
  let sorted = true;
  for (const r of rows) {
    const h = hits.get(r.key);
    if (!h) continue;
    if (starts.length && h.start < starts[starts.length - 1]) sorted = false;
    found.push(r);
    starts.push(h.start);
  }
  if (sorted) return found;
  const idx = found.map((_, i) => i).sort((x, y) => starts[x] - starts[y]);
  return idx.map((i) => found[i]);
}

const BLOCK_HEADING = '第二十条';

function collect(s: Stream, toks: ValueTok[], anchorUnit: number): { tokens: ValueTok[]; orphans: number; glued: boolean; continued?: ValueTok[]; withEmptyLines?: ValueTok[] } {
  const units = s.units;
  const anchor = units[anchorUnit];
  const rowBlock = anchor.inRow ? anchor.block : -1;
  let valueInAnchorRow = false;
  if (rowBlock >= 0) {
    for (const t of toks) {
      if ((t.kind === 'number' || t.kind === 'placeholder' || t.kind === 'cut') && units[t.unitIndex].block === rowBlock) {
        valueInAnchorRow = true;
        break;
      }
    }
  }
  const vals: ValueTok[] = [];
  // The first value that is not a blank cell (vals holds no other value before it).
  let firstValue: ValueTok | undefined;
  let ended = false;
  let orphans = 0;
  let lastValueBlock = -2;
  // Values after label text that followed the first values, in a row of plain lines; dropped
  // (undefined) when anything else ended the row.
  let continued: ValueTok[] | undefined;
  // vals with the lines that may be empty cells among them, from the first such line on.
  let withLines: ValueTok[] | undefined;
  // Units holding another label before the first value (see below).
  let otherLabels: number[] | undefined;
  let displaced = false;
  for (const t of toks) {
    const block = units[t.unitIndex].block;
    const inAnchorRow = rowBlock >= 0 && block === rowBlock;
    if (valueInAnchorRow && !inAnchorRow) {
      ended = true;
      continued = undefined;
    }
    if (t.kind === 'text') {
      // Another row's item label or a column header between the label and its first value, on
      // a line or in a cell of its own: the text is in drawing order, not row by row
      // (pdftotext's default mode prints a label column, then headers, then values), so the
      // values after it may be another row's. (pdftotext -layout prints a block label centred
      // beside its rows, "（三） 0 2 0 0 2 0 4", on the values' own line: no sign of that.)
      if (!firstValue && !ended && OTHER_LABEL.test(t.raw)) (otherLabels ??= []).push(t.unitIndex);
      // A table-2 block heading between a label and any value: the row printed its values
      // elsewhere (pdftotext's default mode can put them before the label), and what follows
      // belongs to the next block.
      if (t.raw.includes(BLOCK_HEADING)) {
        ended = true;
        continued = undefined;
      } else if (firstValue) {
        if (!ended && rowBlock < 0 && !anchor.inRow) continued = [];
        ended = true;
      }
      continue;
    }
    if (ended) {
      if (t.kind !== 'blank') {
        orphans++;
        continued?.push(t);
      }
      continue;
    }
    if (t.kind === 'blank') {
      if (inAnchorRow || block === lastValueBlock) {
        vals.push(t);
        withLines?.push(t);
      } else if (units[t.unitIndex].emptyLine) (withLines ??= vals.slice()).push(t);
      continue;
    }
    vals.push(t);
    withLines?.push(t);
    if (!firstValue && otherLabels) displaced = otherLabels.some((u) => u !== t.unitIndex);
    firstValue ??= t;
    lastValueBlock = units[t.unitIndex].inRow ? block : -3;
  }
  // A displaced row's values are all orphans: the row is left uncertain, whatever its count.
  if (displaced && firstValue) return { tokens: [], orphans: orphans + vals.filter((v) => v.kind !== 'blank').length, glued: false };
  return { tokens: vals, orphans, glued: !!firstValue?.glued, continued: continued?.length ? continued : undefined, withEmptyLines: withLines };
}

// An item label of a table-3 block or row, "（三）" or "三、" (as a word of its own or opening
// one), or a header of tables 2 and 3 (the template's wording, as the stream holds it: NFKC):
// never part of a row's own label after its anchor. 其他 and 总计 are left out: row labels hold
// them ("不计其他情形", "（七）总计").
const OTHER_LABEL = new RegExp(
  '^(?:[(][一二三四五六七八九十][)]|[一二三四五六七八九十]、)|' +
    [
      TABLE3_APPLICANTS,
      TABLE3_ORGS,
      ...APPLICANT_COLUMNS.filter((c) => c !== 'otherOrg').map((c) => TABLE3_COLUMN_LABELS[c].zh),
      ...new Set([...TABLE2['2019'], ...TABLE2['2021']].flatMap((d) => d.fields.map((f) => f.label.zh))),
    ]
      .map((w) => nfkc(w).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))
      .join('|'),
);

/**
 * LibreOffice's text export writes a table one cell per line, and an empty cell holding a no-break
 * space (a document made from a web page) as a line of that space. Such lines are also left by
 * merged cells (seed 000 has five after a row), and an empty cell holding nothing becomes an
 * empty line, which no reader can count. So they are read as the table's empty cells only where
 * that makes every row found exactly as wide as its template row, with no value left over: then
 * every row reads them; otherwise none does, and rows short of cells stay to placement under
 * uncertainty. True when they were read.
 */
export function adoptEmptyLines(s: Stream, rows: Map<string, RowRead>, width: (key: string) => number): boolean {
  let any = false;
  for (const [key, r] of rows) {
    if (r.orphans > 0 || (r.withEmptyLines ?? r.tokens).length !== width(key)) return false;
    if (!r.withEmptyLines) continue;
    // The export writes a row's cells on the lines straight after its label. An empty line among
    // them may be a dropped empty cell, which a stray line elsewhere would stand in for.
    const label = s.units[unitAt(s, r.labelEnd - 1)].place.line;
    if (label === undefined || !onConsecutiveLines(r.withEmptyLines, label + 1)) return false;
    any = true;
  }
  if (!any) return false;
  for (const [key, r] of rows) if (r.withEmptyLines) rows.set(key, { ...r, tokens: r.withEmptyLines, withEmptyLines: undefined });
  return true;
}

/**
 * LibreOffice's text export writes each cell of a table row on its own line straight after the
 * row's label, an empty cell as an empty line, and the cells that merged labels cover as more
 * empty lines between rows. There an empty line inside the row's lines is an empty cell, and a
 * value's column is how far its line is from the label's. Read so only where the whole table
 * agrees: every row found has its values within the `width` lines after its label's last line,
 * each alone on its line, with nothing but empty lines (or lines of no-break spaces) among them,
 * none left over, and nothing else on those lines. A label that wraps onto the next line, a
 * value on the label's line, a row whose values were left out, or
 * values one per paragraph with empty lines between (seeds 000, 004: every value two lines on)
 * fail that in some row, and then no row is read by position.
 * 'dense': every row is whole and on consecutive lines (nothing to read by position, but the
 * table is in this layout); 'read': rows were read by position; 'no'.
 */
export function readByLinePosition(s: Stream, rows: Map<string, RowRead>, width: (key: string) => number): 'read' | 'dense' | 'no' {
  const read = new Map<string, ValueTok[]>();
  let dense = true;
  for (const [key, r] of rows) {
    const n = width(key);
    const toks = r.withEmptyLines ?? r.tokens;
    const labelUnit = unitAt(s, r.labelEnd - 1);
    const label = s.units[labelUnit].place.line;
    if (r.orphans > 0 || label === undefined || toks.length > n) return 'no';
    const cells: (ValueTok | undefined)[] = new Array(n);
    const own = new Set<number>();
    let prevLine = label;
    let lastUnit = labelUnit;
    for (const t of toks) {
      const u = s.units[t.unitIndex];
      const line = t.place.line;
      if (line === undefined || line <= prevLine || line > label + n || u.inRow || own.has(t.unitIndex)) return 'no';
      own.add(t.unitIndex);
      cells[line - label - 1] = t;
      prevLine = line;
      lastUnit = t.unitIndex;
    }
    // Between the label and the last value: only the values' lines and empty ones; and nothing
    // else within the row's lines after it (a row whose values were left out, not written as
    // empty lines, has the next label there).
    for (let ui = labelUnit + 1; ui < lastUnit; ui++) if (!own.has(ui) && !s.units[ui].emptyLine) return 'no';
    let next = lastUnit + 1;
    while (next < s.units.length && s.units[next].emptyLine) next++;
    const nextLine = next < s.units.length ? s.units[next].place.line : undefined;
    if (nextLine !== undefined && nextLine <= label + n) return 'no';
    if (toks.length === n && toks.every((t) => t.kind !== 'blank') && prevLine === label + n) continue;
    dense = false;
    const anchor = s.units[r.anchorUnit];
    read.set(key, Array.from(cells, (t, k) => t ?? blankTok({ line: label + k + 1 }, r.anchorUnit, anchor.start)));
  }
  if (dense) return rows.size > 0 ? 'dense' : 'no';
  for (const [key, toks] of read) rows.set(key, { ...rows.get(key)!, tokens: toks, withEmptyLines: undefined });
  return 'read';
}

/** Each token is alone on its line, and the lines follow one another from `first` (any when undefined). */
export function onConsecutiveLines(toks: readonly ValueTok[], first?: number): boolean {
  let line = first;
  for (const t of toks) {
    const l = t.place.line;
    if (l === undefined || (line !== undefined && l !== line)) return false;
    line = l + 1;
  }
  return true;
}

const TABLE4_HEADER = /维持|纠正|结果|审结|总计|起诉/;
const TABLE3_TAIL = /\(七\)[总合]计|（七）[总合]计|结转(?:下一?年度|至下)/;
// A sentence or a note ("注：…", "说明：…") after table 4's values: header cells hold no such
// punctuation, so this is text under the table, even when it names 行政复议 or 结果纠正.
const NOTE_TEXT = /[。；;，,]|^\s*(?:注|说明|备注)\s*\d*\s*[:：]/;

/** Table 4: the values that follow its header words (one run of 15, or one run per group). */
export function readTable4(s: Stream, from: number, to: number): { tokens: ValueTok[]; withEmptyLines?: ValueTok[]; headerWhole: boolean; headerEnd: number; glued: boolean; place: Place | null; extent: [number, number] | null } {
  const toks = tokensBetween(s, textOffset(s, from), to >= s.compact.length ? s.text.length : textOffset(s, to));
  const vals: ValueTok[] = [];
  // vals with the lines that may be empty cells (Unit emptyLine) among them, from the first such
  // line after the header's last word: read instead where they make exactly 15 cells.
  let lines: ValueTok[] | undefined;
  let armed = false;
  let inRun = false;
  let runBlock = -2;
  // Text offset just after the last header word before the first value (-1: none).
  let headerEnd = -1;
  let solidSeen = false;
  for (const t of toks) {
    if (t.kind === 'text') {
      if (!solidSeen) headerEnd = t.offset + t.raw.length;
      if (NOTE_TEXT.test(t.raw) && vals.some((v) => v.kind === 'number' || v.kind === 'placeholder')) break;
      // Such lines among the header's words are no cells.
      if (lines && !lines.some((v) => v.kind !== 'blank')) lines = undefined;
      // Table 3's last rows ("(七)总计", "四、结转下年度继续办理") hold 总计 but are no table-4
      // header: a region that starts inside table 3 (its 四 heading read out of place, as a PDF
      // of a report in a borderless layout table does) would read their values as table 4.
      if (TABLE3_TAIL.test(t.raw)) armed = false;
      else if (TABLE4_HEADER.test(t.raw)) armed = true;
      else if (inRun) armed = false;
      inRun = false;
      continue;
    }
    if (!armed) continue;
    if (t.kind === 'blank') {
      if (inRun && s.units[t.unitIndex].block === runBlock) {
        vals.push(t);
        lines?.push(t);
      } else if (s.units[t.unitIndex].reliableBlank && s.units[t.unitIndex].inRow) {
        vals.push(t);
        lines?.push(t);
        inRun = true;
        runBlock = s.units[t.unitIndex].block;
      } else if (s.units[t.unitIndex].emptyLine) (lines ??= vals.slice()).push(t);
      continue;
    }
    vals.push(t);
    lines?.push(t);
    if (t.kind === 'number' || t.kind === 'placeholder') solidSeen = true;
    inRun = true;
    runBlock = s.units[t.unitIndex].block;
  }
  // Drop blank cells at the very start that precede the first value's row. So also cut cells:
  // a header cell cut by the page edge (its 总计 lost) is no value; a values row with nothing
  // but cut cells keeps them (every cell unknown).
  const firstSolid = vals.find((v) => v.kind === 'number' || v.kind === 'placeholder');
  while (vals.length && (vals[0].kind === 'blank' || vals[0].kind === 'cut') && firstSolid && s.units[vals[0].unitIndex].block !== s.units[firstSolid.unitIndex].block) vals.shift();
  // Likewise blank cells after the last value's row: an empty row under the table (Word's HTML
  // closes a table with a row of empty width cells) is no value, and as padding past 15 cells
  // it would make a row that starts with a blank look shiftable.
  let lastSolid: ValueTok | undefined;
  for (const v of vals) if (v.kind === 'number' || v.kind === 'placeholder') lastSolid = v;
  while (vals.length && vals[vals.length - 1].kind === 'blank' && lastSolid && s.units[vals[vals.length - 1].unitIndex].block !== s.units[lastSolid.unitIndex].block) vals.pop();
  const first = vals.find((v) => v.kind !== 'blank');
  // Where the table starts: its first short header cell (narrative before it may name 行政复议 too).
  let start: number | null = null;
  for (const t of toks) {
    if (t.kind !== 'text') continue;
    const u = s.units[t.unitIndex];
    if (/行政复议|行政诉讼|结果维持/.test(t.raw) && (u.inRow || (shortCell(s.text, u.start, u.end, 16) && !/[。，,；;：:]/.test(s.text.slice(u.start, u.end))))) {
      start = u.start;
      break;
    }
    // Crawler text: the header runs on in one long line.
    if (/^行政复议.{0,4}行政诉讼.{0,24}结果维持/.test(t.raw)) {
      start = t.offset;
      break;
    }
  }
  const lastTok = vals[vals.length - 1];
  const lastEnd = lastTok ? (lastTok.kind === 'blank' ? s.units[lastTok.unitIndex].end : lastTok.offset + lastTok.raw.length) : 0;
  // The header's last column group, 复议后起诉, printed before the first value (wherever the
  // line breaks fall): the table was laid out whole. pdftotext's default mode can print that
  // group, header and values, after the next section's heading, out of this region.
  const valuesFrom = firstSolid ? compactIndex(s, firstSolid.offset) : -1;
  const afterReview = valuesFrom > from ? s.compact.indexOf('复议后起诉', from) : -1;
  const headerWhole = afterReview >= 0 && afterReview < valuesFrom;
  return { tokens: vals, withEmptyLines: lines, headerWhole, headerEnd, glued: !!first?.glued, place: first?.place ?? null, extent: start !== null && lastTok ? [start, lastEnd] : null };
}

/**
 * text[a, b) holds at most `max` characters besides white space (RegExp \s), as its copy without
 * white space would tell; counted only up to the limit, so a crawler line of a whole page costs
 * no more than a header cell.
 */
export function shortCell(text: string, a: number, b: number, max: number): boolean {
  let n = 0;
  for (let i = a; i < b; i++) if (!isSpaceCode(text.charCodeAt(i)) && ++n > max) return false;
  return true;
}

/** Text extent [start, end) of the rows read: from the first label to the last value. */
export function rowsExtent(s: Stream, rows: Iterable<RowRead>): [number, number] | null {
  let a = Infinity;
  let b = -Infinity;
  for (const r of rows) {
    a = Math.min(a, headStart(s, r.labelOffset));
    b = Math.max(b, r.labelEnd);
    for (const t of r.tokens) b = Math.max(b, t.kind === 'blank' ? s.units[t.unitIndex].end : t.offset + t.raw.length);
  }
  return a === Infinity ? null : [a, b];
}

/** Start of the cell or line holding `off`, unless that is a long run of text (crawler pages). */
export function headStart(s: Stream, off: number): number {
  const u = s.units[unitAt(s, off)];
  if (u.end - u.start <= 80) return u.start;
  let i = off;
  while (i > u.start && /[(（\s]/.test(s.text[i - 1])) i--;
  return i;
}

/**
 * rowCandidates of the row's tokens (toTokens), with a row of exactly n tokens read as written
 * at once: its values, a cut cell's CUT, without the tokens copied first.
 */
export function rowCandidatesOf(vals: ValueTok[], n: number, runTogether: boolean, prefixOk?: (v: Vector, upTo: number) => boolean): RowCandidates {
  if (vals.length === n) {
    const v: Vector = [];
    for (let i = 0; i < n; i++) v.push(vals[i].kind === 'cut' ? CUT : vals[i].value);
    return { candidates: [v], direct: true };
  }
  return rowCandidates(toTokens(vals, runTogether), n, runTogether, prefixOk);
}

export function toTokens(vals: ValueTok[], runTogether: boolean): Token[] {
  return vals.map((v) => ({
    kind: v.kind === 'text' ? 'blank' : v.kind,
    value: v.kind === 'cut' ? CUT : v.value,
    digits: runTogether && v.kind === 'number' && v.unit === undefined ? v.digits : undefined,
  }));
}

export { compactIndex };
