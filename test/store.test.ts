// The report store and its commands (import, reparse, stats, sum, coverage, compare, export,
// review), against embedded SQLite. test/store-pg.test.ts runs the same suite against
// PostgreSQL when DATABASE_URL is set. The corpus is read in place, never copied.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORPUS } from './helpers.js';
import { baseEnv, sqliteBackend, tmp, type Backend, type Target } from './store-backends.js';
import { parseFile, PARSER_VERSION } from '../src/index.js';
import { Store, type OpenOptions } from '../src/store/index.js';
import { carryOverFindings } from '../src/analyze/continuity.js';
import { expectedUnitsFromCsv } from '../src/analyze/aggregate.js';
import { inferDivision, regionOf, regionsFromRows, RegionTree, RegionFormatError } from '../src/analyze/region.js';
import { CROSS_RULES, CROSS_RULE_IDS, narrativeSimilarity, substantiveSentences, table2StockIssues } from '../src/analyze/cross-rules.js';
import type { Finding } from '../src/check/index.js';
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

export { sqliteBackend, pgBackend, type Backend, type Target } from './store-backends.js';

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
  // The store options go after the (sub)command: `import --db x …`, `regions import --db x …`.
  const n = args[0] === 'regions' ? 2 : 1;
  return spawnSync(process.execPath, [...cli(), ...args.slice(0, n), ...t.args, ...args.slice(n)], { encoding: 'utf8', env: t.env, maxBuffer: 1 << 26 });
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
        assert.equal(r1.status, 1, 'a failed file makes import exit 1\n' + r1.stderr);
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

    test('cross-report checks on import: table2-stock and narrative-repetition against last year, duplicate-report; recheck restores them', async () => {
      await withTarget(b, async (t, s) => {
        const src = readFileSync(real('shuyang-2025'), 'utf8');
        const d = tmp();
        const next = join(d, 'shuyang-2026.txt');
        writeFileSync(next, nextYearText(src, 2025)); // 行政规范性文件: 6 issued, 1 repealed, 32 in force again
        const r = run(t, ['import', real('shuyang-2025'), next]);
        assert.equal(r.status, 0, r.stderr);
        const [prev, cur] = await s.list();
        assert.equal(cur.year, 2026);
        const stock = cur.findings.filter((f) => f.ruleId === 'table2-stock');
        assert.deepEqual(stock.map((f) => [f.paths[0], f.severity]), [['table2.normativeDocuments.inForce', 'warning']]);
        assert.match(stock[0].message.zh, /现行有效件数为 32.*2025年度.*32 \+ 本年制发 6 − 本年废止 1 应为 37/);
        assert.match(stock[0].message.en, /32 in force, but the 2025 report’s 32 in force \+ 6 issued − 1 repealed gives 37/);
        const rep = cur.findings.filter((f) => f.ruleId === 'narrative-repetition');
        assert.equal(rep.length, 1);
        assert.equal(rep[0].severity, 'warning');
        assert.match(rep[0].message.zh, /与2025年度报告的重复度为 100%/);
        assert.match(rep[0].message.en, /repeats 100% of the 2025 report/);
        assert.ok(!prev.findings.some((f) => CROSS_RULE_IDS.has(f.ruleId)), 'nothing to compare the first year with');
        // A consistent stock (32 + 6 − 1 = 37) has no table2-stock finding.
        const stockOk = join(d, 'shuyang-2026-stock.txt');
        writeFileSync(stockOk, nextYearText(src, 2025).replace('| 行政规范性文件 | 6 | 1 | 32 |', '| 行政规范性文件 | 6 | 1 | 37 |'));
        const ok = await s.importFile(stockOk);
        assert.equal(ok.status, 'imported');
        const okFindings = (await s.get((ok as { id: number }).id))!.findings;
        assert.ok(!okFindings.some((f) => f.ruleId === 'table2-stock'));
        assert.ok(okFindings.some((f) => f.ruleId === 'narrative-repetition'));
        // The same report from another file (other bytes, same body, year and tables).
        const web = join(d, 'shuyang-2026-web.txt');
        writeFileSync(web, nextYearText(src, 2025) + '\n\n\n');
        const w = await s.importFile(web);
        assert.equal(w.status, 'imported');
        const wid = (w as { id: number }).id;
        const dupW = (await s.get(wid))!.findings.filter((f) => f.ruleId === 'duplicate-report');
        assert.equal(dupW.length, 1);
        assert.match(dupW[0].message.zh, new RegExp(`与已存报告 #${cur.id}（.*shuyang-2026\\.txt）是同一份报告`));
        assert.match(dupW[0].message.en, new RegExp(`Same report as stored report #${cur.id}`));
        const dupCur = (await s.get(cur.id))!.findings.filter((f) => f.ruleId === 'duplicate-report');
        assert.deepEqual(dupCur.map((f) => f.message.en.match(/#(\d+)/)![1]), [String(wid)]);
        // The same bytes under another file name.
        const copy = join(d, 'copy-of-2025.txt');
        copyFileSync(real('shuyang-2025'), copy);
        const rc = run(t, ['import', copy]);
        assert.equal(rc.status, 0, rc.stderr);
        assert.match(rc.stdout, /imported 0, skipped 1 duplicates/);
        const dupP = (await s.get(prev.id))!.findings.filter((f) => f.ruleId === 'duplicate-report');
        assert.equal(dupP.length, 1);
        assert.match(dupP[0].message.zh, /同一文件还以其他文件名导入过：.*copy-of-2025\.txt/);
        assert.deepEqual((await s.get(prev.id))!.aliases, [copy]);
        // Re-importing under a known name adds nothing.
        run(t, ['import', copy, real('shuyang-2025')]);
        assert.deepEqual((await s.get(prev.id))!.aliases, [copy]);
        // recheck: the cross-report findings come back after being wiped.
        const cross = async () => (await s.list()).map((x) => x.findings.filter((f: Finding) => CROSS_RULE_IDS.has(f.ruleId)));
        const before = await cross();
        await s.execute(`update reports set findings = '[]'`);
        const rk = run(t, ['recheck']);
        assert.equal(rk.status, 0, rk.stderr);
        assert.match(rk.stdout, /re-checked 4, findings changed for 4/);
        assert.deepEqual(await cross(), before);
        assert.deepEqual(runJson(t, ['recheck']), { checked: 4, changed: 0 });
        // reparse keeps them too.
        await s.execute(`update reports set parser_version = '0.0.0-old'`);
        assert.equal(run(t, ['reparse']).status, 0);
        assert.deepEqual(await cross(), before);
      });
    });

    test('regions: a CSV hierarchy links reports by the longest name match; sum --by region rolls a subtree up; XLSX with --replace', async () => {
      await withTarget(b, async (t, s) => {
        for (const f of [real('pingtan-czj-2024'), real('pingtan-jjf-2024'), real('shuyang-2025'), seed('001_6924ad0fa9f0fb17'), seed('002_97b5ed2afefa8716')]) assert.equal((await s.importFile(f)).status, 'imported');
        const d = tmp();
        const csv = join(d, 'regions.csv');
        const rows = [
          ['35', '福建省', '', '省'],
          ['3501', '平潭综合实验区', '35', '市'],
          ['3501-czj', '平潭综合实验区财政金融局', '3501', '部门'],
          ['32', '江苏省', '', 'province'],
          ['3213', '宿迁市', '32', 'city'],
          ['321322', '沐阳县', '3213', ''],
          ['22', '吉林省', '', 'province'],
          ['2203', '四平市', '22', 'city'],
          ['220303', '铁东区', '2203', 'county'],
          ['21', '辽宁省', '', 'province'],
          ['2113', '朝阳市', '21', 'city'],
        ];
        writeFileSync(csv, '\uFEFF编码,名称,上级编码,级别\r\n' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
        const help = run(t, ['regions', 'import', '--help']);
        assert.match(help.stdout, /code,name,parent_code,level/);
        const imp = run(t, ['regions', 'import', csv]);
        assert.equal(imp.status, 0, imp.stderr);
        assert.match(imp.stdout, /已导入 11 个地区（共 11 个），5 份报告中 5 份关联到地区/);
        const byAgency = Object.fromEntries((await s.list()).map((r) => [r.agency, r.regionCode]));
        assert.deepEqual(byAgency, { 平潭综合实验区财政金融局: '3501-czj', 平潭综合实验区经济发展局: '3501', 沐阳县人民政府: '321322', 朝阳市国资委: '2113', 铁东区政务服务局: '220303' });
        const keys = (o: { groups: { key: string; reports: number }[] }) => o.groups.map((g) => [g.key, g.reports]);
        const zhSort = (xs: [string, number][]) => xs.sort((a, c) => a[0].localeCompare(c[0], 'zh'));
        assert.deepEqual(keys(runJson(t, ['sum', '--by', 'region'])), zhSort([['平潭综合实验区财政金融局', 1], ['平潭综合实验区', 1], ['沐阳县', 1], ['朝阳市', 1], ['铁东区', 1]]));
        const fj = runJson(t, ['sum', '--by', 'region', '--region', '福建省']);
        assert.deepEqual(keys(fj), [['平潭综合实验区', 2]]);
        assert.equal(fj.total.reports, 2);
        assert.equal(fj.total.table3.newReceived.total, 5);
        assert.equal(fj.region.source, 'imported');
        assert.deepEqual(keys(runJson(t, ['sum', '--by', 'region', '--region', '平潭综合实验区'])), zhSort([['平潭综合实验区', 1], ['平潭综合实验区财政金融局', 1]]));
        assert.deepEqual(keys(runJson(t, ['sum', '--by', 'province'])), zhSort([['福建省', 2], ['江苏省', 1], ['吉林省', 1], ['辽宁省', 1]]));
        assert.deepEqual(keys(runJson(t, ['sum', '--by', 'year', '--region', '32'])), [['2025', 1]]);
        const text = run(t, ['sum', '--by', 'region', '--region', '福建省', '--lang', 'en']);
        assert.match(text.stdout, /== 福建省 \(total\)  \(2 report\(s\)\) ==/);
        const none = run(t, ['sum', '--region', '不存在的地区']);
        assert.equal(none.status, 2);
        assert.match(none.stderr, /没有名为“不存在的地区”的地区.*No region is called/s);
        // A report imported after the hierarchy is linked at import.
        const p23 = await s.importFile(real('pingtan-2023'));
        assert.equal((await s.get((p23 as { id: number }).id))!.regionCode, '3501');
        const listed = runJson(t, ['regions', 'list']);
        assert.equal(listed.find((r: { code: string }) => r.code === '3501').reports, 2);
        // XLSX, replacing the hierarchy: the department row is gone, so its report falls back to 平潭综合实验区.
        const { default: ExcelJS } = await import('exceljs');
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('regions');
        ws.addRow(['code', 'name', 'parent_code', 'level']);
        ws.addRow(['35', '福建省', '', 'province']);
        ws.addRow([3501, '平潭综合实验区', 35, 'county']);
        const xlsx = join(d, 'regions.xlsx');
        await wb.xlsx.writeFile(xlsx);
        const rx = runJson(t, ['regions', 'import', xlsx, '--replace']);
        assert.deepEqual([rx.read, rx.regions, rx.linked, rx.reports], [2, 2, 3, 6]);
        assert.deepEqual(keys(runJson(t, ['sum', '--by', 'region', '--region', '福建省'])), [['平潭综合实验区', 3]]);
        // A file without code and name columns is refused with the expected format.
        const bad = join(d, 'bad.csv');
        writeFileSync(bad, 'code,foo\n1,2\n');
        const rb = run(t, ['regions', 'import', bad]);
        assert.equal(rb.status, 2);
        assert.match(rb.stderr, /地区文件格式不对.*code,name,parent_code,level/);
      });
    });

    test('built-in divisions: province/city/county inferred from agency names without an imported hierarchy', async () => {
      await withTarget(b, async (t, s) => {
        for (const n of ['000_4cd268ebc3c8188c', '001_6924ad0fa9f0fb17', '002_97b5ed2afefa8716', '003_3362babfcc868ba6', '004_f14794f11eedc646']) assert.equal((await s.importFile(seed(n))).status, 'imported');
        const keys = (o: { groups: { key: string; reports: number }[] }) => o.groups.map((g) => [g.key, g.reports]);
        const zhSort = (xs: [string, number][]) => xs.sort((a, c) => a[0].localeCompare(c[0], 'zh'));
        // 铁东区 exists in 四平市 and 鞍山市: ambiguous, so unknown.
        assert.deepEqual(keys(runJson(t, ['sum', '--by', 'province'])), zhSort([['辽宁省', 2], ['江西省', 1], ['河南省', 1], ['unknown', 1]]));
        const ln = runJson(t, ['sum', '--by', 'city', '--region', '辽宁省']);
        assert.deepEqual(keys(ln), zhSort([['盘锦市', 1], ['朝阳市', 1]]));
        assert.equal(ln.region.source, 'builtin');
        assert.deepEqual(keys(runJson(t, ['sum', '--by', 'region', '--region', '辽宁省'])), zhSort([['盘锦市', 1], ['朝阳市', 1]]));
        // Without an imported hierarchy --by region keeps the name-prefix heuristic.
        assert.ok(keys(runJson(t, ['sum', '--by', 'region'])).some(([k]) => k === '兴隆台区'));
        const inf = runJson(t, ['regions', 'infer', '江苏省宿迁市沭阳县教育局', '国务院办公厅']);
        assert.deepEqual(inf[0].division, { code: '321322', province: '江苏省', city: '宿迁市', county: '沭阳县', township: null });
        assert.equal(inf[1].division, null);
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

    test('region trees: longest chain, ambiguity → common ancestor, CSV rows without header, level guessing', () => {
      const tree = new RegionTree(
        regionsFromRows([
          ['1', '甲省', '', ''],
          ['11', '乙市', '1', ''],
          ['111', '丙县', '11', ''],
          ['112', '丁区', '11', ''],
          ['12', '戊市', '1', ''],
          ['121', '丁区', '12', ''],
          ['1111', '某某街道', '111', ''],
        ]),
      );
      assert.deepEqual(['1', '11', '111', '1111'].map((c) => tree.get(c)!.level), ['province', 'city', 'county', 'township']);
      assert.equal(tree.match('甲省乙市丙县教育局')!.code, '111');
      assert.equal(tree.match('丙县某某街道办事处')!.code, '1111');
      assert.equal(tree.match('乙市丁区民政局')!.code, '112');
      assert.equal(tree.match('丁区民政局')!.code, '1', 'two 丁区: their common ancestor');
      assert.equal(tree.match('国务院办公厅'), null);
      assert.deepEqual([...tree.subtree('11')].sort(), ['11', '111', '1111', '112']);
      assert.throws(() => regionsFromRows([['code', 'name'], ['1', 'a'], ['1', 'b']]), RegionFormatError);
      assert.equal(inferDivision('兴隆台区兴海街道')!.county, '兴隆台区');
      assert.equal(inferDivision('鼓楼区财政局'), null, '鼓楼区 is in several provinces');
    });

    test('cross rules: catalogue shape, boilerplate left out of the narrative comparison, stock only for the 2021 format', async () => {
      for (const r of CROSS_RULES) {
        assert.match(r.id, /^[a-z0-9-]+$/);
        assert.ok(['error', 'warning', 'info'].includes(r.severity));
        assert.ok(r.title.zh && r.title.en && r.doc.zh.length > 20 && r.doc.en.length > 20);
        assert.equal(typeof r.check, 'function');
      }
      assert.deepEqual(CROSS_RULES.map((r) => r.id), ['carry-over', 'table2-stock', 'narrative-repetition', 'duplicate-report']);
      assert.deepEqual(substantiveSentences('本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。本年度未收到政府信息公开申请。\n| 规章 | 0 | 0 | 0 |\n我局共发布信息1234条。'), ['我局共发布信息条']);
      const a = (await parseFile(real('pingtan-czj-2024'))).report;
      const c = (await parseFile(real('pingtan-jjf-2024'))).report;
      const sim = narrativeSimilarity(a, c);
      assert.ok(sim !== null && sim < 0.5, `two bodies' narratives differ (${sim})`);
      assert.equal(narrativeSimilarity(a, a), 1);
      const s25 = (await parseFile(real('shuyang-2025'))).report;
      const s26 = structuredClone(s25);
      s26.year = 2026;
      assert.equal(table2StockIssues(s26, s25).length, 1);
      assert.equal(table2StockIssues(s26, { ...s25, template: '2019' }).length, 0);
      assert.equal(table2StockIssues(s25, s25).length, 0, 'not the previous year');
      const ctx = { result: { report: s26 } as never, report: s26, previous: s25 };
      assert.equal(CROSS_RULES.find((r) => r.id === 'table2-stock')!.check(ctx).length, 1);
      assert.equal(CROSS_RULES.find((r) => r.id === 'narrative-repetition')!.check(ctx).length, 1);
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
