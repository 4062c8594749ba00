// The three statutory tables must be present and complete (no rows or values missing).
import type { Issue, Rule } from '../types.js';
import { TABLE_TITLES } from '../../model/template.js';

export const rule: Rule = {
  id: 'tables-present',
  severity: 'error',
  title: { zh: '统计表齐全', en: 'All three tables present' },
  doc: {
    zh: '报告应包含表二（主动公开）、表三（收到和处理申请）、表四（行政复议、行政诉讼）三张统计表。找不到某张表（如以图片发布、被删减）为错误。',
    en: 'A report contains table 2 (proactive disclosure), table 3 (requests) and table 4 (review and litigation). A table that cannot be found (published as an image, or removed) is an error.',
  },
  check(ctx) {
    const out: Issue[] = [];
    for (const t of ['table2', 'table3', 'table4'] as const) {
      if (!ctx.result.found[t]) out.push({ paths: [], message: { zh: `未找到${TABLE_TITLES[t].zh}（可能以图片发布或被删减）。`, en: `${TABLE_TITLES[t].en} was not found (perhaps published as an image, or removed).` } });
    }
    return out;
  },
};
