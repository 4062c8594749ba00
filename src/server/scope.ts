// Region scopes of user accounts: a user limited to a region (a code of the imported regions
// table, else of the built-in 国家统计局 divisions) may write only reports inside that region's
// subtree, and on a sign-in-only server reads only those. A report is inside when its region
// link (reports.region_code for an imported hierarchy, division_code for the built-in one) is
// the region or lies below it — the same rule `gongkai sum --region` uses (analyze/aggregate).
import { regionScope, type RegionScope } from '../analyze/aggregate.js';
import type { RegionRow } from '../analyze/region.js';
import { regionLinksOf, type Store, type SearchFilter, type SearchRow } from '../store/index.js';

export type RegionLinks = { regionCode?: string | null; divisionCode?: string | null };

/** The region a name or code denotes, or why none: unknown, or a name shared by several. */
export async function resolveRegion(store: Store, nameOrCode: string): Promise<{ region: RegionRow } | { error: 'unknown' | 'ambiguous'; candidates: RegionRow[] }> {
  const s = regionScope(nameOrCode.trim(), { regions: await store.regionTree() });
  if (!s) return { error: 'unknown', candidates: [] };
  // A scope is one subtree: a name shared by several regions (鼓楼区) must be given as a code.
  if (s.roots.length > 1) return { error: 'ambiguous', candidates: s.roots };
  return { region: s.roots[0] };
}

// Subtree sets are built once per region code and hierarchy (the store caches its tree object).
const memo = new WeakMap<object, Map<string, RegionScope | null>>();
const BUILTIN_KEY = {};

/** The scope of a user's region code; null when the code no longer names a region (then nothing is in scope). */
export async function scopeOf(store: Store, code: string): Promise<RegionScope | null> {
  const tree = await store.regionTree();
  const key = tree ?? BUILTIN_KEY;
  let m = memo.get(key);
  if (!m) memo.set(key, (m = new Map()));
  if (!m.has(code)) m.set(code, regionScope(code, { regions: tree }));
  return m.get(code)!;
}

export const inScope = (scope: RegionScope | null, r: RegionLinks): boolean => !!scope && scope.contains({ regionCode: r.regionCode ?? null, divisionCode: r.divisionCode ?? null });

/** The region links a report of this agency gets when stored (the store's own rule). */
export async function linksOfAgency(store: Store, agency: string | null): Promise<RegionLinks> {
  return regionLinksOf(agency, await store.regionTree());
}

/** Ids of the stored reports inside the scope (one narrow read of the link columns). */
export async function idsInScope(store: Store, scope: RegionScope | null): Promise<Set<number>> {
  if (!scope) return new Set();
  const rows = await store.db.selectFrom('reports').select(['id', 'region_code', 'division_code']).execute();
  return new Set(rows.filter((r) => inScope(scope, { regionCode: r.region_code, divisionCode: r.division_code })).map((r) => Number(r.id)));
}

/**
 * The store's search limited to a scope's subtree, filtered in SQL on the report's region link.
 * A statement takes at most 32,766 bound values in SQLite: a subtree larger than 20,000 regions
 * (no province's townships come near) falls back to filtering the ids here.
 */
export async function searchInScope(store: Store, scope: RegionScope | null, f: SearchFilter, limit: number, offset: number): Promise<{ total: number; items: SearchRow[] }> {
  if (!scope) return { total: 0, items: [] };
  const within = withinOf(scope);
  if (!within) return searchWithin(store, await idsInScope(store, scope), f, limit, offset);
  return store.search({ ...f, within, limit, offset });
}

/** The store filter for a scope (no scope: nothing), or null when the subtree is too large to bind. */
export function withinOf(scope: RegionScope | null): NonNullable<SearchFilter['within']> | null {
  if (!scope) return { column: 'division_code', codes: [] };
  if (scope.codes.size > 20_000) return null;
  return { column: scope.field === 'regionCode' ? 'region_code' : 'division_code', codes: [...scope.codes] };
}

/**
 * A search limited to a set of ids: the store's own search (so the filters mean the same), read
 * page by page and intersected with the set. This costs a pass over all hits (the server caches
 * the answer per data version): used where a scope is too large for searchInScope's SQL filter.
 */
export async function searchWithin(store: Store, ids: Set<number>, f: SearchFilter, limit: number, offset: number): Promise<{ total: number; items: SearchRow[] }> {
  const hits: SearchRow[] = [];
  if (!ids.size) return { total: 0, items: [] };
  const PAGE = 1000;
  for (let at = 0; ; at += PAGE) {
    const r = await store.search({ ...f, limit: PAGE, offset: at });
    for (const row of r.items) if (ids.has(row.id)) hits.push(row);
    if (r.items.length < PAGE || at + PAGE >= r.total) break;
  }
  return { total: hits.length, items: hits.slice(offset, offset + limit) };
}
