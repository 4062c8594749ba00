// Totals the template defines, completed when the author left them empty: table 3's 总计
// column (sum of the six applicant columns), 三(七)总计 (sum of the outcome rows, per column)
// and table 4's 总计 (sum of the four results). A total is filled only when every one of its
// parts is filled; a total the author supplied is never overwritten — when it disagrees with
// its parts that is an input problem naming the cell.
import type { Bilingual } from '../errors.js';
import { pathLabel } from '../model/labels.js';
import type { CellValue, Report } from '../model/report.js';
import { APPLICANT_COLUMNS, TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, table3Rows } from '../model/template.js';

/** A problem with the author's input, tied to one cell (path) when it is about a cell. */
export interface InputProblem {
  path?: string;
  message: Bilingual;
}

interface Relation {
  total: string;
  parts: string[];
}

/** Every total-of-parts relation of the template, in an order where parts come first. */
export function totalRelations(t: Report['template']): Relation[] {
  const rows = table3Rows(t);
  const outcome = rows.filter((r) => r.group === 'outcome').map((r) => r.key);
  const out: Relation[] = [];
  // Row totals of table 3 (every row but 三(七), whose total is added after its columns).
  for (const r of rows) if (r.key !== 'totalHandled') out.push({ total: `table3.${r.key}.total`, parts: APPLICANT_COLUMNS.map((c) => `table3.${r.key}.${c}`) });
  // 三(七) per column, then its row total.
  for (const c of TABLE3_COLUMNS) out.push({ total: `table3.totalHandled.${c}`, parts: outcome.map((k) => `table3.${k}.${c}`) });
  out.push({ total: 'table3.totalHandled.total', parts: APPLICANT_COLUMNS.map((c) => `table3.totalHandled.${c}`) });
  for (const g of TABLE4_GROUPS) out.push({ total: `table4.${g}.total`, parts: TABLE4_COLUMNS.filter((c) => c !== 'total').map((c) => `table4.${g}.${c}`) });
  return out;
}

function get(r: Report, path: string): CellValue {
  const [table, ...rest] = path.split('.');
  const col = rest.pop()!;
  const tab = (r as unknown as Record<string, Record<string, Record<string, CellValue>>>)[table];
  return tab?.[rest.join('.')]?.[col] ?? null;
}

function set(r: Report, path: string, v: number): void {
  const [table, ...rest] = path.split('.');
  const col = rest.pop()!;
  (r as unknown as Record<string, Record<string, Record<string, CellValue>>>)[table][rest.join('.')][col] = v;
}

/**
 * Fills empty totals whose parts are all filled (in place) and reports supplied totals that
 * disagree with their parts. Returns the paths filled and the problems found.
 */
export function completeTotals(r: Report): { filled: string[]; problems: InputProblem[] } {
  const filled: string[] = [];
  const problems: InputProblem[] = [];
  const rels = totalRelations(r.template);
  // Repeat until nothing changes: a filled 三(七) column can complete 三(七)总计.
  for (let changed = true; changed; ) {
    changed = false;
    for (const rel of rels) {
      if (get(r, rel.total) !== null) continue;
      const parts = rel.parts.map((p) => get(r, p));
      if (parts.some((v) => v === null)) continue;
      set(r, rel.total, (parts as number[]).reduce((a, b) => a + b, 0));
      filled.push(rel.total);
      changed = true;
    }
  }
  for (const rel of rels) {
    if (filled.includes(rel.total)) continue;
    const total = get(r, rel.total);
    const parts = rel.parts.map((p) => get(r, p));
    if (total === null || parts.some((v) => v === null)) continue;
    const sum = (parts as number[]).reduce((a, b) => a + b, 0);
    if (sum !== total) {
      problems.push({
        path: rel.total,
        message: {
          zh: `${pathLabel(rel.total, 'zh', r.template)}填写为 ${total}，但各分项之和为 ${sum}（相差 ${total - sum}）。请核对分项或总计；总计留空时将自动计算。`,
          en: `${pathLabel(rel.total, 'en', r.template)} is ${total}, but its parts add up to ${sum} (difference ${total - sum}). Check the parts or the total; leave the total empty to have it computed.`,
        },
      });
    }
  }
  return { filled, problems };
}
