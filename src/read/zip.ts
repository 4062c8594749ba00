// ZIP containers → DOCX or XLSX reader. (Stub: implemented in its own change.)
import { GongkaiError } from '../errors.js';
import type { ReadResult } from './index.js';
export async function readZip(_bytes: Uint8Array, source: string): Promise<ReadResult> {
  throw new GongkaiError('unsupported-format', source, { zh: 'DOCX/XLSX 读取尚未实现。', en: 'DOCX/XLSX reading is not implemented yet.' });
}
