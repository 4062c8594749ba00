// S5: numbers stated in the narrative must agree with the tables.
import type { Issue, Rule } from '../types.js';
import { getCell } from '../../model/report.js';

const N = String.raw`(\d+(?:,\d{3})*)`;

export const rule: Rule = {
  id: 'narrative-tables',
  severity: 'warning',
  title: { zh: '正文数字与表格一致（文表一致）', en: 'Numbers in the text agree with the tables' },
  doc: {
    zh: '正文中写明的申请数量（如“共收到政府信息公开申请9件”“新收…申请”）、“未收到…申请”、“未发生行政复议、行政诉讼”等表述，应与表三、表四一致。不一致时提示“数据前后矛盾”。',
    en: 'Request counts stated in the text (“received 9 requests”), “no requests received”, “no administrative review or litigation” and the like must agree with tables 3 and 4; a disagreement is reported as inconsistent data.',
  },
  check(ctx) {
    const r = ctx.report;
    const out: Issue[] = [];
    const text = [r.sections.overview, r.sections.requests, r.sections.reviewLitigation].filter(Boolean).join('\n');
    const newTotal = getCell(r, 'table3.newReceived.total');
    const unc = (p: string) => r.uncertain.includes(p);
    if (typeof newTotal === 'number' && !unc('table3.newReceived.total')) {
      const said = new Set<number>();
      const re = new RegExp(String.raw`(?:共|累计|全年|本年度?|新)(?:受理|收到|接收|接到|新收)(?:各类|群众|公民|社会公众)?(?:政府信息公开|依申请公开)?申请(?:共|总计)?\s*${N}\s*(?:件|个|条|份)`, 'g');
      for (const m of text.matchAll(re)) said.add(Number(m[1].replace(/,/g, '')));
      // "共受理…N件" often counts last year's carried-over requests too.
      const carried = getCell(r, 'table3.carriedOver.total');
      const accepted = new Set([newTotal, newTotal + (typeof carried === 'number' ? carried : 0)]);
      for (const v of said) {
        if (!accepted.has(v)) out.push({ paths: ['table3.newReceived.total'], message: { zh: `正文称收到申请 ${v} 件，表三“本年新收”总计为 ${newTotal}。`, en: `The text says ${v} requests were received; table 3 “new requests” total is ${newTotal}.` } });
      }
      if (/(?:未|没有)(?:收到|接到|受理)(?:任何)?(?:政府信息公开|依申请公开)?申请/.test(text) && newTotal > 0) {
        out.push({ paths: ['table3.newReceived.total'], message: { zh: `正文称未收到政府信息公开申请，但表三“本年新收”总计为 ${newTotal}。`, en: `The text says no requests were received, but table 3 “new requests” total is ${newTotal}.` } });
      }
    }
    if (/(?:未|没有|无)(?:发生|产生|出现)?(?:因政府信息公开(?:工作)?(?:而)?被申请)?行政复议(?:和|及|、|或)(?:提起)?行政诉讼/.test(text)) {
      const groups = ['review', 'litigationDirect', 'litigationAfterReview'];
      const nonzero = groups.filter((g) => (getCell(r, `table4.${g}.total`) ?? 0) > 0 && !unc(`table4.${g}.total`));
      if (nonzero.length) out.push({ paths: nonzero.map((g) => `table4.${g}.total`), message: { zh: '正文称无行政复议、行政诉讼，但表四有案件。', en: 'The text says there was no administrative review or litigation, but table 4 lists cases.' } });
    }
    return out;
  },
};
