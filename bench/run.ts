// npm run bench: reports per second in one process, per format, and (for text) the ratio to a
// baseline that only decodes and line-splits the same bytes. Timings live here, not in tests.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
// The built library, as `gongkai` runs it (npm run bench builds first): code compiled on the fly
// by tsx is not what users run.
import { parseBytes, parseMany, MAX_JOBS } from '../dist/index.js';

const CORPUS = resolve(process.cwd(), '../shared/corpus');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// Each measure first runs untimed this long: the first second of a fresh process runs at about a
// third of the speed while V8 compiles the hot code, and a figure for a batch of thousands of
// reports should not carry it. BENCH_WARMUP=0 times from a cold start.
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);

function sources(ext: string): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  if (!existsSync(CORPUS)) return out;
  for (const g of readdirSync(CORPUS)) {
    for (const c of readdirSync(join(CORPUS, g))) {
      const d = join(CORPUS, g, c);
      if (!statSync(d).isDirectory()) continue;
      const f = readdirSync(d).find((x) => x === `source.${ext}`);
      if (f) out.push({ name: `${g}/${c}`, bytes: readFileSync(join(d, f)) });
    }
  }
  return out;
}

/**
 * Runs fn over the items for `seconds`; the rate overall and in each whole second. The rates of
 * the seconds show how much the machine itself varied during the run (a shared VM may swing by a
 * quarter within a minute): the overall figure is the one to compare.
 */
async function timeLoop(items: { bytes: Buffer }[], fn: (b: Buffer) => unknown, seconds: number): Promise<{ n: number; s: number; perSecond: number[] }> {
  const t0 = performance.now();
  let n = 0;
  const perSecond: number[] = [];
  let mark = t0;
  let atMark = 0;
  while ((performance.now() - t0) / 1000 < seconds) {
    for (const it of items) {
      await fn(it.bytes);
      n++;
    }
    const now = performance.now();
    if (now - mark >= 1000) {
      perSecond.push(((n - atMark) * 1000) / (now - mark));
      mark = now;
      atMark = n;
    }
  }
  return { n, s: (performance.now() - t0) / 1000, perSecond };
}

function spread(rates: number[]): string {
  if (rates.length < 2) return '';
  const r = [...rates].sort((a, b) => a - b);
  return ` (per second: min ${r[0].toFixed(0)}, median ${r[Math.floor(r.length / 2)].toFixed(0)}, max ${r[r.length - 1].toFixed(0)})`;
}

async function main() {
  const text = sources('txt');
  if (text.length) {
    for (const it of text) await parseBytes(it.bytes, it.name).catch(() => null); // each case once, before anything is timed
    const parseFn = (b: Buffer) => parseBytes(b).catch(() => null);
    const baseFn = (b: Buffer) => new TextDecoder('utf-8').decode(b).split(/\r?\n/).length;
    await timeLoop(text, parseFn, WARMUP);
    const parse = await timeLoop(text, parseFn, SECONDS);
    await timeLoop(text, baseFn, Math.min(WARMUP, 1));
    const base = await timeLoop(text, baseFn, Math.max(2, SECONDS / 5));
    const rate = parse.n / parse.s;
    const baseRate = base.n / base.s;
    console.log(`text: ${rate.toFixed(0)} reports/s over ${parse.n} parses of ${text.length} corpus text cases in ${parse.s.toFixed(1)} s after ${WARMUP} s of warm-up (target ≥ 2000/s)${spread(parse.perSecond)}`);
    console.log(`text baseline (decode + line split only): ${baseRate.toFixed(0)} reports/s; parse is ${(baseRate / rate).toFixed(1)}× the baseline (target ≤ 20×)`);
    // The same bytes as a batch on worker threads, as `gongkai parse|check|import` run many files
    // (worker start-up included; still one process).
    const jobs = Math.min(availableParallelism(), MAX_JOBS);
    if (jobs > 1) {
      const names = Array.from({ length: Math.max(1, Math.round(rate * SECONDS)) }, (_, i) => String(i % text.length));
      const t0 = performance.now();
      let n = 0;
      for await (const p of parseMany(names, { jobs, prepare: async (k) => ({ bytes: text[Number(k)].bytes }) })) if (!('skipped' in p)) n++;
      const s = (performance.now() - t0) / 1000;
      console.log(`text batch on ${jobs} worker threads (parseMany): ${(n / s).toFixed(0)} reports/s over ${n} parses in ${s.toFixed(1)} s`);
    }
  }
  for (const [ext, target] of [['html', 500], ['docx', 200], ['pdf', 10]] as const) {
    const items = sources(ext);
    if (!items.length) continue;
    const ok = await parseBytes(items[0].bytes, items[0].name).then(() => true, () => false);
    if (!ok) {
      console.log(`${ext}: reader not available`);
      continue;
    }
    const fn = (b: Buffer) => parseBytes(b).catch(() => null);
    await timeLoop(items, fn, Math.min(WARMUP, 1));
    const r = await timeLoop(items, fn, Math.max(3, SECONDS / 2));
    console.log(`${ext}: ${(r.n / r.s).toFixed(1)} reports/s over ${r.n} parses of ${items.length} corpus cases (target ≥ ${target}/s)`);
  }
}

await main();
