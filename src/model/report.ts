// The canonical report (../shared/spec/canonical-json.md). Keys are public API.
import type { Place } from '../read/document.js';
import {
  APPLICANT_COLUMNS,
  SECTIONS,
  TABLE2,
  TABLE3_COLUMNS,
  TABLE3_ROWS,
  TABLE4_COLUMNS,
  TABLE4_GROUPS,
  table3Rows,
  type SectionKey,
  type Table3Column,
  type Table4Column,
  type Table4Group,
  type TemplateId,
} from './template.js';

export type CellValue = number | null;
export type Row<K extends string> = Record<K, CellValue>;

export interface Report {
  template: TemplateId;
  year: number | null;
  agency: string | null;
  title: string | null;
  publishedAt: string | null;
  sections: Record<SectionKey, string | null>;
  sectionTitles: Partial<Record<SectionKey, string>>;
  extraSections: { title: string; text: string }[];
  table2: Record<string, Record<string, CellValue>>;
  table3: Record<string, Row<Table3Column>>;
  table4: Record<Table4Group, Row<Table4Column>>;
  uncertain: string[];
  infoProcessingFee?: number | null;
  agencyKey?: string | null;
}

/** Where each cell and section of a report came from (not part of the canonical JSON). */
export interface Provenance {
  cells: Record<string, { raw: string; place: Place }>;
  sections: Partial<Record<SectionKey, Place>>;
  title?: Place;
  publishedAt?: Place;
  year?: Place;
}

export interface ParseResult {
  report: Report;
  provenance: Provenance;
  /** Which tables were found at all (a table absent from the source is all null, not uncertain). */
  found: { table2: boolean; table3: boolean; table4: boolean };
  /** Text before the first section (title block, preamble with the statistical period). */
  preamble: string;
  /** Decoding and layout facts, for --explain and findings. */
  info: { format: string; encoding?: string; runTogether?: boolean };
}

// Plain loops rather than Object.fromEntries: this runs on every parse and the loops are several
// times cheaper; the key order (and so the JSON) is the same.
function nullRow(keys: readonly string[]): Record<string, CellValue> {
  const row: Record<string, CellValue> = {};
  for (const k of keys) row[k] = null;
  return row;
}

// Each parse copies these all-null rows (a spread copies an object's layout at once instead of
// adding its keys one by one); the rows themselves are never handed out.
const T3_ROW = nullRow(TABLE3_COLUMNS);
const T4_ROW = nullRow(TABLE4_COLUMNS);
const T2_ROWS = new Map<TemplateId, [string, Record<string, CellValue>][]>();
function table2Rows(t: TemplateId): [string, Record<string, CellValue>][] {
  let rows = T2_ROWS.get(t);
  if (!rows) T2_ROWS.set(t, (rows = TABLE2[t].map((row) => [row.key, nullRow(row.fields.map((f) => f.key))])));
  return rows;
}

type EmptyTables = Pick<Report, 'table2' | 'table3' | 'table4'>;

/**
 * A template's tables with every cell null: new objects on every call. Every parse makes them,
 * and built key by key (~200 keys) they cost several times what object literals of the same keys
 * do, which V8 makes from a boilerplate in one step. So each template's literals are written
 * once, from what buildEmptyTables makes (its keys are the template's, quoted by JSON.stringify),
 * and compiled into a function. The same objects with the same key order (test/report-empty.test.ts).
 */
export function emptyTables(t: TemplateId): EmptyTables {
  let make = EMPTY_TABLES.get(t);
  if (!make) EMPTY_TABLES.set(t, (make = compileLiterals(buildEmptyTables(t)) ?? (() => buildEmptyTables(t))));
  return make();
}
const EMPTY_TABLES = new Map<TemplateId, () => EmptyTables>();

/**
 * A function returning new objects equal to `o` (nested objects whose leaves are null), written as
 * literals; null where it cannot be (Node run with --disallow-code-generation-from-strings, or a
 * "__proto__" key, which a literal would take as the prototype): then the caller builds them.
 */
function compileLiterals<T>(o: T): (() => T) | null {
  const literalOf = (x: Record<string, unknown>): string | null => {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(x)) {
      if (k === '__proto__') return null;
      const inner = v === null ? 'null' : literalOf(v as Record<string, unknown>);
      if (inner === null) return null;
      parts.push(`${JSON.stringify(k)}: ${inner}`);
    }
    return `{ ${parts.join(', ')} }`;
  };
  const text = literalOf(o as Record<string, unknown>);
  if (text === null) return null;
  try {
    return new Function(`return ${text};`) as () => T;
  } catch {
    return null;
  }
}

/** emptyTables as the template defines them: the definition the compiled literals are made from. */
export function buildEmptyTables(t: TemplateId): EmptyTables {
  const table2: Report['table2'] = {};
  for (const [key, cells] of table2Rows(t)) table2[key] = { ...cells };
  const table3: Report['table3'] = {};
  for (const row of TABLE3_ROWS) if (row.templates.includes(t)) table3[row.key] = { ...T3_ROW } as Row<Table3Column>;
  const table4 = {} as Report['table4'];
  for (const g of TABLE4_GROUPS) table4[g] = { ...T4_ROW } as Row<Table4Column>;
  return { table2, table3, table4 };
}

export function emptySections(): Record<SectionKey, string | null> {
  return nullRow(SECTIONS.map((s) => s.key)) as Record<SectionKey, string | null>;
}

/** Every cell path of a template, in table order. */
export function cellPaths(t: TemplateId): string[] {
  const out: string[] = [];
  for (const row of TABLE2[t]) for (const f of row.fields) out.push(`table2.${row.key}.${f.key}`);
  for (const row of table3Rows(t)) for (const c of TABLE3_COLUMNS) out.push(`table3.${row.key}.${c}`);
  for (const g of TABLE4_GROUPS) for (const c of TABLE4_COLUMNS) out.push(`table4.${g}.${c}`);
  return out;
}

/** Reads a cell by path; the column is always the last segment and table-3 row keys may hold a dot. */
export function getCell(r: Report, path: string): CellValue | undefined {
  const [table, ...rest] = path.split('.');
  const col = rest.pop()!;
  const row = rest.join('.');
  const t = (r as unknown as Record<string, Record<string, Record<string, CellValue>>>)[table];
  return t?.[row]?.[col];
}

export function setCell(r: Report, path: string, v: CellValue): void {
  const [table, ...rest] = path.split('.');
  const col = rest.pop()!;
  const row = rest.join('.');
  const t = (r as unknown as Record<string, Record<string, Record<string, CellValue>>>)[table];
  if (t?.[row]) t[row][col] = v;
}

export { APPLICANT_COLUMNS };
