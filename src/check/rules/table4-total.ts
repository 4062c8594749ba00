// R4: in table 4 each group's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
import { TABLE4_GROUPS } from '../../model/template.js';
import { pathLabel } from '../../model/labels.js';
import type { Rule } from '../types.js';
import { EPS, num } from '../util.js';

export const rule: Rule = {
  id: 'table4-total',
  severity: 'error',
  title: { zh: '表四各组“总计”等于四种结果之和', en: 'Table 4: each total equals its four results' },
  doc: {
    zh: '行政复议、未经复议直接起诉、复议后起诉三组中，“总计”应等于结果维持、结果纠正、其他结果、尚未审结之和。',
    en: 'For administrative review, litigation without review and litigation after review, the total must equal upheld + corrected + other + pending.',
  },
  check(ctx) {
    const out = [];
    for (const g of TABLE4_GROUPS) {
      const ps = ['upheld', 'corrected', 'other', 'pending'].map((c) => `table4.${g}.${c}`);
      const tp = `table4.${g}.total`;
      const t = num(ctx, tp);
      const parts = ps.map((p) => num(ctx, p));
      if (t === undefined || parts.some((v) => v === undefined)) continue;
      const sum = parts.reduce((s, v) => s! + v!, 0)!;
      if (Math.abs(sum - t) > EPS) {
        out.push({
          paths: [tp, ...ps],
          message: {
            zh: `${pathLabel(tp, 'zh')}为 ${t}，但结果维持、结果纠正、其他结果、尚未审结之和为 ${sum}。`,
            en: `${pathLabel(tp, 'en')} is ${t}, but upheld + corrected + other + pending = ${sum}.`,
          },
        });
      }
    }
    return out;
  },
};
