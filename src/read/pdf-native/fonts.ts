// Fonts as far as text extraction needs them (§9): how a string splits into character codes,
// each code's advance width and its Unicode text. Font programs are never read: a font whose
// codes cannot be mapped to Unicode and widths from the PDF's own dictionaries is refused.
import { isDict, isName, Name, Stream, type PdfDict, type PdfObj } from './lexer.js';
import type { PdfObjects } from './objects.js';
import { parseToUnicode } from './to-unicode.js';
import { unsupported } from './unsupported.js';

export interface FontGlyph {
  code: number;
  /** Unicode text of the glyph ('' never: unmappable codes refuse the font). */
  text: string;
  /** Advance in glyph space (× fontMatrix[0] → text space per unit of font size); for a
   * vertical font the vertical advance w1y (negative: downwards), as pdfjs's glyph.vmetric[0]. */
  width: number;
  /** The characters content.ts derives from `text`, kept with the cached glyph. */
  chars?: string[];
}

export interface PdfFont {
  /** One-byte (simple fonts) or two-byte (Identity-H) codes. */
  twoByte: boolean;
  /** Identity-V: glyphs advance down the page; `width` is then the vertical advance w1y. */
  vertical: boolean;
  type3: boolean;
  fontMatrix: number[];
  /** FontBBox height, for pdfjs's Type3 text-height adjustment. */
  bboxHeight: number;
  decode(bytes: Uint8Array): FontGlyph[];
}

const IDENTITY_MATRIX = [0.001, 0, 0, 0.001, 0, 0];

const nums = (o: PdfObj | undefined, n: number): number[] | undefined =>
  Array.isArray(o) && o.length === n && o.every((x) => typeof x === 'number') ? (o as number[]) : undefined;

// Glyph names we map without a font program: the ASCII letters, digits and punctuation that
// Differences arrays in CJK reports use, and uniXXXX / uXXXX[XX] names.
const GLYPH_NAMES: Record<string, string> = {
  space: ' ', exclam: '!', quotedbl: '"', numbersign: '#', dollar: '$', percent: '%', ampersand: '&',
  quotesingle: "'", parenleft: '(', parenright: ')', asterisk: '*', plus: '+', comma: ',', hyphen: '-',
  period: '.', slash: '/', zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6',
  seven: '7', eight: '8', nine: '9', colon: ':', semicolon: ';', less: '<', equal: '=', greater: '>',
  question: '?', at: '@', bracketleft: '[', backslash: '\\', bracketright: ']', underscore: '_',
  braceleft: '{', bar: '|', braceright: '}', asciitilde: '~',
};

function glyphNameToUnicode(name: string): string | undefined {
  if (/^[A-Za-z]$/.test(name)) return name;
  if (name in GLYPH_NAMES) return GLYPH_NAMES[name];
  let m = /^uni([0-9A-F]{4})$/.exec(name);
  if (m) return String.fromCharCode(parseInt(m[1], 16));
  m = /^u([0-9A-F]{4,6})$/.exec(name);
  if (m) {
    const cp = parseInt(m[1], 16);
    if (cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)) return String.fromCodePoint(cp);
  }
  return undefined;
}

/** Printable ASCII on which Standard, WinAnsi and MacRoman encodings agree (not ' and `). */
const isPlainAscii = (c: number) => c >= 0x20 && c <= 0x7e && c !== 0x27 && c !== 0x60;

/** Text pdfjs would give for a control character is not text we can vouch for. */
function checkText(s: string): string {
  if (!s || /[\u0000-\u0008\u000b\u000e-\u001f\ufffd]/.test(s)) unsupported('glyph maps to a control character');
  // pdfjs drops invisible format marks without advancing and zero-widths diacritics: not modelled.
  if (/[\u0300-\u036f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/.test(s)) unsupported('glyph maps to a format mark or diacritic');
  return s;
}

function toUnicodeOf(objs: PdfObjects, font: PdfDict): Map<number, string> | undefined {
  const tu = objs.get(font, 'ToUnicode');
  if (tu === undefined || tu === null) return undefined;
  if (!(tu instanceof Stream)) unsupported('ToUnicode is not a stream');
  return parseToUnicode(objs.decode(tu));
}

function compositeFont(objs: PdfObjects, font: PdfDict): PdfFont {
  const enc = objs.get(font, 'Encoding');
  const vertical = isName(enc, 'Identity-V');
  if (!isName(enc, 'Identity-H') && !vertical) unsupported(`CID font encoding ${enc instanceof Name ? enc.name : 'stream'}`);
  const desc = objs.get(font, 'DescendantFonts');
  const cid = Array.isArray(desc) ? objs.resolve(desc[0]) : undefined;
  if (!isDict(cid)) unsupported('no descendant font');
  const sub = objs.get(cid, 'Subtype');
  if (!isName(sub, 'CIDFontType2') && !isName(sub, 'CIDFontType0')) unsupported('unknown CID font type');
  const toUnicode = toUnicodeOf(objs, font);
  if (!toUnicode) unsupported('CID font without ToUnicode');
  const dwObj = objs.get(cid, 'DW');
  const dw = typeof dwObj === 'number' ? Math.ceil(dwObj) : 1000; // pdfjs rounds /DW up
  // /W as ranges, looked up per code on first use (fonts list thousands of codes, a page uses few).
  const ranges: { first: number; last: number; w: number | number[] }[] = [];
  const w = objs.get(cid, 'W');
  if (w !== undefined && w !== null) {
    if (!Array.isArray(w)) unsupported('bad /W');
    for (let i = 0; i < w.length; ) {
      const first = objs.resolve(w[i]);
      const next = objs.resolve(w[i + 1]);
      if (typeof first !== 'number') unsupported('bad /W');
      if (Array.isArray(next)) {
        const list = next.map((x) => {
          const v = objs.resolve(x);
          if (typeof v !== 'number') unsupported('bad /W');
          return v;
        });
        ranges.push({ first, last: first + list.length - 1, w: list });
        i += 2;
      } else {
        const last = next;
        const v = objs.resolve(w[i + 2]);
        if (typeof last !== 'number' || typeof v !== 'number' || last < first) unsupported('bad /W');
        ranges.push({ first, last, w: v });
        i += 3;
      }
    }
  }
  // pdfjs fills its width table range by range, so where ranges overlap the last one wins.
  const widthOf = (code: number): number => {
    for (let k = ranges.length - 1; k >= 0; k--) {
      const r = ranges[k];
      if (code >= r.first && code <= r.last) return typeof r.w === 'number' ? r.w : r.w[code - r.first];
    }
    return dw;
  };
  // Vertical advances (§9.7.4.3): /W2 entries, else /DW2 (default [880 -1000]).
  const vAdvance = new Map<number, number>();
  let dw1y = -1000;
  if (vertical) {
    const dw2 = objs.get(cid, 'DW2');
    if (dw2 !== undefined) {
      const d = nums(dw2, 2);
      if (!d) unsupported('bad /DW2');
      dw1y = d[1];
    }
    const w2 = objs.get(cid, 'W2');
    if (w2 !== undefined && w2 !== null) {
      if (!Array.isArray(w2)) unsupported('bad /W2');
      for (let i = 0; i < w2.length; ) {
        const first = objs.resolve(w2[i]);
        const next = objs.resolve(w2[i + 1]);
        if (typeof first !== 'number') unsupported('bad /W2');
        if (Array.isArray(next)) {
          if (next.length % 3) unsupported('bad /W2');
          for (let k = 0; k < next.length; k += 3) {
            const v = objs.resolve(next[k]);
            if (typeof v !== 'number') unsupported('bad /W2');
            vAdvance.set(first + k / 3, v);
          }
          i += 2;
        } else {
          const v = objs.resolve(w2[i + 2]);
          if (typeof next !== 'number' || typeof v !== 'number' || next < first || next - first > 65536) unsupported('bad /W2');
          for (let c = first; c <= next; c++) vAdvance.set(c, v);
          i += 5;
        }
      }
    }
  }
  const cache = new Map<number, FontGlyph>();
  return {
    twoByte: true,
    vertical,
    type3: false,
    fontMatrix: IDENTITY_MATRIX,
    bboxHeight: 0,
    decode(bytes) {
      // A trailing odd byte is dropped, as pdfjs does for two-byte codespaces.
      const out: FontGlyph[] = [];
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        const code = (bytes[i] << 8) | bytes[i + 1];
        let g = cache.get(code);
        if (!g) {
          const text = toUnicode.get(code);
          if (text === undefined) unsupported(`code ${code} not in ToUnicode`);
          g = { code, text: checkText(text), width: vertical ? (vAdvance.get(code) ?? dw1y) : widthOf(code) };
          cache.set(code, g);
        }
        out.push(g);
      }
      return out;
    },
  };
}

function simpleFont(objs: PdfObjects, font: PdfDict, type3: boolean): PdfFont {
  const firstChar = objs.get(font, 'FirstChar');
  const widthsObj = objs.get(font, 'Widths');
  if (typeof firstChar !== 'number' || !Array.isArray(widthsObj)) unsupported('simple font without /Widths');
  const widths = widthsObj.map((x) => {
    const v = objs.resolve(x);
    if (typeof v !== 'number') unsupported('bad /Widths');
    return v;
  });
  const descriptor = objs.get(font, 'FontDescriptor');
  const missingObj = isDict(descriptor) ? objs.get(descriptor, 'MissingWidth') : undefined;
  const missingWidth = typeof missingObj === 'number' ? missingObj : 0;
  const flagsObj = isDict(descriptor) ? objs.get(descriptor, 'Flags') : undefined;
  const symbolic = typeof flagsObj === 'number' ? (flagsObj & 4) !== 0 : true;
  const toUnicode = toUnicodeOf(objs, font);
  // Codes not in ToUnicode: the encoding's glyph names, for the few names and encodings we know.
  const enc = objs.get(font, 'Encoding');
  const differences = new Map<number, string>();
  let base: string | undefined;
  if (isName(enc)) base = enc.name;
  else if (isDict(enc)) {
    const b = objs.get(enc, 'BaseEncoding');
    if (isName(b)) base = b.name;
    const diff = objs.get(enc, 'Differences');
    if (Array.isArray(diff)) {
      let code = 0;
      for (const d of diff) {
        const v = objs.resolve(d);
        if (typeof v === 'number') code = v;
        else if (isName(v)) differences.set(code++, v.name);
        else unsupported('bad /Differences');
      }
    }
  } else if (enc !== undefined && enc !== null) unsupported('bad /Encoding');
  const knownBase = base === undefined || base === 'WinAnsiEncoding' || base === 'StandardEncoding' || base === 'MacRomanEncoding';

  let fontMatrix = IDENTITY_MATRIX;
  let bboxHeight = 0;
  if (type3) {
    const fm = nums(objs.get(font, 'FontMatrix'), 6);
    if (!fm) unsupported('Type3 font without /FontMatrix');
    fontMatrix = fm;
    const bb = nums(objs.get(font, 'FontBBox'), 4);
    // A zero FontBBox makes pdfjs measure the glyph procedures: not done here.
    if (!bb || (bb[2] - bb[0] === 0 && bb[3] - bb[1] === 0)) unsupported('Type3 font without a FontBBox');
    bboxHeight = Math.abs(bb[3] - bb[1]);
  }

  const cache: (FontGlyph | undefined)[] = new Array(256);
  const glyph = (code: number): FontGlyph => {
    let text = toUnicode?.get(code);
    // A ToUnicode that leaves the code out: what pdfjs then shows depends on its font-program
    // fallbacks, so the native reader does not guess.
    if (text === undefined && toUnicode) unsupported(`code ${code} not in ToUnicode`);
    if (text === undefined) {
      const name = differences.get(code);
      if (name !== undefined) text = glyphNameToUnicode(name);
      else if (!type3 && !symbolic && knownBase && isPlainAscii(code)) text = String.fromCharCode(code);
    }
    if (text === undefined) unsupported(`code ${code} has no certain Unicode`);
    const i = code - firstChar;
    const width = i >= 0 && i < widths.length ? widths[i] : missingWidth;
    return { code, text: checkText(text), width };
  };
  return {
    twoByte: false,
    vertical: false,
    type3,
    fontMatrix,
    bboxHeight,
    decode(bytes) {
      const out: FontGlyph[] = new Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) out[i] = cache[bytes[i]] ??= glyph(bytes[i]);
      return out;
    },
  };
}

/** The font a /Font resource entry describes; cached per dictionary by the caller. */
export function loadFont(objs: PdfObjects, font: PdfObj | undefined): PdfFont {
  if (!isDict(font)) unsupported('font is not a dictionary');
  const sub = objs.get(font, 'Subtype');
  if (isName(sub, 'Type0')) return compositeFont(objs, font);
  if (isName(sub, 'TrueType') || isName(sub, 'Type1') || isName(sub, 'MMType1')) return simpleFont(objs, font, false);
  if (isName(sub, 'Type3')) return simpleFont(objs, font, true);
  unsupported(`font type ${sub instanceof Name ? sub.name : '?'}`);
}
