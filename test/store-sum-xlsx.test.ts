// `gongkai sum --xlsx`: the sums in the official table layout, readable by Gongkai itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFile } from '../src/index.js';
import { CORPUS } from './helpers.js';

const BIN = join(process.cwd(), 'bin', 'gongkai.js');
const env = { ...process.env };
delete env.DATABASE_URL;
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });

test('sum --xlsx writes the summed tables 3 and 4 in the official layout', async () => {
  const d = mkdtempSync(join(tmpdir(), 'gongkai-sumx-'));
  const db = join(d, 's.db');
  const a = join(CORPUS, 'real', 'shuyang-2025', 'source.txt');
  const b = join(CORPUS, 'real', 'pingtan-gwh-2025', 'source.txt');
  assert.equal(run(['import', '--db', db, a, b]).status, 0);
  const out = join(d, 'sum.xlsx');
  const r = run(['sum', '--db', db, '--by', 'year', '--year', '2025', '--xlsx', out]);
  assert.equal(r.status, 0, r.stderr);
  const [ra, rb, sum] = await Promise.all([parseFile(a), parseFile(b), parseFile(out)]);
  assert.deepEqual(sum.report.uncertain, []);
  for (const col of ['naturalPerson', 'total'] as const) {
    for (const row of ['newReceived', 'granted', 'totalHandled', 'carriedForward']) {
      const want = (ra.report.table3[row][col] ?? 0) + (rb.report.table3[row][col] ?? 0);
      assert.equal(sum.report.table3[row][col], want, `${row}.${col}`);
    }
  }
  assert.equal(sum.report.table4.review.total, (ra.report.table4.review.total ?? 0) + (rb.report.table4.review.total ?? 0));
});
