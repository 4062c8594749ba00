// Bytes → string for text-like sources. Order (ecosystem.md §o): BOM, declared charset,
// UTF-8 (tolerating a few broken sequences, as crawlers cut CJK by bytes), else GB18030,
// which is a superset of GB2312 and GBK.
import { isUtf8 } from 'node:buffer';
import { GongkaiError } from '../errors.js';

// ignoreBOM keeps a leading U+FEFF: decodeValidUtf8 turns every byte into its character, and
// decodeText strips a real BOM itself before calling it. Without it the large-input path
// would drop a U+FEFF that the loop below keeps.
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

export interface Decoded {
  text: string;
  encoding: string;
}

export function decodeText(bytes: Uint8Array, declared?: string): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: UTF8.decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (declared) {
    const label = /^(gb2312|gbk|gb_2312-80|x-gbk|cp936)$/i.test(declared) ? 'gb18030' : declared.toLowerCase();
    // Declared UTF-8 that is valid UTF-8 decodes the same either way (the BOM was handled above).
    if ((label === 'utf-8' || label === 'utf8') && isUtf8(bytes)) return { text: decodeValidUtf8(bytes), encoding: label };
    try {
      return { text: new TextDecoder(label).decode(bytes), encoding: label };
    } catch {
      // Unknown label: fall through to detection.
    }
  }
  // Validating first (simdutf) costs far less than a fatal decode that throws on bad input.
  if (isUtf8(bytes)) return { text: decodeValidUtf8(bytes), encoding: 'utf-8' };
  // Not clean UTF-8: decide between damaged UTF-8 and GB18030 below.
  return damagedOrGb18030(bytes, decodeDamagedUtf8(bytes));
}

/**
 * Bytes that are not valid UTF-8 (and carry no BOM): damaged UTF-8 when few characters are
 * replacement characters, else GB18030.
 */
function damagedOrGb18030(bytes: Uint8Array, utf8: string): Decoded {
  if (damagedBad === 0 || damagedBad * 20 < damagedNonAscii) return { text: utf8, encoding: 'utf-8' };
  return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
}

// What the last utf8Units or utf8UnitsLenient call counted (controls -1: not counted). Module
// variables, not fields of an object passed in: the loop is hot within its first call, so V8
// compiles it on the stack before anything after the loop has run, and a field store there
// (with no type feedback yet) threw that code away again and again.
let unitControls = 0;
let unitNul = false;

// What the last decodeDamagedUtf8 call counted (module variables, as for utf8Units): its U+FFFD
// code units, its other code units from U+0080, and (in the loop) the C0 controls and NULs.
let damagedBad = 0;
let damagedNonAscii = 0;

/**
 * Bytes → string as TextDecoder('utf-8') decodes them, each maximal invalid subpart a U+FFFD
 * (the WHATWG decoder; test/read-decode.test.ts holds it to TextDecoder), counting on the way.
 * The native decoder takes several times as long on damaged input (a crawler's page with CJK
 * cut by bytes) as on valid input; this loop takes as long as utf8Units.
 */
export function decodeDamagedUtf8(b: Uint8Array): string {
  const n = b.length;
  if (!LITTLE_ENDIAN || n > JS_DECODE_MAX) {
    const t = new TextDecoder('utf-8').decode(b);
    let bad = 0;
    let nonAscii = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 0xfffd) bad++;
      else if (c >= 0x80) nonAscii++;
    }
    damagedBad = bad;
    damagedNonAscii = nonAscii;
    unitControls = -1; // not counted
    return t;
  }
  return scratchString(utf8UnitsLenient(b, scratchFor(n)));
}

/** utf8Units for any bytes, with U+FFFD for each maximal invalid subpart (WHATWG). */
function utf8UnitsLenient(b: Uint8Array, out: Uint16Array): number {
  const n = b.length;
  let j = 0;
  let controls = 0;
  let nul = false;
  let bad = 0;
  let nonAscii = 0;
  let needed = 0;
  let seen = 0;
  let cp = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < n; ) {
    const c = b[i];
    if (needed === 0) {
      i++;
      if (c < 0x80) {
        if (c < 0x20 && (c < 0x09 || (c > 0x0d && c !== 0x1b))) {
          controls++;
          if (c === 0) nul = true;
        }
        out[j++] = c;
      } else if (c >= 0xc2 && c <= 0xdf) {
        needed = 1;
        cp = c & 0x1f;
      } else if (c >= 0xe0 && c <= 0xef) {
        if (c === 0xe0) lower = 0xa0;
        else if (c === 0xed) upper = 0x9f;
        needed = 2;
        cp = c & 0x0f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        if (c === 0xf0) lower = 0x90;
        else if (c === 0xf4) upper = 0x8f;
        needed = 3;
        cp = c & 0x07;
      } else {
        out[j++] = 0xfffd;
        bad++;
      }
      continue;
    }
    if (c < lower || c > upper) {
      // The sequence ends here, unfinished: one U+FFFD, and this byte is read again on its own.
      needed = seen = cp = 0;
      lower = 0x80;
      upper = 0xbf;
      out[j++] = 0xfffd;
      bad++;
      continue;
    }
    i++;
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (c & 0x3f);
    if (++seen === needed) {
      if (cp >= 0x10000) {
        out[j++] = 0xd800 + ((cp - 0x10000) >> 10);
        out[j++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        nonAscii += 2;
      } else {
        out[j++] = cp;
        if (cp === 0xfffd) bad++;
        else nonAscii++;
      }
      needed = seen = cp = 0;
    }
  }
  if (needed !== 0) {
    out[j++] = 0xfffd;
    bad++;
  }
  unitControls = controls;
  unitNul = nul;
  damagedBad = bad;
  damagedNonAscii = nonAscii;
  return j;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Above this size the UTF-16 buffer of the JS decoder is not worth its memory. */
const JS_DECODE_MAX = 1024 * 1024;
// One scratch buffer for every call (the string is copied out before returning): a fresh
// ArrayBuffer per report is external memory, which makes V8 collect garbage more often.
let scratch = new Uint16Array(0);

/**
 * Bytes already validated as UTF-8 (isUtf8) → string. For report-sized input a plain loop
 * into UTF-16 code units, made into a string in one copy, takes half the time of
 * TextDecoder on CJK text (most characters are three bytes). Without validation this would
 * be wrong: it does not check continuation bytes. A leading U+FEFF is kept (the caller
 * strips a BOM), on both paths.
 */
export function decodeValidUtf8(b: Uint8Array, stats?: ControlStats): string {
  const n = b.length;
  if (!LITTLE_ENDIAN || n > JS_DECODE_MAX) return UTF8.decode(b);
  const j = utf8Units(b, scratchFor(n));
  if (stats) {
    stats.counted = true;
    stats.controls = unitControls;
    stats.nul = unitNul;
  }
  return scratchString(j);
}

/** The scratch buffer, grown to hold n code units. */
function scratchFor(n: number): Uint16Array {
  if (scratch.length < n) scratch = new Uint16Array(Math.max(n, 64 * 1024));
  return scratch;
}

/** The first j code units of the scratch buffer as a string (a copy). */
function scratchString(j: number): string {
  return Buffer.from(scratch.buffer, scratch.byteOffset, j * 2).toString('utf16le');
}

/** The UTF-16 code units of valid UTF-8 `b` into `out`; their count. */
function utf8Units(b: Uint8Array, out: Uint16Array): number {
  const n = b.length;
  let j = 0;
  let controls = 0;
  let nul = false;
  for (let i = 0; i < n; ) {
    const c = b[i];
    if (c < 0x80) {
      // C0 controls other than tab, line breaks, form feed and escape (looksBinary's count).
      if (c < 0x20 && (c < 0x09 || (c > 0x0d && c !== 0x1b))) {
        controls++;
        if (c === 0) nul = true;
      }
      out[j++] = c;
      i++;
    } else if (c < 0xe0) {
      out[j++] = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      out[j++] = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
      i += 3;
    } else {
      const cp = (((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f)) - 0x10000;
      out[j++] = 0xd800 + (cp >> 10);
      out[j++] = 0xdc00 + (cp & 0x3ff);
      i += 4;
    }
  }
  unitControls = controls;
  unitNul = nul;
  return j;
}

/** What decodeValidUtf8 saw of the C0 controls on its way (only when `counted`). */
export interface ControlStats {
  counted: boolean;
  controls: number;
  nul: boolean;
}

/** How many bytes from a file's start the binary test looks at. */
const BINARY_SAMPLE = 65536;

// C0 control bytes other than tab, line breaks, form feed and escape: b < 0x09, or
// 0x0e ≤ b < 0x20 and b ≠ 0x1b.
const CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f]/g;

/** True when the bytes look like binary data rather than text in any encoding we read. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, BINARY_SAMPLE);
  if (n === 0) return false;
  const head = bytes.subarray(0, n);
  if (head.indexOf(0) >= 0) return !(bytes[0] === 0xff || bytes[0] === 0xfe); // NUL outside UTF-16
  // Counted by a native RegExp over the bytes as Latin-1 (one character per byte, same code),
  // not a JS loop per byte; the share only grows, so crossing the limit can stop the count.
  const latin1 = Buffer.from(head.buffer, head.byteOffset, n).toString('latin1');
  let control = 0;
  CONTROL.lastIndex = 0;
  while (CONTROL.exec(latin1)) if (++control / n > 0.02) return true;
  return false;
}

/**
 * decodeText for a file that must be text: binary data is refused (assertText). Valid UTF-8 up
 * to the sample size is judged on the controls counted while decoding it (a control character
 * is its own byte in UTF-8, and no other byte is one), not in a second pass over the bytes.
 */
export function decodeTextFile(bytes: Uint8Array, source: string): Decoded {
  const n = bytes.length;
  if (n === 0 || n > BINARY_SAMPLE) {
    assertText(bytes, source);
    return decodeText(bytes);
  }
  if (!isUtf8(bytes)) {
    // Damaged UTF-8 or another encoding: judged on the controls the lenient decoder counts (a
    // control character is its own byte, and every byte below 0x80 is read once as one), unless
    // a BOM sends it elsewhere or its first byte may open UTF-16 (which may hold NULs).
    if (bytes[0] === 0xff || bytes[0] === 0xfe || (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
      assertText(bytes, source);
      return decodeText(bytes);
    }
    const utf8 = decodeDamagedUtf8(bytes);
    if (unitControls < 0) assertText(bytes, source); // not counted (a big-endian machine)
    else if (unitNul || unitControls / n > 0.02) throw binaryError(source);
    return damagedOrGb18030(bytes, utf8);
  }
  // decodeText's two paths for valid UTF-8: without a BOM, and with one stripped.
  const bom = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const stats: ControlStats = { counted: false, controls: 0, nul: false };
  const text = decodeValidUtf8(bom ? bytes.subarray(3) : bytes, stats);
  if (!stats.counted) assertText(bytes, source);
  // A valid UTF-8 file never starts with 0xFF or 0xFE, the UTF-16 marks a NUL may follow.
  else if (stats.nul || stats.controls / n > 0.02) throw binaryError(source);
  return { text, encoding: 'utf-8' };
}

function binaryError(source: string): GongkaiError {
  return new GongkaiError('unreadable', source, {
    zh: '文件不是可识别的文本、网页、Word、PDF 或 Excel 文档（二进制数据或编码错误）。请提供报告原文件。',
    en: 'The file is not recognisable text, HTML, Word, PDF or Excel (binary data or a wrong encoding). Supply the report as published.',
  });
}

export function assertText(bytes: Uint8Array, source: string): void {
  if (looksBinary(bytes)) throw binaryError(source);
}
