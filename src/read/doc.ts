// Legacy .doc/.wps (OLE) → Document. (Stub: implemented in its own change.)
import { GongkaiError } from '../errors.js';
import type { ReadResult } from './index.js';
export async function readOle(_bytes: Uint8Array, source: string): Promise<ReadResult> {
  throw new GongkaiError('unsupported-format', source, { zh: 'DOC/WPS 读取尚未实现。', en: 'DOC/WPS reading is not implemented yet.' });
}
