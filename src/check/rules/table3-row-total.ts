// R3: per row, the 总计 column = the sum of the six applicant columns.
import { APPLICANT_COLUMNS, table3Rows } from '../../model/template.js';
import { pathLabel } from '../../model/labels.js';
import { getCell } from '../../model/report.js';
import type { Rule } from '../types.js';
import { EPS, num } from '../util.js';

export const rule: Rule = {
  id: 'table3-row-total',
  severity: 'error',
  title: { zh: '表三各行“总计”列等于六类申请人之和', en: 'Table 3: each row total equals the six applicant columns' },
  doc: {
    zh: '表三每一行的“总计”应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。空白按 0 计（总计留空而各列有数，同样报告）。',
    en: 'In every row of table 3 the “total” column must equal the sum of the six applicant columns. Blanks count as 0 (a blank total with non-zero parts is reported too).',
  },
  check(ctx) {
    const out = [];
    for (const r of table3Rows(ctx.report.template)) {
      const tp = `table3.${r.key}.total`;
      const t = num(ctx, tp);
      const parts = APPLICANT_COLUMNS.map((c) => num(ctx, `table3.${r.key}.${c}`));
      if (t === undefined || parts.some((v) => v === undefined)) continue;
      const sum = parts.reduce((s, v) => s! + v!, 0)!;
      if (Math.abs(sum - t) > EPS) {
        const shown = getCell(ctx.report, tp) === null ? '空白' : ` ${t}`;
        out.push({
          paths: [tp, ...APPLICANT_COLUMNS.map((c) => `table3.${r.key}.${c}`)],
          message: {
            zh: `${pathLabel(tp, 'zh')}为${shown}，但六类申请人之和为 ${sum}。`,
            en: `${pathLabel(tp, 'en')} is ${getCell(ctx.report, tp) === null ? 'blank' : t}, but the six applicant columns add up to ${sum}.`,
          },
        });
      }
    }
    return out;
  },
};
