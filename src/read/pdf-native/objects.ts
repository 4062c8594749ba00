// The object layer of a PDF file (§7.5): cross-reference tables and streams, object streams,
// incremental updates through /Prev, and a brute-force "N G obj" scan when the cross-reference
// data cannot be read. Objects are parsed on demand and cached.
import { decodeStream } from './filters.js';
import { Cmd, isCmd, isDict, isName, Lexer, Parser, Ref, Stream, bytesToLatin1, type PdfDict, type PdfObj } from './lexer.js';
import { unsupported } from './unsupported.js';

type Entry = { kind: 'offset'; offset: number; gen: number } | { kind: 'packed'; stream: number; index: number };

/** More cross-reference sections than this (through /Prev) is a loop or an attack. */
const MAX_SECTIONS = 500;
/** Indirect references followed in a row before giving up (a → b → a ...). */
const MAX_REF_HOPS = 32;
/** Objects an object stream may declare. */
const MAX_OBJSTM_OBJECTS = 1_000_000;

export class PdfObjects {
  private readonly entries = new Map<number, Entry>();
  private readonly cache = new Map<number, PdfObj>();
  private readonly inProgress = new Set<number>();
  trailer: PdfDict = new Map();
  /** True when the cross-reference data was rebuilt by scanning the file. */
  repaired = false;

  constructor(readonly buf: Uint8Array) {
    try {
      this.readXref();
      // A cross-reference whose offsets do not point at their objects is broken: rebuild it.
      this.resolve(this.trailer.get('Root'));
    } catch {
      this.entries.clear();
      this.cache.clear();
      this.trailer = new Map();
      this.scan();
      this.repaired = true;
    }
    if (this.trailer.has('Encrypt')) unsupported('encrypted');
    if (!isDict(this.resolve(this.trailer.get('Root')))) unsupported('no document catalog');
  }

  // -------------------------------------------------------------------------------------------
  // Cross-reference sections

  private readXref(): void {
    const start = this.findStartXref();
    const seen = new Set<number>();
    const queue: number[] = [start];
    let first = true;
    while (queue.length) {
      const off = queue.shift()!;
      if (seen.has(off)) continue; // a /Prev loop: each section once
      if (seen.size >= MAX_SECTIONS) unsupported('too many cross-reference sections');
      seen.add(off);
      const trailer = this.readSection(off);
      if (first) {
        this.trailer = trailer;
        first = false;
      }
      // A hybrid file's /XRefStm is read right after its table and before /Prev (§7.5.8.4).
      const xs = trailer.get('XRefStm');
      if (typeof xs === 'number' && !seen.has(xs)) {
        seen.add(xs);
        this.readSection(xs);
      }
      const prev = trailer.get('Prev');
      if (typeof prev === 'number') queue.push(prev);
    }
    if (!this.trailer.has('Root')) unsupported('trailer without /Root');
  }

  private findStartXref(): number {
    const b = this.buf;
    const from = Math.max(0, b.length - 4096);
    const tail = bytesToLatin1(b.subarray(from));
    const i = tail.lastIndexOf('startxref');
    if (i < 0) unsupported('no startxref');
    const lx = new Lexer(b, from + i + 9);
    const n = lx.next();
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= b.length) unsupported('bad startxref');
    return n;
  }

  private set(num: number, e: Entry): void {
    // The newest section is read first: earlier definitions do not override it.
    if (!this.entries.has(num)) this.entries.set(num, e);
  }

  private readSection(off: number): PdfDict {
    if (!Number.isInteger(off) || off < 0 || off >= this.buf.length) unsupported('xref offset out of range');
    const lx = new Lexer(this.buf, off);
    const save = lx.pos;
    const t = lx.next();
    if (isCmd(t, 'xref')) return this.readTable(lx);
    lx.pos = save;
    return this.readXrefStream(off);
  }

  private readTable(lx: Lexer): PdfDict {
    for (;;) {
      const t = lx.next();
      if (isCmd(t, 'trailer')) break;
      const first = t;
      const count = lx.next();
      if (typeof first !== 'number' || typeof count !== 'number' || !Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0) unsupported('bad xref subsection');
      if (count > this.buf.length / 18) unsupported('xref subsection longer than the file');
      for (let i = 0; i < count; i++) {
        const offset = lx.next();
        const gen = lx.next();
        const kind = lx.next();
        if (typeof offset !== 'number' || typeof gen !== 'number') unsupported('bad xref entry');
        if (isCmd(kind, 'n')) {
          // Offset 0 for an in-use object is a known writer bug: treat as free (pdfjs does too).
          if (offset > 0) this.set(first + i, { kind: 'offset', offset, gen });
          else if (!this.entries.has(first + i)) this.entries.set(first + i, { kind: 'offset', offset: -1, gen });
        } else if (isCmd(kind, 'f')) {
          if (!this.entries.has(first + i)) this.entries.set(first + i, { kind: 'offset', offset: -1, gen });
        } else unsupported('bad xref entry type');
      }
    }
    const p = new Parser(lx, true);
    const d = p.getObj();
    if (!isDict(d)) unsupported('bad trailer');
    return d;
  }

  private readXrefStream(off: number): PdfDict {
    const { obj } = this.parseIndirectAt(off, undefined);
    if (!(obj instanceof Stream) || !isName(obj.dict.get('Type'), 'XRef')) unsupported('startxref does not point at a cross-reference');
    const d = obj.dict;
    const w = d.get('W');
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 8)) unsupported('bad /W');
    const [w0, w1, w2] = w as number[];
    const rowLen = w0 + w1 + w2;
    if (!rowLen) unsupported('bad /W');
    const size = d.get('Size');
    const index = d.get('Index') ?? [0, size];
    if (!Array.isArray(index) || index.length % 2 || !index.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) unsupported('bad /Index');
    const data = decodeStream(d, obj.raw, (o) => this.resolve(o));
    const field = (p: number, n: number) => {
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + data[p + i];
      return v;
    };
    let p = 0;
    for (let k = 0; k < index.length; k += 2) {
      const first = index[k] as number;
      const count = index[k + 1] as number;
      for (let i = 0; i < count && p + rowLen <= data.length; i++, p += rowLen) {
        const type = w0 ? field(p, w0) : 1;
        const f2 = field(p + w0, w1);
        const f3 = field(p + w0 + w1, w2);
        if (type === 0) {
          if (!this.entries.has(first + i)) this.entries.set(first + i, { kind: 'offset', offset: -1, gen: f3 });
        } else if (type === 1) this.set(first + i, { kind: 'offset', offset: f2, gen: f3 });
        else if (type === 2) this.set(first + i, { kind: 'packed', stream: f2, index: f3 });
        // other types are reserved: ignored, as the standard says
      }
    }
    return d;
  }

  /** Rebuilds the cross-reference from "N G obj" headers (a broken or missing xref). */
  private scan(): void {
    const text = bytesToLatin1(this.buf);
    const re = /(?<![0-9])(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+obj\b/g;
    const found = new Map<number, Entry>();
    for (let m = re.exec(text); m; m = re.exec(text)) found.set(+m[1], { kind: 'offset', offset: m.index, gen: +m[2] });
    if (!found.size) unsupported('no objects found');
    for (const [n, e] of found) this.entries.set(n, e);
    // The last "trailer" with a /Root, else the last cross-reference stream's dictionary.
    for (let i = text.lastIndexOf('trailer'); i >= 0; i = text.lastIndexOf('trailer', i - 1)) {
      try {
        const d = new Parser(new Lexer(this.buf, i + 7), true).getObj();
        if (isDict(d) && d.has('Root')) {
          this.trailer = d;
          break;
        }
      } catch {
        // not a usable trailer
      }
    }
    const streams: number[] = [];
    for (const [n] of found) {
      let o: PdfObj;
      try {
        o = this.fetchNum(n);
      } catch {
        continue;
      }
      if (o instanceof Stream) {
        if (isName(o.dict.get('Type'), 'XRef') && !this.trailer.has('Root') && o.dict.has('Root')) this.trailer = o.dict;
        if (isName(o.dict.get('Type'), 'ObjStm')) streams.push(n);
      }
    }
    // Objects packed in object streams are known only from those streams.
    for (const s of streams) {
      try {
        for (const [num, index] of this.objStmIndex(s)) if (!this.entries.has(num)) this.entries.set(num, { kind: 'packed', stream: s, index });
      } catch {
        // an unreadable object stream: its objects stay unknown
      }
    }
    if (!this.trailer.has('Root')) {
      for (const [n] of this.entries) {
        try {
          if (isName((this.fetchNum(n) as PdfDict)?.get?.('Type'), 'Catalog')) {
            this.trailer = new Map([['Root', new Ref(n, 0)]]);
            break;
          }
        } catch {
          // skip
        }
      }
    }
    if (!this.trailer.has('Root')) unsupported('no catalog found by scanning');
  }

  // -------------------------------------------------------------------------------------------
  // Objects

  private parseIndirectAt(off: number, expect: Ref | undefined): { obj: PdfObj } {
    const lx = new Lexer(this.buf, off);
    const n = lx.next();
    const g = lx.next();
    const kw = lx.next();
    if (typeof n !== 'number' || typeof g !== 'number' || !isCmd(kw, 'obj')) unsupported('no object at its offset');
    if (expect && n !== expect.num) unsupported('object number mismatch');
    const p = new Parser(lx, true);
    const obj = p.getObj();
    if (obj instanceof Cmd) {
      if (isCmd(obj, 'endobj')) return { obj: null };
      unsupported('bad object');
    }
    if (isDict(obj) && isCmd(p.peek(), 'stream')) return { obj: this.readStreamData(obj, lx.pos) };
    return { obj };
  }

  private readStreamData(dict: PdfDict, afterKeyword: number): Stream {
    const b = this.buf;
    let start = afterKeyword;
    if (b[start] === 0x0d) start++;
    if (b[start] === 0x0a) start++;
    const len = this.resolve(dict.get('Length'));
    if (typeof len === 'number' && Number.isInteger(len) && len >= 0 && start + len <= b.length) {
      let e = start + len;
      while (e < b.length && (b[e] === 0x0d || b[e] === 0x0a || b[e] === 0x20 || b[e] === 0x09)) e++;
      if (bytesToLatin1(b.subarray(e, e + 9)) === 'endstream') return new Stream(dict, b.subarray(start, start + len));
    }
    // A wrong /Length: the data ends at the next "endstream".
    const end = indexOf(b, ENDSTREAM, start);
    if (end < 0) unsupported('stream without endstream');
    let e = end;
    if (b[e - 1] === 0x0a) e--;
    if (b[e - 1] === 0x0d) e--;
    return new Stream(dict, b.subarray(start, Math.max(start, e)));
  }

  private objStmIndex(streamNum: number): Map<number, number> {
    const s = this.fetchNum(streamNum);
    if (!(s instanceof Stream)) unsupported('object stream is not a stream');
    const n = s.dict.get('N');
    if (typeof n !== 'number' || n < 0 || n > MAX_OBJSTM_OBJECTS) unsupported('bad object stream');
    const data = decodeStream(s.dict, s.raw, (o) => this.resolve(o));
    const lx = new Lexer(data);
    const out = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const num = lx.next();
      const off = lx.next();
      if (typeof num !== 'number' || typeof off !== 'number') break;
      out.set(num, i);
    }
    return out;
  }

  private readonly objStmCache = new Map<number, { data: Uint8Array; first: number; offsets: number[]; nums: number[] }>();

  private fetchPacked(num: number, streamNum: number, index: number): PdfObj {
    let os = this.objStmCache.get(streamNum);
    if (!os) {
      const s = this.fetchNum(streamNum);
      if (!(s instanceof Stream)) unsupported('object stream is not a stream');
      const n = s.dict.get('N');
      const first = s.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || n > MAX_OBJSTM_OBJECTS || first < 0) unsupported('bad object stream');
      const data = decodeStream(s.dict, s.raw, (o) => this.resolve(o));
      const lx = new Lexer(data);
      const offsets: number[] = [];
      const nums: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = lx.next();
        const o = lx.next();
        if (typeof a !== 'number' || typeof o !== 'number') unsupported('bad object stream header');
        nums.push(a);
        offsets.push(o);
      }
      os = { data, first, offsets, nums };
      this.objStmCache.set(streamNum, os);
    }
    if (index >= os.offsets.length || os.nums[index] !== num) unsupported('object stream index mismatch');
    const p = new Parser(new Lexer(os.data, os.first + os.offsets[index]), true);
    const o = p.getObj();
    if (o instanceof Cmd) unsupported('bad packed object');
    return o;
  }

  private fetchNum(num: number): PdfObj {
    const c = this.cache.get(num);
    if (c !== undefined) return c;
    const e = this.entries.get(num);
    // A free object is null (§7.3.10). A reference to an object the file does not have at all
    // is a truncated or damaged file: pdfjs has its own ways of coping, so it gets the file.
    if (!e) unsupported(`object ${num} is missing`);
    if (e.kind === 'offset' && e.offset < 0) return null;
    if (this.inProgress.has(num)) unsupported('self-referencing object');
    this.inProgress.add(num);
    try {
      let o: PdfObj;
      if (e.kind === 'offset') {
        if (e.offset >= this.buf.length) unsupported('object offset out of range');
        o = this.parseIndirectAt(e.offset, new Ref(num, e.gen)).obj;
      } else o = this.fetchPacked(num, e.stream, e.index);
      this.cache.set(num, o);
      return o;
    } finally {
      this.inProgress.delete(num);
    }
  }

  /** Follows indirect references to a direct object (null for a dangling reference). */
  resolve(o: PdfObj | undefined): PdfObj | undefined {
    for (let hops = 0; o instanceof Ref; hops++) {
      if (hops >= MAX_REF_HOPS) unsupported('reference chain too long');
      o = this.fetchNum(o.num);
    }
    return o;
  }

  /** A dictionary entry, dereferenced. */
  get(d: PdfDict | undefined, key: string): PdfObj | undefined {
    return d ? this.resolve(d.get(key)) : undefined;
  }

  /** A stream's decoded bytes. */
  decode(s: Stream): Uint8Array {
    return decodeStream(s.dict, s.raw, (o) => this.resolve(o));
  }
}

const ENDSTREAM = Uint8Array.from(Buffer.from('endstream', 'latin1'));

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(needle, from);
}
