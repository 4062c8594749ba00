// 标题不规范: <agency><Y>年(度)?政府信息公开工作年度报告.
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'title-format',
  severity: 'warning',
  title: { zh: '标题规范', en: 'Title follows the standard form' },
  doc: {
    zh: '标题应为“<机关名称><年份>年（度）政府信息公开工作年度报告”。缺少年份、机关名称，或把“年度报告”写成“工作报告”等，提醒规范。',
    en: 'The title should read “<agency><year>年(度)政府信息公开工作年度报告”. A title without year or agency, or with 工作报告 instead of 年度报告, gets a warning.',
  },
  check(ctx) {
    const t = ctx.report.title;
    if (!t) return [{ paths: [], message: { zh: '未找到报告标题。', en: 'No report title was found.' } }];
    if (/^(?:.+\d{4}年度?|\d{4}年度?.+)政府信息公开工作年度报告$/.test(t)) return [];
    return [{ paths: [], place: ctx.result.provenance.title, message: { zh: `标题“${t}”不符合“<机关名称><年份>年政府信息公开工作年度报告”的规范格式。`, en: `The title “${t}” does not follow the form “<agency><year>年政府信息公开工作年度报告”.` } }];
  },
};
