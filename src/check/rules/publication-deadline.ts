// 第四十九条: departments publish by 31 January of the next year, the government-level report
// by 31 March. Checked only where the text states a publication date.
import type { Rule } from '../types.js';

export function isGovernmentLevel(agency: string | null): boolean {
  return !!agency && /人民政府$|政府$/.test(agency) && !/办公室|办公厅/.test(agency);
}

export const rule: Rule = {
  id: 'publication-deadline',
  severity: 'warning',
  title: { zh: '按时发布（逾期发布）', en: 'Published on time' },
  doc: {
    zh: '依据《政府信息公开条例》第四十九条，县级以上人民政府部门应于每年1月31日前公布本部门上一年度报告；县级以上地方人民政府的报告应于3月31日前公布。乡镇、街道按当地通知一般为1月。仅在报告写明发布日期时检查。',
    en: 'Under Article 49 of the Regulations, government departments publish last year’s report by 31 January, and the report of a local government by 31 March; townships and streets usually follow January in local notices. Checked only when the report states a publication date.',
  },
  check(ctx) {
    const r = ctx.report;
    if (!r.publishedAt || r.year === null) return [];
    const gov = isGovernmentLevel(r.agency);
    const deadline = `${r.year + 1}-${gov ? '03-31' : '01-31'}`;
    if (r.publishedAt > deadline) {
      return [{ paths: [], place: ctx.result.provenance.publishedAt, message: { zh: `发布日期 ${r.publishedAt} 晚于${gov ? '本级政府报告' : '部门报告'}的法定期限 ${deadline}。`, en: `Published on ${r.publishedAt}, after the statutory deadline ${deadline} for a ${gov ? 'government-level' : 'department'} report.` } }];
    }
    if (r.publishedAt < `${r.year}-12-31`) {
      return [{ paths: [], place: ctx.result.provenance.publishedAt, message: { zh: `发布日期 ${r.publishedAt} 早于统计期限结束（${r.year}-12-31），请核实日期或年度。`, en: `Published on ${r.publishedAt}, before the statistical period ended (${r.year}-12-31). Check the date or the year.` } }];
    }
    return [];
  },
};
