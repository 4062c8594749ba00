// ZIP containers → DOCX or XLSX reader. Entries are inflated lazily, one at a time, and only
// after their declared sizes pass the limits; fflate never writes past a declared size, so
// an entry that lies about its size is cut short rather than exhausting memory.
import { unzipSync } from 'fflate';
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
