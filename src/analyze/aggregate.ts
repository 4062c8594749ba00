// Aggregations over stored reports: statistics, cell-by-cell sums, publication coverage.
import type { Report } from '../model/report.js';
import { agencyKey as normaliseAgency } from '../recognize/agency.js';
import { TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS } from '../model/template.js';
import type { ReviewedFinding, StoredReport } from '../store/types.js';
import { builtinDivisions, type RegionLevel, type RegionRow, type RegionTree } from './region.js';

// ---------------------------------------------------------------- stats

export interface Stats {
  reports: number;
  byYear: Record<string, number>;
  byTemplate: Record<string, number>;
  /** Per rule: reports with at least one (not dismissed) error of that rule, and the share of all reports. */
  errorRates: { ruleId: string; reports: number; rate: number }[];
  topAgencies: { agency: string; agencyKey: string | null; reports: number; newReceived: number }[];
}

export function stats(reports: (StoredReport & { reviewed?: ReviewedFinding[] })[], top = 10): Stats {
  const byYear: Record<string, number> = {};
  const byTemplate: Record<string, number> = {};
  const errs = new Map<string, number>();
  const agencies = new Map<string, { agency: string; agencyKey: string | null; reports: number; newReceived: number }>();
  for (const r of reports) {
    const y = r.year === null ? 'unknown' : String(r.year);
    byYear[y] = (byYear[y] ?? 0) + 1;
    byTemplate[r.template] = (byTemplate[r.template] ?? 0) + 1;
    const fs = r.reviewed ?? r.findings;
    const rules = new Set(fs.filter((f) => f.severity === 'error' && (f as ReviewedFinding).decision?.decision !== 'dismissed').map((f) => f.ruleId));
    for (const id of rules) errs.set(id, (errs.get(id) ?? 0) + 1);
    const key = r.agencyKey ?? r.agency ?? `#${r.hash}`;
    const a = agencies.get(key) ?? { agency: r.agency ?? '(unknown)', agencyKey: r.agencyKey, reports: 0, newReceived: 0 };
    a.reports++;
    a.newReceived += r.report.table3?.newReceived?.total ?? 0;
    agencies.set(key, a);
  }
  const n = reports.length;
  return {
    reports: n,
    byYear: sortKeys(byYear),
    byTemplate: sortKeys(byTemplate),
    errorRates: [...errs].map(([ruleId, c]) => ({ ruleId, reports: c, rate: n ? round(c / n) : 0 })).sort((a, b) => b.reports - a.reports || a.ruleId.localeCompare(b.ruleId)),
    topAgencies: [...agencies.values()].sort((a, b) => b.newReceived - a.newReceived || a.agency.localeCompare(b.agency)).slice(0, top),
  };
}

// ---------------------------------------------------------------- sum

export type SumBy = 'year' | 'region' | 'agency' | 'province' | 'city' | 'county';
export const SUM_BY: readonly SumBy[] = ['year', 'region', 'agency', 'province', 'city', 'county'];

export interface SumGroup {
  key: string;
  /** Reports that contributed. */
  reports: number;
  table3: Record<string, Record<string, number>>;
  table4: Record<string, Record<string, number>>;
}

/** Every table-3 row of either template, in table order. */
export const ALL_TABLE3_ROWS = TABLE3_ROWS.map((r) => r.key);

export function emptySums(): Pick<SumGroup, 'table3' | 'table4'> {
  const table3 = Object.fromEntries(ALL_TABLE3_ROWS.map((k) => [k, Object.fromEntries(TABLE3_COLUMNS.map((c) => [c, 0]))]));
  const table4 = Object.fromEntries(TABLE4_GROUPS.map((g) => [g, Object.fromEntries(TABLE4_COLUMNS.map((c) => [c, 0]))]));
  return { table3, table4 };
}

/** Adds a report's tables 3 and 4 into sums, cell by cell; a blank (null) cell counts 0. */
export function addInto(sums: Pick<SumGroup, 'table3' | 'table4'>, r: Report): void {
  for (const [row, cols] of Object.entries(r.table3 ?? {})) {
    const target = (sums.table3[row] ??= Object.fromEntries(TABLE3_COLUMNS.map((c) => [c, 0])));
    for (const [c, v] of Object.entries(cols)) if (typeof v === 'number') target[c] = fix((target[c] ?? 0) + v);
  }
  for (const [g, cols] of Object.entries(r.table4 ?? {})) {
    const target = (sums.table4[g] ??= Object.fromEntries(TABLE4_COLUMNS.map((c) => [c, 0])));
    for (const [c, v] of Object.entries(cols)) if (typeof v === 'number') target[c] = fix((target[c] ?? 0) + v);
  }
}

export function groupKey(r: Pick<SumInput, 'year' | 'region' | 'agency' | 'agencyKey'> & Partial<SumInput>, by: SumBy, ctx: RegionContext = {}): string {
  if (by === 'year') return r.year === null ? 'unknown' : String(r.year);
  if (by === 'agency') return r.agency ?? r.agencyKey ?? 'unknown';
  const { regions } = ctx;
  if (by === 'region') {
    if (regions && r.regionCode && regions.get(r.regionCode)) return regions.get(r.regionCode)!.name;
    return r.region ?? 'unknown';
  }
  const level: RegionLevel = by;
  if (regions && r.regionCode && regions.get(r.regionCode)) {
    const hit = regions.at(r.regionCode, level);
    if (hit) return hit.name;
  }
  if (r.divisionCode) return (ctx.divisions ?? builtinDivisions()).at(r.divisionCode, level)?.name ?? 'unknown';
  return 'unknown';
}

/** The imported hierarchy (when any) and the built-in divisions, for region grouping. */
export interface RegionContext {
  regions?: RegionTree | null;
  divisions?: RegionTree;
}

export interface RegionScope {
  /** The region(s) named: in the imported hierarchy, else in the built-in divisions. */
  roots: RegionRow[];
  source: 'imported' | 'builtin';
  /** The report link the scope is decided on, and the region codes of its subtree(s). */
  field: 'regionCode' | 'divisionCode';
  codes: ReadonlySet<string>;
  /** Is a report inside the scope? */
  contains(r: Pick<SumInput, 'regionCode' | 'divisionCode'>): boolean;
  /** The child of the scope's root the report falls under (the root itself when linked to it). */
  childOf(r: Pick<SumInput, 'regionCode' | 'divisionCode'>): RegionRow | undefined;
}

/** The subtree of a region given by name or code; null when no region is called that. */
export function regionScope(nameOrCode: string, ctx: RegionContext = {}): RegionScope | null {
  const scope = (tree: RegionTree, source: 'imported' | 'builtin', field: 'regionCode' | 'divisionCode'): RegionScope | null => {
    const roots = tree.find(nameOrCode);
    if (!roots.length) return null;
    const sets = roots.map((r) => tree.subtree(r.code));
    const code = (r: Pick<SumInput, 'regionCode' | 'divisionCode'>) => r[field] ?? null;
    return {
      roots,
      source,
      field,
      codes: sets.length === 1 ? sets[0] : new Set(sets.flatMap((x) => [...x])),
      contains: (r) => {
        const c = code(r);
        return !!c && sets.some((s) => s.has(c));
      },
      childOf: (r) => {
        const c = code(r);
        if (!c) return undefined;
        const path = tree.path(c);
        const i = path.findIndex((p) => roots.some((x) => x.code === p.code));
        return i < 0 ? undefined : path[i + 1] ?? path[i];
      },
    };
  };
  return (ctx.regions && ctx.regions.size ? scope(ctx.regions, 'imported', 'regionCode') : null) ?? scope(ctx.divisions ?? builtinDivisions(), 'builtin', 'divisionCode');
}

export interface RegionSum {
  groups: SumGroup[];
  /** With a scope: the whole subtree summed. */
  total?: SumGroup;
}

/**
 * Sums grouped by `by`; with a scope only the reports inside it count, a "region" grouping
 * rolls each report up to the scope root's child it falls under, and `total` sums the subtree.
 */
export function sumBy<T extends SumInput>(inputs: T[], by: SumBy, ctx: RegionContext = {}, scope?: RegionScope | null): RegionSum {
  if (!scope) return { groups: sumGroups(inputs, (r) => groupKey(r, by, ctx), by === 'agency') };
  const inside = inputs.filter((r) => scope.contains(r));
  const groups = by === 'region' ? sumGroups(inside, (r) => scope.childOf(r)?.name ?? 'unknown') : sumGroups(inside, (r) => groupKey(r, by, ctx), by === 'agency');
  const total = sumGroups(inside, () => scope.roots[0].name)[0] ?? { key: scope.roots[0].name, reports: 0, ...emptySums() };
  return { groups, total };
}

export function sum(reports: StoredReport[], by: SumBy, year?: number): SumGroup[] {
  const inputs = reports.filter((r) => year === undefined || r.year === year).map((r) => ({ ...r, totals: sparseTotals(r.report) }));
  return sumGroups(inputs, (r) => groupKey(r as StoredReport, by), by === 'agency');
}

// ---------------------------------------------------------------- sums from precomputed totals

/** The summed cells, in a fixed order: every table-3 row of either template × column, then table 4. */
export const SUM_CELLS: readonly { table: 'table3' | 'table4'; row: string; col: string }[] = [
  ...ALL_TABLE3_ROWS.flatMap((row) => TABLE3_COLUMNS.map((col) => ({ table: 'table3' as const, row, col }))),
  ...TABLE4_GROUPS.flatMap((row) => TABLE4_COLUMNS.map((col) => ({ table: 'table4' as const, row, col }))),
];

/** A report's tables 3 and 4 as one vector in SUM_CELLS order (blank = 0); stored per report. */
export function totalsVector(r: Report): number[] {
  return SUM_CELLS.map(({ table, row, col }) => {
    const v = (r[table] as Record<string, Record<string, number | null>> | undefined)?.[row]?.[col];
    return typeof v === 'number' ? v : 0;
  });
}

/**
 * The non-zero cells of totalsVector as [index, value, index, value, …]: what the store keeps
 * per report (most cells are 0, so this is short and quick to parse).
 */
export function sparseTotals(r: Report): number[] {
  const out: number[] = [];
  totalsVector(r).forEach((v, i) => {
    if (v !== 0) out.push(i, v);
  });
  return out;
}

/** What a sum needs of a stored report (the store reads just these columns). */
export interface SumInput {
  id: number;
  year: number | null;
  agency: string | null;
  agencyKey: string | null;
  region: string | null;
  regionCode?: string | null;
  divisionCode?: string | null;
  /** Non-zero cells as index/value pairs (sparseTotals). */
  totals: number[];
}

/**
 * Cell-by-cell sums of groups; `keyOf` null leaves a report out. With `byAgency` the first
 * name seen for an agencyKey names the group (one group per body).
 */
export function sumGroups<T extends SumInput>(inputs: T[], keyOf: (r: T) => string | null, byAgency = false): SumGroup[] {
  const acc = new Map<string, { reports: number; v: Float64Array }>();
  const byAgencyName = new Map<string, string>();
  const n = SUM_CELLS.length;
  for (const r of inputs) {
    let key = keyOf(r);
    if (key === null) continue;
    if (byAgency) {
      const k = r.agencyKey ?? key;
      key = byAgencyName.get(k) ?? key;
      byAgencyName.set(k, key);
    }
    let g = acc.get(key);
    if (!g) acc.set(key, (g = { reports: 0, v: new Float64Array(n) }));
    g.reports++;
    const t = r.totals;
    for (let i = 0; i + 1 < t.length; i += 2) g.v[t[i]] += t[i + 1];
  }
  const out: SumGroup[] = [];
  for (const [key, g] of acc) {
    const s = emptySums();
    SUM_CELLS.forEach(({ table, row, col }, i) => ((s[table] as Record<string, Record<string, number>>)[row][col] = fix(g.v[i])));
    out.push({ key, reports: g.reports, ...s });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key, 'zh'));
}

// ---------------------------------------------------------------- coverage

export interface CoverageEntry {
  id: number;
  agency: string | null;
  publishedAt: string | null;
  deadline: string;
}

export interface Coverage {
  year: number;
  published: CoverageEntry[];
  late: CoverageEntry[];
  /** Reports of the year that state no publication date. */
  undated: CoverageEntry[];
  /** Expected units (from the CSV) with no stored report for the year. */
  missing: string[];
  /** Stored reports for the year matching no expected unit (only with an expected list). */
  unexpected: CoverageEntry[];
  expected?: number;
}

/** Statutory deadline (条例第四十九条): 31 March for a 人民政府's own report, else 31 January. */
export function publicationDeadline(agency: string | null, year: number): string {
  return `${year + 1}-${agency && /人民政府$/.test(agency.trim()) ? '03-31' : '01-31'}`;
}

function norm(name: string): string {
  return normaliseAgency(name);
}

/** Does an expected unit name denote this stored body? Exact key, or one key ends with the other. */
export function sameBody(expected: string, r: Pick<StoredReport, 'agency' | 'agencyKey'>): boolean {
  const e = norm(expected);
  if (!e) return false;
  const keys = [r.agencyKey, r.agency ? norm(r.agency) : null].filter((k): k is string => !!k);
  return keys.some((k) => k === e || (e.length >= 4 && k.endsWith(e)) || (k.length >= 4 && e.endsWith(k)));
}

/** What coverage needs of a stored report. */
export type CoverageInput = Pick<StoredReport, 'id' | 'year' | 'agency' | 'agencyKey' | 'publishedAt'>;

export function coverage(reports: CoverageInput[], year: number, expected?: string[]): Coverage {
  const ofYear = reports.filter((r) => r.year === year);
  const entry = (r: CoverageInput): CoverageEntry => ({ id: r.id, agency: r.agency, publishedAt: r.publishedAt, deadline: publicationDeadline(r.agency, year) });
  const out: Coverage = { year, published: [], late: [], undated: [], missing: [], unexpected: [] };
  for (const r of ofYear) {
    const e = entry(r);
    out.published.push(e);
    if (!r.publishedAt) out.undated.push(e);
    else if (r.publishedAt > e.deadline) out.late.push(e);
  }
  if (expected) {
    out.expected = expected.length;
    out.missing = expected.filter((name) => !ofYear.some((r) => sameBody(name, r)));
    out.unexpected = ofYear.filter((r) => !expected.some((name) => sameBody(name, r))).map(entry);
  }
  return out;
}

/** The agency names of an expected-units CSV: the column headed 单位/机关/名称/agency/unit/name, else the first. */
export function expectedUnitsFromCsv(text: string): string[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c.trim()));
  if (!rows.length) return [];
  const header = rows[0].map((h) => h.trim());
  let col = header.findIndex((h) => /单位|机关|部门|名称|主体|agency|unit|name|body/i.test(h));
  const hasHeader = col >= 0 || header.some((h) => /^(?:序号|编号|no\.?|id|#)$/i.test(h));
  if (col < 0) col = header.findIndex((h) => !/^(?:序号|编号|no\.?|id|#)$/i.test(h));
  if (col < 0) col = 0;
  const names = (hasHeader ? rows.slice(1) : rows).map((r) => (r[col] ?? '').trim()).filter(Boolean);
  return [...new Set(names)];
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
const round = (x: number) => Math.round(x * 10000) / 10000;
/** Keeps decimal sums (fees, 万元) free of binary noise. */
const fix = (x: number) => (Number.isInteger(x) ? x : Math.round(x * 1e6) / 1e6);
