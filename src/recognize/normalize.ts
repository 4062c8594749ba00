// Text normalisation and cell-value parsing (spec §7). Pure functions.

/** NFKC (full-width → ASCII), NBSP and ideographic space → space. Keeps length roughly stable. */
// Characters NFKC can change in Chinese government text; most lines hold none (a fast path).
const NFKC_SENSITIVE = /[\u00a0-\u00ff\u2000-\u218f\u2460-\u24ff\u2e80-\u2fdf\u3000\u3200-\u33ff\uf900-\ufaff\ufb00-\ufb4f\ufe10-\ufe6f\uff00-\uffef]/;

export function nfkc(s: string): string {
  if (!NFKC_SENSITIVE.test(s)) return s;
  return s.normalize('NFKC').replace(/[\u00a0\u2002-\u200b\u3000\ufeff]/g, ' ');
}

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
  // Fast paths for the two commonest words, with the results the general path gives:
  // plain digits are a number; a word opening with a CJK ideograph (which NFKC keeps and
  // nothing composes with) is neither a number nor, unless it is 无 or 空, a placeholder.
  if (isDigits(raw)) {
    const n = Number(raw);
    if (Number.isFinite(n)) return { kind: 'number', value: n, raw };
  }
  const c0 = raw.charCodeAt(0);
  if (c0 >= 0x4e00 && c0 <= 0x9fff && c0 !== 0x65e0 && c0 !== 0x7a7a) return null;
  const s = nfkc(raw).replace(/\s+/g, '').replace(/，/g, ',');
  if (s === '') return { kind: 'blank', value: null, raw };
  if (PLACEHOLDER.test(s)) return { kind: 'placeholder', value: null, raw };
  const m = NUMBER.exec(s);
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
