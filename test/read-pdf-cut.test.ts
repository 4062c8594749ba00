// Tables cut by the PDF page edge: a table wider than the page (LibreOffice, Word and WPS print
// it as is) loses the columns past the edge. Those cells must come out unknown (null and listed
// in `uncertain`), never blank and never as the first digit that stayed visible.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFile } from '../src/index.js';
import type { Block, Cell, Document } from '../src/read/document.js';
import { layoutPage, splitItem, type Glyph, type PageInput, type Rule } from '../src/read/pdf-layout.js';
import { readPdf } from '../src/read/pdf.js';
import { readText } from '../src/read/text.js';
import { recognize } from '../src/recognize/index.js';
import { reportFromCanonical, renderHtml } from '../src/render/index.js';
import { TABLE3_COLUMNS } from '../src/model/template.js';
import { CORPUS } from './helpers.js';

// A4 as LibreOffice writes it.
const W = 595.303937007874;
const H = 841.889763779528;

function run(str: string, x: number, width: number, top: number, size = 10): Glyph[] {
  return splitItem(str, x, width, top, top + size, top + 0.8 * size, size, false);
}

function ruled(xs: number[], ys: number[]): Rule[] {
  const rules: Rule[] = [];
  for (const y of ys) rules.push({ dir: 'h', a: y, b0: xs[0], b1: xs[xs.length - 1] });
  for (const x of xs) rules.push({ dir: 'v', a: x, b0: ys[0], b1: ys[ys.length - 1] });
  return rules;
}

function blocksOf(p: PageInput): Block[] {
  return layoutPage(p).map((x) => x.block);
}

const rows = (bs: Block[]) => bs.filter((b): b is Extract<Block, { kind: 'row' }> => b.kind === 'row');
const cutFlags = (cells: Cell[]) => cells.map((c) => c.cut === true);

describe('layoutPage marks cells cut by the page edge', () => {
  // LibreOffice clips the rules of an over-wide table at the page edge: 595.2999 on a page 595.3039 wide.
  const xs = [56.8, 200, 300, 400, 500, 588.7, 595.2999];
  const ys = [100, 120, 140];

  test('a last column whose rule lies on the right page edge is cut; a glyph running past the edge belongs to it', () => {
    const glyphs = [
      ...run('A', 60, 6, 105),
      ...run('12', 210, 11, 105),
      ...run('0', 310, 5.5, 105),
      ...run('5', 410, 5.5, 105),
      ...run('7', 510, 5.5, 105),
      ...run('B', 60, 6, 125),
      ...run('3', 310, 5.5, 125),
      // "3119" drawn from x 594: only its first digit is on the page.
      ...run('3119', 594, 22, 125),
    ];
    const bs = blocksOf({ page: 1, width: W, height: H, glyphs, rules: ruled(xs, ys) });
    assert.deepEqual(bs.filter((b) => b.kind === 'para'), [], 'the digits past the edge are no running text');
    const [r1, r2] = rows(bs);
    assert.deepEqual(r1.cells.map((c) => c.text), ['A', '12', '0', '5', '7', '']);
    assert.deepEqual(cutFlags(r1.cells), [false, false, false, false, false, true]);
    assert.equal(r2.cells[5].text.startsWith('3'), true);
    assert.deepEqual(cutFlags(r2.cells), [false, false, false, false, false, true]);
  });

  test('a table whose border lies 0.6 pt inside the edge (Chromium) is whole: its empty last cell is blank', () => {
    const inside = [...xs.slice(0, -1), W - 0.6];
    const glyphs = [...run('A', 60, 6, 105), ...run('12', 210, 11, 105)];
    const [r1] = rows(blocksOf({ page: 1, width: W, height: H, glyphs, rules: ruled(inside, ys) }));
    assert.equal(r1.cells[5].text, '');
    assert.deepEqual(cutFlags(r1.cells), [false, false, false, false, false, false]);
  });

  test('a grid reaching the left edge: its first column is cut and the glyphs left of the page go to it', () => {
    const left = [0, 19.5, 113.6, 360.1, 400.6];
    const glyphs = [...run('议', -9.9, 12, 105, 12), ...run('申请', 30, 24, 105, 12), ...run('821', 120, 17, 105)];
    const bs = blocksOf({ page: 1, width: W, height: H, glyphs, rules: ruled(left, ys) });
    assert.deepEqual(bs.filter((b) => b.kind === 'para'), []);
    const [r1] = rows(bs);
    assert.deepEqual(r1.cells.map((c) => c.text), ['议', '申请', '821', '']);
    assert.deepEqual(cutFlags(r1.cells), [true, false, false, false]);
  });

  test('rules drawn on past the page edge: every cell reaching past it is cut, whatever pdfjs reports in it', () => {
    const wide = [56.8, 300, 560, 620, 680];
    const glyphs = [...run('A', 60, 6, 105), ...run('12', 310, 11, 105), ...run('4', 570, 5.5, 105), ...run('5', 630, 5.5, 105)];
    const [r1] = rows(blocksOf({ page: 1, width: W, height: H, glyphs, rules: ruled(wide, ys) }));
    assert.deepEqual(r1.cells.map((c) => c.text), ['A', '12', '4', '5']);
    assert.deepEqual(cutFlags(r1.cells), [false, false, true, true]);
  });

  test('a grid reaching the bottom edge: its last row is cut', () => {
    const low = [800, 820, H - 0.004];
    const glyphs = [...run('A', 60, 6, 805), ...run('12', 210, 11, 805), ...run('B', 60, 6, 825), ...run('4', 210, 5.5, 825)];
    const [r1, r2] = rows(blocksOf({ page: 1, width: W, height: H, glyphs, rules: ruled(xs.slice(0, 3), low) }));
    assert.deepEqual(cutFlags(r1.cells), [false, false]);
    assert.deepEqual(cutFlags(r2.cells), [true, true]);
  });

  test('unruled text crossing the page edge: the piece that crosses is a cut cell', () => {
    const glyphs = [...run('本年新收', 60, 40, 300), ...run('12', 300, 11, 300), ...run('3119', 590, 22, 300)];
    const [r] = rows(blocksOf({ page: 1, width: W, height: H, glyphs, rules: [] }));
    assert.deepEqual(r.cells.map((c) => c.text), ['本年新收', '12', '3119']);
    assert.deepEqual(cutFlags(r.cells), [false, false, true]);
  });
});

// ---------------------------------------------------------------------------------------------
// The recogniser: a cut cell keeps its column and is unknown.

const SEED1 = readFileSync(join(CORPUS, 'seeds', '001_6924ad0fa9f0fb17', 'source.txt'), 'utf8')
  .replace('一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |', '一、本年新收政府信息公开申请数量 | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |')
  .replace('(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 0 | 0 | 0 | 0 | 0 | 0 | 0 |', '(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 7 | 0 | 0 | 0 | 0 | 0 | 7 |');

/** The seed as a Document, with the last value cell of every table-3 row and of table 4 replaced. */
function withLastCells(replace: (c: Cell) => Cell): Document {
  const doc = readText(SEED1);
  const i3 = doc.blocks.findIndex((b) => b.kind === 'para' && b.text.startsWith('三、收到和处理'));
  const i5 = doc.blocks.findIndex((b) => b.kind === 'para' && b.text.startsWith('五、'));
  doc.blocks = doc.blocks.map((b, i) => {
    if (b.kind !== 'row' || i < i3 || i > i5) return b;
    let last = -1;
    b.cells.forEach((c, k) => {
      if (/^\d+$/.test(c.text.trim())) last = k;
    });
    if (last < 0) return b;
    return { ...b, cells: b.cells.map((c, k) => (k === last ? replace(c) : c)) };
  });
  return doc;
}

test('a table-3 or table-4 cell cut by the page edge is null and uncertain; the row keeps its other values in place', () => {
  // Fully cut (nothing visible) and partly cut ("3" of 3119) alike.
  const r = recognize(withLastCells((c) => ({ ...c, text: c.text.trim() === '3119' ? '3' : '', cut: true })));
  const rep = r.report;
  assert.deepEqual(Object.values(rep.table3.newReceived), [3001, 53, 0, 0, 61, 4, null]);
  assert.deepEqual(Object.values(rep.table3.partiallyGranted), [7, 0, 0, 0, 0, 0, null]);
  for (const row of Object.keys(rep.table3)) {
    assert.equal(rep.table3[row].total, null, row);
    assert.ok(rep.uncertain.includes(`table3.${row}.total`), `table3.${row}.total not uncertain`);
    for (const c of TABLE3_COLUMNS.slice(0, 6)) assert.ok(!rep.uncertain.includes(`table3.${row}.${c}`), `table3.${row}.${c}`);
  }
  assert.equal(rep.table4.litigationAfterReview.total, null);
  assert.ok(rep.uncertain.includes('table4.litigationAfterReview.total'));
  assert.equal(rep.uncertain.filter((p) => p.startsWith('table4.')).length, 1, rep.uncertain.join(' '));
  assert.equal(rep.table4.review.upheld, 0);
});

test('a table-4 header cell cut by the page edge is no value: the values row is still read', () => {
  const doc = withLastCells((c) => ({ ...c, text: '', cut: true }));
  // The header row over the 15 values (the last one naming 尚未审结), and its last 总计.
  const header = [...doc.blocks].reverse().find((b) => b.kind === 'row' && b.cells.some((c) => c.text.replace(/\s/g, '') === '尚未审结')) as Extract<Block, { kind: 'row' }>;
  const k = header.cells.map((c) => c.text.trim()).lastIndexOf('总计');
  header.cells[k] = { ...header.cells[k], text: '', cut: true };
  const rep = recognize(doc).report;
  assert.deepEqual(rep.uncertain.filter((p) => p.startsWith('table4.')), ['table4.litigationAfterReview.total']);
  assert.equal(rep.table4.litigationDirect.total, 0);
});

test('the same empty cells without the cut mark are read as published blanks (what the mark prevents)', () => {
  const r = recognize(withLastCells((c) => ({ ...c, text: '' })));
  assert.equal(r.report.table3.newReceived.total, null);
  assert.ok(!r.report.uncertain.includes('table3.newReceived.total'));
});

test('a table-2 cell cut by the page edge is uncertain, not its visible digit', () => {
  const doc = readText(SEED1.replace('行政规范性文件 | 0 | 0 | 0 |', '行政规范性文件 | 8 | 26 | 66 |'));
  const row = doc.blocks.find((b) => b.kind === 'row' && b.cells[0].text === '行政规范性文件') as Extract<Block, { kind: 'row' }>;
  row.cells[3] = { ...row.cells[3], text: '6', cut: true };
  const r = recognize(doc);
  assert.deepEqual(r.report.table2.normativeDocuments, { issued: 8, repealed: 26, inForce: null });
  assert.ok(r.report.uncertain.includes('table2.normativeDocuments.inForce'));
});

// ---------------------------------------------------------------------------------------------
// A real clipped PDF: our HTML of a report, through LibreOffice HTML → DOCX → PDF. Writer keeps the
// HTML table's width in the DOCX, which is wider than the A4 text area, and the PDF export clips
// the 总计 column at the page edge.

const HAS_SOFFICE = (() => {
  const r = spawnSync('soffice', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return !r.error && r.status === 0;
})();

describe('a LibreOffice PDF whose table runs past the page edge', { skip: HAS_SOFFICE ? false : 'soffice (LibreOffice) is not on PATH' }, () => {
  let work = '';
  let profile = '';
  let pdf = '';
  const truth = JSON.parse(readFileSync(join(CORPUS, 'real', 'govnianbao-huaian-2024', 'truth.json'), 'utf8'));

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'gk-cut-'));
    profile = join(tmpdir(), `gk-lo-cut-${process.pid}`);
    const lo = (args: string[]) => {
      const r = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=${pathToFileURL(profile).href}`, ...args], { encoding: 'utf8', timeout: 120_000 });
      if (r.error) throw r.error;
      return `${r.stdout}\n${r.stderr}`;
    };
    writeFileSync(join(work, 'report.html'), renderHtml(reportFromCanonical(truth)));
    const o1 = lo(['--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, join(work, 'report.html')]);
    assert.ok(existsSync(join(work, 'report.docx')), o1);
    const o2 = lo(['--convert-to', 'pdf', '--outdir', join(work, 'pdf'), join(work, 'report.docx')]);
    pdf = join(work, 'pdf', 'report.pdf');
    assert.ok(existsSync(pdf), o2);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test('the reader marks the edge cells cut', async () => {
    const { doc } = await readPdf(new Uint8Array(readFileSync(pdf)), 'cut.pdf');
    const row = doc.blocks.find((b) => b.kind === 'row' && /本年新收/.test(b.cells[0].text)) as Extract<Block, { kind: 'row' }> | undefined;
    assert.ok(row, 'table 3 row 一 found');
    const box = row.cells[row.cells.length - 1].place.box!;
    // The premise: LibreOffice still prints this table past the page edge.
    assert.ok(box[0] + box[2] > W - 0.1, `last cell ends at ${box[0] + box[2]}, inside the page`);
    assert.equal(row.cells[row.cells.length - 1].cut, true);
    assert.ok(row.cells.slice(0, -1).every((c) => !c.cut), 'only the edge cell is cut');
  });

  test('every cut total is null and uncertain, every other value as published', async () => {
    const r = await parseFile(pdf);
    const rep = r.report;
    for (const [row, cols] of Object.entries(truth.table3 as Record<string, Record<string, number | null>>)) {
      const path = `table3.${row}.total`;
      assert.equal(rep.table3[row].total, null, path);
      assert.ok(rep.uncertain.includes(path), `${path} not uncertain`);
      for (const c of TABLE3_COLUMNS.slice(0, 6)) assert.equal(rep.table3[row][c], cols[c], `table3.${row}.${c}`);
    }
    assert.ok(rep.uncertain.includes('table4.litigationAfterReview.total'));
    assert.equal(rep.table4.litigationAfterReview.total, null);
    assert.equal(rep.table4.review.total, truth.table4.review.total);
  });
});

// ---------------------------------------------------------------------------------------------
// Text taken from a clipped PDF (pdftotext -layout): only the leading digits of a cut total are
// left, and nothing marks the cell. A total printed as a proper digit prefix of its parts' sum is
// taken for such a remnant; other wrong totals stay as printed (published errors).

const row1 = '一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |';
const t4values = '0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |';

test('a total that is the leading digit of its parts\' sum (3 of 3119) is uncertain, in table 3 and table 4', () => {
  const src = SEED1.replace('一、本年新收政府信息公开申请数量 | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |', '一、本年新收政府信息公开申请数量 | 3001 | 53 | 0 | 0 | 61 | 4 | 3 |').replace(t4values, '8 | 4 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
  assert.notEqual(src, SEED1);
  const rep = recognize(readText(src)).report;
  assert.deepEqual(Object.values(rep.table3.newReceived), [3001, 53, 0, 0, 61, 4, null]);
  assert.ok(rep.uncertain.includes('table3.newReceived.total'));
  assert.equal(rep.table4.review.total, null);
  assert.ok(rep.uncertain.includes('table4.review.total'));
  assert.equal(rep.table4.review.upheld, 8);
});

test('published wrong totals that are no cut remnant stay as printed: 0 against 11, 12 against 11', () => {
  const src = SEED1.replace(/一、本年新收政府信息公开申请数量 \| [^\n]*/, row1.replace('| 0 | 0 | 0 | 0 | 0 | 0 | 0 |', '| 5 | 6 | 0 | 0 | 0 | 0 | 12 |')).replace(t4values, '8 | 3 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
  const rep = recognize(readText(src)).report;
  assert.equal(rep.table3.newReceived.total, 12);
  assert.equal(rep.table4.review.total, 0);
  assert.deepEqual(rep.uncertain.filter((p) => p.startsWith('table3.newReceived') || p.startsWith('table4.')), []);
});
