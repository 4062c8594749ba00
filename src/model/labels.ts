// Human names of cell paths, Chinese first, for messages and the UI.
import {
  TABLE2,
  TABLE3_COLUMN_LABELS,
  TABLE3_ROWS,
  TABLE4_COLUMN_LABELS,
  TABLE4_GROUP_LABELS,
  type Table3Column,
  type Table4Column,
  type Table4Group,
  type TemplateId,
} from './template.js';

export type Lang = 'zh' | 'en';

export function splitPath(path: string): { table: string; row: string; col: string } {
  const [table, ...rest] = path.split('.');
  const col = rest.pop() ?? '';
  return { table, row: rest.join('.'), col };
}

export function rowLabel(table: string, row: string, lang: Lang, template: TemplateId = '2021'): string {
  if (table === 'table3') {
    const d = TABLE3_ROWS.find((r) => r.key === row);
    return d ? d.label[lang] : row;
  }
  if (table === 'table4') return TABLE4_GROUP_LABELS[row as Table4Group]?.[lang] ?? row;
  const d = TABLE2[template].find((r) => r.key === row) ?? TABLE2[template === '2021' ? '2019' : '2021'].find((r) => r.key === row);
  return d ? d.label[lang] : row;
}

export function colLabel(table: string, row: string, col: string, lang: Lang, template: TemplateId = '2021'): string {
  if (table === 'table3') return TABLE3_COLUMN_LABELS[col as Table3Column]?.[lang] ?? col;
  if (table === 'table4') return TABLE4_COLUMN_LABELS[col as Table4Column]?.[lang] ?? col;
  const d = TABLE2[template].find((r) => r.key === row);
  return d?.fields.find((f) => f.key === col)?.label[lang] ?? col;
}

/** "表三「（一）予以公开」行「自然人」列" / "table 3, row (1) Granted, column natural persons". */
export function pathLabel(path: string, lang: Lang, template: TemplateId = '2021'): string {
  const { table, row, col } = splitPath(path);
  const n = table.replace('table', '');
  if (lang === 'zh') return `表${'〇一二三四'[Number(n)] ?? n}「${rowLabel(table, row, lang, template)}」行「${colLabel(table, row, col, lang, template)}」列`;
  return `table ${n}, row “${rowLabel(table, row, lang, template)}”, column “${colLabel(table, row, col, lang, template)}”`;
}
