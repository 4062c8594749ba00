// Standard sentences of sections 三 and 四 drafted from the tables, in the customary wording
// of annual reports, so that the text agrees with tables 3 and 4 by construction (the
// narrative-tables rule reads exactly these statements). An empty (null) cell counts as 0.
import type { CellValue, Report } from '../model/report.js';
import { table3Rows, TABLE4_GROUPS } from '../model/template.js';

export interface NarrativeDraft {
  /** 三、收到和处理政府信息公开申请情况 */
  requests: string;
  /** 四、政府信息公开行政复议、行政诉讼情况 */
  reviewLitigation: string;
}

const n = (v: CellValue | undefined) => (typeof v === 'number' ? v : 0);

/** Sum of the total column over the table-3 rows whose key starts with `prefix` (denied. …). */
function blockTotal(r: Report, prefix: string): number {
  return table3Rows(r.template)
    .filter((d) => d.key === prefix || d.key.startsWith(prefix + '.'))
    .reduce((a, d) => a + n(r.table3[d.key]?.total), 0);
}

export function requestsSentence(r: Report): string {
  const t3 = r.table3;
  const received = n(t3.newReceived?.total);
  const carried = n(t3.carriedOver?.total);
  const forward = n(t3.carriedForward?.total);
  const head = received === 0 ? '本年度未收到政府信息公开申请' : `本年度共收到政府信息公开申请${received}件`;
  const over = carried === 0 ? '无上年结转申请' : `上年结转${carried}件`;
  if (received === 0 && carried === 0 && forward === 0 && n(t3.totalHandled?.total) === 0) return `${head}，${over}。`;
  const outcomes = [
    `予以公开${n(t3.granted?.total)}件`,
    `部分公开${n(t3.partiallyGranted?.total)}件`,
    `不予公开${blockTotal(r, 'denied')}件`,
    `无法提供${blockTotal(r, 'unavailable')}件`,
    `不予处理${blockTotal(r, 'notProcessed')}件`,
    `其他处理${blockTotal(r, 'other')}件`,
  ].join('，');
  const fwd = forward === 0 ? '无结转下年度继续办理的申请' : `结转下年度继续办理${forward}件`;
  return `${head}，${over}；${outcomes}；${fwd}。`;
}

function results(row: Report['table4'][keyof Report['table4']]): string {
  return `其中结果维持${n(row.upheld)}件，结果纠正${n(row.corrected)}件，其他结果${n(row.other)}件，尚未审结${n(row.pending)}件`;
}

export function reviewLitigationSentence(r: Report): string {
  const t4 = r.table4;
  const review = n(t4.review.total);
  const direct = n(t4.litigationDirect.total);
  const after = n(t4.litigationAfterReview.total);
  if (TABLE4_GROUPS.every((g) => n(t4[g].total) === 0)) return '本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。';
  const parts: string[] = [];
  parts.push(review === 0 ? '本年度未发生因政府信息公开工作被申请行政复议的情况' : `本年度因政府信息公开工作被申请行政复议${review}件，${results(t4.review)}`);
  const lit = direct + after;
  if (lit === 0) parts.push('未发生被提起行政诉讼的情况');
  else {
    const sub: string[] = [];
    if (direct) sub.push(`未经复议直接起诉${direct}件，${results(t4.litigationDirect)}`);
    if (after) sub.push(`复议后起诉${after}件，${results(t4.litigationAfterReview)}`);
    parts.push(`被提起行政诉讼${lit}件：${sub.join('；')}`);
  }
  return `${parts.join('；')}。`;
}

/** The draft sentences of sections 三 and 四. */
export function draftNarrative(r: Report): NarrativeDraft {
  return { requests: requestsSentence(r), reviewLitigation: reviewLitigationSentence(r) };
}
