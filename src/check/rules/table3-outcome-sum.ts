// R2: per column, 三(七)总计 = the sum of the outcome rows 三(一)–(六).
import { TABLE3_COLUMNS, table3Rows } from '../../model/template.js';
import { pathLabel } from '../../model/labels.js';
import type { Rule } from '../types.js';
import { EPS, num } from '../util.js';

export const rule: Rule = {
  id: 'table3-outcome-sum',
  severity: 'error',
  title: { zh: '表三办理结果总计等于各办理结果之和', en: 'Table 3: total handled equals the sum of outcomes' },
  doc: {
    zh: '“（七）总计”应等于（一）予以公开至（六）其他处理各行之和（每件申请只计一种情形）。逐列检查，空白按 0 计，无法确定的单元格不参与计算。',
    en: 'Row (7) “total” must equal the sum of outcome rows (1)–(6), each request being counted once. Checked per column; blanks count as 0; uncertain cells are skipped.',
  },
  check(ctx) {
    const out = [];
    const outcome = table3Rows(ctx.report.template).filter((r) => r.group === 'outcome').map((r) => r.key);
    for (const c of TABLE3_COLUMNS) {
      const th = num(ctx, `table3.totalHandled.${c}`);
      const parts = outcome.map((r) => num(ctx, `table3.${r}.${c}`));
      if (th === undefined || parts.some((v) => v === undefined)) continue;
      const sum = parts.reduce((s, v) => s! + v!, 0)!;
      if (Math.abs(sum - th) > EPS) {
        const path = `table3.totalHandled.${c}`;
        out.push({
          paths: [path, ...outcome.map((r) => `table3.${r}.${c}`)],
          message: {
            zh: `${pathLabel(path, 'zh')}为 ${th}，但各办理结果之和为 ${sum}，相差 ${th - sum}。`,
            en: `${pathLabel(path, 'en')} is ${th}, but the outcome rows add up to ${sum} (difference ${th - sum}).`,
          },
        });
      }
    }
    return out;
  },
};
