// Errors users can act on: a code, the file, and what to do, in Chinese and English.

export type ErrorCode =
  | 'not-annual-report'
  | 'unreadable'
  | 'empty'
  | 'too-large'
  | 'unsupported-format'
  | 'scanned-pdf'
  | 'encrypted-pdf'
  | 'corrupt-file'
  | 'zip-bomb'
  | 'converter-missing'
  | 'io-error';

export interface Bilingual {
  zh: string;
  en: string;
}

export class GongkaiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly source: string,
    readonly text: Bilingual,
  ) {
    super(`${source}: ${text.zh} / ${text.en}`);
    this.name = 'GongkaiError';
  }

  messageIn(lang: 'zh' | 'en'): string {
    return this.text[lang];
  }
}

export function toGongkaiError(e: unknown, source: string): GongkaiError {
  if (e instanceof GongkaiError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/ENOENT|EISDIR|EACCES/.test(msg)) {
    return new GongkaiError('io-error', source, { zh: `无法读取文件：${msg}`, en: `Cannot read the file: ${msg}` });
  }
  return new GongkaiError('corrupt-file', source, {
    zh: `文件已损坏或格式无法解析：${msg}。请检查文件是否完整，或另存为其他格式后重试。`,
    en: `The file is corrupt or cannot be parsed: ${msg}. Check that it is complete, or save it in another format and retry.`,
  });
}
