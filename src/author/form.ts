// Blank forms for authoring a report: a report with every cell empty (null), the standard
// section titles and empty section texts, written as a fill-in XLSX workbook in the official
// layout (plus a sheet of instructions) and/or as a JSON form (canonical JSON + notes).
import { canonical } from '../model/canonical.js';
import { emptyTables, type Report } from '../model/report.js';
import { expectedTemplate, SECTIONS, TABLE3_COLUMNS, type SectionKey, type TemplateId } from '../model/template.js';
import { renderXlsx } from '../render/xlsx.js';

/** The instructions sheet of a fill-in workbook (dropped again when the workbook is read). */
export const INSTRUCTIONS_SHEET = '填写说明';
/** Stands in for a section's text in the fill-in workbook; lines equal to it are dropped on reading. */
export const TEXT_PLACEHOLDER = '（请在此处填写本部分正文，可插入多行；不填写的请保留或删除本行）';

export interface NewFormOptions {
  template?: TemplateId;
  year: number;
  agency: string;
}

/** A report with every cell empty and every statutory section present with empty text. */
export function blankReport(o: NewFormOptions): Report {
  const template = o.template ?? expectedTemplate(o.year) ?? '2021';
  return {
    template,
    year: o.year,
    agency: o.agency,
    title: `${o.agency}${o.year}年政府信息公开工作年度报告`,
    publishedAt: null,
    sections: Object.fromEntries(SECTIONS.map((s) => [s.key, ''])) as Record<SectionKey, string>,
    sectionTitles: Object.fromEntries(SECTIONS.map((s) => [s.key, s.title.zh])),
    extraSections: [],
    ...emptyTables(template),
    uncertain: [],
  };
}

/**
 * Next year's form from last year's report: same agency, template of the new year, section
 * titles kept, 二、上年结转 = last year's 四、结转下年度继续办理. Table 2's 现行有效件数 of the
 * new year cannot be known from last year's report: last year's values go into the notes.
 */
export function formFromPrevious(prev: Report, opts: { year?: number; agency?: string; template?: TemplateId } = {}): { report: Report; notes: string[] } {
  if (prev.year === null && opts.year === undefined) throw new Error('last year’s report states no year; give --year');
  const year = opts.year ?? prev.year! + 1;
  const agency = opts.agency ?? prev.agency ?? '';
  const template = opts.template ?? expectedTemplate(year) ?? prev.template;
  const r = blankReport({ template, year, agency });
  for (const s of SECTIONS) if (prev.sectionTitles[s.key]) r.sectionTitles[s.key] = prev.sectionTitles[s.key]!;
  const notes: string[] = [];
  const cf = prev.table3.carriedForward;
  if (cf) for (const c of TABLE3_COLUMNS) r.table3.carriedOver[c] = cf[c] ?? null;
  notes.push(`表三“二、上年结转政府信息公开申请数量”已按${prev.year ?? '上一'}年度报告“四、结转下年度继续办理”填入，请核对。`);
  if (prev.template === '2021') {
    const reg = prev.table2.regulations?.inForce;
    const doc = prev.table2.normativeDocuments?.inForce;
    const v = (x: number | null | undefined) => (typeof x === 'number' ? `${x}件` : '未填写');
    notes.push(`${prev.year ?? '上一'}年度报告表二“现行有效件数”：规章${v(reg)}，行政规范性文件${v(doc)}。本年度现行有效件数一般为上年数加本年制发件数、减本年废止件数，请按实际核定后填写。`);
  }
  return { report: r, notes };
}

/** The instructions shown in the fill-in workbook and the JSON form. */
export function instructions(r: Report, notes: string[] = []): string[] {
  return [
    `本工作簿用于编制《${r.title ?? '政府信息公开工作年度报告'}》，格式为${r.template === '2021' ? '国办公开办函〔2021〕30号' : '国办公开办函〔2019〕60号'}规定的格式。`,
    '1. 在“年度报告”工作表的表格中填写数字：件数填非负整数，金额以万元为单位；没有发生的填 0，不适用的可留空。',
    '2. 合计项可以留空：表三“总计”列、“（七）总计”行、表四“总计”列，在分项全部填写后由 gongkai render 自动计算；如果填写了合计，必须与分项之和一致，否则报错并指出单元格。',
    `3. 各部分正文写在对应标题下，替换“${TEXT_PLACEHOLDER}”一行，可以插入多行；请勿删除标题行、表格和本工作簿的结构。`,
    '4. 填写完成后运行：gongkai render 本文件.xlsx --to docx -o 报告.docx（或 --to pdf / html / md / txt / xlsx）。命令会补全合计并逐项核查，发现错误时不输出文件（可用 --force 强制输出），提醒事项会列出。',
    '5. 本工作表（填写说明）在读取时会被忽略。',
    ...notes.map((n, i) => `注${i + 1}：${n}`),
  ];
}

/** The fill-in workbook: the official layout with every cell empty, plus the instructions sheet. */
export async function fillInXlsx(r: Report, notes: string[] = []): Promise<Uint8Array> {
  const shown: Report = { ...r, sections: { ...r.sections } };
  for (const s of SECTIONS) if (!shown.sections[s.key]) shown.sections[s.key] = TEXT_PLACEHOLDER;
  return renderXlsx(shown, { instructions: { sheet: INSTRUCTIONS_SHEET, title: '填写说明', lines: instructions(r, notes) } });
}

/** The JSON form: canonical JSON with null cells and empty section texts, plus notes. */
export function jsonForm(r: Report, notes: string[] = []): string {
  return JSON.stringify({ ...canonical(r), instructions: instructions(r), notes }, null, 2) + '\n';
}
