// The report year must agree with the statistical period and the years the text names.
import type { Issue, Rule } from '../types.js';

export const rule: Rule = {
  id: 'report-year',
  severity: 'error',
  title: { zh: '报告年度与正文年份一致', en: 'Report year agrees with the years in the text' },
  doc: {
    zh: '标题中的年度应与“统计期限”一致（自某年1月1日至12月31日），正文中不应出现晚于发布年份的年度，也不应把上一年度写成本年度（例如在 2023 年报告中写“2022年，我局…”的总结句）。统计期限错误为错误，其余为提醒。',
    en: 'The title year must match the statistical period (1 January–31 December of the year); the text should not name years after the publication year, nor summarise the year under a previous year (“In 2022, we…” in a 2023 report). A wrong period is an error, the rest are warnings.',
  },
  check(ctx) {
    const r = ctx.report;
    if (r.year === null) {
      return [{ paths: [], message: { zh: '无法从标题或统计期限确定报告年度。', en: 'The report year cannot be told from the title or the statistical period.' } }];
    }
    const out: Issue[] = [];
    const text = [r.title ?? '', ctx.result.preamble ?? '', ...Object.values(r.sections).map((s) => s ?? '')].join('\n');
    const period = /统计期限[^。\n]{0,6}?(?:自|从|为)?\s*(\d{4})\s*年?\s*(\d{1,2})?\s*月?/.exec(text) ?? /统计期限[^。\n]{0,6}?(\d{4})/.exec(text);
    if (period && Number(period[1]) !== r.year) {
      out.push({ paths: [], message: { zh: `统计期限写的是 ${period[0].trim()}，与报告年度 ${r.year} 不符。`, en: `The statistical period reads “${period[0].trim()}”, which does not match the report year ${r.year}.` } });
    }
    const garbled = /统计期限[^。\n]{0,6}?(\d{5,})\s*月/.exec(text);
    if (garbled) {
      out.push({ paths: [], message: { zh: `统计期限“${garbled[0]}”中的年份写法有误（年、月之间缺字或多字）。`, en: `The statistical period “${garbled[0]}” is garbled (year and month run together).` } });
    }
    const later = new Set<number>();
    for (const m of text.matchAll(/(?<!\d)(20\d{2})\s*年/g)) {
      const y = Number(m[1]);
      if (y > r.year + 1) later.add(y);
    }
    for (const y of later) out.push({ paths: [], severity: 'warning', message: { zh: `正文提到 ${y} 年，晚于报告发布年度 ${r.year + 1} 年，请核实。`, en: `The text names the year ${y}, after the publication year ${r.year + 1}. Please verify.` } });
    const lead = /(?:^|\n)\s*(20\d{2})\s*年[，,]\s*(?:我|本)/.exec(r.sections.overview ?? '');
    if (lead && Number(lead[1]) === r.year - 1) {
      out.push({ paths: [], severity: 'warning', message: { zh: `总体情况以“${lead[1]}年，…”开头，而报告年度是 ${r.year}，可能沿用了上年文字。`, en: `The overview opens with “${lead[1]}, …” in a report for ${r.year}: perhaps last year’s text was reused.` } });
    }
    return out;
  },
};
