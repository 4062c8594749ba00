// Document → canonical Report: metadata, sections, tables, and honest uncertainty.
import type { Document, Place } from '../read/document.js';
import { GongkaiError } from '../errors.js';
import { isSpaceCode } from '../read/chars.js';
import { emptySections, emptyTables, type ParseResult, type Provenance, type Report } from '../model/report.js';
import {
  TABLE2,
  TABLE3_COLUMNS,
  TABLE3_ROWS,
  TABLE4_COLUMNS,
  TABLE4_GROUPS,
  TEMPLATE_MARKERS,
  expectedTemplate,
  type TemplateId,
} from '../model/template.js';
import { extractMeta, yearInProse, yearOpening } from './meta.js';
import { agree, cutTruncatedTotal, solveTable3, sumIsLast, table4Groups, table4GroupsUpTo, type Value, type Vector } from './place.js';
import { findHeadings, type Heading } from './sections.js';
import { buildStream, compactIndex, textOffset, unitAt, type Stream, type ValueTok } from './stream.js';
import { adoptEmptyLines, headStart, onConsecutiveLines, readByLinePosition, readRows, readTable4, rowCandidatesOf, rowsExtent, type RowRead } from './tables.js';
import { agencyKey } from './agency.js';

// A table-2 block heading: "第二十条第（一）项", also printed without its second 第 ("第二十条（一）项").
const ARTICLE_20 = /第二十条(?:第|[（(][一二三四五六七八九十]{1,2}[)）])/;

export function recognize(doc: Document, source = '<input>'): ParseResult {
  const s = buildStream(doc);
  const headings = findHeadings(s);
  const h = (k: string) => headings.find((x) => x.key === k);
  const firstHeading = headings[0];
  const head = s.text.slice(0, firstHeading ? firstHeading.start : Math.min(s.text.length, 3000));
  const meta = extractMeta(head, s.text.slice(0, 200_000));
  if (doc.meta?.title && !meta.title) {
    const m2 = extractMeta(doc.meta.title, s.text.slice(0, 200_000));
    Object.assign(meta, { title: m2.title, agency: m2.agency, year: meta.year ?? m2.year });
  }

  // ---- table regions, as compact indexes
  const C = s.compact;
  const ci = (off: number) => compactIndex(s, off);
  const find = (re: RegExp, from: number, to = C.length): number => {
    re.lastIndex = 0;
    const m = re.exec(C.slice(from, to));
    return m ? from + m.index : -1;
  };
  const nextHeadingAfter = (off: number) => headings.find((x) => x.start > off);
  const hProactive = h('proactive'), hRequests = h('requests'), hReview = h('reviewLitigation');

  let t2Start = hProactive ? ci(hProactive.end) : find(ARTICLE_20, 0);
  if (t2Start >= 0) {
    const art = find(ARTICLE_20, t2Start);
    if (art >= 0 && (!hRequests || art < ci(hRequests.start))) t2Start = art;
  }
  let t3Start = hRequests ? ci(hRequests.end) : find(/本列数据的勾稽关系|申请人情况/, Math.max(0, t2Start));
  let t2End = hRequests ? ci(hRequests.start) : t3Start >= 0 ? t3Start : C.length;
  if (hProactive && hRequests && t2Start >= 0 && t2Start <= t2End && find(ARTICLE_20, t2Start, t2End) < 0) {
    // No table-2 block between the 二 and 三 headings, but one after 三 before table 3's header:
    // the headings were read out of place (a PDF of a report inside a borderless layout table
    // read its free text as one column, both headings first). Table 2 is where its blocks are.
    const art = find(ARTICLE_20, t2End);
    const head3 = art >= 0 ? find(/本列数据的勾稽关系|申请人情况|本年新收/, art) : -1;
    if (head3 >= 0) {
      t2Start = art;
      t2End = head3;
    }
  }
  if (t3Start < 0 && t2Start >= 0) {
    t3Start = find(/本年新收/, t2Start);
    if (t3Start >= 0) t2End = t3Start;
  }
  let t4Start = hReview ? ci(hReview.end) : -1;
  let t3End = hReview ? ci(hReview.start) : (() => {
    const nh = t3Start >= 0 ? nextHeadingAfter(textOffset(s, t3Start)) : undefined;
    return nh ? ci(nh.start) : C.length;
  })();
  if (!hReview && t3Start >= 0) {
    // No 四 heading found: table 4 starts at its own header after table 3's last row.
    const last = find(/结转(?:下一?年度|至下)/, t3Start, t3End);
    const head = last >= 0 ? find(/行政复议/, last, t3End) : -1;
    if (head >= 0) {
      t4Start = head;
      t3End = head;
    }
  }
  const t4End = (() => {
    if (t4Start < 0) return -1;
    const nh = nextHeadingAfter(textOffset(s, t4Start));
    return nh ? ci(nh.start) : C.length;
  })();

  // ---- template, from the tables' own wording (spec §6), not from a cited notice
  const t3Rows = t3Start >= 0 ? readRows(s, TABLE3_ROWS, t3Start, t3End) : new Map<string, RowRead>();
  const t2Text = t2Start >= 0 ? C.slice(t2Start, t2End) : '';
  const votes = { '2019': 0, '2021': 0 };
  for (const t of ['2019', '2021'] as const) for (const re of TEMPLATE_MARKERS[t]) if (re.test(t2Text)) votes[t]++;
  if (t3Rows.has('other.noCorrection') || t3Rows.has('other.unpaidFees')) votes['2021'] += 2;
  let template: TemplateId;
  if (votes['2019'] !== votes['2021']) template = votes['2019'] > votes['2021'] ? '2019' : '2021';
  else template = (meta.year !== null ? expectedTemplate(meta.year) : null) ?? '2021';
  if (meta.year === null && votes['2019'] !== votes['2021']) {
    // No title and no statistical period (a page whose title is outside its text): the year the
    // overview opens with ("一、总体情况 / 2023年，我局…") is the report's, when the tables'
    // own template agrees with it; otherwise the year stays unknown.
    const ov = h('overview');
    // Else the one year its prose states as the period ("截止2023年12月31日", "2022年，我局…").
    const y =
      yearOpening(s.text.slice(ov ? ov.end : 0, (ov ? ov.end : 0) + 400)) ??
      (ov && headings[0] === ov ? yearOpening(s.text.slice(0, ov.start)) : null) ??
      (ov ? yearInProse(s.text.slice(ov.end, Math.min(h('proactive')?.start ?? Infinity, ov.end + 1500))) : null);
    if (y !== null && expectedTemplate(y) === template) meta.year = y;
  }

  const t2Rows = t2Start >= 0 ? readRows(s, TABLE2[template], t2Start, t2End) : new Map<string, RowRead>();
  const t4 = t4Start >= 0 ? readTable4(s, t4Start, t4End) : null;
  // Tables written one cell per line, their empty cells as lines of no-break spaces (LibreOffice's
  // text export): those lines are cells where each table's rows say so.
  const t3Lines = adoptEmptyLines(s, t3Rows, () => 7);
  adoptEmptyLines(s, t2Rows, (key) => TABLE2[template].find((d) => d.key === key)!.fields.length);
  // Table 4 is one row: its 15 cells, on 15 lines in a row, with such lines are read where table
  // 3 read them too, or where each group's total is the sum of its results (a misplaced value
  // breaks that).
  const t4Lines = t4?.withEmptyLines;
  if (t4 && t4Lines?.length === 15 && onConsecutiveLines(t4Lines) && (t3Lines || table4Groups(t4Lines.map((t) => t.value)))) t4.tokens = t4Lines;
  // The same export of a document whose empty cells hold nothing: an empty line among a row's
  // lines is an empty cell, read by position where each table's rows say so. Table 4 is one row,
  // read so only where table 3 is in that layout too.
  const t3ByLine = readByLinePosition(s, t3Rows, () => 7);
  let t4ByLine: ReturnType<typeof readByLinePosition> = 'no';
  readByLinePosition(s, t2Rows, (key) => TABLE2[template].find((d) => d.key === key)!.fields.length);
  if (t4 && t3ByLine !== 'no' && t4.headerEnd >= 0 && t4.tokens.length > 0) {
    const headerUnit = unitAt(s, t4.headerEnd - 1);
    const row: RowRead = { key: 'table4', tokens: t4.tokens, withEmptyLines: t4.withEmptyLines, orphans: 0, glued: false, place: s.units[headerUnit].place, labelText: '', anchorUnit: headerUnit, labelOffset: t4.headerEnd, labelEnd: t4.headerEnd };
    const one = new Map([['table4', row]]);
    t4ByLine = readByLinePosition(s, one, () => 15);
    if (t4ByLine === 'read') t4.tokens = one.get('table4')!.tokens;
  }

  // Table 2 read in its statutory 第二十条 blocks is as telling as table 3: a page whose title
  // sits outside the text (a site's banner) and which is cut after table 2 is still a report.
  const t2Blocks = t2Text.match(/第二十条(?:第)?[（(]/g)?.length ?? 0;
  const isReport =
    meta.title !== null ||
    t3Rows.size >= 3 ||
    (t2Blocks >= 2 && t2Rows.size >= 3) ||
    headings.filter((x) => x.key !== 'extra').length >= 3;
  if (!isReport) {
    throw new GongkaiError('not-annual-report', source, {
      zh: '未找到政府信息公开工作年度报告的标题、法定章节或统计表，这不像一份年度报告（可能是通知、公告或其他文本）。',
      en: 'No annual-report title, statutory sections or statistical tables were found: this does not look like an Open Government Information annual report (perhaps a notice or other text).',
    });
  }

  // Crawler text runs cells together ("数量640020470"): then digit runs may hold several cells.
  let gluedRows = t4?.glued ? 1 : 0;
  for (const r of t3Rows.values()) if (r.glued) gluedRows++;
  for (const r of t2Rows.values()) if (r.glued) gluedRows++;
  const runTogether = gluedRows >= 2;

  const tables = emptyTables(template);
  const report: Report = {
    template,
    year: meta.year,
    agency: meta.agency,
    title: meta.title,
    publishedAt: meta.publishedAt,
    sections: emptySections(),
    sectionTitles: {},
    extraSections: [],
    ...tables,
    uncertain: [],
  };
  const cellLog = new CellLog();
  const prov = provenanceOf(cellLog);
  const uncertain = new Set<string>();
  const mark = (path: string) => uncertain.add(path);
  const record = (path: string, tok: ValueTok | undefined, fallback: Place | null) => {
    if (tok) cellLog.add(path, tok.raw, tok.place);
    else if (fallback) cellLog.add(path, '', fallback);
  };

  // Short rows are placed on the premise that the text runs row by row and only dropped blank
  // cells: a row's missing values are blanks. A row with values left over (after label text
  // ended it, or more than its width) says the values are elsewhere than their rows
  // (pdftotext's default mode prints in drawing order): then nothing is taken for a dropped
  // blank, in any table, only rows read as written are kept, and table 2, which has no relation
  // to check a row by, keeps none whose values are each on a line of their own.
  let rowByRow = true;
  if (!runTogether) {
    for (const r of t3Rows.values()) if (r.orphans > 0 || solidCount(r.tokens) > 7) rowByRow = false;
    for (const def of TABLE2[template]) {
      const r = t2Rows.get(def.key);
      // (Values after label text are no sign here: agencies add rows of their own to table 2.)
      if (r && solidCount(r.tokens) > def.fields.length) rowByRow = false;
    }
  }

  // ---- table 2
  const t2Found = t2Rows.size > 0;
  const moneyInYuanHeader = /单位[:：]?元\)|（单位：元）/.test(t2Text);
  for (const def of TABLE2[template]) {
    const row = t2Rows.get(def.key);
    const paths = pathsOf(def, 'table2');
    if (!row) {
      if (t2Found) paths.forEach(mark);
      continue;
    }
    const n = def.fields.length;
    const rc = rowCandidatesOf(row.tokens, n, runTogether);
    const drawn = !rowByRow && (!rc.direct || onOwnLines(s, row.tokens));
    if (!rc.candidates || rc.candidates.length === 0 || (row.orphans > 0 && !rc.direct) || drawn) {
      paths.forEach(mark);
      continue;
    }
    const { values, uncertain: unc } = agree(rc.candidates, n);
    const toks = rc.direct ? directTokens(row.tokens, n) : undefined;
    for (let k = 0; k < n; k++) {
      const f = def.fields[k];
      let v = values[k];
      const tok = toks?.[k];
      if (f.kind === 'money' && v !== null) {
        const unit = tok?.unit ?? (rc.direct ? undefined : row.tokens.find((t) => t.unit)?.unit);
        const headerHasWan = template === '2021' || /采购总金额\(单位:万元\)|采购总金额\(万元\)|万元/.test(t2Text);
        if (unit === '元' || (!unit && moneyInYuanHeader)) v = round6(v / 10000);
        // Without a unit the amount's scale is unknown, except for 0, which is 0 in any unit.
        else if (!unit && !headerHasWan && def.key === 'procurement' && v !== 0) {
          v = null;
          unc[k] = true;
        }
      }
      report.table2[def.key][f.key] = unc[k] ? null : v;
      if (unc[k]) mark(paths[k]);
      else record(paths[k], tok, row.place);
    }
  }

  // ---- table 3
  const t3Defs = t3RowsOf(template);
  const t3Found = t3Rows.size > 0;
  // A row of text lines whose values were printed on both lines of its wrapped label reads as
  // one row when its values, joined, are exactly the row's seven cells and balance (R3); any
  // doubt leaves it as it was (its later values orphans, the row uncertain).
  if (!runTogether) {
    for (const [key, row] of t3Rows) {
      if (!row.continued) continue;
      const joined = [...row.tokens.filter((t) => t.kind !== 'blank'), ...row.continued];
      if (joined.length !== 7 || joined.length !== row.tokens.filter((t) => t.kind !== 'blank').length + row.orphans) continue;
      if (!joined.every((t) => t.kind === 'number' || t.kind === 'placeholder') || !sumIsLast(joined.map((t) => t.value))) continue;
      t3Rows.set(key, { ...row, tokens: joined, orphans: 0, continued: undefined });
    }
  }
  const cand = new Map<string, Vector[]>();
  const direct = new Set<string>();
  const noValues: string[] = [];
  for (const def of t3Defs) {
    const row = t3Rows.get(def.key);
    if (!row) continue;
    if (row.tokens.length === 0 && row.orphans === 0) noValues.push(def.key);
    // Digit runs split into cells are listed only when the row balances (R3), the filter below:
    // a crawler row's run of 15 digits has thousands of splits and few that balance.
    const rc = rowCandidatesOf(row.tokens, 7, runTogether, runTogether ? balancedRow : undefined);
    if (!rc.candidates) continue;
    if (rc.direct) {
      if (row.orphans > 0 && row.tokens.filter((t) => t.kind !== 'blank').length !== 7) continue;
      // In drawing order, seven values need not be this row's, in this order: as for table 4's
      // groups, such a row is kept only where its total is the sum of its six columns. (A row
      // read with a blank total kept blank cells in their places: not drawing order's doing,
      // which prints no blanks, unless its values are each on a line of their own.)
      const v = rc.candidates[0];
      if (!rowByRow && (v[6] !== null || onOwnLines(s, row.tokens)) && !sumIsLast(v)) continue;
      direct.add(def.key);
      // Before the joint solve: a cut total ("3" of 3119) must not constrain the other rows.
      cand.set(def.key, cutTotals(rc.candidates, T3_GROUPS, 6));
    } else {
      const ok = rowByRow ? rc.candidates.filter(sumIsLast) : [];
      if (ok.length && row.orphans === 0) cand.set(def.key, ok);
    }
  }
  const outcome = outcomeKeysOf(template);
  if (rowByRow && noValues.length && cand.size === direct.size && [...outcome, ...Object.values(T3_TOP)].every((k) => cand.has(k) || noValues.includes(k))) {
    // Rows whose labels are printed with no value at all, in text that drops blank cells
    // (pdftotext -layout, crawler text), every other row read as written: the rows are blank
    // exactly when the table balances with them blank (R1 and R2; counts are never negative,
    // so rows that must sum to 0 are empty). Otherwise their values were lost: uncertain.
    const trial = new Map(cand);
    for (const k of noValues) trial.set(k, [new Array<Value>(7).fill(null)]);
    if (solveTable3(trial, T3_TOP, outcome)) {
      for (const k of noValues) {
        cand.set(k, trial.get(k)!);
        direct.add(k);
      }
    }
  }
  if (cand.size > direct.size) {
    const solved = solveTable3(cand, T3_TOP, outcome);
    if (solved) for (const [k, v] of solved) cand.set(k, v);
  }
  // Only where that row is labelled so ("（六）其他处理"): a "3.其他" row says rows (六)1–2 were
  // printed, and their labels were lost (pdftotext's default mode garbles them), not absent.
  const kiroStyle = template === '2021' && !t3Rows.has('other.noCorrection') && !t3Rows.has('other.unpaidFees') && /六/.test(t3Rows.get('other.other')?.labelText ?? '');
  for (const def of t3Defs) {
    const paths = pathsOf(def, 'table3');
    const vs = cand.get(def.key);
    if (!vs) {
      // A 2021 table printed with the single 2019-style (六) row has no rows (六)1–2: absent, not unknown.
      if (t3Found && !(kiroStyle && (def.key === 'other.noCorrection' || def.key === 'other.unpaidFees'))) paths.forEach(mark);
      continue;
    }
    const row = t3Rows.get(def.key)!;
    const { values, uncertain: unc } = agree(vs, 7);
    const toks = direct.has(def.key) ? directTokens(row.tokens, 7) : [];
    const cells = report.table3[def.key];
    for (let k = 0; k < TABLE3_COLUMNS.length; k++) {
      cells[TABLE3_COLUMNS[k]] = unc[k] ? null : values[k];
      if (unc[k]) mark(paths[k]);
      else record(paths[k], toks[k], row.place);
    }
  }

  // ---- table 4
  if (t4) {
    const paths = TABLE4_PATHS;
    const rc = rowCandidatesOf(t4.tokens, 15, runTogether, table4GroupsUpTo);
    let vs = rc.candidates;
    // Placing fewer than 15 values takes the missing ones for dropped blanks: only where the
    // whole header came before them, else they may be printed elsewhere (drawing order).
    if (vs && !rc.direct) vs = t4.headerWhole && rowByRow ? vs.filter(table4Groups) : null;
    if (vs && rc.direct) vs = cutTotals(vs, T4_GROUPS, 4);
    if (!vs || vs.length === 0) {
      if (t4.tokens.length) paths.forEach(mark);
    } else {
      const { values, uncertain: unc } = agree(vs, 15);
      const toks = rc.direct ? directTokens(t4.tokens, 15) : [];
      // One value per line outside any table row (pdftotext's default mode, text copied from a
      // PDF) comes in the PDF's drawing order, which need not be the table's: a group read that
      // way whose total is not the sum of its results may be misplaced, so it is not trusted.
      // Values sharing a line or a table row keep their order (a published arithmetic error), as
      // do values each on the line its position gives, in a document laid out so (above).
      if (rc.direct && t4ByLine === 'no') {
        const solid = t4.tokens.filter((t) => t.kind !== 'blank');
        const ownLine = solid.length === 15 && solid.every((t) => !s.units[t.unitIndex].inRow && solid.filter((o) => o.unitIndex === t.unitIndex).length === 1);
        if (ownLine) for (let g = 0; g < 15; g += 5) if (!sumIsLast(values.slice(g, g + 5))) for (let k = g; k < g + 5; k++) unc[k] = true;
      }
      paths.forEach((p, k) => {
        const [g, c] = TABLE4_CELLS[k];
        (report.table4 as Record<string, Record<string, number | null>>)[g][c] = unc[k] ? null : values[k];
        if (unc[k]) mark(p);
        else record(p, toks[k], t4.place);
      });
    }
  }

  // ---- sections: body text without the tables (from a table's first label or header to its last value)
  const spans: [number, number][] = [];
  const unitStart = (compactAt: number) => headStart(s, textOffset(s, compactAt));
  const t2Ext = rowsExtent(s, t2Rows.values());
  if (t2Ext) {
    const head = t2Start >= 0 ? find(/第二十条/, t2Start, ci(t2Ext[0])) : -1;
    spans.push([head >= 0 ? unitStart(head) : t2Ext[0], t2Ext[1]]);
  }
  const t3Ext = rowsExtent(s, t3Rows.values());
  if (t3Ext) {
    const head = t3Start >= 0 ? find(/本列数据|申请人情况/, t3Start, ci(t3Ext[0])) : -1;
    spans.push([head >= 0 ? unitStart(head) : t3Ext[0], t3Ext[1]]);
  }
  if (t4?.extent) spans.push(t4.extent);
  spans.sort((p, q) => p[0] - q[0]);
  for (let i = 0; i < headings.length; i++) {
    const hd = headings[i];
    const end = headings[i + 1]?.start ?? s.text.length;
    const body = cleanRanges(s.text, keptRanges(hd.end, end, spans));
    if (hd.key === 'extra') report.extraSections.push({ title: hd.title, text: body });
    else {
      report.sections[hd.key] = body;
      report.sectionTitles[hd.key] = hd.title;
      prov.sections[hd.key] = s.units[unitAt(s, hd.start)].place;
    }
  }

  const fee = /信息处理费[^。\n]{0,20}?(\d+(?:\.\d+)?)\s*元/.exec(report.sections.other ?? '');
  if (fee) report.infoProcessingFee = Number(fee[1]);
  else if (/(?:没有|未|无)(?:产生|收取)[^。\n]{0,12}信息处理费|信息处理费[^。\n]{0,6}(?:为)?0/.test(report.sections.other ?? '')) report.infoProcessingFee = 0;
  report.agencyKey = report.agency ? agencyKey(report.agency) : null;
  if (meta.titleOffset !== undefined) prov.title = s.units[unitAt(s, meta.titleOffset)].place;
  if (meta.dateOffset !== undefined) prov.publishedAt = s.units[unitAt(s, meta.dateOffset)].place;

  report.uncertain = [...uncertain];
  return { report, provenance: prov, preamble: cleanBody(head), found: { table2: t2Found, table3: t3Found, table4: !!t4 && t4.tokens.length > 0 }, info: { format: doc.format, runTogether } };
}

/**
 * Where each placed cell came from, logged in three arrays and made into provenance.cells only
 * when something reads it (a check, --explain, the store). `gongkai parse` never does, and an
 * object of some 150 path keys built on every parse cost ~3% of a text parse. Read or
 * serialised, it is the object the cells would have made, keys in the same order.
 */
class CellLog {
  private paths: string[] = [];
  private raws: string[] = [];
  private places: Place[] = [];

  add(path: string, raw: string, place: Place): void {
    this.paths.push(path);
    this.raws.push(raw);
    this.places.push(place);
  }

  private cells: Provenance['cells'] | undefined;

  /** provenance.cells, made at the first read. */
  get(): Provenance['cells'] {
    if (this.cells === undefined) {
      const cells: Provenance['cells'] = {};
      for (let i = 0; i < this.paths.length; i++) cells[this.paths[i]] = { raw: this.raws[i], place: this.places[i] };
      this.cells = cells;
    }
    return this.cells;
  }

  set(v: Provenance['cells']): void {
    this.cells = v;
  }
}

/**
 * A provenance whose `cells` is the log's, read when first used: an own, enumerable accessor in
 * the data property's key position, which JSON.stringify and structured clone read like that
 * property. Its getter and setter are the same two functions on every parse, reaching the log
 * through a hidden (non-enumerable symbol) property: accessors made per parse (an object literal's
 * `get cells()`) give every provenance its own hidden class, which V8 keeps in old space, and that
 * class holds the parse's closures, log and tokens until a full collection. Young-space
 * collections then copied and promoted ~8 KB per parse: about 5% of a text parse's time.
 */
function provenanceOf(log: CellLog): Provenance {
  const p = {} as Provenance;
  Object.defineProperty(p, CELL_LOG, LOG_SLOT(log));
  Object.defineProperty(p, 'cells', CELLS);
  p.sections = {};
  return p;
}
const CELL_LOG = Symbol('cell log');
type Logged = Provenance & { [CELL_LOG]: CellLog };
const LOG_SLOT = (log: CellLog): PropertyDescriptor => ({ value: log, enumerable: false, writable: false, configurable: false });
const CELLS: PropertyDescriptor = {
  get(this: Logged) {
    return this[CELL_LOG].get();
  },
  set(this: Logged, v: Provenance['cells']) {
    this[CELL_LOG].set(v);
  },
  enumerable: true,
  configurable: true,
};

// Cell path strings are built once per template row definition, not on every parse.
const pathCache = new WeakMap<object, string[]>();
function pathsOf(def: { key: string; fields?: readonly { key: string }[] }, table: string): string[] {
  let p = pathCache.get(def);
  if (!p) pathCache.set(def, (p = (def.fields ? def.fields.map((f) => f.key) : TABLE3_COLUMNS).map((c) => `${table}.${def.key}.${c}`)));
  return p;
}
// The template's table-3 rows and its outcome rows' keys, listed once per template, not per parse.
const T3_DEFS = new Map<TemplateId, typeof TABLE3_ROWS>();
function t3RowsOf(t: TemplateId): typeof TABLE3_ROWS {
  let d = T3_DEFS.get(t);
  if (!d) T3_DEFS.set(t, (d = TABLE3_ROWS.filter((r) => r.templates.includes(t))));
  return d;
}
const OUTCOME_KEYS = new Map<TemplateId, string[]>();
function outcomeKeysOf(t: TemplateId): string[] {
  let k = OUTCOME_KEYS.get(t);
  if (!k) OUTCOME_KEYS.set(t, (k = t3RowsOf(t).filter((d) => d.group === 'outcome').map((d) => d.key)));
  return k;
}
/**
 * cutTruncatedTotal on each group (its first column and `width` columns after it to its total)
 * of each candidate. A loop, not candidates.map(… reduce …): V8 inlined that map into recognize
 * and, in some processes (2 of 6 runs of the corpus loop), deoptimised it on the result's length
 * again and again: hundreds of times in 10 s, each a recompilation of the whole function.
 */
function cutTotals(vs: Vector[], groups: readonly number[], width: number): Vector[] {
  const out: Vector[] = [];
  for (const v of vs) {
    let w = v;
    for (const g of groups) w = cutTruncatedTotal(w, g, g + width);
    out.push(w);
  }
  return out;
}
const T3_GROUPS = [0];
const T4_GROUPS = [0, 5, 10];
/** R3 over a whole row (the check splitRuns makes of each complete split). */
function balancedRow(v: Vector, upTo: number): boolean {
  return upTo < v.length || sumIsLast(v);
}

const T3_TOP = { newReceived: 'newReceived', carriedOver: 'carriedOver', totalHandled: 'totalHandled', carriedForward: 'carriedForward' };
const TABLE4_CELLS = TABLE4_GROUPS.flatMap((g) => TABLE4_COLUMNS.map((c) => [g, c] as const));
const TABLE4_PATHS = TABLE4_CELLS.map(([g, c]) => `table4.${g}.${c}`);

function directTokens(toks: ValueTok[], n: number): (ValueTok | undefined)[] {
  let t = toks;
  if (t.length > n && t.slice(n).every((x) => x.kind === 'blank')) t = t.slice(0, n);
  if (t.length > n) t = t.filter((x) => x.kind !== 'blank');
  if (t.length !== n) t = t.filter((x) => x.kind !== 'blank');
  return t.length === n ? t : [];
}

/** [a, b) without the spans (sorted by start) that overlap it: the ranges left, as pairs. */
export function keptRanges(a: number, b: number, spans: [number, number][]): number[] {
  const out: number[] = [];
  let pos = a;
  for (const [x, y] of spans) {
    if (y <= pos || x >= b) continue;
    if (x > pos) out.push(pos, x);
    pos = Math.max(pos, y);
  }
  if (pos < b) out.push(pos, b);
  return out;
}

/**
 * cleanBody of the ranges of `text` joined (the pairs of keptRanges), read in place: a section's
 * body is most of the document, and joining its ranges first made a copy that splitting copied
 * again. A line that runs across ranges (a table cut from the middle of one) is joined as the
 * ranges' concatenation would join it (test/clean-body.test.ts).
 */
export function cleanRanges(text: string, ranges: number[]): string {
  const out: string[] = [];
  let pending = ''; // the current line's text from earlier ranges
  for (let r = 0; r < ranges.length; r += 2) {
    let i = ranges[r];
    const end = ranges[r + 1];
    for (;;) {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= end) {
        if (end > i) pending += text.slice(i, end);
        break;
      }
      pushTrimmed(out, pending, text, i, nl);
      pending = '';
      i = nl + 1;
    }
  }
  pushTrimmed(out, pending, text, 0, 0);
  return out.join('\n');
}

/** The line pending + text[a, b), trimmed, onto out unless empty. */
function pushTrimmed(out: string[], pending: string, text: string, a: number, b: number): void {
  if (pending !== '') {
    const l = (pending + text.slice(a, b)).trim();
    if (l !== '') out.push(l);
    return;
  }
  while (a < b && isSpaceCode(text.charCodeAt(a))) a++;
  while (b > a && isSpaceCode(text.charCodeAt(b - 1))) b--;
  if (b > a) out.push(text.slice(a, b));
}

/** Lines trimmed, empty lines dropped, joined by "\n" (a plain loop: no closures per line). */
export function cleanBody(t: string): string {
  const lines = t.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l !== '') out.push(l);
  }
  // Every kept line starts and ends with a non-space character: nothing is left to trim.
  return out.join('\n');
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export type { Heading };

/** Every value is a unit (a line or paragraph) of its own, outside any table row. */
function onOwnLines(s: Stream, toks: readonly ValueTok[]): boolean {
  for (const t of toks) {
    if (t.kind === 'blank') continue;
    const u = s.units[t.unitIndex];
    if (u.inRow || s.text.slice(u.start, u.end).trim() !== t.raw) return false;
  }
  return true;
}

/** Values among the tokens: numbers, placeholders and cut cells, not blanks. */
function solidCount(toks: readonly ValueTok[]): number {
  let n = 0;
  for (const t of toks) if (t.kind !== 'blank') n++;
  return n;
}
