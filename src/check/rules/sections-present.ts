// The six statutory parts must be present, in order, and not empty; extra parts are noted.
import { SECTIONS } from '../../model/template.js';
import type { Issue, Rule } from '../types.js';

export const rule: Rule = {
  id: 'sections-present',
  severity: 'error',
  title: { zh: '法定章节齐全', en: 'All six statutory sections present' },
  doc: {
    zh: '年度报告应包括六个部分：总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。缺少章节为错误；章节内容为空或另设非法定章节（如“下步工作计划”）为提醒。',
    en: 'A report has six parts: overview, proactive disclosure, requests, review and litigation, problems and improvements, other matters. A missing part is an error; an empty part or an added non-statutory part (e.g. “next year’s plan”) is a warning.',
  },
  check(ctx) {
    const r = ctx.report;
    const out: Issue[] = [];
    for (const s of SECTIONS) {
      const title = r.sectionTitles[s.key];
      if (title === undefined) {
        out.push({ paths: [], message: { zh: `缺少法定章节“${s.title.zh}”。`, en: `The statutory section “${s.title.en}” (${s.title.zh}) is missing.` } });
      } else if ((r.sections[s.key] ?? '').trim() === '' && !['proactive', 'requests', 'reviewLitigation'].includes(s.key)) {
        out.push({ paths: [], severity: 'warning', place: ctx.result.provenance.sections[s.key], message: { zh: `章节“${title}”没有内容。`, en: `The section “${title}” is empty.` } });
      }
    }
    for (const e of r.extraSections) {
      out.push({ paths: [], severity: 'warning', message: { zh: `另设了非法定章节“${e.title}”。`, en: `A non-statutory section “${e.title}” was added.` } });
    }
    return out;
  },
};
