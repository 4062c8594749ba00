// The text-search index: character unigrams and bigrams of each report's normalised search
// text (agency, title, file name, agency key, lower-cased), so that a search looks up a
// posting list instead of testing a substring on every stored report.
//
// Exactness: a one- or two-character query is contained in a field exactly when its unigram
// or bigram is indexed for the report, so the posting list *is* the answer. A longer query is
// narrowed by its rarest bigram and then verified with the substring test on the stored
// normalised text, so the result is the same set the plain substring filter gives.
//
// Maintenance: triggers on `reports` (migration 0005) queue the id of every inserted, deleted
// or text-changed report in `search_pending`; syncSearchIndex brings the grams of the queued
// ids up to date. The store calls it inside its own write transactions, and search() calls it
// first when anything is still queued, so a write path that does not know about the index
// (raw SQL, a future module) cannot leave it stale.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Separates the fields in the stored text; a query containing it matches nothing. */
const SEP = '\u0001';

/** The fields a text search looks in, as one lower-cased text (null when all are empty). */
export function searchText(fields: (string | null | undefined)[]): string {
  return fields.map((f) => (f ?? '').split(SEP).join('\uFFFD').toLowerCase()).join(SEP);
}

/** The query as searched: trimmed and lower-cased the same way as the stored text. */
export function normaliseQuery(q: string | undefined): string {
  return (q ?? '').trim().toLowerCase();
}

// A gram is one integer: a unigram is its code point, a bigram (a, b) is (a + 1) · 0x110000 + b,
// so the two never collide and every value stays below 2^53.
const PLANES = 0x110000;
const uni = (a: number) => a;
const bi = (a: number, b: number) => (a + 1) * PLANES + b;

/** The distinct grams of a stored text: per field, every character and every adjacent pair. */
export function gramsOf(text: string): Set<number> {
  const out = new Set<number>();
  for (const field of text.split(SEP)) {
    let prev = -1;
    for (const ch of field) {
      const c = ch.codePointAt(0)!;
      out.add(uni(c));
      if (prev >= 0) out.add(bi(prev, c));
      prev = c;
    }
  }
  return out;
}

/** The grams a normalised query needs: its character when it has one, else its bigrams. */
export function queryGrams(q: string): number[] {
  const cps = [...q].map((ch) => ch.codePointAt(0)!);
  if (cps.length === 1) return [uni(cps[0])];
  const out = new Set<number>();
  for (let i = 1; i < cps.length; i++) out.add(bi(cps[i - 1], cps[i]));
  return [...out];
}

/** How a search finds the reports containing a query (see planTextSearch). */
export type TextPlan =
  /** Some gram is indexed nowhere (or the query holds the field separator): nothing matches. */
  | { kind: 'none' }
  /**
   * `gram` is the query's rarest gram; `verify` is the query when the gram alone is not exact
   * (three or more characters). `rare` when its posting list is short enough to drive the
   * search; otherwise the search walks the reports in page order and probes the index.
   */
  | { kind: 'grams'; gram: number; verify: string | null; rare: boolean };

/** Above this many reports a gram is "common": counting stops there. */
export const RARE_LIMIT = 2000;

/** Picks the rarest gram of a normalised, non-empty query (counts are capped at rareLimit). */
export async function planTextSearch(db: Kysely<Database>, q: string, rareLimit = RARE_LIMIT): Promise<TextPlan> {
  if (q.includes(SEP)) return { kind: 'none' };
  const grams = queryGrams(q);
  let best: { gram: number; n: number } | undefined;
  for (const gram of grams) {
    const r = await sql<{ n: number }>`select count(*) as n from (select 1 from search_grams where gram = ${gram} limit ${rareLimit}) x`.execute(db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n === 0) return { kind: 'none' };
    if (!best || n < best.n) best = { gram, n };
  }
  return { kind: 'grams', gram: best!.gram, verify: [...q].length > 2 ? q : null, rare: best!.n < rareLimit };
}

/**
 * Brings the index up to date for the queued report ids (run inside a transaction), at most
 * `batches` × 500 of them (all by default). Returns how many were taken off the queue.
 */
export async function syncSearchIndex(db: Kysely<Database>, batches = Infinity, lite?: import('better-sqlite3').Database): Promise<number> {
  if (lite) return syncSqlite(lite, batches);
  let done = 0;
  for (let b = 0; b < batches; b++) {
    const ids = (await db.selectFrom('search_pending').select('id').orderBy('id').limit(500).execute()).map((r) => Number(r.id));
    if (!ids.length) return done;
    const rows = await db.selectFrom('reports').select(['id', 'agency', 'title', 'file_name', 'agency_key']).where('id', 'in', ids).execute();
    const now = new Map(rows.map((r) => [Number(r.id), searchText([r.agency, r.title, r.file_name, r.agency_key])]));
    const before = new Map((await db.selectFrom('search_docs').select(['id', 'text']).where('id', 'in', ids).execute()).map((r) => [Number(r.id), r.text]));
    const add: { gram: number; id: number }[] = [];
    const drop: { gram: number; id: number }[] = [];
    const upsert: { id: number; text: string }[] = [];
    const gone: number[] = [];
    for (const id of ids) {
      const oldText = before.get(id);
      const newText = now.get(id);
      if (oldText === newText) continue;
      const oldGrams = oldText === undefined ? new Set<number>() : gramsOf(oldText);
      const newGrams = newText === undefined ? new Set<number>() : gramsOf(newText);
      for (const g of newGrams) if (!oldGrams.has(g)) add.push({ gram: g, id });
      for (const g of oldGrams) if (!newGrams.has(g)) drop.push({ gram: g, id });
      if (newText === undefined) gone.push(id);
      else upsert.push({ id, text: newText });
    }
    for (let i = 0; i < drop.length; i += 400) {
      const part = drop.slice(i, i + 400);
      await db
        .deleteFrom('search_grams')
        .where((eb) => eb.or(part.map((d) => eb.and([eb('gram', '=', d.gram), eb('id', '=', d.id)]))))
        .execute();
    }
    // 2 parameters a row: well under SQLite's and PostgreSQL's parameter limits.
    for (let i = 0; i < add.length; i += 5000) {
      await db
        .insertInto('search_grams')
        .values(add.slice(i, i + 5000))
        .onConflict((oc) => oc.columns(['gram', 'id']).doNothing())
        .execute();
    }
    if (gone.length) await db.deleteFrom('search_docs').where('id', 'in', gone).execute();
    for (let i = 0; i < upsert.length; i += 2000) {
      await db
        .insertInto('search_docs')
        .values(upsert.slice(i, i + 2000))
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ text: eb.ref('excluded.text') })))
        .execute();
    }
    await db.deleteFrom('search_pending').where('id', 'in', ids).execute();
    done += ids.length;
  }
  return done;
}

/** True when some report still waits to be indexed. */
export async function searchIndexPending(db: Kysely<Database>): Promise<boolean> {
  return !!(await db.selectFrom('search_pending').select('id').limit(1).executeTakeFirst());
}

/**
 * The same on SQLite's own handle (the connection Kysely's transaction runs on), with prepared
 * statements: prepared once per handle. Measured, one transaction per report: the index adds ~3 ms CPU a report through Kysely, far less this way.
 */
const prepared = new WeakMap<object, ReturnType<typeof prepare>>();
const prepare = (h: import('better-sqlite3').Database) => ({
    pending: h.prepare('select id from search_pending order by id limit 500').pluck(),
    report: h.prepare('select agency, title, file_name, agency_key from reports where id = ?').raw(),
    doc: h.prepare('select text from search_docs where id = ?').pluck(),
    add: h.prepare('insert or ignore into search_grams (gram, id) values (?, ?)'),
    drop: h.prepare('delete from search_grams where gram = ? and id = ?'),
    put: h.prepare('insert into search_docs (id, text) values (?, ?) on conflict (id) do update set text = excluded.text'),
    gone: h.prepare('delete from search_docs where id = ?'),
    done: h.prepare('delete from search_pending where id = ?'),
});

function syncSqlite(h: import('better-sqlite3').Database, batches: number): number {
  let st = prepared.get(h);
  if (!st) prepared.set(h, (st = prepare(h)));
  let done = 0;
  for (let b = 0; b < batches; b++) {
    const ids = st.pending.all() as number[];
    if (!ids.length) break;
    for (const id of ids) {
      const r = st.report.get(id) as (string | null)[] | undefined;
      const newText = r ? searchText(r) : undefined;
      const oldText = st.doc.get(id) as string | undefined;
      if (oldText !== newText) {
        const oldGrams = oldText === undefined ? new Set<number>() : gramsOf(oldText);
        const newGrams = newText === undefined ? new Set<number>() : gramsOf(newText);
        for (const g of oldGrams) if (!newGrams.has(g)) st.drop.run(g, id);
        for (const g of newGrams) if (!oldGrams.has(g)) st.add.run(g, id);
        if (newText === undefined) st.gone.run(id);
        else st.put.run(id, newText);
      }
      st.done.run(id);
    }
    done += ids.length;
  }
  return done;
}
