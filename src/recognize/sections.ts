// The six statutory parts and any extra parts (spec §1): headings found at line starts, or
// mid-line with their numeral (crawler text runs a whole page into one line).
import { SECTIONS, type SectionKey } from '../model/template.js';
import { unitAt, type Stream } from './stream.js';

export interface Heading {
  key: SectionKey | 'extra';
  title: string;
  start: number; // text offset of the heading
  end: number; // text offset after the heading
}

const NUMERAL = '[一二三四五六七八九十]{1,2}';

function lineStartAt(text: string, off: number): boolean {
  for (let i = off - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === '\n') return true;
    if (!/[\s#*>•·]/.test(ch)) return false;
  }
  return true;
}

const EXTRA_HEADING = new RegExp(`(?:^|\\n)[ \\t#]*(${NUMERAL})\\s*[、.．]\\s*([^\\n]{2,30})(?=\\n)`, 'g');

/** Find statutory headings in order, then extra numbered parts after the last statutory one. */
export function findHeadings(s: Stream, tableSpans: (h: Heading[]) => [number, number][] = () => []): Heading[] {
  const text = s.text;
  const found: Heading[] = [];
  let pos = 0;
  for (const def of SECTIONS) {
    const h = findOne(text, def.key, def.numeral, def.core, pos);
    if (h) {
      found.push(h);
      pos = h.end;
    }
  }
  // Extra parts: numbered short headings after the problems part (e.g. 六、下步工作计划).
  // Only after 五: earlier, a numbered line may be a table row label (一、本年新收…).
  const anchor = found.find((h) => h.key === 'problems');
  if (anchor) {
    const spans = tableSpans(found);
    const re = EXTRA_HEADING;
    re.lastIndex = anchor.end;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const start = m.index + (m[0].startsWith('\n') ? 1 : 0);
      if (found.some((h) => h.start === start)) continue;
      if (spans.some(([a, b]) => start >= a && start < b)) continue;
      if (s.units[unitAt(s, start)].inRow) continue; // a table cell is never a heading
      const title = `${m[1]}、${m[2].trim()}`;
      if (/[。；;]$/.test(title) || /^[一二三四五六七八九十]+、(?:是|要)/.test(title)) continue;
      found.push({ key: 'extra', title: m[0].trim().replace(/^#+\s*/, ''), start, end: m.index + m[0].length });
    }
    found.sort((a, b) => a.start - b.start);
  }
  return found;
}

// The heading patterns of each part and its core phrase alone, compiled once (the search reuses them via lastIndex).
const patterns = new Map<RegExp, { numbered: RegExp; bare: RegExp; alone: RegExp }>();
/** `bare` is sticky: tried at one place (bareHeading), it does not search on from there. */
function patternsOf(core: RegExp): { numbered: RegExp; bare: RegExp; alone: RegExp } {
  let p = patterns.get(core);
  if (!p) {
    p = {
      numbered: new RegExp(`(${NUMERAL})\\s*[、.．]\\s*([^\\n]{0,40}?)(${core.source})([^\\n]{0,16})`, 'g'),
      alone: new RegExp(core.source, 'g'),
      bare: new RegExp(`(?:^|\\n)[ \\t#]*((?:行政机关|政府信息公开工作|因政府信息公开工作被申请|政府信息公开)?[^\\n(（]{0,6}?(?:${core.source})[^\\n]{0,10})(?=\\n|$)`, 'y'),
    };
    patterns.set(core, p);
  }
  return p;
}

function findOne(text: string, key: SectionKey, numeral: string, core: RegExp, from: number): Heading | null {
  const { numbered, bare, alone } = patternsOf(core);
  // Both patterns hold the part's core phrase: where it does not occur, neither matches, and
  // no match starts much before its next occurrence (numberedFloor). Searching the phrase
  // alone is far cheaper than trying every numeral or line start on the way to it, above all
  // in crawler text run into one line, where every part is searched to the end for a heading
  // at a line start.
  alone.lastIndex = from;
  const first = alone.exec(text);
  if (!first) return null;
  // 1. Numbered heading at a line start: "二、主动公开政府信息情况", "## 二、…", "一、 2020年度 政务公开活动工作情况".
  numbered.lastIndex = from;
  let m: RegExpExecArray | null;
  let midLine: Heading | null = null;
  for (;;) {
    // The phrase's first occurrence from where the search goes on.
    alone.lastIndex = numbered.lastIndex;
    const next = alone.exec(text);
    if (!next) break;
    numbered.lastIndex = Math.max(numbered.lastIndex, numberedFloor(text, next.index));
    if (!(m = numbered.exec(text))) break;
    const start = m.index;
    const prefixOk = m[2].length <= 20 && !/[。；，,\d]/.test(m[2].replace(/\d{4}\s*年度?/, ''));
    if (!prefixOk) {
      numbered.lastIndex = m.index + 1; // the real heading may start inside this match
      continue;
    }
    if (lineStartAt(text, start)) {
      const lineEnd = text.indexOf('\n', start);
      const end = lineEnd < 0 ? text.length : lineEnd;
      const title = text.slice(start, end).trim();
      // The heading starts at its line start, so "## " or indentation never stays in the body above.
      if (title.length <= 60) return { key, title: cleanTitle(title), start: text.lastIndexOf('\n', start - 1) + 1, end };
    }
    // Mid-line: only with the part's own numeral, the form crawler text keeps.
    if (!midLine && m[1] === numeral) {
      const coreEnd = m.index + m[1].length + m[0].indexOf(m[3]) - m[1].length + m[3].length;
      midLine = { key, title: cleanTitle(text.slice(start, coreEnd)), start, end: coreEnd };
    }
  }
  // 2. Heading without numeral, alone on its line (seed 002): the line holding the phrase, or a later one.
  const b = bareHeading(text, bare, alone, first.index, from);
  if (b) {
    const start = b.index + (b[0].startsWith('\n') ? 1 : 0);
    const h: Heading = { key, title: cleanTitle(b[1].trim()), start, end: b.index + b[0].length };
    if (!midLine || h.start < midLine.start) return h;
  }
  return midLine;
}

// Characters a bare heading's line may hold before its core phrase, after the white space and
// "#" that open it: the longest prose prefix the pattern allows (12) and 6 more.
const BARE_LEAD = 18;

/**
 * The first match of the bare pattern from `from`. Each match holds the core phrase, a few
 * characters after the start of its line: so the line starts of the phrase's occurrences (from
 * the first, at `core`) are the only places a match can start, and the pattern is tried there
 * alone. Searching for line starts instead tried every line from the first occurrence's line to
 * the text's end, and crawler text (the page in a few long lines) was scanned back and forth.
 */
function bareHeading(text: string, bare: RegExp, alone: RegExp, core: number, from: number): RegExpExecArray | null {
  let tried = -2;
  for (let c = core; c >= 0; ) {
    const p = bareLineStart(text, c);
    if (p >= from && p > tried) {
      tried = p;
      bare.lastIndex = p;
      const m = bare.exec(text);
      if (m) return m;
    }
    alone.lastIndex = c + 1;
    const next = alone.exec(text);
    c = next ? next.index : -1;
  }
  return null;
}

/**
 * Where a bare heading holding the phrase at `c` starts (the "\n" before its line, or 0 for the
 * text's first line), when its line start is near enough: at most BARE_LEAD characters, then
 * spaces, tabs and "#", back from `c`. -1 otherwise.
 */
function bareLineStart(text: string, c: number): number {
  let i = c - 1;
  for (let k = 0; k < BARE_LEAD && i >= 0 && text.charCodeAt(i) !== 10; k++) i--;
  for (; i >= 0; i--) {
    const ch = text.charCodeAt(i);
    if (ch !== 0x20 && ch !== 0x09 && ch !== 0x23) break;
  }
  if (i < 0) return 0;
  return text.charCodeAt(i) === 10 ? i : -1;
}

/**
 * No match of the numbered pattern holding the core phrase at `core` starts before this: its
 * prefix is at most 40 characters of the phrase's own line, before which come only white space,
 * the separator, white space and at most two numerals. A match holding a later occurrence of
 * the phrase starts no earlier (the phrase itself is not white space), so from here the first
 * match is the same as from anywhere before.
 */
function numberedFloor(text: string, core: number): number {
  let i = core;
  for (let k = 0; k < 40 && i > 0 && text.charCodeAt(i - 1) !== 10; k++) i--;
  while (i > 0 && WHITE.test(text[i - 1])) i--;
  i--; // the separator
  while (i > 0 && WHITE.test(text[i - 1])) i--;
  return Math.max(0, i - 2);
}
const WHITE = /\s/;

function cleanTitle(t: string): string {
  return t.replace(/^#+\s*/, '').replace(/\s+/g, ' ').trim();
}
