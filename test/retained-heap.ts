// Run by test/retention.test.ts in its own process with --expose-gc: parses the seeds many times,
// lets only young-space collections run, and prints how much of the heap the parses left behind
// (bytes per parse). Garbage that a young collection cannot free is copied by every one of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBytes } from '../src/index.js';
import { withLazyProvenance } from '../src/parse-pool.js';
import { CORPUS } from './helpers.js';

const gc = (globalThis as { gc?: (o?: { type: 'minor' | 'major' }) => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const seeds = ['000_4cd268ebc3c8188c', '001_6924ad0fa9f0fb17', '004_f14794f11eedc646'].map((s) => readFileSync(join(CORPUS, 'seeds', s, 'source.txt')));
const mode = process.argv[2] ?? 'parse';

async function once(b: Buffer): Promise<void> {
  const r = await parseBytes(b);
  // As the batch pool hands a worker's result on: provenance as JSON text, parsed when read.
  if (mode === 'pool') {
    const { provenance, ...rest } = r;
    withLazyProvenance(rest, JSON.stringify(provenance));
  }
}

// Heap after young-space collections only, at two points: what grows between them stays per
// parse; what the first rounds leave once (compiled code, caches) does not count.
function heapAfterMinor(): number {
  for (let k = 0; k < 3; k++) gc!({ type: 'minor' });
  return process.memoryUsage().heapUsed;
}
for (let k = 0; k < 20; k++) for (const b of seeds) await once(b);
gc();
gc();
for (let k = 0; k < 50; k++) for (const b of seeds) await once(b);
const before = heapAfterMinor();
const rounds = Number(process.env.ROUNDS ?? 400);
for (let k = 0; k < rounds; k++) for (const b of seeds) await once(b);
console.log(Math.round((heapAfterMinor() - before) / (rounds * seeds.length)));
