// Bytes → string for text-like sources. Order (ecosystem.md §o): BOM, declared charset,
// UTF-8 (tolerating a few broken sequences, as crawlers cut CJK by bytes), else GB18030,
// which is a superset of GB2312 and GBK.
import { isUtf8 } from 'node:buffer';
import { GongkaiError } from '../errors.js';

const UTF8 = new TextDecoder('utf-8');

export interface Decoded {
  text: string;
  encoding: string;
}

export function decodeText(bytes: Uint8Array, declared?: string): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (declared) {
    const label = /^(gb2312|gbk|gb_2312-80|x-gbk|cp936)$/i.test(declared) ? 'gb18030' : declared.toLowerCase();
    try {
      return { text: new TextDecoder(label).decode(bytes), encoding: label };
    } catch {
      // Unknown label: fall through to detection.
    }
  }
  // Validating first (simdutf) costs far less than a fatal decode that throws on bad input.
  if (isUtf8(bytes)) return { text: UTF8.decode(bytes), encoding: 'utf-8' };
  // Not clean UTF-8: decide between damaged UTF-8 and GB18030 below.
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  let bad = 0;
  let nonAscii = 0;
  for (let i = 0; i < utf8.length; i++) {
    const c = utf8.charCodeAt(i);
    if (c === 0xfffd) bad++;
    else if (c >= 0x80) nonAscii++;
  }
  if (bad === 0 || bad * 20 < nonAscii) return { text: utf8, encoding: 'utf-8' };
  return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
}

/** True when the bytes look like binary data rather than text in any encoding we read. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 65536);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return !(bytes[0] === 0xff || bytes[0] === 0xfe); // NUL outside UTF-16
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  return control / n > 0.02;
}

export function assertText(bytes: Uint8Array, source: string): void {
  if (looksBinary(bytes)) {
    throw new GongkaiError('unreadable', source, {
      zh: '文件不是可识别的文本、网页、Word、PDF 或 Excel 文档（二进制数据或编码错误）。请提供报告原文件。',
      en: 'The file is not recognisable text, HTML, Word, PDF or Excel (binary data or a wrong encoding). Supply the report as published.',
    });
  }
}
