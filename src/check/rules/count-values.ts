// R5: counts are non-negative integers; amounts are non-negative (2019 本年增/减 may be negative).
import { TABLE2 } from '../../model/template.js';
import { cellPaths, getCell } from '../../model/report.js';
import { pathLabel } from '../../model/labels.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'count-values',
  severity: 'error',
  title: { zh: '件数须为非负整数', en: 'Counts must be non-negative integers' },
  doc: {
    zh: '表二件数、表三、表四的每个单元格都是件数，应为非负整数；收费金额、采购金额可为小数但不得为负；2019 年格式的“本年增/减”可以为负数。',
    en: 'Every count in tables 2, 3 and 4 must be a non-negative integer; fee and procurement amounts may be decimal but not negative; the 2019 “change this year” may be negative.',
  },
  check(ctx) {
    const out = [];
    const t = ctx.report.template;
    for (const p of cellPaths(t)) {
      const v = getCell(ctx.report, p);
      if (v === null || v === undefined) continue;
      const [, row, col] = [p.split('.')[0], p.split('.').slice(1, -1).join('.'), p.split('.').pop()];
      const field = p.startsWith('table2.') ? TABLE2[t].find((r) => r.key === row)?.fields.find((f) => f.key === col) : undefined;
      const kind = field?.kind ?? 'count';
      const bad = kind === 'money' ? v < 0 : kind === 'signed' ? !Number.isInteger(v) : v < 0 || !Number.isInteger(v);
      if (bad) {
        out.push({
          paths: [p],
          message: {
            zh: `${pathLabel(p, 'zh', t)}为 ${v}，${kind === 'money' ? '金额不能为负数' : '件数应为非负整数'}。`,
            en: `${pathLabel(p, 'en', t)} is ${v}; ${kind === 'money' ? 'an amount cannot be negative' : 'a count must be a non-negative integer'}.`,
          },
        });
      }
    }
    return out;
  },
};
