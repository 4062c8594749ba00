// Table 2 sanity (spec §5 S3, S4, units): 2019 published ≤ total; 规章 only from bodies that may
// make them; implausible money magnitudes in a 万元 column.
import { pathLabel } from '../../model/labels.js';
import { getCell } from '../../model/report.js';
import type { Issue, Rule } from '../types.js';

export const rule: Rule = {
  id: 'table2-sanity',
  severity: 'warning',
  title: { zh: '表二数据合理性', en: 'Table 2 plausibility' },
  doc: {
    zh: '2019 年格式中“本年新公开数量”不应超过“对外公开总数量”；规章只能由国务院部门和省、设区的市、自治州人民政府制定，乡镇、街道和县级机关填报本年制发规章应核实；“万元”栏出现过大的数值往往是把“元”填进了“万元”栏。',
    en: 'In the 2019 format “published this year” should not exceed “total published”; regulations (规章) are made only by State Council departments and provincial or prefecture-level governments, so a township, street or county body reporting new regulations should be verified; a very large value in a 10k-yuan column is often an amount in yuan.',
  },
  check(ctx) {
    const r = ctx.report;
    const out: Issue[] = [];
    if (r.template === '2019') {
      for (const row of ['regulations', 'normativeDocuments']) {
        const pub = getCell(r, `table2.${row}.published`), tot = getCell(r, `table2.${row}.total`);
        if (typeof pub === 'number' && typeof tot === 'number' && pub > tot) {
          const p = `table2.${row}.published`;
          out.push({ paths: [p, `table2.${row}.total`], message: { zh: `${pathLabel(p, 'zh', '2019')}（${pub}）大于对外公开总数量（${tot}）。`, en: `${pathLabel(p, 'en', '2019')} (${pub}) exceeds the total published (${tot}).` } });
        }
      }
    }
    const issued = getCell(r, r.template === '2021' ? 'table2.regulations.issued' : 'table2.regulations.made');
    if (typeof issued === 'number' && issued > 0 && r.agency && /(?:街道|镇|乡|县|区)(?:办事处|人民政府|政府)?$|(?:县|区)[^市省]{1,12}(?:局|委|办)$/.test(r.agency) && !/市人民政府|省人民政府|市政府|省政府/.test(r.agency)) {
      const p = r.template === '2021' ? 'table2.regulations.issued' : 'table2.regulations.made';
      out.push({ paths: [p], message: { zh: `${r.agency}填报本年制发规章 ${issued} 件；规章只能由国务院部门和省级、设区的市级人民政府制定，请核实。`, en: `${r.agency} reports ${issued} regulations made this year; only State Council departments and provincial or prefecture-level governments make regulations. Please verify.` } });
    }
    const money = r.template === '2021' ? ['table2.fees.amount'] : ['table2.procurement.amount'];
    for (const p of money) {
      const v = getCell(r, p);
      if (typeof v === 'number' && v >= 1e7) out.push({ paths: [p], message: { zh: `${pathLabel(p, 'zh', r.template)}为 ${v} 万元，数额异常，可能把“元”填入了“万元”栏。`, en: `${pathLabel(p, 'en', r.template)} is ${v} (10k yuan): implausibly large, perhaps yuan entered in a 10k-yuan column.` } });
    }
    return out;
  },
};
