// The report store and its commands (import, reparse, stats, sum, coverage, compare, export,
// review), against embedded SQLite. test/store-pg.test.ts runs the same suite against
// PostgreSQL when DATABASE_URL is set. The corpus is read in place, never copied.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORPUS } from './helpers.js';
import { parseFile, PARSER_VERSION } from '../src/index.js';
import { Store, type OpenOptions } from '../src/store/index.js';
import { carryOverFindings } from '../src/analyze/continuity.js';
import { expectedUnitsFromCsv } from '../src/analyze/aggregate.js';
import { regionOf } from '../src/analyze/region.js';
import { cellPaths, getCell } from '../src/model/report.js';
import { SECTIONS } from '../src/model/template.js';
import { compareReports, diffLines } from '../src/analyze/compare.js';

const ROOT = process.cwd();
const BIN = join(ROOT, 'bin', 'gongkai.js');

/** Every text source of the corpus (seeds and real), in place. */
export const TEXT_SOURCES: string[] = ['seeds', 'real'].flatMap((g) => {
  const d = join(CORPUS, g);
  if (!existsSync(d)) return [];
  return readdirSync(d)
    .sort()
    .map((n) => join(d, n, 'source.txt'))
    .filter((p) => existsSync(p));
});
const real = (n: string) => join(CORPUS, 'real', n, 'source.txt');
const seed = (n: string) => join(CORPUS, 'seeds', n, 'source.txt');

export interface Target {
  /** How the library opens it. */
  open: OpenOptions;
  /** Extra CLI arguments and environment that select it. */
  args: string[];
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}
export interface Backend {
  name: string;
  fresh(): Promise<Target>;
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gongkai-store-'));
}

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  return env;
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  async fresh() {
    const d = tmp();
    const file = join(d, 'g.db');
    return { open: { db: file }, args: ['--db', file], env: baseEnv(), cleanup: async () => rmSync(d, { recursive: true, force: true }) };
  },
};

/** A fresh PostgreSQL database per target, created on the server DATABASE_URL points at. */
export function pgBackend(url: string): Backend {
  let n = 0;
  return {
    name: 'postgres',
    async fresh() {
      const { default: pg } = await import('pg');
      const name = `gongkai_test_${process.pid}_${Date.now()}_${n++}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database "${name}"`);
      await admin.end();
      const u = new URL(url);
      u.pathname = `/${name}`;
      const dbUrl = u.toString();
      return {
        open: { env: { DATABASE_URL: dbUrl } },
        args: [],
        env: { ...baseEnv(), DATABASE_URL: dbUrl },
        cleanup: async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`drop database if exists "${name}" with (force)`);
          await c.end();
        },
      };
    },
  };
}

// ---------------------------------------------------------------- the built CLI

let cliArgs: string[] | undefined;

/** Build dist/ when the store sources are newer, then find a CLI that has the store commands. */
function cli(): string[] {
  if (cliArgs) return cliArgs;
  const built = join(ROOT, 'dist', 'cli', 'store-commands.js');
  const newest = Math.max(...['src/store', 'src/analyze'].flatMap((d) => readdirSync(join(ROOT, d)).map((f) => statSync(join(ROOT, d, f)).mtimeMs)), statSync(join(ROOT, 'src/cli/store-commands.ts')).mtimeMs);
  if (!existsSync(built) || statSync(built).mtimeMs < newest) {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  }
  const help = spawnSync(process.execPath, [BIN, 'import', '--help'], { encoding: 'utf8' });
  if (help.status === 0 && help.stdout.includes('--db')) return (cliArgs = [BIN]);
  // Not wired into program.ts yet: a runner with just the store commands.
  const runner = join(tmp(), 'gongkai-store.mjs');
  writeFileSync(
    runner,
    `import { createRequire } from 'node:module';
const { Command } = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('commander');
const { registerStoreCommands } = await import(${JSON.stringify(pathToFileURL(built).href)});
const p = new Command('gongkai');
registerStoreCommands(p);
p.parseAsync(process.argv).catch((e) => { console.error(e instanceof Error ? e.message : String(e)); process.exitCode = 2; });
`,
  );
  return (cliArgs = [runner]);
}

function run(t: Target, args: string[]) {
  const [cmd, ...rest] = args;
  return spawnSync(process.execPath, [...cli(), cmd, ...t.args, ...rest], { encoding: 'utf8', env: t.env, maxBuffer: 1 << 26 });
}
function runJson(t: Target, args: string[]) {
  const r = run(t, [...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function withTarget(b: Backend, fn: (t: Target, s: Store) => Promise<void>): Promise<void> {
  const t = await b.fresh();
  const s = await Store.open(t.open);
  try {
    await fn(t, s);
  } finally {
    await s.close();
    await t.cleanup();
  }
}

/** Next year's report of the same body, made by editing this year's text. */
function nextYearText(text: string, year: number): string {
  return text.replace(new RegExp(`${year}|${year + 1}`, 'g'), (y) => String(Number(y) + 1));
}

// ---------------------------------------------------------------- the suite

export function storeSuite(b: Backend): void {
  describe(`store (${b.name})`, () => {
    before(() => {
      cli();
    });

    test('import stores every corpus text; re-import adds nothing; stats --json counts them', async () => {
      assert.ok(TEXT_SOURCES.length >= 10, 'corpus text sources present');
      await withTarget(b, async (t, s) => {
        const bad = join(tmp(), 'broken.txt');
        writeFileSync(bad, '关于做好2024年政务公开工作的通知\n各单位：请于1月31日前报送。\n');
        const r1 = run(t, ['import', ...TEXT_SOURCES, bad]);
        assert.equal(r1.status, 0, r1.stderr);
        assert.match(r1.stdout, new RegExp(`imported ${TEXT_SOURCES.length}, skipped 0 duplicates, 1 failed`));
        assert.match(r1.stdout, new RegExp(`已导入 ${TEXT_SOURCES.length} 份，跳过重复 0 份，失败 1 份`));
        assert.match(r1.stderr, /broken\.txt: \[not-annual-report\]/);
        assert.equal(await s.count(), TEXT_SOURCES.length);
        const r2 = run(t, ['import', ...TEXT_SOURCES]);
        assert.equal(r2.status, 0, r2.stderr);
        assert.match(r2.stdout, new RegExp(`imported 0, skipped ${TEXT_SOURCES.length} duplicates, 0 failed`));
        assert.equal(await s.count(), TEXT_SOURCES.length);
        const st = runJson(t, ['stats']);
        assert.equal(st.reports, TEXT_SOURCES.length);
        assert.equal(Object.values(st.byYear as Record<string, number>).reduce((a, c) => a + c, 0), TEXT_SOURCES.length);
        assert.ok(st.topAgencies.length > 0 && st.topAgencies[0].newReceived >= st.topAgencies.at(-1).newReceived);
        // What is stored per report.
        const one = (await s.list())[0];
        const full = await s.get(one.id);
        assert.ok(full && /^[0-9a-f]{64}$/.test(full.hash) && full.parserVersion === PARSER_VERSION);
        assert.ok(full.provenance && typeof full.provenance.cells === 'object');
        assert.deepEqual(Buffer.from((await s.source(one.id))!), readFileSync(full.fileName));
      });
    });

    test('sum over two reports equals the cell-wise sum (blank counts 0) and says how many contributed', async () => {
      await withTarget(b, async (t, s) => {
        const files = [real('pingtan-czj-2024'), real('pingtan-jjf-2024')];
        for (const f of files) assert.equal((await s.importFile(f)).status, 'imported');
        const [a, c] = await Promise.all(files.map(async (f) => (await parseFile(f)).report));
        const out = runJson(t, ['sum', '--by', 'year', '--year', '2024']);
        assert.equal(out.groups.length, 1);
        const g = out.groups[0];
        assert.equal(g.key, '2024');
        assert.equal(g.reports, 2);
        let checked = 0;
        for (const p of cellPaths('2021').filter((p) => !p.startsWith('table2'))) {
          const want = (getCell(a, p) ?? 0) + (getCell(c, p) ?? 0);
          const [tbl, ...rest] = p.split('.');
          const col = rest.pop()!;
          assert.equal(g[tbl][rest.join('.')][col], want, p);
          checked++;
        }
        assert.ok(checked > 100);
        assert.equal(g.table3.newReceived.total, 5);
        const byRegion = runJson(t, ['sum', '--by', 'region']);
        assert.deepEqual(byRegion.groups.map((x: { key: string; reports: number }) => [x.key, x.reports]), [['平潭综合实验区', 2]]);
        const text = run(t, ['sum', '--by', 'agency', '--lang', 'en']);
        assert.equal(text.status, 0, text.stderr);
        assert.match(text.stdout, /平潭综合实验区财政金融局 +\(1 report\(s\)\)/);
      });
    });

    test('coverage with an expected CSV lists the unit that has not published and the late one', async () => {
      await withTarget(b, async (t, s) => {
        for (const f of [seed('001_6924ad0fa9f0fb17'), seed('002_97b5ed2afefa8716'), real('pingtan-2023')]) assert.equal((await s.importFile(f)).status, 'imported');
        const csv = join(tmp(), 'units.csv');
        writeFileSync(csv, '\uFEFF序号,单位名称\r\n1,朝阳市国资委\r\n2,四平市铁东区政务服务局\r\n3,平潭综合实验区\r\n4,"不存在县交通运输局"\r\n');
        const c = runJson(t, ['coverage', '--year', '2023', '--expected', csv]);
        assert.deepEqual(c.missing, ['不存在县交通运输局']);
        assert.equal(c.expected, 4);
        assert.equal(c.published.length, 3);
        assert.deepEqual(c.late.map((e: { agency: string; deadline: string }) => [e.agency, e.deadline]), [['平潭综合实验区', '2024-01-31']]);
        const text = run(t, ['coverage', '--year', '2023', '--expected', csv]);
        assert.match(text.stdout, /未发布[\s\S]*不存在县交通运输局/);
        assert.match(text.stdout, /逾期发布[\s\S]*平潭综合实验区\s+2024-03-08 > 2024-01-31/);
      });
    });

    test('carry-over: a next-year report whose 上年结转 disagrees with last year’s 结转下年度 gets an error finding, in either import order', async () => {
      await withTarget(b, async (t, s) => {
        const src = readFileSync(real('shuyang-2025'), 'utf8');
        const d = tmp();
        const next = join(d, 'shuyang-2026.txt');
        writeFileSync(next, nextYearText(src, 2025)); // carriedOver 36 stays; 2025 carried forward 31
        const nextParsed = (await parseFile(next)).report;
        assert.equal(nextParsed.year, 2026);
        // Imported before its predecessor: the finding appears when the predecessor arrives.
        const n = await s.importFile(next);
        assert.equal(n.status, 'imported');
        assert.ok(!(await s.get(n.id as number))!.findings.some((f) => f.ruleId === 'carry-over'));
        const p = await s.importFile(real('shuyang-2025'));
        assert.equal(p.status, 'imported');
        const got = (await s.get(n.id as number))!.findings.filter((f) => f.ruleId === 'carry-over');
        assert.deepEqual(got.map((f) => f.paths[0]).sort(), ['table3.carriedOver.naturalPerson', 'table3.carriedOver.total']);
        for (const f of got) {
          assert.equal(f.severity, 'error');
          assert.match(f.message.zh, /上年结转.*36.*2025.*31/);
          assert.match(f.message.en, /36.*2025.*31/);
        }
        assert.match(got.find((f) => f.paths[0].endsWith('naturalPerson'))!.message.zh, /自然人/);
        // A consistent next-year report (上年结转 edited to 31) has none.
        const fixed = join(d, 'shuyang-2026-fixed.txt');
        writeFileSync(fixed, nextYearText(src, 2025).replace('| 上年结转政府信息公开申请数量 | 36 | 0 | 0 | 0 | 0 | 0 | 36 |', '| 上年结转政府信息公开申请数量 | 31 | 0 | 0 | 0 | 0 | 0 | 31 |') + '\n');
        const f2 = await s.importFile(fixed);
        assert.equal(f2.status, 'imported');
        assert.ok(!(await s.get(f2.id as number))!.findings.some((f) => f.ruleId === 'carry-over'));
        // The pure function names both values.
        const prev = (await parseFile(real('shuyang-2025'))).report;
        assert.equal(carryOverFindings(nextParsed, prev).length, 2);
        assert.equal(carryOverFindings(prev, prev).length, 0, 'not the previous year: not compared');
      });
    });

    test('a reviewer decision survives reparse', async () => {
      await withTarget(b, async (t, s) => {
        const imp = await s.importFile(real('pingtan-jjf-2024'));
        assert.equal(imp.status, 'imported');
        const id = (imp as { id: number }).id;
        const target = (await s.get(id))!.findings.find((f) => f.severity === 'error' && f.paths.length);
        assert.ok(target, 'the report has an error finding on a cell');
        const rv = run(t, ['review', String(id), target.ruleId, target.paths[0], '--dismiss', '--comment', '表格原文如此 / as printed']);
        assert.equal(rv.status, 0, rv.stderr);
        const wrong = run(t, ['review', String(id), 'no-such-rule', '-', '--confirm']);
        assert.notEqual(wrong.status, 0);
        assert.match(wrong.stderr, /no finding of rule no-such-rule/);
        assert.doesNotMatch(wrong.stderr, /\n\s+at /);
        await s.execute(`update reports set parser_version = '0.0.0-old'`);
        const rp = run(t, ['reparse']);
        assert.equal(rp.status, 0, rp.stderr);
        assert.match(rp.stdout, /re-parsed 1, 0 failed/);
        assert.equal((await s.get(id))!.parserVersion, PARSER_VERSION);
        assert.match(run(t, ['reparse']).stdout, /re-parsed 0, 0 failed/);
        const shown = runJson(t, ['findings', String(id)]);
        const same = shown.findings.find((f: { ruleId: string; paths: string[] }) => f.ruleId === target.ruleId && f.paths.includes(target.paths[0]));
        assert.equal(same.decision.decision, 'dismissed');
        assert.equal(same.decision.comment, '表格原文如此 / as printed');
        // Dismissed errors no longer count in the error rates.
        const st = runJson(t, ['stats']);
        const before = (await s.get(id))!.findings.filter((f) => f.severity === 'error' && f.ruleId === target.ruleId).length;
        const rate = st.errorRates.find((e: { ruleId: string }) => e.ruleId === target.ruleId);
        if (before === 1) assert.equal(rate, undefined);
      });
    });

    test('compare two stored reports (and two files); export CSV and XLSX', async () => {
      await withTarget(b, async (t, s) => {
        const a = await s.importFile(real('pingtan-2021'));
        const c = await s.importFile(real('pingtan-2023'));
        const cmp = runJson(t, ['compare', String((a as { id: number }).id), String((c as { id: number }).id)]);
        const nr = cmp.cells.find((x: { path: string }) => x.path === 'table3.newReceived.total');
        assert.deepEqual([nr.a, nr.b], [70, 81]);
        const [ra, rc] = [(await s.get((a as { id: number }).id))!.report, (await s.get((c as { id: number }).id))!.report];
        assert.equal(cmp.sections.length, SECTIONS.filter((x) => (ra.sections[x.key] ?? '') !== (rc.sections[x.key] ?? '')).length);
        const files = run(t, ['compare', real('pingtan-2021'), real('pingtan-2023')]);
        assert.equal(files.status, 0, files.stderr);
        assert.match(files.stdout, /table3\.newReceived\.total\s+70\s+81/);
        const d = tmp();
        const csv = join(d, 'out.csv');
        assert.equal(run(t, ['export', '--csv', '-o', csv]).status, 0);
        const lines = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r\n/);
        assert.equal(lines.length, 3);
        assert.ok(lines[0].split(',').includes('table3.newReceived.total'));
        const xlsx = join(d, 'out.xlsx');
        const rx = run(t, ['export', '--xlsx', '-o', xlsx]);
        assert.equal(rx.status, 0, rx.stderr);
        const { default: ExcelJS } = await import('exceljs');
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(xlsx);
        assert.equal(wb.worksheets[0].rowCount, 3);
      });
    });

    test('kill -9 in the middle of an import of 60 files; the re-run finishes with no duplicates', async () => {
      await withTarget(b, async (t, s) => {
        const d = tmp();
        const dir = join(d, 'batch');
        mkdirSync(dir);
        const texts = TEXT_SOURCES.map((f) => readFileSync(f, 'utf8'));
        for (let i = 0; i < 60; i++) {
          // Distinct bytes per file; padding makes each parse take a little longer.
          const body = texts[i % texts.length];
          writeFileSync(join(dir, `r${String(i).padStart(2, '0')}.txt`), `${body}\n\n附：副本 ${i}\n${'说明文字。'.repeat(2000)}\n`);
        }
        const child = spawn(process.execPath, [...cli(), 'import', ...t.args, dir], { env: t.env, stdio: 'ignore' });
        const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
        let seen = 0;
        const t0 = Date.now();
        while (Date.now() - t0 < 30_000) {
          seen = await s.count();
          if (seen > 0) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        child.kill('SIGKILL');
        await exited;
        const partial = await s.count();
        assert.ok(seen > 0, 'rows appeared before the kill');
        assert.ok(partial < 60, `the import was interrupted (had ${partial} rows)`);
        const r = run(t, ['import', dir]);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`imported ${60 - partial}, skipped ${partial} duplicates, 0 failed`));
        assert.equal(await s.count(), 60);
        const hashes = new Set((await s.list()).map((x) => x.hash));
        assert.equal(hashes.size, 60);
      });
    });
  });
}

// ---------------------------------------------------------------- SQLite only

if (!process.env.GONGKAI_STORE_SUITE_ONLY) {
  storeSuite(sqliteBackend);

  describe('store (sqlite file handling)', () => {
    test('a corrupt database file gives a clear zh/en error, not a stack trace', async () => {
      const d = tmp();
      const bad = join(d, 'bad.db');
      writeFileSync(bad, 'this is not a database at all '.repeat(200));
      const t: Target = { open: { db: bad }, args: ['--db', bad], env: baseEnv(), cleanup: async () => {} };
      const r = run(t, ['stats']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /数据库文件已损坏或不是 Gongkai 数据库.*corrupt or not a Gongkai database/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      await assert.rejects(Store.open({ db: bad }), (e: Error) => e.name === 'StoreError' && /corrupt/.test(e.message));
    });

    test('a locked database file gives a clear zh/en error', async () => {
      const d = tmp();
      const file = join(d, 'g.db');
      (await Store.open({ db: file })).close();
      const { default: SQLite } = await import('better-sqlite3');
      const h = new SQLite(file);
      h.exec('begin exclusive');
      h.prepare(`update reports set region = region`).run();
      try {
        const t: Target = { open: { db: file }, args: ['--db', file], env: { ...baseEnv(), GONGKAI_DB_TIMEOUT_MS: '200' }, cleanup: async () => {} };
        const r = run(t, ['import', seed('001_6924ad0fa9f0fb17')]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /被另一个进程锁定.*locked by another process/);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      } finally {
        h.exec('rollback');
        h.close();
      }
    });

    test('the default database is ./gongkai.db and its location is printed; --db wins over DATABASE_URL', async () => {
      const d = tmp();
      const r = spawnSync(process.execPath, [...cli(), 'stats', '--json'], { cwd: d, encoding: 'utf8', env: baseEnv() });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).reports, 0);
      assert.ok(existsSync(join(d, 'gongkai.db')));
      assert.ok(r.stderr.includes(join(d, 'gongkai.db')));
      const { resolveTarget } = await import('../src/store/index.js');
      assert.equal(resolveTarget({ db: 'x.db', env: { DATABASE_URL: 'postgres://u:p@h/db' } }).dialect, 'sqlite');
      assert.equal(resolveTarget({ env: { DATABASE_URL: 'postgres://u:secret@h/db' } }).location, 'postgres://u:***@h/db');
    });

    test('compare: cell differences and a line diff of section texts', async () => {
      const a = (await parseFile(real('pingtan-2021'))).report;
      a.table3.newReceived.total = 70;
      a.table4.review.upheld = 4;
      const b = structuredClone(a);
      b.table3.newReceived.total = 71;
      b.table4.review.upheld = null;
      a.sections.problems = '一、问题甲\n二、问题乙\n三、问题丙';
      b.sections.problems = '一、问题甲\n二、问题乙（已改）\n三、问题丙\n四、问题丁';
      const c = compareReports(a, b);
      assert.deepEqual(c.cells.map((d) => [d.path, d.a, d.b]), [['table3.newReceived.total', 70, 71], ['table4.review.upheld', 4, null]]);
      const pr = c.sections.find((x) => x.section === 'problems')!;
      assert.deepEqual(pr.lines, [
        { op: ' ', text: '一、问题甲' },
        { op: '-', text: '二、问题乙' },
        { op: '+', text: '二、问题乙（已改）' },
        { op: ' ', text: '三、问题丙' },
        { op: '+', text: '四、问题丁' },
      ]);
      assert.deepEqual(diffLines(['a', 'b'], ['a', 'b']), [{ op: ' ', text: 'a' }, { op: ' ', text: 'b' }]);
    });

    test('helpers: expected-units CSV, region of an agency', () => {
      assert.deepEqual(expectedUnitsFromCsv('序号,单位名称,备注\n1,"甲县,交通局",x\n2,乙市教育局,\n'), ['甲县,交通局', '乙市教育局']);
      assert.deepEqual(expectedUnitsFromCsv('甲县交通局\n乙市教育局\n'), ['甲县交通局', '乙市教育局']);
      assert.equal(regionOf('兴隆台区兴海街道'), '兴隆台区');
      assert.equal(regionOf('朝阳市国资委'), '朝阳市');
      assert.equal(regionOf('上海市人民政府办公厅'), '上海市');
      assert.equal(regionOf('市场监督管理局'), null);
      assert.equal(regionOf(null), null);
    });
  });
}
