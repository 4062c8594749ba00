// Reading what an author filled in, and getting it ready to render:
//   JSON form      → cells checked one by one (text in a number cell is named), then from-json;
//   fill-in XLSX   → the instructions sheet and text placeholders dropped, read through the
//                    project's parser (parseBytes), and every value cell of the official layout
//                    read once more strictly from its grid position, so a cell holding text is
//                    named (table, row, column) instead of silently read as blank;
//   any report     → parseBytes.
// Then totals the template defines are completed (complete.ts) and every check runs.
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { check, type Finding } from '../check/index.js';
import { GongkaiError, toGongkaiError } from '../errors.js';
import { parseBytes } from '../index.js';
import { pathLabel } from '../model/labels.js';
import { cellPaths, emptySections, emptyTables, setCell, type CellValue, type ParseResult, type Report } from '../model/report.js';
import { TEMPLATES, type TemplateId } from '../model/template.js';
import { CanonicalJsonError, reportFromCanonical } from '../render/from-json.js';
import { expand, table2Grid, table3Grid, table4Grid } from '../render/layout.js';
import { completeTotals, type InputProblem } from './complete.js';
import { INSTRUCTIONS_SHEET, TEXT_PLACEHOLDER } from './form.js';

/** Input problems and check errors that stop rendering (unless forced). */
export class AuthorError extends Error {
  constructor(
    readonly source: string,
    readonly problems: { path?: string; message: { zh: string; en: string } }[],
  ) {
    super(`${source}:\n${problems.map((p) => `  ✖ ${p.path ? `[${p.path}] ` : ''}${p.message.zh}\n    ${p.message.en}`).join('\n')}`);
    this.name = 'AuthorError';
  }
}

const PLACEHOLDERS = new Set(['', '/', '／', '-', '－', '—', '——', '–', '无', '空']);

/** A cell's value as typed: a number, null for blank or a placeholder, or undefined for text that is not a number. */
export function cellFromInput(v: unknown): CellValue | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.normalize('NFKC').replace(/\s+/g, '').replace(/,/g, '');
  if (PLACEHOLDERS.has(s)) return null;
  if (/^[+-]?\d+(?:\.\d+)?$/.test(s)) return Number(s);
  return undefined;
}

function textInNumberCell(path: string, raw: unknown, t: TemplateId): InputProblem {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return {
    path,
    message: {
      zh: `${pathLabel(path, 'zh', t)}应填写数字，却填写了“${shown}”。`,
      en: `${pathLabel(path, 'en', t)} must hold a number, but holds “${shown}”.`,
    },
  };
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A JSON form (canonical JSON): every cell checked, text in a number cell named. */
export function reportFromForm(obj: unknown, source: string): { report: Report; problems: InputProblem[]; notes: string[] } {
  if (!isObj(obj)) throw new GongkaiError('corrupt-file', source, { zh: '表单必须是一个 JSON 对象。', en: 'The form must be a JSON object.' });
  const t = obj.template;
  if (!TEMPLATES.includes(t as TemplateId)) {
    throw new GongkaiError('corrupt-file', source, {
      zh: `未知的报告格式 template=${JSON.stringify(t)}，应为 "2021"（国办公开办函〔2021〕30号）或 "2019"（国办公开办函〔2019〕60号）。`,
      en: `Unknown template ${JSON.stringify(t)}: must be "2021" (国办公开办函〔2021〕30号) or "2019" (国办公开办函〔2019〕60号).`,
    });
  }
  const template = t as TemplateId;
  const problems: InputProblem[] = [];
  const copy = structuredClone(obj) as Obj;
  for (const path of cellPaths(template)) {
    const [table, ...rest] = path.split('.');
    const col = rest.pop()!;
    const row = rest.join('.');
    const tab = copy[table];
    if (!isObj(tab) || !isObj(tab[row])) continue;
    const rowObj = tab[row] as Obj;
    const v = cellFromInput(rowObj[col]);
    if (v === undefined) {
      problems.push(textInNumberCell(path, rowObj[col], template));
      rowObj[col] = null;
    } else rowObj[col] = v;
  }
  let report: Report;
  try {
    report = reportFromCanonical(copy);
  } catch (e) {
    if (e instanceof CanonicalJsonError) {
      throw new GongkaiError('corrupt-file', source, { zh: `表单无效（${e.path}）：${e.detail}`, en: `Invalid form (${e.path}): ${e.detail}` });
    }
    throw e;
  }
  report.uncertain = [];
  const notes = Array.isArray(obj.notes) ? obj.notes.filter((n): n is string => typeof n === 'string') : [];
  return { report, problems, notes };
}

function excelText(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('result' in v) return excelText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return String((v as { error: unknown }).error);
  }
  return String(v);
}

const cellKey = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').replace(/\s+/g, '') : '');

/**
 * Reads every value cell of the official layout from its grid position in the sheet: each
 * table is found by the text of its first header cell (column A), searched top to bottom.
 * Returns the values by path, or null when a table cannot be located.
 */
function strictCells(ws: ExcelJS.Worksheet, template: TemplateId): Map<string, unknown> | null {
  const blank: Report = { template, year: null, agency: null, title: null, publishedAt: null, sections: emptySections(), sectionTitles: {}, extraSections: [], ...emptyTables(template), uncertain: [] };
  const out = new Map<string, unknown>();
  let from = 1;
  for (const grid of [table2Grid(blank), table3Grid(blank), table4Grid(blank)]) {
    const anchor = cellKey(grid.rows[0][0].text);
    let top = -1;
    for (let r = from; r <= ws.rowCount; r++) {
      if (cellKey(excelText(ws.getCell(r, 1).value)) === anchor) {
        top = r;
        break;
      }
    }
    if (top < 0) return null;
    const placed = expand(grid);
    placed.forEach((row, ri) =>
      row.forEach((p, ci) => {
        if (p.origin && p.cell.kind === 'value' && p.cell.path) out.set(p.cell.path, excelText(ws.getCell(top + ri, ci + 1).value));
      }),
    );
    from = top + placed.length;
  }
  return out;
}

/** A fill-in workbook (or any XLSX report): parsed, with its value cells read strictly when the layout is found. */
export async function reportFromXlsx(bytes: Uint8Array, source: string): Promise<{ result: ParseResult; problems: InputProblem[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw toGongkaiError(e, source);
  }
  const ins = wb.getWorksheet(INSTRUCTIONS_SHEET);
  if (ins) wb.removeWorksheet(ins.id);
  const placeholder = cellKey(TEXT_PLACEHOLDER);
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((c) => {
        if (cellKey(excelText(c.value)) === placeholder) c.value = null;
      }),
    ),
  );
  const cleaned = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  const result = await parseBytes(cleaned, source);
  const r = result.report;
  const problems: InputProblem[] = [];
  const ws = wb.worksheets[0];
  const cells = ws ? strictCells(ws, r.template) : null;
  if (cells) {
    for (const [path, raw] of cells) {
      let v = cellFromInput(raw);
      if (v === undefined) {
        problems.push(textInNumberCell(path, raw, r.template));
        v = null;
      }
      setCell(r, path, v);
    }
    r.uncertain = r.uncertain.filter((p) => !cells.has(p));
    result.found = { table2: true, table3: true, table4: true };
    // A table left entirely blank is not seen as a table by the parser: its header cells then
    // read as lines of its section's text. Lines that are exactly a header cell are dropped.
    const heads = new Set([table2Grid, table3Grid, table4Grid].flatMap((g) => g(r).rows.flat().filter((c) => c.kind !== 'value').map((c) => cellKey(c.text))));
    for (const key of ['proactive', 'requests', 'reviewLitigation'] as const) {
      const text = r.sections[key];
      if (text) r.sections[key] = text.split('\n').filter((l) => !heads.has(cellKey(l))).join('\n');
    }
  }
  return { result, problems };
}

function asParseResult(report: Report): ParseResult {
  return { report, provenance: { cells: {}, sections: {} }, preamble: '', found: { table2: true, table3: true, table4: true }, info: { format: 'json' } };
}

export interface Prepared {
  report: Report;
  result: ParseResult;
  /** Totals computed from their parts. */
  filled: string[];
  /** Input problems (text in a number cell, a total that disagrees with its parts): errors. */
  problems: InputProblem[];
  /** Every check's findings on the completed report. */
  findings: Finding[];
  /** Errors: input problems plus check errors (a check error on a cell already named by an input problem is not repeated). */
  errors: { path?: string; message: { zh: string; en: string } }[];
  warnings: Finding[];
}

/** Reads an author's input (JSON form, fill-in XLSX, or any report), completes totals and checks. */
export async function prepare(input: string, bytes?: Uint8Array): Promise<Prepared> {
  let data: Uint8Array;
  try {
    data = bytes ?? (input === '-' ? readFileSync(0) : readFileSync(input));
  } catch (e) {
    throw toGongkaiError(e, input);
  }
  let result: ParseResult;
  let problems: InputProblem[] = [];
  const text = Buffer.from(data.subarray(0, 64)).toString('utf8').replace(/^\ufeff/, '').trimStart();
  const isZip = data[0] === 0x50 && data[1] === 0x4b;
  if (/\.json$/i.test(input) || text.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(Buffer.from(data).toString('utf8').replace(/^\ufeff/, ''));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new GongkaiError('corrupt-file', input, { zh: `JSON 无法解析：${msg}`, en: `The JSON cannot be parsed: ${msg}` });
    }
    const f = reportFromForm(obj, input);
    problems = f.problems;
    result = asParseResult(f.report);
  } else if (isZip && /\.xlsx$/i.test(input)) {
    ({ result, problems } = await reportFromXlsx(data, input));
  } else {
    result = await parseBytes(data, input);
  }
  const report = result.report;
  // Totals are completed before checking; a negative count or a fraction is named by the
  // count-values rule below.
  const done = completeTotals(report);
  problems.push(...done.problems);
  const findings = check(result);
  const named = new Set(problems.map((p) => p.path).filter(Boolean));
  const errors = [
    ...problems,
    ...findings.filter((f) => f.severity === 'error' && !f.paths.some((p) => named.has(p))).map((f) => ({ path: f.paths[0], message: f.message })),
  ];
  return { report, result, filled: done.filled, problems, findings, errors, warnings: findings.filter((f) => f.severity === 'warning') };
}
