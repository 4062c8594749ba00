// A demo data set made by Gongkai itself: deterministic reports of a few fictitious bodies
// over three years, written with the project's own writers (text, HTML, Markdown) and then
// imported through the store like any upload. Two of them carry a deliberate arithmetic error
// so the checker, the review page and the dashboard have something to show.
import { emptySections, emptyTables, type Report } from '../model/report.js';
import { APPLICANT_COLUMNS, TABLE2, TABLE4_COLUMNS, TABLE4_GROUPS, table3Rows } from '../model/template.js';
import { renderHtml, renderMarkdown, renderText } from '../render/index.js';
import type { Store, ImportOutcome } from '../store/index.js';

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEMO_AGENCIES = ['示例市人民政府办公室', '示例市教育局', '示例市卫生健康委员会', '示例县自然资源局'];
export const DEMO_YEARS = [2021, 2022, 2023];

const OUTCOMES_2021 = table3Rows('2021').filter((r) => r.group === 'outcome').map((r) => r.key);

/** One valid report; `carried` is last year's 结转下年度 per applicant column. */
function demoReport(agency: string, year: number, carried: Record<string, number>, inForce: Record<string, number>, rand: () => number): Report {
  const t = '2021' as const;
  const r: Report = {
    template: t,
    year,
    agency,
    title: `${agency}${year}年政府信息公开工作年度报告`,
    publishedAt: `${year + 1}-01-${String(10 + Math.floor(rand() * 15)).padStart(2, '0')}`,
    sections: emptySections(),
    sectionTitles: {},
    extraSections: [],
    ...emptyTables(t),
    uncertain: [],
  };
  const n = (max: number) => Math.floor(rand() * (max + 1));
  for (const row of TABLE2[t]) for (const f of row.fields) r.table2[row.key][f.key] = f.kind === 'money' ? Math.round(rand() * 5000) / 100 : n(40);
  // Documents in force carry over: last year's stock + issued − repealed.
  for (const key of ['regulations', 'normativeDocuments']) {
    const row = r.table2[key];
    // Only the State Council's departments and provincial / city governments make 规章.
    if (key === 'regulations' && !/市人民政府/.test(agency)) {
      Object.assign(row, { issued: 0, repealed: 0, inForce: 0 });
      continue;
    }
    const stock = inForce[key] ?? 20 + n(60);
    row.repealed = Math.min(row.repealed ?? 0, stock);
    row.inForce = stock + (row.issued ?? 0) - (row.repealed ?? 0);
  }
  const tot = (row: string) => APPLICANT_COLUMNS.reduce((s, c) => s + (r.table3[row][c] ?? 0), 0);
  for (const c of APPLICANT_COLUMNS) {
    const big = c === 'naturalPerson' ? 60 : c === 'commercial' ? 12 : 3;
    const fresh = n(big);
    const prev = carried[c] ?? 0;
    const forward = Math.min(fresh + prev, n(3));
    let handled = fresh + prev - forward;
    for (const row of OUTCOMES_2021) r.table3[row][c] = 0;
    // Most requests are granted or not held; the rest fall on a few random outcomes.
    while (handled > 0) {
      const k = rand() < 0.5 ? 'granted' : rand() < 0.5 ? 'unavailable.notHeld' : OUTCOMES_2021[Math.floor(rand() * OUTCOMES_2021.length)];
      const take = Math.max(1, Math.min(handled, n(Math.ceil(handled / 2))));
      r.table3[k][c] = (r.table3[k][c] ?? 0) + take;
      handled -= take;
    }
    r.table3.newReceived[c] = fresh;
    r.table3.carriedOver[c] = prev;
    r.table3.carriedForward[c] = forward;
    r.table3.totalHandled[c] = OUTCOMES_2021.reduce((s, k) => s + (r.table3[k][c] ?? 0), 0);
  }
  for (const row of Object.keys(r.table3)) r.table3[row].total = tot(row);
  for (const g of TABLE4_GROUPS) {
    const row = r.table4[g];
    for (const c of TABLE4_COLUMNS) if (c !== 'total') row[c] = g === 'review' ? n(3) : n(1);
    row.total = TABLE4_COLUMNS.filter((c) => c !== 'total').reduce((s, c) => s + (row[c] ?? 0), 0);
  }
  const received = r.table3.newReceived.total ?? 0;
  const reviews = r.table4.review.total ?? 0;
  // Narratives differ from year to year (a copied narrative is itself a finding).
  const k = (year - DEMO_YEARS[0]) % 3;
  r.sections.overview = [
    `${year}年，${agency}深入贯彻《中华人民共和国政府信息公开条例》，健全政务公开工作机制，明确分管领导和专职工作人员。`,
    `${year}年，${agency}把政务公开纳入年度重点任务清单，修订信息发布审核流程，坚持先审后发、谁发布谁负责。`,
    `${year}年，${agency}围绕优化营商环境推进决策、执行、管理、服务、结果公开，开展基层政务公开标准化规范化建设。`,
  ][k];
  r.sections.proactive = [
    `本年度通过门户网站主动公开政府信息${100 + n(400)}条，及时发布政策文件和解读材料。`,
    `本年度新开设重点领域信息公开专栏，更新办事指南和权责清单，累计发布信息${100 + n(400)}条。`,
    `本年度依托政务新媒体矩阵同步推送政策图解、短视频等解读产品，全年发布各类信息${100 + n(400)}条。`,
  ][k];
  r.sections.requests = `本年度共收到政府信息公开申请${received}件，${['均在法定期限内答复', '全部按期办结并书面告知申请人', '办理过程中与申请人充分沟通，无逾期答复'][k]}。`;
  r.sections.reviewLitigation = reviews ? `本年度发生政府信息公开行政复议${reviews}件。` : '本年度未发生政府信息公开行政复议。';
  r.sections.problems = [
    '政策解读的形式还不够丰富。下一步将加强解读工作，提高公开实效。',
    '依申请公开答复文书的说理还不够充分。下一步将组织业务培训，统一答复文书格式。',
    '基层公开事项目录更新不够及时。下一步将建立季度检查通报机制，督促动态调整。',
  ][k];
  r.sections.other = '本年度未收取信息处理费。';
  return r;
}

export interface DemoFile {
  name: string;
  bytes: Uint8Array;
}

/** The demo files: text, HTML and Markdown renderings of 12 reports (two with an error). */
export function demoFiles(): DemoFile[] {
  const files: DemoFile[] = [];
  const enc = new TextEncoder();
  DEMO_AGENCIES.forEach((agency, ai) => {
    let carried: Record<string, number> = {};
    let inForce: Record<string, number> = {};
    for (const year of DEMO_YEARS) {
      const rand = rng(1000 * ai + year);
      const r = demoReport(agency, year, carried, inForce, rand);
      inForce = { regulations: r.table2.regulations.inForce ?? 0, normativeDocuments: r.table2.normativeDocuments.inForce ?? 0 };
      carried = Object.fromEntries(APPLICANT_COLUMNS.map((c) => [c, r.table3.carriedForward[c] ?? 0]));
      // Deliberate mistakes: a row total and a table-4 total that do not add up.
      if (ai === 1 && year === 2022) r.table3.granted.total = (r.table3.granted.total ?? 0) + 1;
      if (ai === 3 && year === 2023) r.table4.review.total = (r.table4.review.total ?? 0) + 2;
      const kind = (ai + year) % 3;
      const base = `demo-${ai + 1}-${year}`;
      if (kind === 0) files.push({ name: `${base}.html`, bytes: enc.encode(renderHtml(r)) });
      else if (kind === 1) files.push({ name: `${base}.md`, bytes: enc.encode(renderMarkdown(r)) });
      else files.push({ name: `${base}.txt`, bytes: enc.encode(renderText(r)) });
    }
  });
  return files;
}

/** Imports the demo set (oldest year first, so continuity checks see the previous year). */
export async function importDemo(store: Store): Promise<ImportOutcome[]> {
  const year = (n: string) => n.match(/-(\d{4})\./)?.[1] ?? '';
  const files = demoFiles().sort((a, b) => year(a.name).localeCompare(year(b.name)) || a.name.localeCompare(b.name));
  const out: ImportOutcome[] = [];
  for (const f of files) out.push(await store.importBytes(f.bytes, f.name));
  return out;
}
