// ZIP containers → DOCX or XLSX reader. Entries are inflated lazily, one at a time, and only
// after their declared sizes pass the limits; fflate never writes past a declared size, so
// an entry that lies about its size is cut short rather than exhausting memory.
//
// fflate lists the archive and decides every error. A deflated entry is first inflated by
// node:zlib (four times faster), capped at its declared size; only a result of exactly that
// size is taken, and anything else is inflated again by fflate as before, so a short, long
// or broken entry reads (or fails) exactly as it always did.
import { inflateRawSync } from 'node:zlib';
import { inflateSync, unzipSync } from 'fflate';
import { GongkaiError } from '../errors.js';
import type { ReadResult } from './index.js';
import { ZIP_LIMITS, type ZipLimits } from './limits.js';
import { docxFromZip } from './docx.js';
import { xlsxFromZip } from './xlsx.js';

export interface ZipEntryInfo {
  name: string;
  /** Compressed size. */
  size: number;
  /** Declared inflated size. */
  originalSize: number;
  compression: number;
}

/** An opened archive: the listing, and entries inflated on demand within the limits. */
export class ZipArchive {
  readonly entries: ZipEntryInfo[] = [];
  private byLower = new Map<string, ZipEntryInfo>();
  private inflated = 0;
  /** Where each entry's data starts, by listing position; undefined when not worked out. */
  private dataStarts: number[] | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    readonly source: string,
    private readonly limits: ZipLimits = ZIP_LIMITS,
  ) {
    try {
      unzipSync(bytes, {
        filter: (f) => {
          const e = { name: f.name, size: f.size, originalSize: f.originalSize, compression: f.compression };
          this.entries.push(e);
          if (this.entries.length > limits.maxEntries) throw zipBomb(source, `${this.entries.length}+ entries`);
          if (!this.byLower.has(e.name.toLowerCase())) this.byLower.set(e.name.toLowerCase(), e);
          return false;
        },
      });
    } catch (e) {
      if (e instanceof GongkaiError) throw e;
      throw corrupt(source, e);
    }
    const starts = dataStarts(bytes);
    if (starts && starts.length === this.entries.length) this.dataStarts = starts;
  }

  has(name: string): boolean {
    return this.byLower.has(name.toLowerCase());
  }

  info(name: string): ZipEntryInfo | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  /** Inflates one entry (name matched case-insensitively); undefined when absent. */
  read(name: string): Uint8Array | undefined {
    const info = this.info(name);
    if (!info) return undefined;
    this.check(info);
    const start = this.dataStarts?.[this.entries.indexOf(info)];
    if (start !== undefined && info.compression === 8) {
      const data = this.bytes.subarray(start, start + info.size);
      const fast = inflateNative(data, info.originalSize);
      if (fast) return fast;
      try {
        // What unzipSync does for this entry.
        return inflateSync(data, { out: new Uint8Array(info.originalSize) });
      } catch (e) {
        throw corrupt(this.source, e, info.name);
      }
    }
    let out: Uint8Array | undefined;
    let taken = false;
    try {
      const files = unzipSync(this.bytes, {
        filter: (f) => {
          if (taken || f.name !== info.name) return false;
          taken = true;
          return true;
        },
      });
      out = files[info.name];
    } catch (e) {
      throw corrupt(this.source, e, info.name);
    }
    return out;
  }

  /** Inflates one entry as UTF-8 text (XML parts). */
  readText(name: string): string | undefined {
    const b = this.read(name);
    if (!b) return undefined;
    let s = new TextDecoder('utf-8').decode(b);
    if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    return s;
  }

  private check(info: ZipEntryInfo): void {
    const l = this.limits;
    if (info.originalSize > l.maxEntryBytes) {
      throw zipBomb(this.source, `${info.name} inflates to ${mb(info.originalSize)} (limit ${mb(l.maxEntryBytes)})`);
    }
    if (info.originalSize > l.ratioFloorBytes && info.originalSize > Math.max(1, info.size) * l.maxRatio) {
      throw zipBomb(this.source, `${info.name} inflates ${Math.round(info.originalSize / Math.max(1, info.size))}-fold`);
    }
    this.inflated += info.originalSize;
    if (this.inflated > l.maxTotalBytes) {
      throw zipBomb(this.source, `entries inflate to more than ${mb(l.maxTotalBytes)} in total`);
    }
  }
}

/** The entry inflated by zlib when it comes out at exactly its declared size, else undefined. */
function inflateNative(data: Uint8Array, size: number): Uint8Array | undefined {
  if (size <= 0) return undefined;
  try {
    // One output chunk of the declared size: no joining of 16 KB chunks afterwards.
    const out = inflateRawSync(data, { maxOutputLength: size + 1, chunkSize: Math.max(64, size + 1) });
    return out.length === size ? new Uint8Array(out.buffer, out.byteOffset, out.length) : undefined;
  } catch {
    return undefined;
  }
}

const b2 = (d: Uint8Array, b: number): number => d[b] | (d[b + 1] << 8);
const b4 = (d: Uint8Array, b: number): number => (d[b] | (d[b + 1] << 8) | (d[b + 2] << 16) | (d[b + 3] << 24)) >>> 0;
const b8 = (d: Uint8Array, b: number): number => b4(d, b) + b4(d, b + 4) * 4294967296;

/**
 * The offset of each entry's data, in listing order, read from the central directory the way
 * fflate's unzipSync reads it (same arithmetic, zip64 included); called only after unzipSync
 * has listed the archive without error. Undefined where unzipSync would have thrown.
 */
function dataStarts(d: Uint8Array): number[] | undefined {
  let e = d.length - 22;
  for (; b4(d, e) !== 0x6054b50; --e) if (!e || d.length - e > 65558) return undefined;
  let c = b2(d, e + 8);
  if (!c) return [];
  let o = b4(d, e + 16);
  let z = b4(d, e - 20) === 0x7064b50;
  if (z) {
    const ze = b4(d, e - 12);
    z = b4(d, ze) === 0x6064b50;
    if (z) {
      c = b4(d, ze + 32);
      o = b4(d, ze + 48);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < c; ++i) {
    const fnl = b2(d, o + 28);
    const efl = b2(d, o + 30);
    const es = o + 46 + fnl;
    let off = b4(d, o + 42);
    const sc = b4(d, o + 20);
    const su = b4(d, o + 24);
    const nsc = sc === 4294967295 ? 1 : 0;
    const nsu = su === 4294967295 ? 1 : 0;
    if (off === 4294967295 || nsc || nsu) {
      if (!z) return undefined;
      let found = false;
      for (let b = es; b + 4 < es + efl; b += 4 + b2(d, b + 2)) {
        if (b2(d, b) === 1) {
          if (off === 4294967295) off = b8(d, b + 4 + 8 * (nsu + nsc));
          found = true;
          break;
        }
      }
      if (!found) return undefined;
    }
    out.push(off + 30 + b2(d, off + 26) + b2(d, off + 28));
    o = es + efl + b2(d, o + 32);
  }
  return out;
}

function mb(n: number): string {
  return `${Math.round(n / 1048576)} MB`;
}

function zipBomb(source: string, detail: string): GongkaiError {
  return new GongkaiError('zip-bomb', source, {
    zh: `压缩包解压后过大（${detail}），疑似“压缩炸弹”，已拒绝读取。请提供正常保存的 DOCX 或 XLSX 原文件。`,
    en: `The archive inflates to an implausible size (${detail}) and looks like a zip bomb; it was not read. Supply the DOCX or XLSX file as normally saved.`,
  });
}

function corrupt(source: string, e: unknown, entry?: string): GongkaiError {
  const msg = e instanceof Error ? e.message : String(e);
  const where = entry ? `（${entry}）` : '';
  return new GongkaiError('corrupt-file', source, {
    zh: `ZIP/DOCX/XLSX 文件已损坏${where}：${msg}。请确认文件下载完整，或用 Word/WPS/Excel 打开后另存一份再试。`,
    en: `The ZIP/DOCX/XLSX file is corrupt${entry ? ` (${entry})` : ''}: ${msg}. Check that the download is complete, or open it in Word/WPS/Excel, save a new copy and retry.`,
  });
}

/** Target of the package's main officeDocument relationship (e.g. "word/document.xml"). */
export function mainPart(zip: ZipArchive): string | undefined {
  const rels = zip.readText('_rels/.rels');
  if (!rels) return undefined;
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const tag = m[0];
    if (!/Type\s*=\s*"[^"]*\/officeDocument"/.test(tag)) continue;
    const t = /Target\s*=\s*"([^"]+)"/.exec(tag);
    if (t) return t[1].replace(/^\/+/, '');
  }
  return undefined;
}

export async function readZip(bytes: Uint8Array, source: string, limits: ZipLimits = ZIP_LIMITS): Promise<ReadResult> {
  const zip = new ZipArchive(bytes, source, limits);
  const main = mainPart(zip);
  if ((main && /^word\//i.test(main) && zip.has(main)) || zip.has('word/document.xml')) {
    return { doc: docxFromZip(zip, main && /^word\//i.test(main) && zip.has(main) ? main : 'word/document.xml') };
  }
  if ((main && /^xl\//i.test(main)) || zip.has('xl/workbook.xml')) {
    return { doc: await xlsxFromZip(zip) };
  }
  const mimetype = zip.readText('mimetype')?.trim() ?? '';
  const kind = /opendocument\.text/.test(mimetype) ? 'ODT' : /opendocument\.spreadsheet/.test(mimetype) ? 'ODS' : /^word\/|\.docx?$/i.test(main ?? '') ? 'DOCX' : 'ZIP';
  if (zip.has('word/document.xml') === false && /^word\//i.test(main ?? '')) {
    throw new GongkaiError('corrupt-file', source, {
      zh: `DOCX 文件缺少正文部分（${main}）。请用 Word/WPS 打开后另存一份再试。`,
      en: `The DOCX file lacks its main part (${main}). Open it in Word/WPS, save a new copy and retry.`,
    });
  }
  throw new GongkaiError('unsupported-format', source, {
    zh: `这是一个 ${kind} 压缩包，但不是 DOCX 或 XLSX 文档。请解压后提供其中的报告文件，或另存为 DOCX、PDF 后重试。`,
    en: `This is a ${kind} archive, not a DOCX or XLSX document. Extract the report from it, or save it as DOCX or PDF, and retry.`,
  });
}
