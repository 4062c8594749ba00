// The text search over stored reports (src/store/search-index.ts behind Store.search): the
// result must be exactly what a case-insensitive substring filter over agency, title, file
// name and agency key gives, in the search's page order, for rare and common terms alike, and
// stay so after reports are deleted, changed (by any code path) or re-parsed, and when an
// older database is migrated. SQLite always; PostgreSQL too when DATABASE_URL is set.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Store } from '../src/store/index.js';
import { sqliteBackend, pgBackend, type Target } from './store-backends.js';
import { sampleReport } from './gen.js';
import type { Report } from '../src/model/report.js';

type Db = Pick<Target, 'open' | 'cleanup'>;

// Few distinct characters, so that random names share unigrams and bigrams and random queries
// often match: Chinese (区, 街道 …), mixed-case Latin, digits and SQL metacharacters.
const CHARS = ['区', '街', '道', '政', '府', '县', '市', '局', 'A', 'a', 'B', 'b', 'Ä', 'ä', 'Ｚ', 'ｚ', '1', '-', '_', '%', "'", ' ', '𠀋'];
const wordArb = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 8 }).map((xs) => xs.join(''));
const docArb = fc.record({ agency: wordArb, key: fc.option(wordArb, { nil: null }), title: fc.option(wordArb, { nil: null }), file: wordArb, year: fc.integer({ min: 2019, max: 2023 }) });
type Doc = { agency: string; key: string | null; title: string | null; file: string; year: number };

const BASE = sampleReport('2021', 7);
const reportOf = (d: Doc): Report => ({ ...BASE, agency: d.agency, agencyKey: d.key, title: d.title, year: d.year } as Report);

/** The specification: a case-insensitive substring of any of the four fields. */
function matches(r: { agency: string | null; agencyKey: string | null; fileName: string; title: string | null }, q: string): boolean {
  const n = q.trim().toLowerCase();
  return [r.agency, r.title, r.fileName, r.agencyKey].some((f) => (f ?? '').toLowerCase().includes(n));
}

/** Every stored report with its searchable columns (the unfiltered search lists them all). */
async function stored(s: Store) {
  const all = await s.search({ limit: 1000 });
  assert.equal(all.items.length, all.total);
  return all.items;
}

/** Checks one query: same ids as the brute-force filter, in the unfiltered search's order, same total, pages agree. */
async function check(s: Store, q: string, all?: Awaited<ReturnType<typeof stored>>): Promise<void> {
  all ??= await stored(s);
  const want = new Set(all.filter((r) => matches(r, q)).map((r) => r.id));
  const order = (await s.search({ limit: 1000 })).items.map((r) => r.id);
  const got = await s.search({ q, limit: 1000 });
  assert.deepEqual(
    got.items.map((r) => r.id),
    order.filter((id) => want.has(id)),
    `q=${JSON.stringify(q)}`,
  );
  assert.equal(got.total, want.size, `total for q=${JSON.stringify(q)}`);
  if (want.size > 2) {
    const page = await s.search({ q, limit: 2, offset: 1 });
    assert.deepEqual(
      page.items.map((r) => r.id),
      got.items.slice(1, 3).map((r) => r.id),
      `page of q=${JSON.stringify(q)}`,
    );
  }
}

const FIXED = ['区', '街道', '政府', 'a', 'A', 'ab', 'AB', 'Ä', 'ä', 'ｚ', 'Ｚ', '𠀋', '区𠀋', "' or 1=1 --", '%', '_', '%_', "'", ' 区 ', '-1', '不存在的词', 'a\u0001b'];

function suite(name: string, fresh: () => Promise<Db>) {
  describe(`search index (${name})`, () => {
    const withStore = async (fn: (s: Store, db: Db) => Promise<void>) => {
      const db = await fresh();
      const s = await Store.open(db.open);
      try {
        await fn(s, db);
      } finally {
        await s.close();
        await db.cleanup();
      }
    };

    for (const rare of [true, false]) {
      test(`random names and queries give the substring filter's result (${rare ? 'rare' : 'common'}-term path)`, async () => {
        await withStore(async (s) => {
          // With a limit of 1 every gram counts as common, so the probe-and-walk path runs.
          if (!rare) s.searchRareLimit = 1;
          const docs = fc.sample(docArb, { seed: rare ? 11 : 12, numRuns: 120 });
          await s.insertCanonical(docs.map((d) => ({ report: reportOf(d), fileName: d.file })), { check: false });
          const all = await stored(s);
          assert.ok(all.length > 100);
          for (const q of FIXED) await check(s, q, all);
          // Substrings of stored fields (so most match) and free random strings.
          const fields = all.flatMap((r) => [r.agency, r.title, r.fileName, r.agencyKey]).filter((x): x is string => !!x);
          const subArb = fc.tuple(fc.constantFrom(...fields), fc.nat(), fc.nat()).map(([f, a, b]) => {
            const cs = [...f];
            const i = a % cs.length;
            return cs.slice(i, i + 1 + (b % (cs.length - i))).join('');
          });
          await fc.assert(
            fc.asyncProperty(fc.oneof(subArb, subArb.map((x) => x.toUpperCase()), wordArb), async (q) => check(s, q, all)),
            { seed: rare ? 21 : 22, numRuns: 60 },
          );
        });
      });
    }

    test('delete, change by raw SQL, reparse and the search filters keep the index exact', async () => {
      await withStore(async (s) => {
        const docs = fc.sample(docArb, { seed: 31, numRuns: 40 });
        await s.insertCanonical(docs.map((d) => ({ report: reportOf(d), fileName: d.file })), { check: false });
        const ids = (await stored(s)).map((r) => r.id);
        const qs = ['区', '街道', 'a', 'ab', '新名', '新名称', 'Renamed', 'renamed-file'];
        for (const q of qs) await check(s, q);
        // A path that knows nothing of the index: the triggers queue it, search indexes it.
        await s.execute(`delete from reports where id = ${ids[0]}`);
        await s.execute(`update reports set agency = '某区新名称', agency_key = null, title = 'RENAMED title' where id = ${ids[1]}`);
        await s.execute(`update reports set file_name = 'renamed-FILE.json' where id = ${ids[2]}`);
        for (const q of qs) await check(s, q);
        assert.equal((await s.search({ q: '新名称' })).items[0]?.id, ids[1]);
        assert.equal((await s.search({ q: 'RENAMED-file' })).items[0]?.id, ids[2]);
        // Re-parse restores the names stored in the source (the canonical JSON).
        await s.reparse({ all: true });
        for (const q of qs) await check(s, q);
        assert.equal((await s.search({ q: '新名称' })).total, 0);
        // The other filters combine with the text.
        const all = await stored(s);
        const y = all[0].year!;
        const want = all.filter((r) => r.year === y && matches(r, '区')).map((r) => r.id).sort((a, b) => a - b);
        const got = (await s.search({ q: '区', year: y, limit: 1000 })).items.map((r) => r.id).sort((a, b) => a - b);
        assert.deepEqual(got, want);
        assert.equal((await s.search({ q: '区', template: 'no-such-template' })).total, 0);
      });
    });

    test('a region-limited search (within) returns the reports linked to those regions, with or without text', async () => {
      await withStore(async (s) => {
        const docs = fc.sample(docArb, { seed: 51, numRuns: 60 });
        await s.insertCanonical(docs.map((d) => ({ report: reportOf(d), fileName: d.file })), { check: false });
        const all = await stored(s);
        // Links set by hand: a third in X1, a third in X2, the rest unlinked.
        for (const r of all) await s.execute(`update reports set division_code = ${r.id % 3 === 2 ? 'null' : `'X${(r.id % 3) + 1}'`} where id = ${r.id}`);
        const order = all.map((r) => r.id);
        for (const codes of [['X1'], ['X1', 'X2'], ['X9'], []]) {
          for (const q of [undefined, '区', 'a']) {
            const want = order.filter((id) => id % 3 !== 2 && codes.includes(`X${(id % 3) + 1}`) && (q === undefined || matches(all.find((r) => r.id === id)!, q)));
            const got = await s.search({ q, within: { column: 'division_code', codes }, limit: 1000 });
            assert.deepEqual(got.items.map((r) => r.id), want, `codes=${codes} q=${q}`);
            assert.equal(got.total, want.length);
          }
        }
      });
    });

    test('an existing database is indexed when it is migrated', async () => {
      await withStore(async (s, db) => {
        const docs = fc.sample(docArb, { seed: 41, numRuns: 30 });
        await s.insertCanonical(docs.map((d) => ({ report: reportOf(d), fileName: d.file })), { check: false });
        // Back to the schema before migration 0005 (its down step), then reopen: it migrates and fills the index.
        const pg = s.dialect === 'postgres';
        for (const t of ['search_queue_ins', 'search_queue_del', 'search_queue_upd']) await s.execute(pg ? `drop trigger ${t} on reports` : `drop trigger ${t}`);
        if (pg) await s.execute('drop function gongkai_search_queue()');
        await s.execute('drop index reports_page_order');
        for (const t of ['search_pending', 'search_docs', 'search_grams']) await s.execute(`drop table ${t}`);
        await s.execute(`delete from gongkai_migration where name = '0005_search_index'`);
        await s.close();
        const s2 = await Store.open(db.open);
        try {
          const n = await s2.count();
          const pending = await s2.db.selectFrom('search_pending').select('id').execute();
          assert.equal(pending.length, 0, 'indexed on open');
          const docsN = await s2.db.selectFrom('search_docs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          assert.equal(Number(docsN.n), n);
          for (const q of ['区', '街道', 'a', 'B', "'"]) await check(s2, q);
        } finally {
          await s2.close();
        }
        // withStore closes s again: harmless.
      });
    });
  });
}

suite('sqlite', () => sqliteBackend.fresh());
const url = process.env.DATABASE_URL;
if (url) suite('postgres', () => pgBackend(url).fresh());
else test('search index (postgres): set DATABASE_URL to run it against PostgreSQL', { skip: 'DATABASE_URL not set' }, () => {});
