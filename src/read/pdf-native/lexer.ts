// PDF tokens and objects (ISO 32000-1 §7.2–7.3) over a byte array. One lexer serves the file
// structure (objects, xref tables, trailers) and content streams; objects are plain JS values:
// numbers, booleans, null, Uint8Array (strings), Name, Ref, arrays, Map (dictionaries), Stream.
import { unsupported } from './unsupported.js';

export class Name {
  constructor(readonly name: string) {}
}
export class Ref {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
/** A bare keyword: an operator in a content stream, or obj/endobj/stream/R/true... in the file. */
export class Cmd {
  constructor(readonly cmd: string) {}
}
export type PdfDict = Map<string, PdfObj>;
export class Stream {
  constructor(
    readonly dict: PdfDict,
    /** The encoded bytes, filters not yet applied. */
    readonly raw: Uint8Array,
  ) {}
}
export type PdfObj = number | boolean | null | Uint8Array | Name | Ref | PdfObj[] | PdfDict | Stream;

/** End of data: a Cmd of its own, so that every non-object token is a Cmd. */
export const EOF = new Cmd('%EOF');
export const ARRAY_OPEN = new Cmd('[');
export const ARRAY_CLOSE = new Cmd(']');
export const DICT_OPEN = new Cmd('<<');
export const DICT_CLOSE = new Cmd('>>');
export type Token = number | boolean | null | Uint8Array | Name | Cmd;

// Character classes (§7.2.2): 0 regular, 1 white space, 2 delimiter.
const CLASS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) CLASS[c] = 1;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = 2;

/** Nesting deeper than this in one object is not a real file. */
const MAX_DEPTH = 100;

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;

const CMD_CACHE = new Map<string, Cmd>();
const KEYWORD_BY_BYTES = new Map<number, Cmd | boolean | null>();
const NAME_BY_BYTES = new Map<number, Name>();
const NAME_CACHE = new Map<string, Name>();
const latin1 = new TextDecoder('latin1');

export class Lexer {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }

  skipSpace(): void {
    const b = this.buf;
    let p = this.pos;
    while (p < this.end) {
      const c = b[p];
      if (CLASS[c] === 1) p++;
      else if (c === 0x25) {
        // comment to end of line
        while (p < this.end && b[p] !== 10 && b[p] !== 13) p++;
      } else break;
    }
    this.pos = p;
  }

  next(): Token {
    this.skipSpace();
    const b = this.buf;
    if (this.pos >= this.end) return EOF;
    const c = b[this.pos];
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) {
        this.pos += 2;
        return DICT_OPEN;
      }
      return this.hexString();
    }
    if (c === 0x3e) {
      if (b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return DICT_CLOSE;
      }
      unsupported('stray ">"');
    }
    if (c === 0x5b) {
      this.pos++;
      return ARRAY_OPEN;
    }
    if (c === 0x5d) {
      this.pos++;
      return ARRAY_CLOSE;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return this.number();
    // keyword
    const start = this.pos;
    let p = start;
    while (p < this.end && CLASS[b[p]] === 0) p++;
    if (p === start) {
      // '{', '}' or ')' alone: not used outside PostScript functions
      this.pos++;
      return this.cmd(String.fromCharCode(c));
    }
    this.pos = p;
    // Operators are short: a number made of their bytes finds the cached keyword without
    // building a string (content streams are mostly operators and numbers).
    if (p - start <= 6) {
      let key = 0;
      for (let i = start; i < p; i++) key = key * 256 + b[i];
      const hit = KEYWORD_BY_BYTES.get(key);
      if (hit !== undefined) return hit;
      const v = this.keyword(latin1.decode(b.subarray(start, p)));
      if (KEYWORD_BY_BYTES.size < 1000) KEYWORD_BY_BYTES.set(key, v);
      return v;
    }
    return this.keyword(latin1.decode(b.subarray(start, p)));
  }

  private keyword(word: string): Cmd | boolean | null {
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return this.cmd(word);
  }

  private cmd(word: string): Cmd {
    let c = CMD_CACHE.get(word);
    if (!c) {
      c = new Cmd(word);
      if (CMD_CACHE.size < 1000) CMD_CACHE.set(word, c);
    }
    return c;
  }

  private number(): number {
    const b = this.buf;
    let p = this.pos;
    let sign = 1;
    if (b[p] === 0x2d || b[p] === 0x2b) {
      if (b[p] === 0x2d) sign = -1;
      p++;
      // pdfjs and Acrobat accept "--5" as -5; keep that, anything stranger is refused below
      while (b[p] === 0x2d) p++;
    }
    let v = 0;
    let digits = 0;
    while (p < this.end && b[p] >= 0x30 && b[p] <= 0x39) {
      v = v * 10 + (b[p] - 0x30);
      p++;
      digits++;
    }
    if (b[p] === 0x2e) {
      p++;
      let scale = 1;
      let frac = 0;
      while (p < this.end && b[p] >= 0x30 && b[p] <= 0x39) {
        frac = frac * 10 + (b[p] - 0x30);
        scale *= 10;
        p++;
        digits++;
      }
      v += frac / scale;
    }
    if (!digits) {
      // "-" or "." alone: pdfjs reads 0; so do we, it only ever appears as garbage in operands
      this.pos = p;
      return 0;
    }
    if (p < this.end && CLASS[b[p]] === 0) unsupported('malformed number');
    this.pos = p;
    return sign * v;
  }

  private name(): Name {
    const b = this.buf;
    let p = this.pos + 1;
    // Short names without # escapes: looked up by their bytes, as keywords are.
    let key = 0;
    let q = p;
    while (q < this.end && q - p <= 6 && CLASS[b[q]] === 0 && b[q] !== 0x23) key = key * 256 + b[q++];
    if (q - p <= 6 && (q >= this.end || CLASS[b[q]] !== 0)) {
      let n = NAME_BY_BYTES.get(key);
      if (!n) {
        n = new Name(latin1.decode(b.subarray(p, q)));
        if (NAME_BY_BYTES.size < 5000) NAME_BY_BYTES.set(key, n);
      }
      this.pos = q;
      return n;
    }
    let s = '';
    let start = p;
    let escaped = false;
    while (p < this.end && CLASS[b[p]] === 0) {
      if (b[p] === 0x23 && HEX[b[p + 1]] >= 0 && HEX[b[p + 2]] >= 0) {
        escaped = true;
        s += latin1.decode(b.subarray(start, p)) + String.fromCharCode(HEX[b[p + 1]] * 16 + HEX[b[p + 2]]);
        p += 3;
        start = p;
      } else p++;
    }
    s += latin1.decode(b.subarray(start, p));
    this.pos = p;
    if (escaped) return new Name(s);
    let n = NAME_CACHE.get(s);
    if (!n) {
      n = new Name(s);
      if (NAME_CACHE.size < 5000) NAME_CACHE.set(s, n);
    }
    return n;
  }

  private literalString(): Uint8Array {
    const b = this.buf;
    let p = this.pos + 1;
    // Fast path: no escapes, no nested parentheses.
    let q = p;
    while (q < this.end && b[q] !== 0x29 && b[q] !== 0x5c && b[q] !== 0x28 && b[q] !== 13) q++;
    if (q < this.end && b[q] === 0x29) {
      this.pos = q + 1;
      return b.slice(p, q);
    }
    const out: number[] = [];
    let depth = 1;
    while (p < this.end) {
      const c = b[p++];
      if (c === 0x5c) {
        const e = b[p++];
        switch (e) {
          case 0x6e: out.push(10); break;
          case 0x72: out.push(13); break;
          case 0x74: out.push(9); break;
          case 0x62: out.push(8); break;
          case 0x66: out.push(12); break;
          case 0x0d:
            if (b[p] === 0x0a) p++;
            break;
          case 0x0a:
            break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let v = e - 0x30;
              for (let k = 0; k < 2 && b[p] >= 0x30 && b[p] <= 0x37; k++) v = v * 8 + (b[p++] - 0x30);
              out.push(v & 0xff);
            } else if (e !== undefined) out.push(e);
        }
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) {
          this.pos = p;
          return Uint8Array.from(out);
        }
        out.push(c);
      } else if (c === 0x0d) {
        // an end of line in a string is a line feed (§7.3.4.2)
        if (b[p] === 0x0a) p++;
        out.push(10);
      } else out.push(c);
    }
    unsupported('unterminated string');
  }

  private hexString(): Uint8Array {
    const b = this.buf;
    let p = this.pos + 1;
    let digits = 0;
    let q = p;
    while (q < this.end && b[q] !== 0x3e) {
      if (HEX[b[q]] >= 0) digits++;
      else if (CLASS[b[q]] !== 1) unsupported('bad hex string');
      q++;
    }
    if (q >= this.end) unsupported('unterminated hex string');
    const out = new Uint8Array((digits + 1) >> 1);
    let k = 0;
    let hi = -1;
    for (; p < q; p++) {
      const h = HEX[b[p]];
      if (h < 0) continue;
      if (hi < 0) hi = h;
      else {
        out[k++] = hi * 16 + h;
        hi = -1;
      }
    }
    if (hi >= 0) out[k] = hi * 16;
    this.pos = q + 1;
    return out;
  }
}

export const isCmd = (t: unknown, c?: string): t is Cmd => t instanceof Cmd && (c === undefined || t.cmd === c);
export const isName = (t: unknown, n?: string): t is Name => t instanceof Name && (n === undefined || t.name === n);
export const isDict = (t: unknown): t is PdfDict => t instanceof Map;

/**
 * Objects from a lexer. `refs` allows "N G R" (file objects; not content streams, where two
 * numbers and an R never occur).
 */
export class Parser {
  private buf1: Token;
  /** Second token of look-ahead, read only when needed (after an integer), so that the lexer
   * stands right after a "stream" keyword when a stream dictionary ends. */
  private buf2: Token | undefined;
  constructor(
    readonly lexer: Lexer,
    private readonly refs: boolean,
  ) {
    this.buf1 = lexer.next();
  }

  /** The next token without consuming it. */
  peek(): Token {
    return this.buf1;
  }

  shift(): Token {
    const t = this.buf1;
    if (this.buf2 !== undefined) {
      this.buf1 = this.buf2;
      this.buf2 = undefined;
    } else this.buf1 = this.lexer.next();
    return t;
  }

  /** One object, or a keyword (Cmd) as it stands, or EOF. */
  getObj(depth = 0): PdfObj | Cmd {
    if (depth > MAX_DEPTH) unsupported('objects nested too deeply');
    const t = this.shift();
    if (t instanceof Cmd) {
      if (t === ARRAY_OPEN) {
        const arr: PdfObj[] = [];
        for (;;) {
          const p = this.buf1;
          if (p === ARRAY_CLOSE) {
            this.shift();
            return arr;
          }
          if (p === EOF) unsupported('unterminated array');
          const o = this.getObj(depth + 1);
          if (o instanceof Cmd) unsupported('keyword inside an array');
          arr.push(o);
        }
      }
      if (t === DICT_OPEN) {
        const dict: PdfDict = new Map();
        for (;;) {
          const k = this.buf1;
          if (k === DICT_CLOSE) {
            this.shift();
            return dict;
          }
          if (!(k instanceof Name)) unsupported('dictionary key is not a name');
          this.shift();
          const v = this.getObj(depth + 1);
          if (v instanceof Cmd) unsupported('keyword as a dictionary value');
          dict.set(k.name, v);
        }
      }
      return t;
    }
    if (this.refs && typeof t === 'number' && Number.isInteger(t) && t >= 0) {
      const g = this.buf1;
      if (typeof g === 'number' && Number.isInteger(g) && g >= 0) {
        if (this.buf2 === undefined) this.buf2 = this.lexer.next();
        if (isCmd(this.buf2, 'R')) {
          this.shift();
          this.shift();
          return new Ref(t, g);
        }
      }
    }
    return t as PdfObj;
  }
}

export function bytesToLatin1(b: Uint8Array): string {
  return latin1.decode(b);
}
