// The editable agency alias list: a user says that two names are one body (铁东区政务服务局 is
// 四平市铁东区政务服务局), so that its reports of different years link up. An alias is stored
// by its normalised key (src/recognize/agency.ts) and points at a canonical key, which may
// itself be an alias (resolved transitively; cycles are refused). reports.agency_key holds the
// resolved key and own_agency_key the parser's, so every change can re-key the stored rows
// it affects and move the reviewer decisions keyed by the old key along with them.
import type { Kysely, Transaction } from 'kysely';
import { agencyKey } from '../recognize/agency.js';
import { readTableFile } from './table-file.js';
import type { Database, DecisionsTable } from './schema.js';
import { StoreError } from './store-error.js';

export interface AgencyAlias {
  alias: string;
  aliasKey: string;
  canonical: string;
  canonicalKey: string;
  createdAt: string;
}

/** What a change of the list did to the stored data. */
export interface AliasChange {
  /** Reports whose agency key changed. */
  rekeyed: number;
  /** Reviewer decisions moved or copied to another key. */
  decisionsMoved: number;
  /** Decisions on the same finding under both keys: the newer kept, the other noted in its comment. */
  decisionsMerged: number;
}

/** What re-keying needs from the store: its cross-report and review refreshes. */
export interface RekeyHooks {
  refreshReview(trx: Kysely<Database>, id: number): Promise<void>;
  refreshAround(trx: Kysely<Database>, id: number, old: { tables_hash: string | null; agency_key: string | null; year: number | null }): Promise<void>;
}

type AliasMap = Map<string, string>;

/** The key a report's own key stands for under the list (itself when it is no alias). */
export function resolveAlias(map: AliasMap, key: string): string;
export function resolveAlias(map: AliasMap, key: string | null): string | null;
export function resolveAlias(map: AliasMap, key: string | null): string | null {
  if (key === null) return null;
  let k = key;
  // The list is kept acyclic; the bound only protects against a hand-edited table.
  for (let i = 0; i <= map.size && map.has(k); i++) k = map.get(k)!;
  return k;
}

export async function loadAliasMap(db: Kysely<Database>): Promise<AliasMap> {
  return new Map((await db.selectFrom('agency_aliases').select(['alias_key', 'canonical_key']).execute()).map((r) => [r.alias_key, r.canonical_key]));
}

/** One key resolved by queries (for a single import: cheaper than loading the list). */
export async function resolveAliasKey(db: Kysely<Database>, key: string | null): Promise<string | null> {
  if (key === null) return null;
  let k = key;
  const seen = new Set<string>([k]);
  for (;;) {
    const r = await db.selectFrom('agency_aliases').select('canonical_key').where('alias_key', '=', k).executeTakeFirst();
    if (!r || seen.has(r.canonical_key)) return k;
    k = r.canonical_key;
    seen.add(k);
  }
}

export async function listAliases(db: Kysely<Database>): Promise<AgencyAlias[]> {
  return (await db.selectFrom('agency_aliases').selectAll().orderBy('canonical_key').orderBy('alias_key').execute()).map((r) => ({
    alias: r.alias_name,
    aliasKey: r.alias_key,
    canonical: r.canonical_name,
    canonicalKey: r.canonical_key,
    createdAt: r.created_at,
  }));
}

/** One body as stored: its resolved key, the names and years seen, and the aliases pointing at it. */
export interface AgencyEntry {
  key: string;
  names: string[];
  years: number[];
  reports: number;
  aliases: { alias: string; aliasKey: string }[];
}

export async function listAgencies(db: Kysely<Database>): Promise<AgencyEntry[]> {
  const rows = await db.selectFrom('reports').select(['agency_key', 'agency', 'year']).where('agency_key', 'is not', null).execute();
  const map = await loadAliasMap(db);
  const byKey = new Map<string, AgencyEntry>();
  const entry = (key: string) => {
    let e = byKey.get(key);
    if (!e) byKey.set(key, (e = { key, names: [], years: [], reports: 0, aliases: [] }));
    return e;
  };
  for (const r of rows) {
    const e = entry(r.agency_key!);
    e.reports++;
    if (r.agency && !e.names.includes(r.agency)) e.names.push(r.agency);
    if (r.year !== null && !e.years.includes(Number(r.year))) e.years.push(Number(r.year));
  }
  for (const a of await listAliases(db)) entry(resolveAlias(map, a.canonicalKey)).aliases.push({ alias: a.alias, aliasKey: a.aliasKey });
  for (const e of byKey.values()) {
    e.names.sort();
    e.years.sort((a, b) => a - b);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function keyOf(name: string, what: 'alias' | 'canonical'): string {
  const k = name.trim() ? agencyKey(name.trim()) : '';
  if (!k) {
    throw new StoreError('bad-argument', {
      zh: what === 'alias' ? '别名不能为空。' : '机关名称不能为空。',
      en: what === 'alias' ? 'The alias name is empty.' : 'The agency name is empty.',
    });
  }
  return k;
}

/** Refuse an alias of itself and an alias that would close a cycle (A → B → … → A). */
function validate(map: AliasMap, alias: string, aliasKey: string, canonical: string, canonicalKey: string): void {
  if (aliasKey === canonicalKey) {
    throw new StoreError('bad-argument', {
      zh: `别名“${alias}”与目标“${canonical}”是同一机关（规范化后均为 ${aliasKey}），无需设置别名。`,
      en: `The alias “${alias}” and the target “${canonical}” are the same body (both normalise to ${aliasKey}); no alias is needed.`,
    });
  }
  const next = new Map(map).set(aliasKey, canonicalKey);
  const chain = [aliasKey];
  for (let k = canonicalKey; ; k = next.get(k)!) {
    chain.push(k);
    if (k === aliasKey) {
      throw new StoreError('bad-argument', {
        zh: `不能设置别名“${alias}” → “${canonical}”：会形成循环（${chain.join(' → ')}）。请先用 gongkai agencies unalias 删除其中一条。`,
        en: `Cannot make “${alias}” an alias of “${canonical}”: it would form a cycle (${chain.join(' → ')}). Remove one of them first with gongkai agencies unalias.`,
      });
    }
    if (!next.has(k)) break;
  }
}

/** Add (or re-point) aliases, all in one transaction, and re-key what they affect. */
export async function addAliases(db: Kysely<Database>, pairs: { alias: string; canonical: string }[], hooks: RekeyHooks): Promise<AliasChange & { added: number }> {
  return db.transaction().execute(async (trx) => {
    const before = await loadAliasMap(trx);
    const after = new Map(before);
    const now = new Date().toISOString();
    for (const p of pairs) {
      const aliasKey = keyOf(p.alias, 'alias');
      const canonicalKey = keyOf(p.canonical, 'canonical');
      validate(after, p.alias.trim(), aliasKey, p.canonical.trim(), canonicalKey);
      after.set(aliasKey, canonicalKey);
      const row = { alias_key: aliasKey, alias_name: p.alias.trim(), canonical_key: canonicalKey, canonical_name: p.canonical.trim(), created_at: now };
      await trx
        .insertInto('agency_aliases')
        .values(row)
        .onConflict((oc) => oc.column('alias_key').doUpdateSet({ alias_name: row.alias_name, canonical_key: canonicalKey, canonical_name: row.canonical_name, created_at: now }))
        .execute();
    }
    return { added: pairs.length, ...(await rekey(trx, before, after, hooks)) };
  });
}

/** Remove an alias (by its name or any name with the same key); its reports get their own key back. */
export async function removeAlias(db: Kysely<Database>, alias: string, hooks: RekeyHooks): Promise<AliasChange> {
  const aliasKey = keyOf(alias, 'alias');
  return db.transaction().execute(async (trx) => {
    const before = await loadAliasMap(trx);
    if (!before.has(aliasKey)) {
      throw new StoreError('not-found', { zh: `别名列表中没有“${alias.trim()}”（${aliasKey}）。`, en: `“${alias.trim()}” (${aliasKey}) is not in the alias list.` });
    }
    const after = new Map(before);
    after.delete(aliasKey);
    await trx.deleteFrom('agency_aliases').where('alias_key', '=', aliasKey).execute();
    return rekey(trx, before, after, hooks);
  });
}

/**
 * Give every stored report whose resolved key changes between two lists its new key, carry the
 * decisions of its old key and year along, and refresh the cross-report findings of it and of
 * the next years under both keys (carry-over and the other year-to-year checks link up or apart).
 */
async function rekey(trx: Transaction<Database>, before: AliasMap, after: AliasMap, hooks: RekeyHooks): Promise<AliasChange> {
  const change: AliasChange = { rekeyed: 0, decisionsMoved: 0, decisionsMerged: 0 };
  // Only a key that is an alias in one of the lists can resolve differently.
  const owns = [...new Set([...before.keys(), ...after.keys()])].filter((k) => resolveAlias(before, k) !== resolveAlias(after, k));
  if (!owns.length) return change;
  const rows = await trx.selectFrom('reports').select(['id', 'own_agency_key', 'agency_key', 'year', 'tables_hash']).where('own_agency_key', 'in', owns).orderBy('year').orderBy('id').execute();
  const moves = new Map<string, { from: string; to: string; year: number }>();
  for (const r of rows) {
    const to = resolveAlias(after, r.own_agency_key!);
    if (r.agency_key === to) continue;
    await trx.updateTable('reports').set({ agency_key: to }).where('id', '=', Number(r.id)).execute();
    change.rekeyed++;
    if (r.agency_key) {
      const year = r.year === null ? 0 : Number(r.year);
      moves.set(`${r.agency_key}\u0000${to}\u0000${year}`, { from: r.agency_key, to, year });
    }
  }
  for (const m of moves.values()) {
    const n = await moveDecisions(trx, m.from, m.to, m.year);
    change.decisionsMoved += n.moved;
    change.decisionsMerged += n.merged;
  }
  // Reports left under either key of a move may now see other decisions (merged ones).
  const reviewed = new Set(rows.map((r) => Number(r.id)));
  for (const m of moves.values()) {
    for (const k of [m.from, m.to]) {
      for (const r of await trx.selectFrom('reports').select('id').where('agency_key', '=', k).where(yearIs(m.year)).execute()) {
        if (!reviewed.has(Number(r.id))) {
          reviewed.add(Number(r.id));
          await hooks.refreshReview(trx, Number(r.id));
        }
      }
    }
  }
  // Oldest year first, so each refreshed report sees its predecessor's final state.
  for (const r of rows) {
    await hooks.refreshReview(trx, Number(r.id));
    await hooks.refreshAround(trx, Number(r.id), { tables_hash: r.tables_hash, agency_key: r.agency_key, year: r.year === null ? null : Number(r.year) });
  }
  return change;
}

type DecisionRow = Omit<DecisionsTable, 'id'> & { id: number };

const yearIs = (year: number) => (eb: any) => (year === 0 ? eb.or([eb('year', 'is', null), eb('year', '=', 0)]) : eb('year', '=', year));

/**
 * The decisions of (from, year) follow reports re-keyed to `to`: moved when no stored report
 * is left under (from, year), copied when some still is (they apply to both bodies then).
 * The same finding decided under both keys: the newer decision is kept and the other one is
 * written into its comment, so no reviewer's word is lost.
 */
async function moveDecisions(trx: Transaction<Database>, from: string, to: string, year: number): Promise<{ moved: number; merged: number }> {
  const src = (await trx.selectFrom('decisions').selectAll().where('agency_key', '=', from).where('year', '=', year).orderBy('id').execute()) as DecisionRow[];
  if (!src.length) return { moved: 0, merged: 0 };
  const left = await trx.selectFrom('reports').select('id').where('agency_key', '=', from).where(yearIs(year)).limit(1).executeTakeFirst();
  let merged = 0;
  for (const d of src) {
    const there = (await trx.selectFrom('decisions').selectAll().where('agency_key', '=', to).where('year', '=', year).where('rule_id', '=', d.rule_id).where('path', '=', d.path).executeTakeFirst()) as DecisionRow | undefined;
    if (!there) {
      const { id: _id, ...rest } = d;
      await trx.insertInto('decisions').values({ ...rest, agency_key: to }).execute();
      continue;
    }
    merged++;
    const [win, lose] = d.decided_at > there.decided_at ? [d, there] : [there, d];
    const note = `[合并 / merged ${lose.agency_key}: ${lose.decision} ${lose.decided_at}${lose.decided_by ? ` ${lose.decided_by}` : ''}${lose.comment ? ` “${lose.comment}”` : ''}]`;
    const comment = win.comment ? `${win.comment} ${note}` : note;
    await trx
      .updateTable('decisions')
      .set({ decision: win.decision, comment, report_id: win.report_id, decided_at: win.decided_at, decided_by: win.decided_by })
      .where('id', '=', there.id)
      .execute();
  }
  if (!left) await trx.deleteFrom('decisions').where('agency_key', '=', from).where('year', '=', year).execute();
  return { moved: src.length, merged };
}

/** Alias pairs from a CSV or XLSX file: alias name, canonical name; a header row is optional. */
export async function readAliasFile(file: string): Promise<{ alias: string; canonical: string }[]> {
  let rows = (await readTableFile(file, 2)).map((r) => r.slice(0, 2));
  rows = rows.map((r) => r.map((c) => c.trim())).filter((r) => r.some(Boolean));
  if (rows.length && isHeader(rows[0])) rows = rows.slice(1);
  const bad = rows.findIndex((r) => !r[0] || !r[1]);
  if (!rows.length || bad >= 0) {
    throw new StoreError('bad-argument', {
      zh: `别名文件格式不对${bad >= 0 ? `（第 ${bad + 1} 行缺少一列）` : '（没有数据行）'}：${file}。应为两列：别名,机关名称（表头可省略）。`,
      en: `The alias file is not in the expected format${bad >= 0 ? ` (data row ${bad + 1} lacks a column)` : ' (no data rows)'}: ${file}. Expected two columns: alias, canonical name (header optional).`,
    });
  }
  return rows.map((r) => ({ alias: r[0], canonical: r[1] }));
}

const HEADER_WORDS = /^(?:别名|曾用名|简称|名称|机关|机关名称|单位|单位名称|规范名称|标准名称|目标|alias(?:[ _]?name)?|name|canonical(?:[ _]?name)?|agency(?:[ _]?name)?|target)$/i;

function isHeader(r: string[]): boolean {
  return HEADER_WORDS.test(r[0] ?? '') && HEADER_WORDS.test(r[1] ?? '');
}
