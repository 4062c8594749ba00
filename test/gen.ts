// Generators of random VALID canonical reports (all of R1–R4 hold) for both templates, built
// from the template data in src/model/template.ts. Used by the property, schema and rule tests.
import fc from 'fast-check';
import { emptySections, emptyTables, type ParseResult, type Report } from '../src/model/report.js';
import {
  APPLICANT_COLUMNS,
  SECTIONS,
  TABLE2,
  TABLE4_COLUMNS,
  TABLE4_GROUPS,
  table3Rows,
  type TemplateId,
} from '../src/model/template.js';

export const TEMPLATE_YEARS: Record<TemplateId, readonly [number, number]> = { '2019': [2019, 2020], '2021': [2021, 2025] };

// ---------------------------------------------------------------- numbers

/** A realistic count: mostly 0, often small, sometimes large. */
export const countArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 21, max: 5000 }) },
);

/** A money amount in 万元 with at most two decimals (0, 3.5, 7730.28 …). */
export const moneyArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 99_999 }).map((c) => c / 100) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 500_000_000 }).map((c) => c / 100) },
);

/** 2019 本年增/减: a signed count. */
export const signedArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 2, arbitrary: fc.integer({ min: -60, max: -1 }) },
);

// ---------------------------------------------------------------- words

// City and department names free of 县/区/镇/乡/街道 (table2-sanity), of row-label words and of digits.
const CITIES = ['临江', '安平', '青州', '云岭', '白河', '东海', '南川', '西林', '凤阳', '清远', '长宁', '丰城'];
const DEPARTMENTS = ['交通运输局', '自然资源局', '教育局', '财政局', '生态环境局', '市场监督管理局', '卫生健康委员会', '人力资源和社会保障局', '水利局', '民政局', '商务局', '文化广电和旅游局'];

// Section sentences avoid the row-label anchors of the tables (规章, 行政许可, 本年新收, 总计, …).
const OVERVIEW = [
  '坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》。',
  '严格落实信息发布“三审三校”制度，确保发布内容准确规范。',
  '进一步规范依申请公开办理流程，畅通申请渠道，依法依规答复。',
  '加强政府网站和政务新媒体日常管理，及时更新栏目内容。',
  '将政务公开工作纳入年度绩效考核，压实工作责任。',
];
const PROACTIVE = ['通过政府门户网站、政务新媒体等渠道主动公开政府信息。', '围绕重点领域做好政策解读，积极回应社会关切。', '坚持“公开为常态、不公开为例外”，应公开尽公开。'];
const REQUESTS = ['严格按照法定时限答复申请人，做到依法依规、规范有序。', '进一步完善申请登记、审核、答复等工作流程。'];
const PROBLEMS = [
  '政府信息公开工作仍存在一些不足，主要是公开内容的深度和广度有待提升。',
  '下一步，将加强业务培训，提高工作人员的业务水平。',
  '针对存在问题，将进一步完善工作机制，强化协同配合。',
];
const OTHER = ['本年度未收取信息处理费。', '按照《政府信息公开信息处理费管理办法》规定的按件、按量收费标准，本年度没有产生信息处理费。'];

const pickSome = (bank: readonly string[]) => fc.subarray([...bank], { minLength: 1 });

// ---------------------------------------------------------------- report

export interface GenOptions {
  /** Force a year (e.g. outside the template's range, for the template-year rule). */
  year?: number;
}

interface Raw {
  template: TemplateId;
  year: number;
  city: string;
  dept: string;
  day: number;
  quiet: boolean;
  table2: number[];
  outcome: number[]; // rows × 6
  carriedForward: number[]; // 6
  carriedOver: number[]; // 6
  table4: number[]; // 12
  text: { overview: string[]; proactive: string[]; requests: string[]; problems: string[]; other: string[] };
}

function table2Kinds(t: TemplateId) {
  return TABLE2[t].flatMap((r) => r.fields.map((f) => f.kind));
}

function rawArb(t: TemplateId, opts: GenOptions): fc.Arbitrary<Raw> {
  const [y0, y1] = TEMPLATE_YEARS[t];
  const nOutcome = table3Rows(t).filter((r) => r.group === 'outcome').length;
  return fc.record({
    template: fc.constant(t),
    year: opts.year !== undefined ? fc.constant(opts.year) : fc.integer({ min: y0, max: y1 }),
    city: fc.constantFrom(...CITIES),
    dept: fc.constantFrom(...DEPARTMENTS),
    day: fc.integer({ min: 5, max: 31 }),
    quiet: fc.boolean(),
    table2: fc.tuple(...table2Kinds(t).map((k) => (k === 'money' ? moneyArb : k === 'signed' ? signedArb : countArb))),
    outcome: fc.array(countArb, { minLength: nOutcome * 6, maxLength: nOutcome * 6 }),
    carriedForward: fc.array(countArb, { minLength: 6, maxLength: 6 }),
    carriedOver: fc.array(countArb, { minLength: 6, maxLength: 6 }),
    table4: fc.array(countArb, { minLength: 12, maxLength: 12 }),
    text: fc.record({ overview: pickSome(OVERVIEW), proactive: pickSome(PROACTIVE), requests: pickSome(REQUESTS), problems: pickSome(PROBLEMS), other: fc.subarray(OTHER, { minLength: 1, maxLength: 1 }) }),
  });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function build(raw: Raw): Report {
  const t = raw.template;
  const tables = emptyTables(t);
  // "quiet" reports (no requests, no cases) are common in reality: keep table 2, zero the rest.
  const q = (v: number) => (raw.quiet ? 0 : v);

  let k = 0;
  for (const row of TABLE2[t]) for (const f of row.fields) tables.table2[row.key][f.key] = raw.table2[k++];
  if (t === '2019') {
    // S3: 本年新公开数量 ≤ 对外公开总数量 (keeps generated reports plausible).
    for (const r of ['regulations', 'normativeDocuments']) {
      const row = tables.table2[r];
      row.total = (row.total ?? 0) + (row.published ?? 0);
    }
  }

  const rows = table3Rows(t);
  const outcome = rows.filter((r) => r.group === 'outcome');
  const th = [0, 0, 0, 0, 0, 0];
  outcome.forEach((r, i) => {
    const vals = APPLICANT_COLUMNS.map((_, c) => q(raw.outcome[i * 6 + c]));
    vals.forEach((v, c) => (th[c] += v));
    setRow(tables.table3[r.key], vals);
  });
  const cf = raw.carriedForward.map(q);
  // R1 per column: new + carried over = handled + carried forward, new ≥ 0.
  const co = raw.carriedOver.map((v, c) => Math.min(q(v), th[c] + cf[c]));
  const nr = th.map((v, c) => v + cf[c] - co[c]);
  setRow(tables.table3.totalHandled, th);
  setRow(tables.table3.carriedForward, cf);
  setRow(tables.table3.carriedOver, co);
  setRow(tables.table3.newReceived, nr);

  TABLE4_GROUPS.forEach((g, gi) => {
    const vals = raw.table4.slice(gi * 4, gi * 4 + 4).map(q);
    TABLE4_COLUMNS.forEach((c, ci) => (tables.table4[g][c] = ci < 4 ? vals[ci] : sum(vals)));
  });

  const agency = `${raw.city}市${raw.dept}`;
  const y = raw.year;
  const sections = emptySections();
  sections.overview = [
    `${agency}认真贯彻落实政务公开各项要求。报告所列数据的统计期限自${y}年1月1日起至${y}年12月31日止。`,
    ...raw.text.overview,
    requestSentence(tables.table3.newReceived.total!),
  ].join('\n');
  sections.proactive = raw.text.proactive.join('');
  sections.requests = raw.text.requests.join('');
  sections.reviewLitigation = reviewSentence(tables.table4);
  sections.problems = raw.text.problems.join('\n');
  sections.other = raw.text.other.join('');
  return {
    template: t,
    year: y,
    agency,
    title: `${agency}${y}年政府信息公开工作年度报告`,
    publishedAt: `${y + 1}-01-${String(raw.day).padStart(2, '0')}`,
    sections,
    sectionTitles: Object.fromEntries(SECTIONS.map((s) => [s.key, s.title.zh])),
    extraSections: [],
    ...tables,
    uncertain: [],
    infoProcessingFee: 0,
  };
}

/** The narrative's statement of the requests received (narrative-tables reads it). */
export function requestSentence(newTotal: number): string {
  return newTotal === 0 ? '本年度未收到政府信息公开申请。' : `本年度共收到政府信息公开申请${newTotal}件，均在法定期限内答复。`;
}
const REQUEST_SENTENCE = /本年度(?:未收到政府信息公开申请|共收到政府信息公开申请\d+件，均在法定期限内答复)。/;

function reviewSentence(t4: Report['table4']): string {
  const zero = TABLE4_GROUPS.every((g) => t4[g].total === 0);
  return zero ? '本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼案件。' : '行政复议、行政诉讼办理情况见下表。';
}

/** Rewrites the narrative's statements of table 3 and 4 after the tables changed. */
export function resyncNarrative(r: Report): void {
  if (r.sections.overview) r.sections.overview = r.sections.overview.replace(REQUEST_SENTENCE, requestSentence(r.table3.newReceived.total ?? 0));
  r.sections.reviewLitigation = reviewSentence(r.table4);
}

function setRow(row: Record<string, number | null>, six: number[]) {
  APPLICANT_COLUMNS.forEach((c, i) => (row[c] = six[i]));
  row.total = sum(six);
}

/** Random valid reports of one template, or of either. */
export function reportArb(template?: TemplateId, opts: GenOptions = {}): fc.Arbitrary<Report> {
  const t = template ? fc.constant(template) : fc.constantFrom<TemplateId>('2019', '2021');
  return t.chain((tt) => rawArb(tt, opts)).map(build);
}

/** Valid reports with some of their 0 cells (at least one) blank instead: the relations count a blank as 0. */
export function withBlanksArb(t: TemplateId): fc.Arbitrary<Report> {
  return fc.tuple(reportArb(t), fc.array(fc.boolean(), { minLength: 256, maxLength: 256 })).map(([generated, mask]) => {
    // A copy: fast-check may reuse the generated value while it shrinks.
    const r = structuredClone(generated);
    let i = 0;
    let blanked = false;
    for (const table of [r.table2, r.table3, r.table4] as Record<string, Record<string, number | null>>[]) {
      for (const row of Object.values(table)) {
        for (const k of Object.keys(row)) {
          if (row[k] === 0 && (mask[i++ % mask.length] || !blanked)) {
            row[k] = null;
            blanked = true;
          }
        }
      }
    }
    return r;
  });
}

/** One deterministic valid report (fast-check sample with a fixed seed). */
export function sampleReport(template: TemplateId, seed: number, opts: GenOptions = {}): Report {
  return fc.sample(reportArb(template, opts), { seed, numRuns: 1 })[0];
}

/** A ParseResult around a report, as if every table was found. */
export function asParseResult(report: Report, preamble = ''): ParseResult {
  return { report, provenance: { cells: {}, sections: {} }, preamble, found: { table2: true, table3: true, table4: true }, info: { format: 'text' } };
}

/**
 * Adds k requests from applicant column `col` handled as `row`, keeping R1–R3: the row, its
 * total, 三(七) and 一 all grow by k.
 */
export function addRequests(r: Report, row: string, col: string, k: number): void {
  for (const key of [row, 'totalHandled', 'newReceived']) {
    r.table3[key][col as 'total'] = (r.table3[key][col as 'total'] ?? 0) + k;
    r.table3[key].total = (r.table3[key].total ?? 0) + k;
  }
  resyncNarrative(r);
}

export function clone<T>(x: T): T {
  return structuredClone(x);
}
