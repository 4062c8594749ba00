// PDF → Document. (Stub: implemented in its own change.)
import { GongkaiError } from '../errors.js';
import type { ReadResult } from './index.js';
export async function readPdf(_bytes: Uint8Array, source: string): Promise<ReadResult> {
  throw new GongkaiError('unsupported-format', source, { zh: 'PDF 读取尚未实现。', en: 'PDF reading is not implemented yet.' });
}
