// The writers (src/render): random valid reports (test/gen.ts) rendered as Markdown, text,
// HTML (plain and with Word-like spans) and XLSX parse back to the same report; the HTML has
// the statutory merges; text is escaped; `gongkai render` writes its file atomically.
//
// Section texts: the recogniser returns body text NFKC-normalised (full-width "，" → ","),
// one line per paragraph, so texts are compared after the same normalisation. Two sections
// do not come back at all, by design of the recogniser (src/recognize/index.ts): the text of
// 三 (requests) and of 四 (reviewLitigation) printed before its table is cut out with the
// table, because table 3's region runs from the heading of 三 to the heading of 四 and table
// 4's from the heading of 四 to its last value. For those two the test accepts the text or "".
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { Command } from 'commander';
import fc from 'fast-check';
import { parseBytes, parseText } from '../src/index.js';
import type { Report } from '../src/model/report.js';
import { SECTIONS, TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, table3Rows, type TemplateId } from '../src/model/template.js';
import { canonical } from '../src/model/canonical.js';
import { renderHtml, renderMarkdown, renderText, renderXlsx, expand, table2Grid, table3Grid, table4Grid, reportFromCanonical } from '../src/render/index.js';
import { registerRenderCommands } from '../src/cli/render-commands.js';
import { clone, reportArb, sampleReport } from './gen.js';

const TEMPLATES: TemplateId[] = ['2019', '2021'];
const RUNS = 50;

const norm = (s: string | null) => (s === null ? null : s.normalize('NFKC').split('\n').map((l) => l.trim()).filter(Boolean).join('\n'));
/** Sections whose text before the table is cut with the table by the recogniser (see above). */

export function assertRoundTrip(got: Report, want: Report) {
  assert.equal(got.template, want.template);
  assert.equal(got.year, want.year);
  assert.equal(got.agency, want.agency);
  assert.equal(got.title, want.title);
  assert.equal(got.publishedAt, want.publishedAt);
  assert.deepStrictEqual(got.table2, want.table2);
  assert.deepStrictEqual(got.table3, want.table3);
  assert.deepStrictEqual(got.table4, want.table4);
  assert.deepStrictEqual(got.uncertain, []);
  for (const s of SECTIONS) {
    const g = got.sections[s.key];
    assert.equal(g, norm(want.sections[s.key]), s.key);
    assert.equal(got.sectionTitles[s.key], want.sectionTitles[s.key]);
  }
  assert.deepStrictEqual(got.extraSections, want.extraSections.map((x) => ({ title: x.title, text: norm(x.text) })));
}

describe('round trip through the writers', () => {
  for (const t of TEMPLATES) {
    test(`Markdown (${t})`, () => {
      fc.assert(fc.property(reportArb(t), (r) => assertRoundTrip(parseText(renderMarkdown(r)).report, r)), { numRuns: RUNS });
    });
    test(`text (${t})`, () => {
      fc.assert(fc.property(reportArb(t), (r) => assertRoundTrip(parseText(renderText(r)).report, r)), { numRuns: RUNS });
    });
    test(`HTML (${t})`, async () => {
      await fc.assert(fc.asyncProperty(reportArb(t), async (r) => assertRoundTrip((await parseBytes(Buffer.from(renderHtml(r)))).report, r)), { numRuns: RUNS });
    });
    test(`HTML with Word-like spans (${t})`, async () => {
      await fc.assert(fc.asyncProperty(reportArb(t), async (r) => assertRoundTrip((await parseBytes(Buffer.from(renderHtml(r, { spans: true })))).report, r)), { numRuns: RUNS });
    });
    test(`XLSX (${t})`, async () => {
      await fc.assert(fc.asyncProperty(reportArb(t), async (r) => assertRoundTrip((await parseBytes(await renderXlsx(r))).report, r)), { numRuns: 20 });
    });
  }

  test('blank (null) cells come back null in every writer', async () => {
    for (const t of TEMPLATES) {
      const r = sampleReport(t, 3);
      r.table3.granted.commercial = null;
      r.table3.carriedForward.total = null;
      r.table4.review.pending = null;
      r.table4.litigationAfterReview.total = null;
      const fees = Object.keys(r.table2.fees);
      r.table2.fees[fees[fees.length - 1]] = null;
      r.table2.regulations[Object.keys(r.table2.regulations)[0]] = null;
      const outs: [string, Report][] = [
        ['md', parseText(renderMarkdown(r)).report],
        ['txt', parseText(renderText(r)).report],
        ['html', (await parseBytes(Buffer.from(renderHtml(r)))).report],
        ['html spans', (await parseBytes(Buffer.from(renderHtml(r, { spans: true })))).report],
        ['xlsx', (await parseBytes(await renderXlsx(r))).report],
      ];
      for (const [name, got] of outs) {
        assert.deepStrictEqual([got.table2, got.table3, got.table4], [r.table2, r.table3, r.table4], `${t} ${name}`);
        assert.deepStrictEqual(got.uncertain, [], `${t} ${name}`);
      }
    }
  });

  test('a missing 其他需要报告的事项 and an extra section survive', async () => {
    for (const t of TEMPLATES) {
      const r = sampleReport(t, 11);
      r.sections.other = null;
      delete r.sectionTitles.other;
      r.extraSections = [{ title: '六、下步工作计划', text: '一是加强培训。\n二是完善制度。' }];
      for (const got of [parseText(renderText(r)).report, (await parseBytes(Buffer.from(renderHtml(r)))).report]) assertRoundTrip(got, r);
    }
  });
});

describe('HTML layout', () => {
  const cellByText = ($: cheerio.CheerioAPI, text: string) => $('td,th').filter((_, e) => $(e).text().trim() === text);
  const span = ($: cheerio.CheerioAPI, text: string) => {
    const c = cellByText($, text);
    assert.equal(c.length, 1, `one cell "${text}"`);
    return { colspan: Number(c.attr('colspan') ?? 1), rowspan: Number(c.attr('rowspan') ?? 1) };
  };

  for (const t of TEMPLATES) {
    test(`statutory merges (${t})`, () => {
      const r = sampleReport(t, 1);
      const html = renderHtml(r);
      assert.match(html, /^<!DOCTYPE html>/);
      assert.match(html, /<meta charset="utf-8">/);
      const $ = cheerio.load(html);
      assert.equal($('h1').text(), r.title);
      assert.deepEqual($('h2').map((_, e) => $(e).text()).get(), SECTIONS.map((s) => s.title.zh));
      assert.equal($('table').length, 3);
      // Each table sits under its section: the h2 before it.
      $('table').each((i, e) => assert.equal($(e).prevAll('h2').first().text(), SECTIONS[i + 1].title.zh));
      assert.deepEqual(span($, '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'), { colspan: 3, rowspan: 3 });
      assert.deepEqual(span($, '申请人情况'), { colspan: 7, rowspan: 1 });
      assert.deepEqual(span($, '法人或其他组织'), { colspan: 5, rowspan: 1 });
      assert.deepEqual(span($, '自然人'), { colspan: 1, rowspan: 2 });
      assert.deepEqual(span($, '三、本年度办理结果'), { colspan: 1, rowspan: t === '2021' ? 22 : 20 });
      assert.deepEqual(span($, '（三）不予公开'), { colspan: 1, rowspan: 8 });
      assert.deepEqual(span($, '（四）无法提供'), { colspan: 1, rowspan: 3 });
      assert.deepEqual(span($, '（五）不予处理'), { colspan: 1, rowspan: 5 });
      assert.deepEqual(span($, '（六）其他处理'), t === '2021' ? { colspan: 1, rowspan: 3 } : { colspan: 2, rowspan: 1 });
      assert.deepEqual(span($, '（七）总计'), { colspan: 2, rowspan: 1 });
      assert.deepEqual(span($, '一、本年新收政府信息公开申请数量'), { colspan: 3, rowspan: 1 });
      assert.deepEqual(span($, '四、结转下年度继续办理'), { colspan: 3, rowspan: 1 });
      assert.deepEqual(span($, '行政复议'), { colspan: 5, rowspan: 1 });
      assert.deepEqual(span($, '行政诉讼'), { colspan: 10, rowspan: 1 });
      assert.deepEqual(span($, '未经复议直接起诉'), { colspan: 5, rowspan: 1 });
      assert.deepEqual(span($, '复议后起诉'), { colspan: 5, rowspan: 1 });
      assert.equal(cellByText($, '第二十条第（一）项').attr('colspan'), '4');
      // Value cells: 3 × 15 in table 4, rows × 7 in table 3.
      assert.equal($('table').eq(2).find('tr').last().find('td').length, TABLE4_GROUPS.length * TABLE4_COLUMNS.length);
      assert.equal($('table').eq(1).find('tr').slice(3).length, table3Rows(t).length);
    });

    test(`every grid row covers the full width (${t})`, () => {
      const r = sampleReport(t, 2);
      for (const g of [table2Grid(r), table3Grid(r), table4Grid(r)]) {
        const grid = expand(g); // throws on overlaps, gaps and overlong rows
        assert.equal(grid.length, g.rows.length);
        for (const row of grid) assert.equal(row.length, g.width);
      }
      assert.deepEqual([table2Grid(r).width, table3Grid(r).width, table4Grid(r).width], [4, 10, 15]);
      const valueCells = table3Grid(r).rows.flat().filter((c) => c.kind === 'value');
      assert.equal(valueCells.length, table3Rows(t).length * TABLE3_COLUMNS.length);
    });
  }

  test('report text is escaped: a <script> renders inert', async () => {
    const r = sampleReport('2021', 5);
    r.sections.overview = '正文<script>alert(1)</script>结束\n"引号" & \'撇号\'';
    r.title = r.title + '<img src=x onerror=alert(2)>';
    r.extraSections = [{ title: '七、<b>附件</b>', text: '<iframe src="javascript:alert(3)"></iframe>' }];
    const html = renderHtml(r);
    assert.ok(!html.includes('<script>alert'), 'no live script element');
    assert.ok(!html.includes('<img src=x'), 'no live img element');
    assert.ok(!html.includes('<iframe'), 'no live iframe');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    const $ = cheerio.load(html);
    assert.equal($('script, img, iframe, b').length, 0);
    assert.equal($('p').filter((_, e) => $(e).text() === '正文<script>alert(1)</script>结束').length, 1);
    for (const spans of [false, true]) {
      const h = renderHtml(r, { spans });
      assert.equal(cheerio.load(h)('script, img, iframe, b').length, 0);
    }
    // And the text comes back as text.
    const got = (await parseBytes(Buffer.from(html))).report;
    assert.ok(got.sections.overview?.includes('<script>alert(1)</script>'), got.sections.overview ?? '');
  });

  test('spans: every non-empty cell text is wrapped in nested spans', () => {
    const html = renderHtml(sampleReport('2019', 4), { spans: true });
    const $ = cheerio.load(html);
    $('td,th').each((_, e) => {
      const text = $(e).text().replace(/\u00a0/g, '').trim();
      if (!text) return;
      assert.ok($(e).find('p > span > span').length >= 1, $(e).html() ?? '');
      assert.equal($(e).find('p > span > span').text(), text);
    });
  });
});

// Minimal reproduction of a recogniser bug found by the Markdown round trip (not in
// src/render): the "## " of an ATX heading is left at the end of the previous section.
// Input: "# X市财政局2023年政府信息公开工作年度报告\n\n## 一、总体情况\n\n正文。\n\n## 五、…"
// Expected: sections.overview === "正文。"; got: "正文。\n##".
describe('recogniser regressions found by the round trips', () => {
  test('Markdown heading marks do not leak into the previous section', () => {
    const md = ['# 临江市财政局2023年政府信息公开工作年度报告', '', '## 一、总体情况', '', '正文。', '', '## 五、存在的主要问题及改进情况', '', '问题。', ''].join('\n');
    assert.equal(parseText(md).report.sections.overview, '正文。');
  });
});

describe('canonical JSON and the render command', () => {
  test('reportFromCanonical keeps what canonical() wrote and ignores unknown keys', () => {
    for (const t of TEMPLATES) {
      const r = sampleReport(t, 8);
      const json = JSON.parse(JSON.stringify({ unknown: { a: 1 }, ...canonical(r) }));
      const back = reportFromCanonical(json);
      assert.deepStrictEqual(canonical(back), canonical({ ...clone(r), infoProcessingFee: undefined }));
    }
    assert.throws(() => reportFromCanonical({ template: '2022' }), /template/);
    assert.throws(() => reportFromCanonical({ template: '2021', table3: { granted: { total: '5' } } }), /table3\.granted\.total/);
  });

  async function run(args: string[]) {
    const p = new Command().exitOverride();
    registerRenderCommands(p);
    await p.parseAsync(['node', 'gongkai', ...args]);
  }

  test('gongkai render: JSON or a report file in, the chosen format out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-render-'));
    try {
      const r = sampleReport('2021', 9);
      writeFileSync(join(dir, 'r.json'), JSON.stringify({ extra: true, ...canonical(r) }));
      for (const fmt of ['html', 'md', 'txt', 'xlsx']) {
        const out = join(dir, `out.${fmt}`);
        await run(['render', join(dir, 'r.json'), '--to', fmt, '-o', out]);
        assertRoundTrip((await parseBytes(readFileSync(out))).report, r);
      }
      // A report file (here the HTML just written) is parsed first.
      await run(['render', join(dir, 'out.html'), '--to', 'txt', '-o', join(dir, 'again.txt')]);
      assertRoundTrip(parseText(readFileSync(join(dir, 'again.txt'), 'utf8')).report, r);
      // Failure: nothing is written, no temporary file is left.
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ template: '2021', table4: { review: { total: 'x' } } }));
      await assert.rejects(run(['render', join(dir, 'bad.json'), '--to', 'html', '-o', join(dir, 'bad.html')]), /table4\.review\.total/);
      assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('bad.html') || f.endsWith('.tmp')), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
