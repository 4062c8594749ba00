// Cross-report checks: findings that need another stored report (the same body's previous
// year, or another copy of the same report). The store runs them on import, reparse and
// `gongkai recheck`; they are exported here in the shape of the rule catalogue (src/check/types.ts)
// so that `gongkai rules` can list them. Their `check` uses ctx.previous when given; the
// duplicate-report rule needs the store and checks nothing on its own.
import type { Finding, Issue, Rule, RuleContext } from '../check/types.js';
import type { Report } from '../model/report.js';
import { SECTIONS, TABLE2, TABLE3_COLUMN_LABELS, TABLE3_ROWS, TABLE4_COLUMN_LABELS, TABLE4_GROUP_LABELS } from '../model/template.js';
import { CARRY_OVER_RULE, carryOverFindings } from './continuity.js';

export const TABLE2_STOCK_RULE = 'table2-stock';
export const NARRATIVE_RULE = 'narrative-repetition';
export const DUPLICATE_RULE = 'duplicate-report';
/** Above this share of shared 4-character shingles the narrative is reported as repeated. */
export const NARRATIVE_THRESHOLD = 0.5;

const toFindings = (ruleId: string, severity: Finding['severity'], issues: Issue[]): Finding[] =>
  issues.map((i) => ({ ruleId, severity: i.severity ?? severity, message: i.message, paths: i.paths, ...(i.place ? { place: i.place } : {}) }));

// ---------------------------------------------------------------- table 2 stock

const STOCK_ROWS = ['regulations', 'normativeDocuments'] as const;

/** 2021 template: 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y). */
export function table2StockIssues(current: Report, previous: Report | undefined | null): Issue[] {
  if (!previous || current.template !== '2021' || previous.template !== '2021') return [];
  if (current.year === null || previous.year !== current.year - 1) return [];
  const out: Issue[] = [];
  for (const row of STOCK_ROWS) {
    const now = current.table2?.[row];
    const before = previous.table2?.[row]?.inForce;
    if (!now) continue;
    const { inForce, issued, repealed } = now;
    if (typeof inForce !== 'number' || typeof issued !== 'number' || typeof repealed !== 'number' || typeof before !== 'number') continue;
    const want = before + issued - repealed;
    if (want === inForce) continue;
    const label = TABLE2['2021'].find((r) => r.key === row)!.label;
    out.push({
      paths: [`table2.${row}.inForce`],
      message: {
        zh: `表二“${label.zh}”现行有效件数为 ${inForce}，但按${previous.year}年度报告的现行有效件数 ${before} + 本年制发 ${issued} − 本年废止 ${repealed} 应为 ${want}（修改、失效等情形也会造成差异，请核实）。`,
        en: `Table 2 ${label.en}: ${inForce} in force, but the ${previous.year} report’s ${before} in force + ${issued} issued − ${repealed} repealed gives ${want} (amendments or expiry can also explain a difference; please verify).`,
      },
    });
  }
  return out;
}

export function table2StockFindings(current: Report, previous: Report | undefined | null): Finding[] {
  return toFindings(TABLE2_STOCK_RULE, 'warning', table2StockIssues(current, previous));
}

// ---------------------------------------------------------------- narrative repetition

const LABELS: string[] = [
  ...SECTIONS.flatMap((s) => [s.title.zh]),
  ...TABLE3_ROWS.map((r) => r.label.zh),
  ...Object.values(TABLE3_COLUMN_LABELS).map((l) => l.zh),
  ...Object.values(TABLE4_GROUP_LABELS).map((l) => l.zh),
  ...Object.values(TABLE4_COLUMN_LABELS).map((l) => l.zh),
  ...Object.values(TABLE2).flatMap((rows) => rows.flatMap((r) => [r.label.zh, ...r.fields.map((f) => f.label.zh)])),
];

/** The labels as a sentence is compared with them: punctuation, symbols and spaces removed. */
const LABEL_TEXTS = new Set(LABELS.map((l) => l.replace(/[\p{P}\p{S}\s]/gu, '')));

/**
 * Sentences of the statutory frame every report repeats (the template's own wording, the
 * stock statements of the 条例 and the 2019/2021 formats): left out of the comparison.
 */
const BOILERPLATE: RegExp[] = [
  /(?:本|此)(?:年度)?报告.{0,30}(?:根据|依据|按照).{0,60}(?:条例|规定|要求|通知).{0,40}(?:编制|制作|形成|发布)/,
  /(?:全文|本报告).{0,20}(?:包括|由).{0,80}(?:总体情况|主动公开|行政复议)/,
  /统计期限|统计期间|统计时限|所列数据/,
  /(?:电子版|网址|网站|门户).{0,40}(?:下载|查阅|浏览|获取)/,
  /(?:如对本报告|对本报告|本报告如有)(?:有)?(?:任何)?(?:疑问|意见|问题)|联系(?:地址|电话|方式)|邮政?编码|邮编/,
  /本年度?(?:未|没有|无)(?:收到|发生|产生|收取|发现|出现)/,
  /信息处理费/,
  /(?:国办公开办函|国办函|国办发)〔/,
  /详见下表|见下表|如下表|具体情况如下|情况如下|(?:详|见)附表/,
  /以上数据|数据截至|数据来源/,
];

const CJK_NUM = /[0-9０-９〇零一二三四五六七八九十百千万亿两]+(?=年|月|日|件|条|个|项|次|人|家|份|篇|期|场|余|万|%|％)/g;

/** A section's text as normalised, non-boilerplate sentences. */
export function substantiveSentences(text: string, agency?: string | null): string[] {
  const out: string[] = [];
  const ag = agency ? agency.replace(/\s+/g, '') : '';
  for (const line of text.split(/\r?\n/)) {
    // Table remnants kept around the prose: cells separated by bars or tabs, number rows.
    if (/[|｜\t]/.test(line) || !/[\u4e00-\u9fff]/.test(line)) continue;
    for (const raw of line.split(/(?<=[。！？；!?;])/)) {
      if (BOILERPLATE.some((re) => re.test(raw))) continue;
      let s = raw.replace(/\s+/g, '');
      if (ag) s = s.split(ag).join('');
      s = s
        .replace(CJK_NUM, '')
        .replace(/[0-9０-９.,，、．%％]+/g, '')
        .replace(/[\p{P}\p{S}]/gu, '');
      if (s.length < 6) continue;
      if (LABEL_TEXTS.has(s)) continue;
      out.push(s);
    }
  }
  return out;
}

/** Character 4-gram shingles of the report's narrative, boilerplate and numbers removed. */
export function narrativeShingles(r: Report, k = 4): Set<string> {
  // An import compares each report with last year's and re-checks next year's against it, so
  // the same narrative is shingled several times in a row: keep the last few (read-only sets).
  const key = `${k}\u0001${r.agency ?? ''}\u0001${SECTIONS.map((s) => r.sections?.[s.key] ?? '').join('\u0001')}`;
  const hit = SHINGLE_CACHE.get(key);
  if (hit) return hit;
  const set = shingle(r, k);
  if (SHINGLE_CACHE.size >= 64) SHINGLE_CACHE.delete(SHINGLE_CACHE.keys().next().value!);
  SHINGLE_CACHE.set(key, set);
  return set;
}

const SHINGLE_CACHE = new Map<string, Set<string>>();

function shingle(r: Report, k: number): Set<string> {
  const set = new Set<string>();
  for (const s of SECTIONS) {
    const text = r.sections?.[s.key];
    if (!text) continue;
    for (const sent of substantiveSentences(text, r.agency)) {
      const chars = [...sent];
      for (let i = 0; i + k <= chars.length; i++) set.add(chars.slice(i, i + k).join(''));
    }
  }
  return set;
}

/** Jaccard similarity of the two narratives, or null when either has too little own text to judge. */
export function narrativeSimilarity(a: Report, b: Report, minShingles = 30): number | null {
  const A = narrativeShingles(a);
  const B = narrativeShingles(b);
  if (A.size < minShingles || B.size < minShingles) return null;
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  return inter / (A.size + B.size - inter);
}

export function narrativeIssues(current: Report, previous: Report | undefined | null): Issue[] {
  if (!previous || current.year === null || previous.year !== current.year - 1) return [];
  const sim = narrativeSimilarity(current, previous);
  if (sim === null || sim <= NARRATIVE_THRESHOLD) return [];
  const pct = Math.round(sim * 100);
  return [
    {
      paths: [],
      message: {
        zh: `叙述部分与${previous.year}年度报告的重复度为 ${pct}%（去除法定套话和数字后按四字片段计算），超过 50%，可能照搬了上年内容。`,
        en: `The narrative repeats ${pct}% of the ${previous.year} report (4-character shingles, statutory boilerplate and numbers removed), above 50%: it may have been copied from last year.`,
      },
    },
  ];
}

export function narrativeFindings(current: Report, previous: Report | undefined | null): Finding[] {
  return toFindings(NARRATIVE_RULE, 'warning', narrativeIssues(current, previous));
}

// ---------------------------------------------------------------- duplicates

export interface DuplicateOf {
  /** The other stored report (same body, year and tables, other content). */
  id?: number;
  fileName: string;
}

/** Findings for the other copies of a report: other reports, or other file names of the same bytes. */
export function duplicateFindings(others: DuplicateOf[], aliases: string[] = []): Finding[] {
  const out: Finding[] = others.map((o) => ({
    ruleId: DUPLICATE_RULE,
    severity: 'warning' as const,
    paths: [],
    message: {
      zh: `与已存报告 #${o.id}（${o.fileName}）是同一份报告：机关、年度和表格数据完全相同，但文件内容不同。`,
      en: `Same report as stored report #${o.id} (${o.fileName}): same body, year and table data, but different file content.`,
    },
  }));
  if (aliases.length) {
    out.push({
      ruleId: DUPLICATE_RULE,
      severity: 'warning',
      paths: [],
      message: {
        zh: `同一文件还以其他文件名导入过：${aliases.join('、')}。`,
        en: `The same file was also imported under another name: ${aliases.join(', ')}.`,
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------- the rules

export const table2StockRule: Rule = {
  id: TABLE2_STOCK_RULE,
  severity: 'warning',
  title: { zh: '表二现行有效件数与上年衔接', en: 'Table 2 stock carried from the previous year' },
  doc: {
    zh: '2021 年格式：规章和行政规范性文件的“现行有效件数”应等于上年报告的现行有效件数加本年制发件数减本年废止件数。修改、自然失效等情形也会改变现行有效件数，因此只作提醒。需要同一机关上一年度的已存报告。',
    en: '2021 format: regulations and normative documents “in force” should equal the previous year’s report’s “in force” plus “issued this year” minus “repealed this year”. Amendments or expiry also change the count, so this is a warning. Needs the same body’s stored report for the previous year.',
  },
  check: (ctx: RuleContext) => table2StockIssues(ctx.report, ctx.previous),
};

export const narrativeRepetitionRule: Rule = {
  id: NARRATIVE_RULE,
  severity: 'warning',
  title: { zh: '叙述内容照搬上年', en: 'Narrative copied from the previous year' },
  doc: {
    zh: '把各部分文字去除法定套话（格式模板的标题和表格用语、统计期限、编制依据、“本年度未收到……”等固定表述）、数字和年份后，按四字片段计算与同一机关上一年度报告的 Jaccard 相似度，超过 50% 时提醒：年度报告应反映本年度的工作，大段照搬上年文字是常见的质量问题。',
    en: 'The section texts, with the statutory boilerplate (template headings and table wording, the statistical period, the legal basis, stock “no requests this year” statements …), numbers and years removed, are compared with the same body’s previous-year report by Jaccard similarity of 4-character shingles; above 50% is reported: a report should describe this year’s work, and copying last year’s text wholesale is a common quality problem.',
  },
  check: (ctx: RuleContext) => narrativeIssues(ctx.report, ctx.previous),
};

export const duplicateReportRule: Rule = {
  id: DUPLICATE_RULE,
  severity: 'warning',
  title: { zh: '同一报告重复入库', en: 'The same report stored twice' },
  doc: {
    zh: '数据库中已有机关、年度和表二至表四数据完全相同、但文件内容不同的另一份报告（例如同一报告的 PDF 和网页版），或同一文件以不同文件名导入过。汇总时会重复计数，请保留其中一份。',
    en: 'The store holds another report with the same body, year and tables 2–4 but different file content (e.g. the PDF and the web page of one report), or the same file was imported under another name. Sums would count it twice; keep one copy.',
  },
  check: () => [],
};

export const carryOverRule: Rule = {
  id: CARRY_OVER_RULE,
  severity: 'error',
  title: { zh: '上年结转与上年报告衔接', en: 'Carried over matches last year’s carried forward' },
  doc: {
    zh: '表三“二、上年结转政府信息公开申请数量”应等于同一机关上一年度报告“四、结转下年度继续办理”的对应数字（逐列比较，空格不比较）。需要同一机关上一年度的已存报告。',
    en: 'Table 3 “carried over from last year” must equal the “carried forward to next year” of the same body’s previous-year report, column by column (blank cells are not compared). Needs the same body’s stored report for the previous year.',
  },
  check: (ctx: RuleContext) => carryOverFindings(ctx.report, ctx.previous).map((f) => ({ paths: f.paths, message: f.message })),
};

/** The cross-report rules, for the catalogue listing (`gongkai rules`). */
export const CROSS_RULES: readonly Rule[] = [carryOverRule, table2StockRule, narrativeRepetitionRule, duplicateReportRule];
export const CROSS_RULE_IDS = new Set(CROSS_RULES.map((r) => r.id));

/** Replace the previous-year findings (carry-over, table2-stock, narrative-repetition) of a finding list. */
export function withPreviousYear(findings: Finding[], current: Report, previous: Report | undefined | null): Finding[] {
  const drop = new Set([CARRY_OVER_RULE, TABLE2_STOCK_RULE, NARRATIVE_RULE]);
  return [...findings.filter((f) => !drop.has(f.ruleId)), ...carryOverFindings(current, previous), ...table2StockFindings(current, previous), ...narrativeFindings(current, previous)];
}

/** Replace the duplicate-report findings of a finding list. */
export function withDuplicates(findings: Finding[], others: DuplicateOf[], aliases: string[] = []): Finding[] {
  return [...findings.filter((f) => f.ruleId !== DUPLICATE_RULE), ...duplicateFindings(others, aliases)];
}
