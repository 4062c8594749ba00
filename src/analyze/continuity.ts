// Cross-report continuity: what a body carried forward at the end of last year
// (table3.carriedForward, 四、结转下年度继续办理) is what it carries over this year
// (table3.carriedOver, 二、上年结转). Used by `gongkai import` and `gongkai reparse`.
import type { Finding } from '../check/index.js';
import type { Report } from '../model/report.js';
import { TABLE3_COLUMNS, TABLE3_COLUMN_LABELS } from '../model/template.js';

export const CARRY_OVER_RULE = 'carry-over';

/**
 * Findings (ruleId "carry-over", severity error) for every applicant column where this year's
 * carriedOver differs from last year's carriedForward. A blank (null) cell on either side is
 * not compared. `previous` must be the same body's report for `current.year - 1`.
 */
export function carryOverFindings(current: Report, previous: Report | undefined | null): Finding[] {
  if (!previous) return [];
  if (current.year !== null && previous.year !== null && previous.year !== current.year - 1) return [];
  const now = current.table3?.carriedOver;
  const before = previous.table3?.carriedForward;
  if (!now || !before) return [];
  const out: Finding[] = [];
  for (const col of TABLE3_COLUMNS) {
    const a = now[col];
    const b = before[col];
    if (a === null || a === undefined || b === null || b === undefined || a === b) continue;
    const label = TABLE3_COLUMN_LABELS[col];
    const py = previous.year ?? (current.year !== null ? current.year - 1 : '上');
    const pyEn = previous.year ?? 'the previous year';
    out.push({
      ruleId: CARRY_OVER_RULE,
      severity: 'error',
      paths: [`table3.carriedOver.${col}`],
      message: {
        zh: `表三“二、上年结转政府信息公开申请数量”（${label.zh}）为 ${a}，与${py}年度报告“四、结转下年度继续办理”（${label.zh}）的 ${b} 不一致。`,
        en: `Table 3 “carried over from last year” (${label.en}) is ${a}, but the ${pyEn} report carried forward ${b} (${label.en}).`,
      },
    });
  }
  return out;
}

/** Replace the carry-over findings of a report's finding list. */
export function withCarryOver(findings: Finding[], current: Report, previous: Report | undefined | null): Finding[] {
  return [...findings.filter((f) => f.ruleId !== CARRY_OVER_RULE), ...carryOverFindings(current, previous)];
}
