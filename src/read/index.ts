// Bytes → Document, choosing the reader by content (magic bytes, markup), not by extension.
import { GongkaiError } from '../errors.js';
import type { Document } from './document.js';
import { decodeTextFile } from './decode.js';
import { readText } from './text.js';
import { readCsv } from './csv.js';

/**
 * A spreadsheet saved as CSV: most lines split into the same number (≥ 4) of comma fields.
 * Narrative lines with commas never agree on a count, so prose is not mistaken for CSV.
 */
function hasCommas(line: string, n: number): boolean {
  for (let i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) if (--n === 0) return true;
  return false;
}

export function looksLikeCsv(text: string, firstLines?: string[]): boolean {
  // Split at "\n" only: a line's trailing "\r" changes neither its emptiness (trim) nor its
  // comma fields, and a string separator splits far faster than a RegExp. `firstLines`: the
  // same split, already made by the caller.
  // At least five lines, 60% of them with three commas or more: nine commas at the least, and
  // most report text (Chinese uses ，) has fewer in all, which one native search finds.
  if (!hasCommas(text, 9)) return false;
  const lines = (firstLines ?? text.split('\n', 400)).filter((l) => l.trim() !== '');
  if (lines.length < 5) return false;
  const counts = new Map<number, number>();
  for (const l of lines) {
    // Quotes only hide commas, so a line with fewer than three raw commas cannot have four
    // fields: most report text (Chinese uses ，) is ruled out without the regex and split.
    if (!hasCommas(l, 3)) continue;
    const n = l.replace(/"[^"]*"/g, '').split(',').length;
    if (n >= 4) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const best = Math.max(0, ...counts.values());
  return best >= lines.length * 0.6;
}

export type DetectedFormat = 'pdf' | 'zip' | 'ole' | 'html' | 'text' | 'rtf';

export function detectFormat(bytes: Uint8Array): DetectedFormat {
  if (startsWith(bytes, PDF_MAGIC, 0)) return 'pdf';
  // Some PDFs carry junk before the header; the spec allows it within the first 1024 bytes.
  if (bytes.length > 5 && Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes('%PDF-')) return 'pdf';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05)) return 'zip';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'ole';
  if (startsWith(bytes, RTF_MAGIC, 0)) return 'rtf';
  const n = Math.min(bytes.length, 4096);
  const start = Buffer.from(bytes.buffer, bytes.byteOffset, n);
  // Markup needs a "<": most text has none, and then no string is made and no pattern run.
  if (start.indexOf(0x3c) < 0) return 'text';
  // Case-insensitive match instead of lower-casing: in Latin-1 only A–Z fold to the pattern's letters.
  if (/<(?:!doctype html|html|head|body|table|div|p|meta)[\s>]/i.test(start.toString('latin1'))) return 'html';
  return 'text';
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const RTF_MAGIC = [0x7b, 0x5c, 0x72, 0x74, 0x66]; // {\rtf

function startsWith(bytes: Uint8Array, magic: readonly number[], at: number): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

export interface ReadResult {
  doc: Document;
  encoding?: string;
}

export type Reader = (bytes: Uint8Array, source: string) => Promise<ReadResult> | ReadResult;

const readers: Partial<Record<DetectedFormat, Reader>> = {
  text: (bytes, source) => {
    const { text, encoding } = decodeTextFile(bytes, source);
    // Without CR both the CSV test and the text reader split at "\n" alone: split once.
    const lines = text.includes('\r') ? undefined : text.split('\n');
    const csv = looksLikeCsv(text, lines && lines.length > 400 ? lines.slice(0, 400) : lines);
    return { doc: csv ? { ...readCsv(text), format: 'csv' } : readText(text, lines), encoding };
  },
};

/** Formats beyond plain text register here (html, zip → docx/xlsx, pdf, ole → doc). */
export function registerReader(f: DetectedFormat, r: Reader): void {
  readers[f] = r;
}

export async function readDocument(bytes: Uint8Array, source: string): Promise<ReadResult> {
  if (bytes.length === 0) {
    throw new GongkaiError('empty', source, { zh: '文件为空。', en: 'The file is empty.' });
  }
  const f = detectFormat(bytes);
  const r = readers[f];
  if (!r) {
    throw new GongkaiError('unsupported-format', source, {
      zh: `暂不支持此文件格式（${f}）。请另存为 TXT、HTML、DOCX、PDF 或 XLSX 后重试。`,
      en: `This file format (${f}) is not supported yet. Save it as TXT, HTML, DOCX, PDF or XLSX and retry.`,
    });
  }
  return r(bytes, source);
}
