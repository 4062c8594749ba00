// Store benchmark: `node --import tsx bench/store.ts` (about 2–4 minutes).
//  1. 10,000 generated valid reports (test/gen.ts, fixed seed; agencies varied over the
//     built-in counties × departments) written as pipe-row text (test/layouts.ts writer B),
//     imported into a fresh SQLite file the way `gongkai import` does (Store.importFile each).
//  2. Canonical rows inserted directly (Store.insertCanonical) until the store holds 100,000.
//  3. `sum --by year` and `coverage --year Y` over the 100,000, in process through the
//     functions the CLI calls, then through the CLI itself (node start-up included).
// Sizes: BENCH_IMPORT (default 10000), BENCH_TOTAL (default 100000). Targets: import < 60 s,
// sum and coverage < 1 s each.
import { SEED, DEPTS, ms, counties } from './common.js';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { reportArb } from '../test/gen.js';
import { writeB } from '../test/layouts.js';
import type { Report } from '../src/model/report.js';
import { Store } from '../src/store/index.js';
import { coverage, sumBy } from '../src/analyze/aggregate.js';

const N_IMPORT = Number(process.env.BENCH_IMPORT ?? 10_000);
const TOTAL = Number(process.env.BENCH_TOTAL ?? 100_000);

const fmt = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);


function rename(r: Report, agency: string): Report {
  const old = r.agency ?? '';
  const sections = { ...r.sections };
  for (const k of Object.keys(sections) as (keyof typeof sections)[]) if (sections[k]) sections[k] = sections[k]!.split(old).join(agency);
  return { ...r, agency, title: `${agency}${r.year}年政府信息公开工作年度报告`, sections };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-bench-'));
  const dbFile = join(dir, 'bench.db');
  try {
    let t0 = performance.now();
    const places = counties(1000);
    const agencies = places.flatMap((p) => DEPTS.map((d) => `${p}${d}`));
    const base = fc.sample(reportArb(), { seed: SEED, numRuns: N_IMPORT }).map((r, i) => rename(r, agencies[(i * 7919) % agencies.length]));
    const genMs = ms(t0);
    t0 = performance.now();
    const files: string[] = [];
    base.forEach((r, i) => {
      const f = join(dir, `r${String(i).padStart(5, '0')}.txt`);
      writeFileSync(f, writeB(r));
      files.push(f);
    });
    console.log(`generated ${base.length} reports in ${fmt(genMs)}, wrote them as text in ${fmt(ms(t0))}`);

    const s = await Store.open({ db: dbFile });
    t0 = performance.now();
    const counts = { imported: 0, duplicate: 0, failed: 0 };
    for (const f of files) counts[(await s.importFile(f)).status === 'imported' ? 'imported' : 'duplicate']++;
    const importMs = ms(t0);
    console.log(`import ${files.length} text files into a fresh SQLite file: ${fmt(importMs)} (${((files.length / importMs) * 1000).toFixed(0)} files/s; imported ${counts.imported}, duplicates ${counts.duplicate})  target < 60 s`);

    t0 = performance.now();
    const have = await s.count();
    const need = TOTAL - have;
    const items: { report: Report; fileName: string }[] = [];
    for (let j = 0; j < need; j++) {
      const r = base[j % base.length];
      // (base report, agency) pairs never repeat, so every row is new.
      items.push({ report: rename(r, agencies[(j + 7 * Math.floor(j / base.length) + 1) % agencies.length]), fileName: `bulk-${j}.json` });
    }
    // The filler rows skip the table checks (about 2–3 ms a report): this part only has to fill the store.
    const inserted = await s.insertCanonical(items, { batch: 500, check: false });
    const total = await s.count();
    console.log(`inserted ${inserted} canonical rows directly (table checks skipped) in ${fmt(ms(t0))}; the store holds ${total}`);

    const regions = await s.regionTree();
    const years = await s.sumInputs();
    const yearCounts = new Map<number, number>();
    for (const r of years) if (r.year !== null) yearCounts.set(r.year, (yearCounts.get(r.year) ?? 0) + 1);
    const Y = [...yearCounts].sort((a, b) => b[1] - a[1])[0][0];

    const best = async (fn: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await fn();
        times.push(ms(t));
      }
      return { first: times[0], best: Math.min(...times) };
    };
    const sumT = await best(async () => sumBy(await s.sumInputs({ yearOnly: true }), 'year', { regions }));
    const covT = await best(async () => coverage(await s.coverageInputs(Y), Y));
    const provT = await best(async () => sumBy(await s.sumInputs(), 'province', { regions }));
    console.log(`sum --by year over ${total}: ${fmt(sumT.first)} (best of 3 ${fmt(sumT.best)})  target < 1 s`);
    console.log(`coverage --year ${Y} over ${total} (${yearCounts.get(Y)} of that year): ${fmt(covT.first)} (best ${fmt(covT.best)})  target < 1 s`);
    console.log(`sum --by province (built-in divisions) over ${total}: ${fmt(provT.first)} (best ${fmt(provT.best)})`);
    await s.close();

    const bin = join(process.cwd(), 'bin', 'gongkai.js');
    if (existsSync(join(process.cwd(), 'dist', 'cli', 'store-commands.js'))) {
      for (const args of [['sum', '--by', 'year', '--json'], ['coverage', '--year', String(Y), '--json']]) {
        const t = performance.now();
        const r = spawnSync(process.execPath, [bin, args[0], '--db', dbFile, ...args.slice(1)], { encoding: 'utf8', maxBuffer: 1 << 28 });
        console.log(`CLI gongkai ${args.join(' ')} (node start-up included): ${fmt(ms(t))}${r.status === 0 ? '' : ` (exit ${r.status}: ${r.stderr.slice(0, 200)})`}`);
      }
    }
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dbFile);
  }
}

await main();
