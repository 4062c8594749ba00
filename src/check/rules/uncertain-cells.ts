// A summary of the cells that could not be read with certainty (they are null, never guessed).
import type { Rule } from '../types.js';
import { pathLabel } from '../../model/labels.js';

export const rule: Rule = {
  id: 'uncertain-cells',
  severity: 'info',
  title: { zh: '无法确定的单元格', en: 'Cells that could not be read with certainty' },
  doc: {
    zh: '版式丢失了表格结构（如空白单元格被省略、数字连在一起）时，Gongkai 只在表格勾稽关系能唯一确定时填入数值，其余单元格置为空并在此列出，请对照原文核实。',
    en: 'Where a layout lost the table structure (blank cells dropped, digits run together), Gongkai fills a cell only where the table’s relations leave one answer; every other such cell is left empty and listed here for checking against the original.',
  },
  check(ctx) {
    const u = ctx.report.uncertain;
    if (!u.length) return [];
    const shown = u.slice(0, 6);
    return [{
      paths: u,
      message: {
        zh: `${u.length} 个单元格无法确定，已置空：${shown.map((p) => pathLabel(p, 'zh', ctx.report.template)).join('；')}${u.length > shown.length ? '等' : ''}。`,
        en: `${u.length} cells could not be read with certainty and were left empty: ${shown.map((p) => pathLabel(p, 'en', ctx.report.template)).join('; ')}${u.length > shown.length ? ', …' : ''}.`,
      },
    }];
  },
};
