// The official layout of a report's three tables as a grid of cells with their merges, built
// from the template data (src/model/template.ts) only: rows, labels, columns and spans all
// follow TABLE2 / TABLE3_ROWS / TABLE4_* of the report's template. Every writer (HTML,
// Markdown, text, XLSX) prints this grid; none of them knows a row label of its own.
//
// Layouts (../shared/spec/annual-report-format.md §§2–4):
//   table 2: 4 columns; per 第二十条 block a heading row (colspan 4), a header row
//            信息内容 | field labels, then one row per item (fields share the 3 value columns).
//   table 3: 10 columns; note cell (colspan 3 × rowspan 3) | 申请人情况 (colspan 7) /
//            自然人 (rowspan 2) | 法人或其他组织 (colspan 5) | 总计 (rowspan 2) / the five kinds;
//            then 3 label columns: 一、二、四 span all three, 三、本年度办理结果 spans the rows of
//            its outcomes and total, a numbered block (（三）不予公开 …) spans its items.
//   table 4: 15 columns; 行政复议 (colspan 5) | 行政诉讼 (colspan 10) / five columns (rowspan 2) |
//            未经复议直接起诉 (colspan 5) | 复议后起诉 (colspan 5) / five | five / 15 values.
import type { CellValue, Report } from '../model/report.js';
import {
  SECTIONS,
  TABLE2,
  TABLE3_COLUMN_LABELS,
  TABLE3_COLUMNS,
  TABLE4_COLUMN_LABELS,
  TABLE4_COLUMNS,
  TABLE4_GROUP_LABELS,
  TABLE4_GROUPS,
  APPLICANT_COLUMNS,
  PARTIAL_NOTE,
  TABLE2_ITEM_HEAD,
  TABLE3_APPLICANTS,
  TABLE3_NOTE,
  TABLE3_ORGS,
  TABLE3_RESULTS,
  table3Rows,
  type SectionKey,
  type Table2FieldDef,
} from '../model/template.js';

export type TableName = 'table2' | 'table3' | 'table4';

export interface GridCell {
  text: string;
  colspan: number;
  rowspan: number;
  /** head: a column header or block heading; label: a row label; value: a data cell. */
  kind: 'head' | 'label' | 'value';
  /** Canonical path of a value cell (table3.granted.total …). */
  path?: string;
  value?: CellValue;
}

export interface GridTable {
  name: TableName;
  width: number;
  /** Physical cells per row, as HTML writes them (cells covered by a merge are absent). */
  rows: GridCell[][];
}

// Wording of the statutory template's headers, kept with the template data.
export { TABLE3_NOTE, TABLE3_APPLICANTS, TABLE3_ORGS, TABLE3_RESULTS, PARTIAL_NOTE, TABLE2_ITEM_HEAD } from '../model/template.js';

/** A value as printed: a number in its shortest decimal form, a blank for null. */
export function formatValue(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  const s = String(v);
  // Never exponent notation ("1e-7", "1e+21"): readers take a cell's digits as written.
  return /e/i.test(s) ? v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

const head = (text: string, colspan = 1, rowspan = 1): GridCell => ({ text, colspan, rowspan, kind: 'head' });
const label = (text: string, colspan = 1, rowspan = 1): GridCell => ({ text, colspan, rowspan, kind: 'label' });
const value = (path: string, v: CellValue | undefined, colspan = 1): GridCell => ({ text: formatValue(v), colspan, rowspan: 1, kind: 'value', path, value: v ?? null });

/** How n fields share the 3 value columns of table 2: 1 → [3], 2 → [1, 2], 3 → [1, 1, 1]. */
function spread(n: number, width = 3): number[] {
  const out = Array(n).fill(1);
  out[n - 1] = width - (n - 1);
  return out;
}

/** A money header names the unit the canonical amount is in (万元) when the label does not. */
function fieldHeader(f: Table2FieldDef): string {
  return f.kind === 'money' && !/万元/.test(f.label.zh) ? `${f.label.zh}（单位：万元）` : f.label.zh;
}

export function table2Grid(r: Report): GridTable {
  const defs = TABLE2[r.template];
  const rows: GridCell[][] = [];
  let block = '';
  let fieldsSig = '';
  for (const def of defs) {
    const sig = def.fields.map((f) => f.label.zh).join('|');
    if (def.block !== block) {
      block = def.block;
      fieldsSig = '';
      rows.push([head(`第二十条第${def.block}项`, 4)]);
    }
    if (sig !== fieldsSig) {
      fieldsSig = sig;
      const spans = spread(def.fields.length);
      rows.push([head(TABLE2_ITEM_HEAD), ...def.fields.map((f, i) => head(fieldHeader(f), spans[i]))]);
    }
    const spans = spread(def.fields.length);
    const data = r.table2[def.key] ?? {};
    rows.push([label(def.label.zh), ...def.fields.map((f, i) => value(`table2.${def.key}.${f.key}`, data[f.key], spans[i]))]);
  }
  return { name: 'table2', width: 4, rows };
}

/** The printed label parts of each table-3 row of a template, with the blocks they belong to. */
export interface Table3Label {
  key: string;
  /** Label of the numbered block (（三）不予公开 …) when this row opens one; rows is its height. */
  block?: { text: string; rows: number };
  /** True for the rows under a block (item rows). */
  inBlock: boolean;
  text: string;
  group: 'top' | 'outcome' | 'total';
}

export function table3Labels(r: Pick<Report, 'template'>): Table3Label[] {
  const defs = table3Rows(r.template);
  const out: Table3Label[] = [];
  let open: Table3Label | null = null; // the row that opened the current block
  let lastItem = 0;
  for (const def of defs) {
    const zh = def.label.zh;
    const alt = zh.split(' / ');
    let row: Table3Label;
    if (def.item !== undefined && alt.length === 1 && zh.includes(' ')) {
      // "（三）不予公开 1.属于国家秘密": opens a block.
      const at = zh.indexOf(' ');
      row = { key: def.key, block: { text: zh.slice(0, at), rows: 1 }, inBlock: true, text: zh.slice(at + 1), group: def.group };
      open = row;
      lastItem = def.item;
    } else if (def.item !== undefined && open && def.item === lastItem + 1) {
      // A following item of the open block ("2.重复申请"; "3.其他" of "3.其他 / （六）其他处理").
      row = { key: def.key, inBlock: true, text: alt[0], group: def.group };
      open.block!.rows++;
      lastItem = def.item;
    } else {
      // A row of its own ("（一）予以公开", the 2019 single "（六）其他处理", "（七）总计", "一、…").
      open = null;
      lastItem = 0;
      const text = alt[alt.length - 1];
      row = { key: def.key, inBlock: false, text: def.key === 'partiallyGranted' ? text + PARTIAL_NOTE : text, group: def.group };
    }
    out.push(row);
  }
  return out;
}

export function table3Grid(r: Report): GridTable {
  const L = (c: (typeof TABLE3_COLUMNS)[number]) => TABLE3_COLUMN_LABELS[c].zh;
  const orgs = APPLICANT_COLUMNS.filter((c) => c !== 'naturalPerson');
  const rows: GridCell[][] = [
    [head(TABLE3_NOTE, 3, 3), head(TABLE3_APPLICANTS, TABLE3_COLUMNS.length)],
    [head(L('naturalPerson'), 1, 2), head(TABLE3_ORGS, orgs.length), head(L('total'), 1, 2)],
    orgs.map((c) => head(L(c))),
  ];
  const labels = table3Labels(r);
  const resultsHeight = labels.filter((l) => l.group !== 'top').length;
  let resultsOpen = false;
  for (const l of labels) {
    const cells: GridCell[] = [];
    if (l.group === 'top') cells.push(label(l.text, 3));
    else {
      if (!resultsOpen) {
        cells.push(label(TABLE3_RESULTS, 1, resultsHeight));
        resultsOpen = true;
      }
      if (l.block) cells.push(label(l.block.text, 1, l.block.rows));
      cells.push(label(l.text, l.inBlock ? 1 : 2));
    }
    const data = r.table3[l.key];
    for (const c of TABLE3_COLUMNS) cells.push(value(`table3.${l.key}.${c}`, data?.[c]));
    rows.push(cells);
  }
  return { name: 'table3', width: 3 + TABLE3_COLUMNS.length, rows };
}

export function table4Grid(r: Report): GridTable {
  const n = TABLE4_COLUMNS.length;
  const five = () => TABLE4_COLUMNS.map((c) => head(TABLE4_COLUMN_LABELS[c].zh));
  // Group labels "行政诉讼·未经复议直接起诉": a parent (行政诉讼) over its sub-groups.
  const parts = TABLE4_GROUPS.map((g) => TABLE4_GROUP_LABELS[g].zh.split('·'));
  const top: GridCell[] = [];
  const second: GridCell[] = [];
  const third: GridCell[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length === 1) {
      top.push(head(p[0], n));
      second.push(...five().map((c) => ({ ...c, rowspan: 2 })));
      continue;
    }
    if (i > 0 && parts[i - 1].length === 2 && parts[i - 1][0] === p[0]) top[top.length - 1].colspan += n;
    else top.push(head(p[0], n));
    second.push(head(p[1], n));
    third.push(...five());
  }
  const values = TABLE4_GROUPS.flatMap((g) => TABLE4_COLUMNS.map((c) => value(`table4.${g}.${c}`, r.table4[g]?.[c])));
  return { name: 'table4', width: n * TABLE4_GROUPS.length, rows: [top, second, third, values] };
}

/** Which section each table belongs under. */
export const TABLE_OF_SECTION: Partial<Record<SectionKey, (r: Report) => GridTable>> = {
  proactive: table2Grid,
  requests: table3Grid,
  reviewLitigation: table4Grid,
};

/** A grid position of every physical cell, or of the cell covering it. */
export interface Placed {
  cell: GridCell;
  row: number;
  col: number;
  /** True at the cell's top-left position. */
  origin: boolean;
}

/** Lays the physical cells onto the full grid (rowspans and colspans resolved). */
export function expand(t: GridTable): Placed[][] {
  const grid: (Placed | undefined)[][] = t.rows.map(() => Array(t.width).fill(undefined));
  t.rows.forEach((cells, ri) => {
    let col = 0;
    for (const cell of cells) {
      while (col < t.width && grid[ri][col]) col++;
      if (col + cell.colspan > t.width) throw new Error(`${t.name}: row ${ri + 1} is wider than ${t.width} columns`);
      for (let dr = 0; dr < cell.rowspan; dr++) {
        if (!grid[ri + dr]) throw new Error(`${t.name}: a rowspan runs past the last row`);
        for (let dc = 0; dc < cell.colspan; dc++) grid[ri + dr][col + dc] = { cell, row: ri, col, origin: dr === 0 && dc === 0 };
      }
      col += cell.colspan;
    }
  });
  return grid.map((row, ri) =>
    row.map((p, ci) => {
      if (!p) throw new Error(`${t.name}: row ${ri + 1}, column ${ci + 1} is not covered by any cell`);
      return p;
    }),
  );
}

// ---------------------------------------------------------------- the document

export type DocPart =
  | { kind: 'title'; text: string }
  | { kind: 'date'; text: string }
  | { kind: 'heading'; text: string; key: SectionKey | 'extra' }
  | { kind: 'text'; text: string }
  | { kind: 'table'; table: GridTable };

/** Lines of a section body: as written, blank lines dropped, each trimmed. */
export function textLines(s: string | null | undefined): string[] {
  return (s ?? '').split(/\r\n?|\n/).map((l) => l.trim()).filter((l) => l !== '');
}

/**
 * The report as an ordered list of parts: title, publication date, each statutory section
 * (heading, text, then its table), then the non-statutory sections. A statutory section the
 * report does not have (text null, no heading) is left out unless it carries a table.
 */
export function documentParts(r: Report): DocPart[] {
  const out: DocPart[] = [];
  if (r.title) out.push({ kind: 'title', text: r.title });
  if (r.publishedAt) out.push({ kind: 'date', text: `发布日期：${r.publishedAt}` });
  for (const s of SECTIONS) {
    const grid = TABLE_OF_SECTION[s.key];
    const text = r.sections?.[s.key] ?? null;
    const title = r.sectionTitles?.[s.key];
    if (text === null && !title && !grid) continue;
    out.push({ kind: 'heading', text: title || s.title.zh, key: s.key });
    for (const line of textLines(text)) out.push({ kind: 'text', text: line });
    if (grid) out.push({ kind: 'table', table: grid(r) });
  }
  for (const x of r.extraSections ?? []) {
    out.push({ kind: 'heading', text: x.title, key: 'extra' });
    for (const line of textLines(x.text)) out.push({ kind: 'text', text: line });
  }
  return out;
}
