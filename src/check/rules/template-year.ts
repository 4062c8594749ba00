// The template must match the report year: 2019 format for 2019–2020, 2021 format from 2021.
import { expectedTemplate } from '../../model/template.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'template-year',
  severity: 'error',
  title: { zh: '表格格式与报告年度不符', en: 'Table format does not match the report year' },
  doc: {
    zh: '2019、2020 年度报告应使用国办公开办函〔2019〕60号格式，2021 年度起应使用国办公开办函〔2021〕30号格式。格式按表格内容判断（如“本年制发件数”“（六）其他处理”分三行），而不是按报告引用的文号。',
    en: 'Reports for 2019 and 2020 use the 2019 format (国办公开办函〔2019〕60号); reports from 2021 use the 2021 format (〔2021〕30号). The format is told from the tables themselves, not from the notice the report cites.',
  },
  check(ctx) {
    const { year, template } = ctx.report;
    if (year === null) return [];
    const want = expectedTemplate(year);
    if (want === null) {
      return [{ paths: [], severity: 'warning', message: { zh: `${year} 年度早于统一格式（2019 年起），无法按统一表格核对。`, en: `The year ${year} predates the unified format (from 2019); the tables cannot be checked against it.` } }];
    }
    if (want !== template) {
      return [{ paths: [], message: { zh: `${year} 年度报告应使用 ${want} 年格式，但表格是 ${template} 年格式。`, en: `A report for ${year} should use the ${want} format, but its tables follow the ${template} format.` } }];
    }
    return [];
  },
};
