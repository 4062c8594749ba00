// Canonical JSON (../shared/spec/canonical-json.md) → Report, for the writers. Keys the
// contract does not define are ignored; cells and sections it does define are checked.
import { emptySections, emptyTables, type CellValue, type Report } from '../model/report.js';
import { SECTIONS, TABLE2, TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, TEMPLATES, table3Rows, type TemplateId } from '../model/template.js';

export class CanonicalJsonError extends Error {
  constructor(readonly path: string, readonly detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'CanonicalJsonError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

function str(o: Obj, key: string, path: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new CanonicalJsonError(path, 'must be a string or null');
  return v;
}

function cell(v: unknown, path: string): CellValue {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CanonicalJsonError(path, `must be a number or null, got ${JSON.stringify(v)}`);
  return v;
}

/** A Report from a parsed canonical JSON object; missing cells are null. */
export function reportFromCanonical(x: unknown): Report {
  if (!isObj(x)) throw new CanonicalJsonError('$', 'a canonical report is a JSON object');
  const template = x.template;
  if (!TEMPLATES.includes(template as TemplateId)) throw new CanonicalJsonError('template', `must be one of ${TEMPLATES.map((t) => `"${t}"`).join(', ')}`);
  const t = template as TemplateId;
  const year = x.year;
  if (year !== undefined && year !== null && (typeof year !== 'number' || !Number.isInteger(year))) throw new CanonicalJsonError('year', 'must be an integer or null');
  const tables = emptyTables(t);
  const src2 = isObj(x.table2) ? x.table2 : {};
  for (const def of TABLE2[t]) {
    const row = isObj(src2[def.key]) ? (src2[def.key] as Obj) : {};
    for (const f of def.fields) tables.table2[def.key][f.key] = cell(row[f.key], `table2.${def.key}.${f.key}`);
  }
  const src3 = isObj(x.table3) ? x.table3 : {};
  for (const def of table3Rows(t)) {
    const row = isObj(src3[def.key]) ? (src3[def.key] as Obj) : {};
    for (const c of TABLE3_COLUMNS) tables.table3[def.key][c] = cell(row[c], `table3.${def.key}.${c}`);
  }
  const src4 = isObj(x.table4) ? x.table4 : {};
  for (const g of TABLE4_GROUPS) {
    const row = isObj(src4[g]) ? (src4[g] as Obj) : {};
    for (const c of TABLE4_COLUMNS) tables.table4[g][c] = cell(row[c], `table4.${g}.${c}`);
  }
  const sections = emptySections();
  const sectionTitles: Report['sectionTitles'] = {};
  const srcS = isObj(x.sections) ? x.sections : {};
  const srcT = isObj(x.sectionTitles) ? x.sectionTitles : {};
  for (const s of SECTIONS) {
    sections[s.key] = str(srcS, s.key, `sections.${s.key}`);
    const title = str(srcT, s.key, `sectionTitles.${s.key}`);
    if (title !== null) sectionTitles[s.key] = title;
  }
  const extraSections: Report['extraSections'] = [];
  if (Array.isArray(x.extraSections)) {
    x.extraSections.forEach((e, i) => {
      if (!isObj(e)) throw new CanonicalJsonError(`extraSections[${i}]`, 'must be an object {title, text}');
      extraSections.push({ title: str(e, 'title', `extraSections[${i}].title`) ?? '', text: str(e, 'text', `extraSections[${i}].text`) ?? '' });
    });
  }
  const uncertain = Array.isArray(x.uncertain) ? x.uncertain.filter((p): p is string => typeof p === 'string') : [];
  return {
    template: t,
    year: (year as number | null | undefined) ?? null,
    agency: str(x, 'agency', 'agency'),
    title: str(x, 'title', 'title'),
    publishedAt: str(x, 'publishedAt', 'publishedAt'),
    sections,
    sectionTitles,
    extraSections,
    ...tables,
    uncertain,
  };
}
