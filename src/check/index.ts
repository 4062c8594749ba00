// The rule catalogue: every rule module, run in order; rules never throw on odd input.
import type { ParseResult, Report } from '../model/report.js';
import type { Finding, Rule, RuleContext } from './types.js';
import { rule as table3Balance } from './rules/table3-balance.js';
import { rule as table3OutcomeSum } from './rules/table3-outcome-sum.js';
import { rule as table3RowTotal } from './rules/table3-row-total.js';
import { rule as table4Total } from './rules/table4-total.js';
import { rule as countValues } from './rules/count-values.js';
import { rule as table2Sanity } from './rules/table2-sanity.js';
import { rule as templateYear } from './rules/template-year.js';
import { rule as sectionsPresent } from './rules/sections-present.js';
import { rule as tablesPresent } from './rules/tables-present.js';
import { rule as feesStatement } from './rules/fees-statement.js';
import { rule as reportYear } from './rules/report-year.js';
import { rule as narrativeTables } from './rules/narrative-tables.js';
import { rule as publicationDeadline } from './rules/publication-deadline.js';
import { rule as uncertainCells } from './rules/uncertain-cells.js';
import { rule as titleFormat } from './rules/title-format.js';

export const RULES: readonly Rule[] = [
  table3Balance,
  table3OutcomeSum,
  table3RowTotal,
  table4Total,
  countValues,
  table2Sanity,
  templateYear,
  tablesPresent,
  sectionsPresent,
  reportYear,
  narrativeTables,
  feesStatement,
  publicationDeadline,
  titleFormat,
  uncertainCells,
];

/** Rules about arithmetic (勾稽关系), used by corpus tests and summaries. */
export const ARITHMETIC_RULES = new Set(['table3-balance', 'table3-outcome-sum', 'table3-row-total', 'table4-total']);

export function check(result: ParseResult, opts: { previous?: Report; rules?: readonly Rule[] } = {}): Finding[] {
  const ctx: RuleContext = { result, report: result.report, previous: opts.previous };
  const out: Finding[] = [];
  for (const rule of opts.rules ?? RULES) {
    let issues;
    try {
      issues = rule.check(ctx);
    } catch (e) {
      // A rule must never take the others down; a crash is itself reported.
      issues = [{ paths: [], severity: 'info' as const, message: { zh: `规则执行出错：${String(e)}`, en: `The rule failed: ${String(e)}` } }];
    }
    for (const i of issues) {
      const place = i.place ?? i.paths.map((p) => result.provenance.cells[p]?.place).find(Boolean);
      out.push({ ruleId: rule.id, severity: i.severity ?? rule.severity, message: i.message, paths: i.paths, ...(place ? { place } : {}) });
    }
  }
  return out;
}

export type { Finding, Rule, RuleContext, Severity } from './types.js';
