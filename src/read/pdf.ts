// PDF → Document. Glyph positions and ruling lines come from the native reader (pdf-native/: no
// font programs, several times faster) or, whenever it meets anything it does not fully
// understand, from pdfjs-dist (legacy build: the modern build needs APIs Node 20 lacks); tables
// are rebuilt from the rules in pdf-layout.ts. GONGKAI_PDF_ENGINE=pdfjs forces pdfjs.
import { GongkaiError } from '../errors.js';
import type { Document } from './document.js';
import type { ReadResult } from './index.js';
import { withOneShotInflate } from './pdf-inflate.js';
import { layoutPages, type PageInput } from './pdf-layout.js';
import { openPdf, readPages, type PdfDocument } from './pdf-pages.js';
import { readNativePdf } from './pdf-native/document.js';
import { NativePdfUnsupported } from './pdf-native/unsupported.js';

/** Pages beyond this are not read: no annual report is this long. */
export const MAX_PDF_PAGES = 500;
/** Stop reading further pages after this much time (ms); what was read is kept. */
const TIME_BUDGET_MS = 120_000;

function pdfDate(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h, mi, se, tz] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31) return undefined;
  if (!h) return `${y}-${mo}-${d}`;
  let zone = '';
  if (tz === 'Z') zone = 'Z';
  else if (tz) {
    const z = /([+-])(\d{2})'?(\d{2})?/.exec(tz)!;
    zone = `${z[1]}${z[2]}:${z[3] ?? '00'}`;
  }
  return `${y}-${mo}-${d}T${h}:${mi ?? '00'}:${se ?? '00'}${zone}`;
}

function metaText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.replace(/\u0000/g, '').trim();
  return t || undefined;
}

export function readPdf(bytes: Uint8Array, source: string): Promise<ReadResult> {
  return readPdfWithEngine(bytes, source).then((r) => r.result);
}

/** Which reader produced a result, and why the native one gave way (for tests and comparisons). */
export interface PdfEngineResult {
  result: ReadResult;
  engine: 'native' | 'pdfjs';
  /** Why the native reader handed the file to pdfjs (absent when it read it, or was not asked). */
  fallback?: string;
}

export async function readPdfWithEngine(bytes: Uint8Array, source: string): Promise<PdfEngineResult> {
  let fallback: string | undefined;
  if (process.env.GONGKAI_PDF_ENGINE !== 'pdfjs') {
    const native = readWithNative(bytes);
    if ('doc' in native) return { result: native, engine: 'native' };
    fallback = native.fallback;
  }
  const result = await withOneShotInflate(() => readWithPdfjs(bytes, source));
  return { result, engine: 'pdfjs', ...(fallback ? { fallback } : {}) };
}

/**
 * The native reader's Document, or why pdfjs should read the file instead. Every failure falls
 * back, not only the reader's own "unsupported": pdfjs then gives the user-facing error (corrupt,
 * encrypted, scanned) or salvages what it can, as before.
 */
function readWithNative(bytes: Uint8Array): ReadResult | { fallback: string } {
  try {
    const pdf = readNativePdf(bytes, MAX_PDF_PAGES, Date.now() + TIME_BUDGET_MS);
    const chars = pdf.pages.reduce((n, p) => n + p.glyphs.length, 0);
    // Too little text to be a report: pdfjs decides whether this is a scan.
    if (chars < 10) return { fallback: 'too little text' };
    const doc: Document = { format: 'pdf', blocks: layoutPages(pdf.pages) };
    const title = metaText(pdf.meta.title);
    const created = pdfDate(pdf.meta.creationDate);
    if (title || created) doc.meta = { ...(title ? { title } : {}), ...(created ? { created } : {}) };
    return { doc };
  } catch (e) {
    if (e instanceof NativePdfUnsupported) return { fallback: e.reason };
    return { fallback: `error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function readWithPdfjs(bytes: Uint8Array, source: string): Promise<ReadResult> {
  let pdf: PdfDocument;
  try {
    pdf = await openPdf(bytes);
  } catch (e) {
    const name = (e as { name?: string })?.name;
    if (name === 'PasswordException') {
      throw new GongkaiError('encrypted-pdf', source, {
        zh: 'PDF 文件已加密（需要密码）。请先用密码打开并另存为未加密的 PDF，或提供原始的 Word/HTML 版本。',
        en: 'The PDF is encrypted (password protected). Open it with the password and save an unencrypted copy, or provide the original Word/HTML version.',
      });
    }
    const msg = e instanceof Error ? e.message : String(e);
    throw new GongkaiError('corrupt-file', source, {
      zh: `PDF 文件已损坏或不完整（${msg}）。请重新下载完整文件后重试。`,
      en: `The PDF is corrupt or incomplete (${msg}). Download the complete file again and retry.`,
    });
  }
  try {
    const deadline = Date.now() + TIME_BUDGET_MS;
    const n = Math.min(pdf.numPages, MAX_PDF_PAGES);
    const results = await readPages(pdf, Array.from({ length: n }, (_, i) => i + 1), deadline);
    const pages: PageInput[] = [];
    let chars = 0;
    let readErrors = 0;
    let lastError = '';
    for (const r of results) {
      if ('error' in r) {
        readErrors++;
        lastError = r.error;
      } else {
        chars += r.glyphs.length;
        pages.push(r);
      }
    }
    if (chars === 0 && readErrors > 0 && pages.length === 0) {
      throw new GongkaiError('corrupt-file', source, {
        zh: `PDF 文件已损坏，无法读取任何页面（${lastError}）。请重新下载完整文件后重试。`,
        en: `The PDF is corrupt: no page could be read (${lastError}). Download the complete file again and retry.`,
      });
    }
    if (chars < 10) {
      throw new GongkaiError('scanned-pdf', source, {
        zh: 'PDF 没有文字层（可能是扫描件或图片），需要 OCR 识别。请先用 OCR 工具转换为可选中文字的 PDF，或提供 Word/HTML 版本。',
        en: 'The PDF has no text layer (probably a scan or images); it needs OCR. Run it through an OCR tool to get a PDF with selectable text, or provide the Word/HTML version.',
      });
    }
    const doc: Document = { format: 'pdf', blocks: layoutPages(pages) };
    try {
      const md = await pdf.getMetadata();
      const info = (md?.info ?? {}) as Record<string, unknown>;
      const title = metaText(info.Title);
      const created = pdfDate(info.CreationDate);
      if (title || created) doc.meta = { ...(title ? { title } : {}), ...(created ? { created } : {}) };
    } catch {
      // metadata is optional
    }
    return { doc };
  } catch (e) {
    if (e instanceof GongkaiError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new GongkaiError('corrupt-file', source, {
      zh: `PDF 文件无法解析（${msg}）。请检查文件是否完整，或另存为其他格式后重试。`,
      en: `The PDF cannot be parsed (${msg}). Check that the file is complete, or save it in another format and retry.`,
    });
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}
