// Parsing batches on worker threads (src/parse-pool.ts): the same results, in the same order, as
// parsing one by one in this thread, whatever the number of workers; one bad input fails alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusCases } from './helpers.js';
import { GongkaiError, parseFile, parseMany, ParsePool } from '../src/index.js';
import { provenanceJson } from '../src/parse-pool.js';
import { Store } from '../src/store/index.js';

const cases = corpusCases();
const dir = mkdtempSync(join(tmpdir(), 'gongkai-pool-'));
const garbage = join(dir, 'garbage.txt');
writeFileSync(garbage, Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8, 9, 0, 0, 0, 1]));
const notice = join(dir, 'notice.txt');
writeFileSync(notice, '关于召开会议的通知\n各单位：定于下周一召开会议。\n');
const missing = join(dir, 'missing.txt');

/** Corpus sources of every format, with bad inputs in between. */
const inputs = [...cases.map((c) => c.source)];
inputs.splice(3, 0, garbage);
inputs.splice(8, 0, missing);
inputs.push(notice);
/** The same without PDFs (the slowest format to parse), for the end-to-end runs. */
const quick = inputs.filter((f) => !f.endsWith('.pdf'));

async function oneByOne(list: string[]) {
  const out: unknown[] = [];
  for (const f of list) out.push(await parseFile(f).catch((e: GongkaiError) => ({ code: e.code, source: e.source })));
  return out;
}

async function batch(list: string[], jobs: number) {
  const out: unknown[] = [];
  const order: string[] = [];
  for await (const p of parseMany(list, { jobs })) {
    assert.ok(!('skipped' in p));
    order.push(p.input);
    out.push(p.result instanceof GongkaiError ? { code: p.result.code, source: p.result.source } : p.result);
  }
  return { out, order };
}

test('parseMany on 3 workers: same results in input order as one by one, bad inputs fail alone', { skip: cases.length < 4 }, async () => {
  const expected = await oneByOne(inputs);
  const { out, order } = await batch(inputs, 3);
  assert.deepEqual(order, inputs);
  assert.deepEqual(out, expected);
  // The bad inputs came back as errors with their own codes; the others as reports.
  const codes = expected.filter((x): x is { code: string; source: string } => typeof (x as { code?: unknown }).code === 'string');
  assert.deepEqual(codes.map((c) => c.source).sort(), [garbage, missing, notice].sort());
  assert.ok(codes.some((c) => c.code === 'io-error' && c.source === missing));
  assert.ok(codes.some((c) => c.code === 'not-annual-report' && c.source === notice));
});

test('parseMany: prepare can pass an input through unparsed, and a non-input error ends the batch', async () => {
  const seen: string[] = [];
  for await (const p of parseMany<string>([notice, garbage, notice], { jobs: 2, prepare: async (f) => (f === garbage ? { skip: 'known' } : { bytes: Buffer.from('x'), prepared: f }) })) {
    seen.push('skipped' in p ? `skip:${p.skipped}` : p.result instanceof GongkaiError ? `error:${p.result.code}` : 'report');
  }
  assert.deepEqual(seen, ['error:not-annual-report', 'skip:known', 'error:not-annual-report']);

  // The batch-ending error comes from a later input, after a delay, while an earlier input is
  // still being parsed: it must end the batch, not surface as an unhandled rejection.
  const late = new Error('database went away later');
  const seen2: string[] = [];
  await assert.rejects(async () => {
    let i = 0;
    for await (const p of parseMany([notice, notice, notice, notice], {
      jobs: 1,
      prepare: async () => {
        const k = i++;
        if (k === 2) throw late;
        await new Promise((r) => setTimeout(r, k === 0 ? 50 : 0));
        return { bytes: Buffer.from('x') };
      },
    })) seen2.push(p.input);
  }, late);
  assert.deepEqual(seen2, [notice, notice]);

  const boom = new Error('database went away');
  await assert.rejects(async () => {
    for await (const _ of parseMany([notice, notice, notice], { jobs: 2, prepare: async () => Promise.reject(boom) })) void _;
  }, boom);
});

test('ParsePool: a report parsed on a worker equals the one parsed here, provenance included, in every format', { skip: !cases.length }, async () => {
  const pool = new ParsePool(1);
  try {
    const { readFileSync } = await import('node:fs');
    const exts = new Set<string>();
    for (const c of cases) {
      const ext = c.source.slice(c.source.lastIndexOf('.'));
      if (exts.has(ext)) continue;
      exts.add(ext);
      const got = await pool.parse(readFileSync(c.source), c.source);
      const here = await parseFile(c.source);
      // The provenance came as JSON text: the store takes that text without parsing it, and it
      // is the text this thread would write.
      assert.equal(provenanceJson(got), JSON.stringify(here.provenance), c.source);
      assert.deepEqual(got, here, c.source);
      assert.deepEqual(got.provenance, here.provenance, c.source);
      // Once read (or replaced) it is an ordinary value.
      got.provenance.cells['x'] = { raw: '1', place: { line: 1 } };
      assert.equal(provenanceJson(got), JSON.stringify(got.provenance));
      got.provenance = { cells: {}, sections: {} };
      assert.equal(provenanceJson(got), '{"cells":{},"sections":{}}');
    }
    assert.ok(exts.size >= 3, [...exts].join(' '));
    await assert.rejects(pool.parse(Buffer.from('关于放假的通知\n'), 'n.txt'), (e: unknown) => e instanceof GongkaiError && e.code === 'not-annual-report');
  } finally {
    await pool.close();
  }
});

test('gongkai parse --jsonl prints the same bytes with -j 1 and -j 2', { skip: cases.length < 4 }, () => {
  const run = (j: string) => spawnSync(process.execPath, ['bin/gongkai.js', 'parse', '-j', j, '--jsonl', ...quick], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const a = run('1');
  const b = run('2');
  assert.equal(a.status, 1, a.stderr); // some inputs fail: exit 1, the others are printed
  assert.equal(b.status, a.status);
  assert.equal(b.stdout, a.stdout);
  assert.equal(a.stdout.trim().split('\n').length, quick.length);
  const bad = spawnSync(process.execPath, ['bin/gongkai.js', 'parse', '-j', '0', notice], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /jobs/);
});

test('Store.importFiles on 2 workers stores the same rows, ids and outcomes as on 1', { skip: cases.length < 4 }, async () => {
  const list = [...quick, quick[0], quick[5]]; // two duplicates by content
  const rows: unknown[][] = [];
  const outcomes: unknown[][] = [];
  for (const jobs of [1, 2]) {
    const s = await Store.open({ db: join(dir, `import-${jobs}.db`) });
    try {
      const got: unknown[] = [];
      for await (const o of s.importFiles(list, { jobs })) got.push(o.status === 'failed' ? { status: o.status, source: o.source, code: o.error.code } : o);
      outcomes.push(got);
      const stored = await s.list({});
      // The provenance too: from a worker it is stored from the JSON text it came in.
      const provenance = await Promise.all(stored.map(async (r) => (await s.get(r.id))?.provenance));
      rows.push(stored.map((r, i) => ({ id: r.id, hash: r.hash, agency: r.agency, year: r.year, report: r.report, provenance: provenance[i] })));
    } finally {
      await s.close();
    }
  }
  assert.deepEqual(outcomes[1], outcomes[0]);
  assert.deepEqual(rows[1], rows[0]);
  assert.equal(outcomes[0].filter((o) => (o as { status: string }).status === 'duplicate').length, 2);
});
