// node:test on Node 20 neither expands globs nor finds .ts files in a directory, so the test
// files are listed here explicitly (a bare `node --test` would run 0 tests).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const only = process.argv.slice(2);
const files = [];
const walk = (d) => {
  for (const n of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, n.name);
    if (n.isDirectory()) walk(p);
    else if (n.name.endsWith('.test.ts')) files.push(p);
  }
};
walk('test');
files.sort();
const chosen = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
if (!chosen.length) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...chosen], { stdio: 'inherit' });
process.exit(r.status ?? 1);
