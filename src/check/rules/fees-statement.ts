// Section 六 should state the 信息处理费 charged (国办函〔2020〕109号), from the 2021 format on.
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'fees-statement',
  severity: 'warning',
  title: { zh: '第六部分未说明信息处理费', en: 'Section 6 does not state information-processing fees' },
  doc: {
    zh: '按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），报告通常在“六、其他需要报告的事项”中说明本年度收取信息处理费的情况（包括“未收取”）。2021 年格式起缺少该说明时提醒。',
    en: 'Under the fee measures (国办函〔2020〕109号), reports usually state in section 6 the information-processing fees charged in the year (including “none”). From the 2021 format, a warning when section 6 says nothing about them.',
  },
  check(ctx) {
    const r = ctx.report;
    if (r.template !== '2021') return [];
    if (r.sectionTitles.other === undefined) return []; // a missing section is reported by sections-present
    if (/处理费|收费/.test(r.sections.other ?? '')) return [];
    return [{ paths: [], place: ctx.result.provenance.sections.other, message: { zh: '“其他需要报告的事项”未说明本年度信息处理费收取情况。', en: 'Section 6 does not state the information-processing fees charged this year.' } }];
  },
};
