// Authoring (src/author): `gongkai new` writes a blank form; a form filled with a generated
// report's parts (totals left empty) renders with the totals computed; a total that
// disagrees with its parts, or text in a number cell, is an error naming the cell and no file
// is written; --force renders anyway; the drafted narrative agrees with the tables; --from
// carries last year's carried-forward requests into this year's carried-over row.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Command } from 'commander';
import fc from 'fast-check';
import { check, parseText } from '../src/index.js';
import { cellPaths, getCell, type Report } from '../src/model/report.js';
import { APPLICANT_COLUMNS, TABLE3_COLUMNS, TABLE4_GROUPS, type TemplateId } from '../src/model/template.js';
import { canonical } from '../src/model/canonical.js';
import { registerRenderCommands } from '../src/cli/render-commands.js';
import { blankReport, cellFromInput, completeTotals, draftNarrative, formFromPrevious, totalRelations } from '../src/author/index.js';
import { renderMarkdown, table2Grid, table3Grid, table4Grid, expand } from '../src/render/index.js';
import { asParseResult, clone, reportArb, sampleReport } from './gen.js';

const TEMPLATES: TemplateId[] = ['2019', '2021'];

async function run(args: string[]) {
  const p = new Command().exitOverride();
  registerRenderCommands(p);
  const err = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write; // keep test output clean
  try {
    await p.parseAsync(['node', 'gongkai', ...args]);
  } finally {
    process.stderr.write = err;
  }
}

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-author-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Every total the template defines, set to null (what an author may leave empty). */
function dropTotals(r: Report): Report {
  const x = clone(r);
  for (const rel of totalRelations(x.template)) {
    const [table, ...rest] = rel.total.split('.');
    const col = rest.pop()!;
    (x as unknown as Record<string, Record<string, Record<string, number | null>>>)[table][rest.join('.')][col] = null;
  }
  return x;
}

/** The JSON form written by `gongkai new`, filled with the parts (no totals) of `r`. */
function fill(form: Record<string, unknown>, r: Report): Record<string, unknown> {
  const parts = dropTotals(r);
  return { ...form, sections: r.sections, publishedAt: r.publishedAt, table2: parts.table2, table3: parts.table3, table4: parts.table4 };
}

describe('gongkai new', () => {
  test('writes a JSON form (null cells, empty texts) and a fill-in workbook with instructions', withDir(async (dir) => {
    await run(['new', '--template', '2021', '--year', '2025', '--agency', '临江市财政局', '-o', join(dir, 'f.xlsx'), '--json', join(dir, 'f.json')]);
    const form = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'));
    assert.equal(form.template, '2021');
    assert.equal(form.year, 2025);
    assert.equal(form.agency, '临江市财政局');
    assert.equal(form.title, '临江市财政局2025年政府信息公开工作年度报告');
    for (const p of cellPaths('2021')) assert.equal(getCell(form, p), null, p);
    assert.ok(Object.values(form.sections).every((s) => s === ''));
    assert.ok(Array.isArray(form.notes));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(dir, 'f.xlsx')) as unknown as ArrayBuffer);
    assert.deepEqual(wb.worksheets.map((w) => w.name), ['年度报告', '填写说明']);
    // The untouched workbook reads back as the blank report.
    await run(['render', join(dir, 'f.xlsx'), '--to', 'md', '-o', join(dir, 'blank.md')]);
    const back = parseText(readFileSync(join(dir, 'blank.md'), 'utf8')).report;
    assert.equal(back.title, form.title);
    // Refuses to overwrite without --force; an unknown template is refused.
    await assert.rejects(run(['new', '--year', '2025', '--agency', '临江市财政局', '--json', join(dir, 'f.json')]), /--force/);
    await assert.rejects(run(['new', '--template', '2022', '--year', '2025', '--agency', 'X', '--json', join(dir, 'g.json')]));
  }));
});

describe('gongkai render of a filled-in form', () => {
  for (const t of TEMPLATES) {
    test(`totals left empty are computed (${t}, JSON form → md)`, withDir(async (dir) => {
      const year = t === '2021' ? '2023' : '2020';
      await run(['new', '--template', t, '--year', year, '--agency', '临江市财政局', '--json', join(dir, 'form.json')]);
      const form = JSON.parse(readFileSync(join(dir, 'form.json'), 'utf8'));
      for (const [i, r] of fc.sample(reportArb(t, { year: Number(year) }), { seed: 99 + Number(t), numRuns: 5 }).entries()) {
        const want = { ...r, year: form.year, agency: form.agency, title: form.title };
        writeFileSync(join(dir, `in${i}.json`), JSON.stringify(fill(form, want)));
        await run(['render', join(dir, `in${i}.json`), '--to', 'md', '-o', join(dir, `out${i}.md`)]);
        const got = parseText(readFileSync(join(dir, `out${i}.md`), 'utf8')).report;
        assert.deepStrictEqual([got.table2, got.table3, got.table4], [want.table2, want.table3, want.table4]);
        assert.deepStrictEqual(got.uncertain, []);
      }
    }));

    test(`the fill-in workbook, filled in cell by cell, renders with totals (${t}, XLSX → md)`, withDir(async (dir) => {
      const r = sampleReport(t, 12);
      await run(['new', '--template', t, '--year', String(r.year), '--agency', r.agency!, '-o', join(dir, 'f.xlsx')]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(join(dir, 'f.xlsx')) as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('年度报告')!;
      // Fill the value cells at their places in the official layout (as a person would);
      // totals stay empty.
      const parts = dropTotals(r);
      let from = 1;
      for (const g of [table2Grid(r), table3Grid(r), table4Grid(r)]) {
        let top = from;
        while (String(ws.getCell(top, 1).value ?? '') !== g.rows[0][0].text) top++;
        const placed = expand(g);
        placed.forEach((row, ri) => row.forEach((p, ci) => {
          if (p.origin && p.cell.kind === 'value') ws.getCell(top + ri, ci + 1).value = getCell(parts, p.cell.path!) ?? null;
        }));
        from = top + placed.length;
      }
      writeFileSync(join(dir, 'filled.xlsx'), new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
      await run(['render', join(dir, 'filled.xlsx'), '--to', 'md', '-o', join(dir, 'out.md')]);
      const got = parseText(readFileSync(join(dir, 'out.md'), 'utf8')).report;
      assert.deepStrictEqual([got.table2, got.table3, got.table4], [r.table2, r.table3, r.table4]);

      // Text typed into a number cell of the workbook: named, nothing written.
      const cell = (() => {
        const g = table3Grid(r);
        let top = 1;
        while (String(ws.getCell(top, 1).value ?? '') !== g.rows[0][0].text) top++;
        return ws.getCell(top + 3, 4); // 一、本年新收 × 自然人
      })();
      cell.value = '十二';
      writeFileSync(join(dir, 'bad.xlsx'), new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
      await assert.rejects(run(['render', join(dir, 'bad.xlsx'), '--to', 'md', '-o', join(dir, 'bad.md')]), (e: Error) => {
        assert.match(e.message, /表三「一、本年新收政府信息公开申请数量」行「自然人」列应填写数字，却填写了“十二”/);
        assert.match(e.message, /table 3, row “I\. New requests received this year”, column “natural persons” must hold a number/);
        return true;
      });
      assert.equal(existsSync(join(dir, 'bad.md')), false);
    }));
  }

  test('a supplied total that disagrees is an error naming the cell; nothing is written; --force renders', withDir(async (dir) => {
    const r = sampleReport('2021', 4);
    const x = fill(JSON.parse(JSON.stringify(canonical(blankReport({ year: r.year!, agency: r.agency! })))), r) as unknown as Report;
    x.table3.granted.total = (r.table3.granted.total ?? 0) + 1;
    x.table4.review.total = 7;
    x.table4.review.upheld = 1;
    x.table4.review.corrected = 1;
    x.table4.review.other = 1;
    x.table4.review.pending = 1;
    writeFileSync(join(dir, 'in.json'), JSON.stringify(x));
    const out = join(dir, 'out.html');
    await assert.rejects(run(['render', join(dir, 'in.json'), '--to', 'html', '-o', out]), (e: Error) => {
      assert.match(e.message, /\[table3\.granted\.total\] 表三「（一）予以公开」行「总计」列填写为 \d+，但各分项之和为 \d+/);
      assert.match(e.message, /table 3, row “\(1\) Granted”, column “total” is \d+, but its parts add up to \d+/);
      assert.match(e.message, /\[table4\.review\.total\] 表四「行政复议」行「总计」列填写为 7，但各分项之和为 4/);
      return true;
    });
    assert.deepEqual(readdirSync(dir).filter((f) => f !== 'in.json'), []);
    // The supplied total is never overwritten, and --force renders it as given.
    await run(['render', join(dir, 'in.json'), '--to', 'md', '-o', join(dir, 'forced.md'), '--force']);
    const got = parseText(readFileSync(join(dir, 'forced.md'), 'utf8')).report;
    assert.equal(got.table4.review.total, 7);
    assert.equal(got.table3.granted.total, x.table3.granted.total);
  }));

  test('text or a negative count in a JSON number cell is named; unknown template refused', withDir(async (dir) => {
    const r = sampleReport('2019', 5);
    const x = fill(JSON.parse(JSON.stringify(canonical(blankReport({ template: '2019', year: r.year!, agency: r.agency! })))), r) as Record<string, any>;
    x.table3['denied.stateSecret'].legal = '三件';
    x.table4.litigationDirect.pending = -2;
    writeFileSync(join(dir, 'in.json'), JSON.stringify(x));
    await assert.rejects(run(['render', join(dir, 'in.json'), '--to', 'txt', '-o', join(dir, 'o.txt')]), (e: Error) => {
      assert.match(e.message, /表三「（三）不予公开 1\.属于国家秘密」行「法律服务机构」列应填写数字，却填写了“三件”/);
      assert.match(e.message, /表四「行政诉讼·未经复议直接起诉」行「尚未审结」列为 -2，件数应为非负整数/);
      return true;
    });
    assert.equal(existsSync(join(dir, 'o.txt')), false);
    // Numeric text (here full-width) is accepted.
    x.table3['denied.stateSecret'].legal = String(r.table3['denied.stateSecret'].legal).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    x.table4.litigationDirect.pending = String(r.table4.litigationDirect.pending);
    writeFileSync(join(dir, 'in.json'), JSON.stringify(x));
    await run(['render', join(dir, 'in.json'), '--to', 'txt', '-o', join(dir, 'o.txt')]);
    assert.ok(existsSync(join(dir, 'o.txt')));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...x, template: '2020' }));
    await assert.rejects(run(['render', join(dir, 'bad.json'), '--to', 'txt', '-o', join(dir, 'b.txt')]), /未知的报告格式.*Unknown template/s);
  }));

  test('cell input: numbers, numeric text, placeholders (blank), text refused', () => {
    assert.equal(cellFromInput(3), 3);
    assert.equal(cellFromInput(' １２ '), 12);
    assert.equal(cellFromInput('1,234'), 1234);
    assert.equal(cellFromInput('2.5'), 2.5);
    for (const b of [null, '', '/', '／', '—', '无']) assert.equal(cellFromInput(b), null, String(b));
    for (const t of ['三件', 'abc', true, {}]) assert.equal(cellFromInput(t), undefined, String(t));
  });

  test('completeTotals fills a total only when every part is filled', () => {
    const r = dropTotals(sampleReport('2021', 6));
    r.table3.granted.research = null;
    const { filled, problems } = completeTotals(r);
    assert.deepEqual(problems, []);
    assert.equal(r.table3.granted.total, null);
    assert.equal(r.table3.totalHandled.research, null);
    assert.equal(r.table3.totalHandled.total, null);
    assert.ok(filled.includes('table3.totalHandled.naturalPerson'));
    assert.ok(filled.includes('table4.review.total'));
  });
});

describe('narrative from numbers', () => {
  const NUM = /(\d+)件/g;
  for (const t of TEMPLATES) {
    test(`the draft agrees with the tables (${t})`, () => {
      for (const r of fc.sample(reportArb(t), { seed: 5 + Number(t), numRuns: 40 })) {
        const d = draftNarrative(r);
        const x = clone(r);
        x.sections.requests = d.requests;
        x.sections.reviewLitigation = d.reviewLitigation;
        // The overview of generated reports states the received count too: keep only the draft.
        x.sections.overview = '';
        const f = check(asParseResult(x)).filter((f) => f.ruleId === 'narrative-tables');
        assert.deepEqual(f, [], d.requests + d.reviewLitigation);
        const t3 = r.table3;
        const sum = (prefix: string) => Object.keys(t3).filter((k) => k.startsWith(prefix + '.')).reduce((a, k) => a + (t3[k].total ?? 0), 0);
        const quiet = [t3.newReceived, t3.carriedOver, t3.carriedForward, t3.totalHandled].every((row) => row.total === 0);
        const want3 = [t3.newReceived.total, t3.carriedOver.total, t3.granted.total, t3.partiallyGranted.total, sum('denied'), sum('unavailable'), sum('notProcessed'), sum('other'), t3.carriedForward.total];
        const got3 = [...d.requests.matchAll(NUM)].map((m) => Number(m[1]));
        // Zero counts of 一/二/四 are said in words ("未收到…", "无上年结转…"), the outcomes always as numbers.
        const expect3 = quiet ? [] : want3.filter((v, i) => !((i === 0 || i === 1 || i === 8) && v === 0));
        assert.deepEqual(got3, expect3, d.requests);
        if (t3.newReceived.total === 0) assert.match(d.requests, /^本年度未收到政府信息公开申请/);
        else assert.match(d.requests, new RegExp(`^本年度共收到政府信息公开申请${t3.newReceived.total}件`));
        const t4 = r.table4;
        if (TABLE4_GROUPS.every((g) => t4[g].total === 0)) assert.match(d.reviewLitigation, /^本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。$/);
        else {
          const got4 = [...d.reviewLitigation.matchAll(NUM)].map((m) => Number(m[1]));
          const want4: number[] = [];
          if (t4.review.total) want4.push(t4.review.total, t4.review.upheld!, t4.review.corrected!, t4.review.other!, t4.review.pending!);
          const lit = (t4.litigationDirect.total ?? 0) + (t4.litigationAfterReview.total ?? 0);
          if (lit) want4.push(lit);
          for (const g of ['litigationDirect', 'litigationAfterReview'] as const) if (t4[g].total) want4.push(t4[g].total!, t4[g].upheld!, t4[g].corrected!, t4[g].other!, t4[g].pending!);
          assert.deepEqual(got4, want4, d.reviewLitigation);
        }
      }
    });
  }

  test('a draft that disagrees would be caught: the rule sees the numbers', () => {
    const r = sampleReport('2021', 3);
    r.table3.newReceived.total = 5;
    const d = draftNarrative(r);
    r.table3.newReceived.total = 6;
    r.sections.requests = d.requests;
    assert.ok(check(asParseResult(r)).some((f) => f.ruleId === 'narrative-tables'));
  });

  test('render --narrative fills empty sections 三 and 四 with the draft', withDir(async (dir) => {
    const r = sampleReport('2021', 8);
    r.sections.requests = '';
    r.sections.reviewLitigation = '';
    writeFileSync(join(dir, 'r.json'), JSON.stringify(canonical(r)));
    await run(['render', join(dir, 'r.json'), '--to', 'md', '--narrative', '-o', join(dir, 'r.md')]);
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    assert.ok(md.includes(draftNarrative(r).requests));
    assert.ok(md.includes(draftNarrative(r).reviewLitigation));
  }));
});

describe('gongkai new --from last year’s report', () => {
  for (const t of TEMPLATES) {
    test(`carries 结转下年度 into 上年结转, keeps section titles, year + 1 (${t})`, withDir(async (dir) => {
      const prev = sampleReport(t, 21);
      prev.sectionTitles.problems = '五、存在的主要问题及改进措施';
      writeFileSync(join(dir, 'prev.md'), renderMarkdown(prev));
      await run(['new', '--from', join(dir, 'prev.md'), '--json', join(dir, 'next.json'), '-o', join(dir, 'next.xlsx')]);
      const next = JSON.parse(readFileSync(join(dir, 'next.json'), 'utf8'));
      assert.equal(next.year, prev.year! + 1);
      assert.equal(next.agency, prev.agency);
      assert.equal(next.template, prev.year! + 1 >= 2021 ? '2021' : '2019');
      for (const c of TABLE3_COLUMNS) assert.equal(next.table3.carriedOver[c], prev.table3.carriedForward[c], c);
      for (const c of APPLICANT_COLUMNS) assert.equal(next.table3.newReceived[c], null);
      assert.equal(next.sectionTitles.problems, '五、存在的主要问题及改进措施');
      if (prev.template === '2021') {
        assert.ok(next.notes.some((n: string) => n.includes(`规章${prev.table2.regulations.inForce}件`) && n.includes(`行政规范性文件${prev.table2.normativeDocuments.inForce}件`)), next.notes.join('\n'));
      }
      // The workbook's instructions sheet carries the same notes.
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(join(dir, 'next.xlsx')) as unknown as ArrayBuffer);
      const ins: string[] = [];
      wb.getWorksheet('填写说明')!.eachRow((row) => ins.push(String(row.getCell(1).value)));
      for (const n of next.notes) assert.ok(ins.some((l) => l.includes(n)), n);
    }));
  }

  test('formFromPrevious in process', () => {
    const prev = sampleReport('2021', 2);
    const { report, notes } = formFromPrevious(prev);
    assert.equal(report.year, prev.year! + 1);
    assert.deepEqual(report.table3.carriedOver, prev.table3.carriedForward);
    assert.equal(notes.length, 2);
  });
});
