// Text normalisation and cell-value parsing (spec §7). Pure functions.

/** NFKC (full-width → ASCII), NBSP and ideographic space → space. Keeps length roughly stable. */
export function nfkc(s: string): string {
  return nfkcFastOnly(s) ?? fullNfkc(s);
}

/**
 * NFKC of `s` from the table below, or null when `s` holds a character outside it. Most
 * strings need no change and are returned as they are; text is copied only from the first
 * character that changes.
 */
export function nfkcFastOnly(s: string): string | null {
  let out: string | null = null;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xa0 || (c >= 0x4e00 && c <= 0x9fff)) continue;
    const m = FAST[c];
    if (m === KEEP) continue;
    if (m === 0) return null;
    out = (out === null ? '' : out) + s.slice(from, i) + String.fromCharCode(m);
    from = i + 1;
  }
  return out === null ? s : out + s.slice(from);
}

// Scratch buffers for nfkcCompact (strings are copied out before returning), kept up to 4 Mi code units.
const SCRATCH_MAX = 1 << 22;
let textScratch = new Uint16Array(0);
let compactScratch = new Uint16Array(0);

export interface Compacted {
  /** nfkcFastOnly of the units, each with its line breaks as spaces and followed by "\n". */
  text: string;
  /** `text` without white space (RegExp \s). */
  compact: string;
  /** Run k of non-space text starts at text offset segText[k] and compact index segCompact[k]. */
  segText: number[];
  segCompact: number[];
}

/**
 * nfkcFastOnly of a document's units, each with its line breaks as spaces and followed by "\n",
 * as one string (the stream's text), and its compact view, in one pass over them (no joined
 * copy first).
 * Full-width punctuation (，（）：) is in nearly every line of a report, so most text changes,
 * and building the result in one buffer costs less than a rope of slices per change. The table
 * maps one code unit to one, so the result has the input's length and offsets carry over; and
 * the only white space it leaves is ASCII (it maps NBSP and U+3000 to a space, and has no entry
 * for the other space characters). Null when a character needs the full normalisation (which
 * may change the length).
 */
export function nfkcCompact(units: readonly string[]): Compacted | null {
  if (!LITTLE_ENDIAN) return null; // the caller's per-string path
  let n = units.length;
  for (let u = 0; u < units.length; u++) n += units[u].length;
  // Report-sized documents reuse the scratch buffers; a huge one (a 50 MB line) gets its own,
  // dropped after this call, so that one such input does not hold memory for the process's life.
  const big = n > SCRATCH_MAX;
  if (!big && textScratch.length < n) {
    textScratch = new Uint16Array(Math.max(n, 32 * 1024));
    compactScratch = new Uint16Array(textScratch.length);
  }
  const out = big ? new Uint16Array(n) : textScratch;
  const cout = big ? new Uint16Array(n) : compactScratch;
  const segText: number[] = [];
  const segCompact: number[] = [];
  let i = 0;
  let cn = 0;
  for (let u = 0; u < units.length; u++) {
    const s = units[u];
    let inRun = false;
    for (let k = 0; k < s.length; k++, i++) {
      let c = s.charCodeAt(k);
      if (c < 0xa0) {
        if (c === 0x20 || (c >= 9 && c <= 13)) {
          out[i] = c === 0x0a ? 0x20 : c; // a line break inside a unit (a cell's) is a space
          inRun = false;
          continue;
        }
      } else if (c < 0x4e00 || c > 0x9fff) {
        const m = FAST[c];
        if (m === 0) return null;
        if (m !== KEEP) {
          c = m;
          if (c === 0x20) {
            out[i] = c;
            inRun = false;
            continue;
          }
        }
      }
      out[i] = c;
      if (!inRun) {
        segText.push(i);
        segCompact.push(cn);
        inRun = true;
      }
      cout[cn++] = c;
    }
    out[i++] = 0x0a; // the unit's closing "\n"
  }
  return { text: u16String(out, n), compact: u16String(cout, cn), segText, segCompact };
}

function u16String(buf: Uint16Array, n: number): string {
  return n === 0 ? '' : Buffer.from(buf.buffer, buf.byteOffset, n * 2).toString('utf16le');
}
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The definition the fast path must equal (test/normalize.test.ts checks it does). */
export function fullNfkc(s: string): string {
  return s.normalize('NFKC').replace(/[\u00a0\u2002-\u200b\u3000\ufeff]/g, ' ');
}

// Per UTF-16 code unit: 0 = needs the full normalisation, KEEP = NFKC keeps it, else the one
// code unit NFKC (and the space rule) maps it to. Every character listed is a starter that
// composes with no other listed character, so a string of them normalises character by
// character; combining marks, Hangul, surrogates and the rest are not listed. ASCII and the
// CJK Unified Ideographs (the bulk of every report) are tested inline before the table.
const KEEP = 1;
const FAST = new Uint16Array(0x10000);
for (const [a, b] of [
  [0x00a1, 0x00a7], [0x00a9, 0x00a9], [0x00ab, 0x00ae], [0x00b0, 0x00b1], [0x00b6, 0x00b7], [0x00bb, 0x00bb], [0x00bf, 0x00ff], // Latin-1 signs and letters
  [0x0410, 0x044f], // basic Cyrillic (PDF font glyphs)
  [0x2010, 0x2010], [0x2012, 0x2016], [0x2018, 0x2023], [0x2027, 0x2027], [0x2030, 0x2032], [0x2035, 0x2035], // dashes, quotes, bullets, ‰ ′
  [0x20a0, 0x20a7], [0x20a9, 0x20c0], // currency signs
  [0x2500, 0x26ff], // box drawing, blocks, shapes, symbols
  [0x3001, 0x3029], [0x3030, 0x3035], [0x3037, 0x3037], [0x303b, 0x303f], // CJK punctuation (not the combining tone marks 302A–302F)
  [0x3041, 0x3096], [0x309d, 0x309e], [0x30a0, 0x30fe], [0x3100, 0x312f], // kana (not the combining sound marks), bopomofo
  [0xe000, 0xf8ff], // private use (glyphs of PDF fonts)
  [0xfffd, 0xfffd],
]) for (let c = a; c <= b; c++) FAST[c] = KEEP;
for (let c = 0xff01; c <= 0xff5e; c++) FAST[c] = c - 0xfee0; // full-width ASCII
FAST[0x00a0] = 0x20;
FAST[0x3000] = 0x20;

/** Remove every kind of white space (used for label matching). */
export function compact(s: string): string {
  return nfkc(s).replace(/\s+/g, '');
}

export type CellValue = number | null;

export interface ParsedValue {
  kind: 'number' | 'placeholder' | 'blank';
  value: CellValue;
  /** Unit written with the value (件, 项, 万元, 元 …). */
  unit?: string;
  raw: string;
}

// Placeholders meaning "nothing to report" are kept distinct from blank, but both are null.
const PLACEHOLDER = /^(?:\/|／|-{1,2}|—{1,2}|–|－|无|空|×|\\)$/;
const NUMBER = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|元|件|项|个|条|次|家|人)?$/;
// A minus printed as a typographic dash (Word's −, –, an IME's — or ——, which NFKC keeps):
// directly before digits it is the number's sign. Read as other text, the sign was dropped
// and "−3" became 3. A dash alone is still a placeholder (tested before this).
const DASH_MINUS = /^[\u2010-\u2015\u2212]{1,2}(?=\d)/;

/** True when `s` is one or more ASCII digits (what most value cells hold). */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Parse one cell's text. Returns null when the text is not a number, placeholder or blank. */
export function parseValue(raw: string): ParsedValue | null {
  const quick = quickValue(raw);
  return quick !== undefined ? quick : parseValueFull(raw);
}

/**
 * Fast paths for the commonest words, with the results the general path gives (undefined: not
 * decided here): plain digits are a number; a word opening with a CJK ideograph (which NFKC keeps
 * and nothing composes with) is neither a number nor, unless it is 无 or 空, a placeholder; and
 * see plainText.
 */
function quickValue(raw: string): ParsedValue | null | undefined {
  if (isDigits(raw)) {
    const n = Number(raw);
    if (Number.isFinite(n)) return { kind: 'number', value: n, raw };
  }
  const c0 = raw.charCodeAt(0);
  if (c0 >= 0x4e00 && c0 <= 0x9fff && c0 !== 0x65e0 && c0 !== 0x7a7a) return null;
  if (raw.length >= 2 && !signOrDigit(c0) && plainText(raw)) return null;
  return undefined;
}

/**
 * Every code unit is printable ASCII (no space) or a CJK ideograph: NFKC keeps each of them and
 * none is white space, so the path below tests the text as it is. Such a text of two or more
 * characters that does not open with a sign or a digit is neither a number (NUMBER opens with
 * one) nor a placeholder (the only one of two such characters is "--"): row labels ("(一)本年…",
 * "其他") are ruled out without the normalisation and the patterns.
 */
function plainText(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (!((c > 0x20 && c < 0x7f) || (c >= 0x4e00 && c <= 0x9fff))) return false;
  }
  return true;
}

function signOrDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 0x2b || c === 0x2d;
}

/** parseValue without its shortcuts: the definition they must agree with (test/normalize.test.ts). */
export function parseValueFull(raw: string): ParsedValue | null {
  const s = nfkc(raw).replace(/\s+/g, '').replace(/，/g, ',');
  if (s === '') return { kind: 'blank', value: null, raw };
  return parseNormal(s, raw);
}

/**
 * parseValue of a word of normalised text: NFKC output without white space, as the recogniser's
 * stream holds it. NFKC leaves such a word as it is (a substring cut at white space normalises to
 * itself) and it holds no white space and no "，" (NFKC makes it ","), so the normalisation and
 * the replaces are skipped: the same value from the patterns alone (test/normalize.test.ts).
 */
export function parseWord(w: string): ParsedValue | null {
  const quick = quickValue(w);
  if (quick !== undefined) return quick;
  if (w === '') return { kind: 'blank', value: null, raw: w };
  return parseNormal(w, w);
}

/** A placeholder or a number, from normalised text without white space; `raw` as written. */
function parseNormal(s: string, raw: string): ParsedValue | null {
  if (PLACEHOLDER.test(s)) return { kind: 'placeholder', value: null, raw };
  const m = NUMBER.exec(s.replace(DASH_MINUS, '-'));
  if (!m) return null;
  const n = Number(m[2].replace(/,/g, '') + (m[3] ?? ''));
  if (!Number.isFinite(n)) return null;
  const v = m[1] === '-' ? -n : n;
  return m[4] ? { kind: 'number', value: v, unit: m[4], raw } : { kind: 'number', value: v, raw };
}

export function isNumericText(raw: string): boolean {
  const p = parseValue(raw);
  return p !== null && p.kind !== 'blank';
}

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** Chinese numerals up to 99 (十, 十二, 二十三). */
export function cnNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '十') return 10;
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? CN_DIGIT[m[1]] : 1) * 10 + (m[2] ? CN_DIGIT[m[2]] : 0);
  if (s.length === 1 && s in CN_DIGIT) return CN_DIGIT[s];
  return null;
}
