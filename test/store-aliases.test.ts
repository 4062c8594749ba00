// The editable agency alias list (src/store/aliases.ts): re-keying stored reports, cross-report
// links across aliased years, reviewer decisions that follow (and merge), the CLI, CSV/XLSX.
// Runs on SQLite, and on PostgreSQL too when DATABASE_URL is set (a fresh database per test).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS } from './helpers.js';
import { Store } from '../src/store/index.js';
import { agencyKey } from '../src/recognize/agency.js';
import { resolveAlias } from '../src/store/aliases.js';

import { sqliteBackend, pgBackend, type Backend, type Target } from './store-backends.js';

const BIN = join(process.cwd(), 'bin', 'gongkai.js');
const SRC = readFileSync(join(CORPUS, 'real', 'shuyang-2025', 'source.txt'), 'utf8');
const NAME = '沐阳县人民政府';
const ALIAS = '宿迁市沐阳县人民政府';
const K = agencyKey(NAME);
const A = agencyKey(ALIAS);

/** shuyang-2025 as a report of `year` by `agency` (2026's 上年结转 36 disagrees with 2025's 结转 31). */
function report(dir: string, name: string, agency: string, year: number, note = ''): string {
  let text = SRC;
  if (year !== 2025) text = text.replace(/2025|2026/g, (y) => String(Number(y) + year - 2025));
  text = text.replace(new RegExp(NAME, 'g'), agency) + (note ? `\n\n附注：${note}\n` : '');
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function run(t: Target, args: string[]) {
  const n = args[0] === 'agencies' ? 2 : 1;
  return spawnSync(process.execPath, [BIN, ...args.slice(0, n), ...t.args, ...args.slice(n)], { encoding: 'utf8', env: t.env });
}

async function withTarget(b: Backend, fn: (t: Target, s: Store, dir: string) => Promise<void>): Promise<void> {
  const t = await b.fresh();
  const s = await Store.open(t.open);
  try {
    await fn(t, s, mkdtempSync(join(tmpdir(), 'gongkai-alias-')));
  } finally {
    await s.close();
    await t.cleanup();
  }
}

const carryOver = async (s: Store, id: number) => (await s.get(id))!.findings.filter((f) => f.ruleId === 'carry-over').map((f) => f.paths[0]).sort();

/** Every decision's key and year still has a stored report (none orphaned). */
async function assertNoOrphans(s: Store) {
  const reports = await s.list();
  for (const d of await s.allDecisions()) {
    assert.ok(reports.some((r) => r.agencyKey === d.agencyKey && (r.year ?? 0) === d.year), `decision ${d.agencyKey} ${d.year} ${d.ruleId} ${d.path} has a report`);
  }
}

function aliasSuite(b: Backend): void {
  describe(`agency aliases (${b.name})`, () => {
    test('carry-over links two years only once the alias is added, and unlinks when it is removed; new imports get the resolved key', async () => {
      await withTarget(b, async (t, s, dir) => {
        assert.notEqual(K, A, 'the two names give different keys without an alias');
        const p = await s.importFile(report(dir, 'p2025.txt', NAME, 2025));
        const n = await s.importFile(report(dir, 'n2026.txt', ALIAS, 2026));
        assert.ok(p.status === 'imported' && n.status === 'imported');
        assert.deepEqual(await carryOver(s, n.id), [], 'different keys: no carry-over comparison');
        assert.equal((await s.search({ agencyKey: A })).items[0].errors, 0);

        const add = run(t, ['agencies', 'alias', ALIAS, NAME]);
        assert.equal(add.status, 0, add.stderr);
        assert.match(add.stdout, /已设置别名/);
        assert.match(add.stdout, /重新关联报告 1 份/);
        const got = await s.get(n.id);
        assert.equal(got!.agencyKey, K, 'the stored report is re-keyed at once');
        assert.equal(got!.report.agencyKey, A, 'the canonical JSON keeps what the report says');
        assert.deepEqual(await carryOver(s, n.id), ['table3.carriedOver.naturalPerson', 'table3.carriedOver.total']);
        assert.equal((await s.search({ agencyKey: K, year: 2026 })).items[0].errors, 2, 'the review summary follows');
        const listed = JSON.parse(run(t, ['agencies', 'list', '--json']).stdout);
        assert.deepEqual(listed.agencies.map((a: { key: string; years: number[]; reports: number }) => [a.key, a.years, a.reports]), [[K, [2025, 2026], 2]]);
        assert.deepEqual(listed.agencies[0].aliases, [{ alias: ALIAS, aliasKey: A }]);
        assert.deepEqual(listed.aliases.map((x: { aliasKey: string; canonicalKey: string }) => [x.aliasKey, x.canonicalKey]), [[A, K]]);

        // A report imported while the alias exists is keyed and cross-checked at import.
        const n2 = await s.importFile(report(dir, 'n2026b.txt', ALIAS, 2026, '另一副本'));
        assert.equal(n2.status, 'imported');
        assert.equal((await s.get(n2.id))!.agencyKey, K);
        assert.equal((await carryOver(s, n2.id)).length, 2);
        // A re-parse keeps the resolved key.
        await s.reparse({ all: true });
        assert.equal((await s.get(n2.id))!.agencyKey, K);

        const rm = run(t, ['agencies', 'unalias', ALIAS, '--lang', 'en']);
        assert.equal(rm.status, 0, rm.stderr);
        assert.match(rm.stdout, /alias removed.*\n.*re-keyed 2 report/);
        for (const id of [n.id, n2.id]) {
          assert.equal((await s.get(id))!.agencyKey, A, 'own key back');
          assert.deepEqual(await carryOver(s, id), [], 'no longer linked');
        }
        assert.equal((await s.agencyAliases()).length, 0);
      });
    });

    test('decisions follow re-keyed reports; the same finding decided under both keys keeps the newer and notes the other; none orphaned', async () => {
      await withTarget(b, async (_t, s, dir) => {
        const ids: Record<string, number> = {};
        for (const [k, agency, year] of [
          ['p', NAME, 2025],
          ['n', NAME, 2026],
          ['pa', ALIAS, 2025],
          ['na', ALIAS, 2026],
        ] as const) {
          const r = await s.importFile(report(dir, `${k}.txt`, agency, year, k));
          assert.equal(r.status, 'imported');
          ids[k] = r.id;
        }
        // Both 2026 reports have carry-over errors against their own 2025.
        assert.equal((await carryOver(s, ids.n)).length, 2);
        assert.equal((await carryOver(s, ids.na)).length, 2);
        const total = 'table3.carriedOver.total';
        const natural = 'table3.carriedOver.naturalPerson';
        await s.decide(ids.n, 'carry-over', total, 'dismissed', '已核实', 'ann');
        await new Promise((r) => setTimeout(r, 5));
        await s.decide(ids.na, 'carry-over', total, 'confirmed', '确有错误', 'bob');
        await s.decide(ids.na, 'carry-over', natural, 'dismissed', null, 'bob');

        const r = await s.addAgencyAliases([{ alias: ALIAS, canonical: NAME }]);
        assert.deepEqual(r, { added: 1, rekeyed: 2, decisionsMoved: 2, decisionsMerged: 1 });
        const ds = await s.allDecisions();
        assert.deepEqual(ds.map((d) => [d.agencyKey, d.year, d.path, d.decision]).sort(), [
          [K, 2026, natural, 'dismissed'],
          [K, 2026, total, 'confirmed'],
        ]);
        const merged = ds.find((d) => d.path === total)!;
        assert.equal(merged.decidedBy, 'bob', 'the newer decision wins');
        assert.match(merged.comment!, /确有错误.*merged.*dismissed.*ann.*已核实/, 'the older one is kept in the comment');
        await assertNoOrphans(s);
        // Both 2026 reports now read the merged decisions.
        for (const id of [ids.n, ids.na]) {
          const { findings } = await s.reviewedFindings(id);
          const co = findings.filter((f) => f.ruleId === 'carry-over');
          assert.deepEqual(co.map((f) => [f.paths[0], f.decision?.decision]).sort(), [
            [natural, 'dismissed'],
            [total, 'confirmed'],
          ]);
        }

        // Removing the alias: the canonical body still has a 2026 report, so the decisions are copied back.
        const u = await s.removeAgencyAlias(ALIAS);
        assert.equal(u.rekeyed, 2);
        const after = await s.allDecisions();
        assert.equal(after.filter((d) => d.agencyKey === A && d.year === 2026).length, 2);
        assert.equal(after.filter((d) => d.agencyKey === K && d.year === 2026).length, 2);
        await assertNoOrphans(s);
        assert.equal((await s.reviewedFindings(ids.na)).findings.find((f) => f.paths[0] === total)?.decision?.decision, 'confirmed');
      });
    });

    test('CLI: cycles and an alias of itself are refused in zh/en; import from CSV (Chinese header) and XLSX; chains resolve', async () => {
      await withTarget(b, async (t, s, dir) => {
        await s.importFile(report(dir, 'p.txt', NAME, 2025));
        const self = run(t, ['agencies', 'alias', '沐阳县 人民政府', NAME]);
        assert.equal(self.status, 2);
        assert.match(self.stderr, /同一机关.*same body/);
        assert.doesNotMatch(self.stderr, /\n\s+at /);

        const csv = join(dir, 'aliases.csv');
        writeFileSync(csv, `\uFEFF别名,机关名称\r\n${ALIAS},${NAME}\r\n"江苏省宿迁市沐阳县人民政府",${ALIAS}\r\n`);
        const imp = run(t, ['agencies', 'import', csv]);
        assert.equal(imp.status, 0, imp.stderr);
        assert.match(imp.stdout, /已导入别名 2 条/);
        const list = await s.agencyAliases();
        assert.equal(list.length, 2, 'the header row is not an alias');
        const map = new Map(list.map((a) => [a.aliasKey, a.canonicalKey]));
        assert.equal(resolveAlias(map, agencyKey('江苏省宿迁市沐阳县人民政府')), K, 'a chain resolves to its end');
        // A report under the chain's first name lands on the canonical key.
        const c = await s.importFile(report(dir, 'c.txt', '江苏省宿迁市沐阳县人民政府', 2026));
        assert.equal((await s.get(c.id))!.agencyKey, K);
        assert.equal((await carryOver(s, c.id)).length, 2);

        const cyc = run(t, ['agencies', 'alias', NAME, '江苏省宿迁市沐阳县人民政府', '--lang', 'en']);
        assert.equal(cyc.status, 2);
        assert.match(cyc.stderr, /循环.*cycle/);
        assert.equal((await s.agencyAliases()).length, 2, 'nothing changed');
        const missing = run(t, ['agencies', 'unalias', '不存在的机关']);
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /别名列表中没有.*not in the alias list/);

        // XLSX without a header; a bad row refuses the whole file.
        const { default: ExcelJS } = await import('exceljs');
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('aliases');
        ws.addRow(['沐阳县政府办', NAME]);
        const xlsx = join(dir, 'aliases.xlsx');
        await wb.xlsx.writeFile(xlsx);
        assert.equal((await s.importAgencyAliases(xlsx)).added, 1);
        assert.equal((await s.agencyAliases()).length, 3);
        const bad = join(dir, 'bad.csv');
        writeFileSync(bad, 'alias,name\n甲局,乙局\n丙局\n');
        const rb = run(t, ['agencies', 'import', bad]);
        assert.equal(rb.status, 2);
        assert.match(rb.stderr, /别名文件格式不对.*not in the expected format/);
        assert.equal((await s.agencyAliases()).length, 3);
      });
    });
  });
}

aliasSuite(sqliteBackend);
const url = process.env.DATABASE_URL;
if (url) aliasSuite(pgBackend(url));
else test('agency aliases (postgres): set DATABASE_URL to run them against PostgreSQL', { skip: 'DATABASE_URL not set' }, () => {});
