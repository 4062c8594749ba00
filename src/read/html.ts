// HTML → Document. (Stub: implemented in its own change.)
import { GongkaiError } from '../errors.js';
import type { ReadResult } from './index.js';
export function readHtml(_bytes: Uint8Array, source: string): ReadResult {
  throw new GongkaiError('unsupported-format', source, { zh: 'HTML 读取尚未实现。', en: 'HTML reading is not implemented yet.' });
}
