// One parse worker of a ParsePool (parse-pool.ts): parses the bytes it is sent, replies with the
// result or the error's code and bilingual text (a class instance does not survive the message).
import { parentPort } from 'node:worker_threads';
import { parseBytes } from './index.js';
import { toGongkaiError } from './errors.js';

parentPort!.on('message', async (m: { id: number; bytes: Uint8Array; source: string }) => {
  try {
    const { provenance, ...rest } = await parseBytes(m.bytes, m.source);
    // The provenance (a place object per cell) costs most of a result's copy into the other
    // thread, and most batches never read it (parse --jsonl): it goes as JSON text, read there
    // only when used (parse-pool.ts, withLazyProvenance).
    parentPort!.postMessage({ id: m.id, result: rest, provenance: JSON.stringify(provenance) });
  } catch (e) {
    const g = toGongkaiError(e, m.source);
    parentPort!.postMessage({ id: m.id, error: { code: g.code, source: g.source, text: g.text } });
  }
});
