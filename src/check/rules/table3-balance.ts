// R1: per column, 一 + 二 = 三(七) + 四 (printed in the header of table 3 in both templates).
import { TABLE3_COLUMNS } from '../../model/template.js';
import { colLabel } from '../../model/labels.js';
import type { Rule } from '../types.js';
import { EPS, num } from '../util.js';

export const rule: Rule = {
  id: 'table3-balance',
  severity: 'error',
  title: { zh: '表三勾稽关系：第一项加第二项之和等于第三项加第四项之和', en: 'Table 3 balance: new + carried over = handled + carried forward' },
  doc: {
    zh: '表三表头注明“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”。逐列检查：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理。空白单元格按 0 计；无法确定的单元格不参与计算。',
    en: 'The header of table 3 states that, per column, items one plus two equal items three plus four: new requests + carried over = total handled + carried forward. Blank cells count as 0; uncertain cells are skipped.',
  },
  check(ctx) {
    const out = [];
    for (const c of TABLE3_COLUMNS) {
      const p = ['newReceived', 'carriedOver', 'totalHandled', 'carriedForward'].map((r) => `table3.${r}.${c}`);
      const [a, b, t, f] = p.map((x) => num(ctx, x));
      if ([a, b, t, f].some((v) => v === undefined)) continue;
      const left = a! + b!, right = t! + f!;
      if (Math.abs(left - right) > EPS) {
        out.push({
          paths: p,
          message: {
            zh: `表三「${colLabel('table3', '', c, 'zh')}」列：本年新收 + 上年结转 = ${left}，办理结果总计 + 结转下年度 = ${right}，相差 ${left - right}。`,
            en: `Table 3, column “${colLabel('table3', '', c, 'en')}”: new + carried over = ${left}, but handled + carried forward = ${right} (difference ${left - right}).`,
          },
        });
      }
    }
    return out;
  },
};
