// One parse worker of a ParsePool (parse-pool.ts): parses the bytes it is sent, replies with the
// result or the error's code and bilingual text (a class instance does not survive the message).
import { parentPort } from 'node:worker_threads';
import { parseBytes } from './index.js';
import { toGongkaiError } from './errors.js';

parentPort!.on('message', async (m: { id: number; bytes: Uint8Array; source: string }) => {
  try {
    const result = await parseBytes(m.bytes, m.source);
    parentPort!.postMessage({ id: m.id, result });
  } catch (e) {
    const g = toGongkaiError(e, m.source);
    parentPort!.postMessage({ id: m.id, error: { code: g.code, source: g.source, text: g.text } });
  }
});
