// PDF reader: the corpus PDFs end to end, hand-built PDFs for tables, merges, split numbers,
// page furniture, and the error cases (no text layer, encrypted, truncated).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFile, parseBytes } from '../src/index.js';
import { GongkaiError } from '../src/errors.js';
import { readPdf } from '../src/read/pdf.js';
import type { Block } from '../src/read/document.js';
import { CORPUS } from './helpers.js';

const CASES = ['real/govnianbao-huaian-2024', 'real/kiro-hongze-2023', 'rendered/sh-office-2019~chromium-pdf'];

// ---------------------------------------------------------------------------------------------
// A tiny PDF writer: one or more pages, Helvetica text and stroked lines.

interface Page {
  ops: string[];
}

function buildPdf(pages: Page[], opts: { encrypt?: boolean; rotate?: number } = {}): Uint8Array {
  const objs: string[] = [];
  const add = (s: string) => {
    objs.push(s);
    return objs.length;
  };
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const p of pages) {
    const content = p.ops.join('\n');
    const c = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 595 842]${opts.rotate ? ` /Rotate ${opts.rotate}` : ''} /Contents ${c} 0 R /Resources << /Font << /F1 ${font} 0 R >> >> >>`));
  }
  objs[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objs[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let enc = 0;
  if (opts.encrypt) {
    // Standard security handler whose /U does not match the empty password: a reader must ask for one.
    const hex = (n: number) => Array.from({ length: n }, (_, i) => ((i * 37 + 11) & 255).toString(16).padStart(2, '0')).join('');
    enc = add(`<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <${hex(32)}> /U <${hex(32).split('').reverse().join('')}> >>`);
  }
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  const id = '<0123456789abcdef0123456789abcdef>';
  out += `trailer\n<< /Size ${objs.length + 1} /Root ${catalog} 0 R${enc ? ` /Encrypt ${enc} 0 R /ID [${id} ${id}]` : ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
/** Text at (x, yTop) with y measured from the top of the page (baseline about 8pt lower). */
const text = (x: number, yTop: number, s: string, size = 10) => `BT /F1 ${size} Tf ${x.toFixed(2)} ${(842 - yTop - size * 0.8).toFixed(2)} Td (${esc(s)}) Tj ET`;
const line = (x0: number, y0: number, x1: number, y1: number) => `0.5 w ${x0} ${842 - y0} m ${x1} ${842 - y1} l S`;
const HELV_DIGIT = 5.56; // Helvetica digit advance at 10pt

// Deterministic PRNG (mulberry32).
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Spec {
  pdf: Uint8Array;
  expected: string[][]; // rows of cell texts, in order
}

/**
 * A ruled table: a header row whose cells 1–2 are merged (colspan 2), a label cell spanning two
 * rows (rowspan 2), random numbers (some drawn as two runs), random blank cells, a page number.
 */
function randomTable(seed: number): Spec {
  const r = rng(seed);
  const cols = 3 + Math.floor(r() * 4); // value columns
  const rows = 2 + Math.floor(r() * 5);
  const x0 = 60;
  const labelW = 110;
  const colW = 60 + Math.floor(r() * 20);
  const rowH = 24;
  const top = 120;
  const xs = [x0, x0 + labelW, ...Array.from({ length: cols }, (_, i) => x0 + labelW + (i + 1) * colW)];
  const ys = Array.from({ length: rows + 2 }, (_, i) => top + i * rowH);
  const ops: string[] = [text(60, 80, 'Table heading line')];
  const expected: string[][] = [['Table heading line']];
  // Header row: "Item" | "AB" (colspan 2) | "H3" …
  const header = ['Item', 'AB', ...Array.from({ length: cols - 2 }, (_, i) => `H${i + 3}`)];
  ops.push(text(xs[0] + 4, ys[0] + 6, 'Item'), text(xs[1] + 4, ys[0] + 6, 'AB'));
  for (let c = 2; c < cols; c++) ops.push(text(xs[c + 1] + 4, ys[0] + 6, `H${c + 1}`));
  expected.push(header);
  const spanRow = rows >= 2 ? 1 + Math.floor(r() * (rows - 1)) : -1; // data row whose label spans into the next
  for (let i = 0; i < rows; i++) {
    const y = ys[i + 1];
    const cells: string[] = [];
    if (i !== spanRow + 1 || spanRow < 0) {
      const label = i === spanRow ? `Span ${i}` : `Row ${i}`;
      ops.push(text(xs[0] + 4, y + 6, label));
      cells.push(label);
    }
    for (let c = 0; c < cols; c++) {
      const blank = r() < 0.25;
      if (blank) {
        cells.push('');
        continue;
      }
      const v = String(Math.floor(r() ** 3 * 10_000_000));
      const x = xs[c + 1] + 6 + Math.floor(r() * 10);
      if (v.length >= 2 && r() < 0.5) {
        // One number as two runs, the second starting where the first ends (plus a hair).
        const k = 1 + Math.floor(r() * (v.length - 1));
        ops.push(text(x, y + 6, v.slice(0, k)), text(x + k * HELV_DIGIT + r() * 1.5, y + 6, v.slice(k)));
      } else ops.push(text(x, y + 6, v));
      cells.push(v);
    }
    expected.push(cells);
  }
  const bottom = ys[ys.length - 1];
  // Horizontal rules: full width, except between the span row and the next in the label column.
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (spanRow >= 0 && i === spanRow + 2) ops.push(line(xs[1], y, xs[xs.length - 1], y));
    else ops.push(line(xs[0], y, xs[xs.length - 1], y));
  }
  // Vertical rules: full height, except between header cells 1 and 2 (the colspan).
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j];
    if (j === 2) ops.push(line(x, ys[1], x, bottom));
    else ops.push(line(x, ys[0], x, bottom));
  }
  ops.push(text(60, bottom + 30, 'Text after the table.'));
  expected.push(['Text after the table.']);
  ops.push(text(290, 800, '- 1 -'));
  return { pdf: buildPdf([{ ops }]), expected };
}

const texts = (blocks: Block[]) => blocks.map((b) => (b.kind === 'para' ? [b.text] : b.cells.map((c) => c.text)));

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    assert.ok(e instanceof GongkaiError, `expected a GongkaiError, got ${String(e)}`);
    return (e as GongkaiError).code;
  }
}

// ---------------------------------------------------------------------------------------------

const same = (a: unknown, b: unknown) => (a === null || b === null ? a === b : typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 1e-9);

for (const id of CASES) {
  const dir = join(CORPUS, id);
  test(`corpus PDF ${id}: every truth cell right or flagged, none silently wrong`, { skip: !existsSync(join(dir, 'source.pdf')) }, async () => {
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    const r = await parseFile(join(dir, 'source.pdf'));
    assert.equal(r.info.format, 'pdf');
    const uncertain = new Set(r.report.uncertain);
    const wrong: string[] = [];
    for (const t of ['table2', 'table3', 'table4'] as const) {
      for (const [row, colsObj] of Object.entries(truth[t] ?? {})) {
        for (const [col, want] of Object.entries(colsObj as Record<string, unknown>)) {
          if (want === '?') continue;
          const path = `${t}.${row}.${col}`;
          const got = (r.report as any)[t]?.[row]?.[col];
          const ok = Array.isArray(want) ? want.some((w) => same(w, got)) : same(want, got);
          if (!ok && !uncertain.has(path)) wrong.push(`${path}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });
}

test('huaian: a large number is read as one number, with page and box provenance', { skip: !existsSync(join(CORPUS, CASES[0], 'source.pdf')) }, async () => {
  const r = await parseFile(join(CORPUS, CASES[0], 'source.pdf'));
  assert.equal(r.report.table2.licensing.decisions, 447228);
  assert.equal(r.report.table2.punishment.decisions, 3985758);
  const p = r.provenance.cells['table3.newReceived.total'];
  assert.ok(p, 'provenance for table3.newReceived.total');
  assert.equal(typeof p.place.page, 'number');
  assert.equal(p.place.box?.length, 4);
});

test('huaian document: page numbers removed, headings are paragraphs, table rows are rows', { skip: !existsSync(join(CORPUS, CASES[0], 'source.pdf')) }, async () => {
  const { doc } = await readPdf(new Uint8Array(readFileSync(join(CORPUS, CASES[0], 'source.pdf'))), 'huaian');
  assert.equal(doc.format, 'pdf');
  assert.equal(doc.meta?.title, '政府信息公开工作年度报告');
  assert.match(doc.meta?.created ?? '', /^2025-02-25T10:02:50\+08:00$/);
  const paras = doc.blocks.filter((b) => b.kind === 'para').map((b) => (b as { text: string }).text);
  assert.ok(!paras.some((t) => /^-\s*\d+\s*-$/.test(t)), 'no "- N -" page numbers');
  assert.ok(paras.includes('三、收到和处理政府信息公开申请情况'));
  const rows = doc.blocks.filter((b) => b.kind === 'row') as Extract<Block, { kind: 'row' }>[];
  const first = rows.find((b) => b.cells.some((c) => c.text === '一、本年新收政府信息公开申请数量'))!;
  assert.deepEqual(first.cells.map((c) => c.text), ['一、本年新收政府信息公开申请数量', '3001', '53', '0', '0', '61', '4', '3119']);
  // The vertical header "三、本年度办理结果" (one character per line) is one cell.
  assert.ok(rows.some((b) => b.cells[0]?.text === '三、本年度办理结果'));
  // Headings and rows interleave in reading order.
  const i3 = doc.blocks.findIndex((b) => b.kind === 'para' && b.text === '三、收到和处理政府信息公开申请情况');
  const iRow = doc.blocks.indexOf(first);
  const i4 = doc.blocks.findIndex((b) => b.kind === 'para' && b.text.startsWith('四、政府信息公开行政复议'));
  assert.ok(i3 < iRow && iRow < i4);
});

test('sh-office (Chromium print): blank cells stay blank and in their column', { skip: !existsSync(join(CORPUS, CASES[2], 'source.pdf')) }, async () => {
  const { doc } = await readPdf(new Uint8Array(readFileSync(join(CORPUS, CASES[2], 'source.pdf'))), 'sh');
  const row = doc.blocks.find((b) => b.kind === 'row' && b.cells[0].text === '一、本年新收政府信息公开申请数量') as Extract<Block, { kind: 'row' }>;
  assert.ok(row);
  assert.equal(row.blanksReliable, true);
  assert.deepEqual(row.cells.map((c) => c.text), ['一、本年新收政府信息公开申请数量', '821', '35', '', '', '2', '1', '859']);
});

test('hand-built ruled tables: columns, blanks, colspan/rowspan, split numbers (property-style, 25 seeds)', async () => {
  for (let seed = 1; seed <= 25; seed++) {
    const { pdf, expected } = randomTable(seed);
    const { doc } = await readPdf(pdf, `seed-${seed}`);
    assert.deepEqual(texts(doc.blocks), expected, `seed ${seed}`);
    for (const b of doc.blocks) {
      assert.equal(b.place.page, 1);
      assert.equal(b.place.box?.length, 4);
      if (b.kind === 'row') assert.equal(b.blanksReliable, true);
    }
  }
});

test('a cell wrapped over two lines is one cell', async () => {
  const ops = [
    line(60, 100, 300, 100),
    line(60, 140, 300, 140),
    line(60, 100, 60, 140),
    line(180, 100, 180, 140),
    line(300, 100, 300, 140),
    text(64, 104, 'first part'),
    text(64, 120, 'second part'),
    text(184, 110, '12'),
    text(184 + 2 * HELV_DIGIT + 0.5, 110, '34'),
  ];
  const { doc } = await readPdf(buildPdf([{ ops }]), 'wrap');
  assert.deepEqual(texts(doc.blocks), [['first part second part', '1234']]);
});

test('a table cut by a page break: the continued rowspan cell is omitted, not blank', async () => {
  const p1 = [text(60, 60, 'Heading'), line(60, 700, 400, 700), line(200, 730, 400, 730), line(60, 700, 60, 760), line(200, 700, 200, 760), line(300, 700, 300, 760), line(400, 700, 400, 760), text(64, 705, 'Group'), text(204, 705, 'a'), text(304, 705, '5'), text(204, 735, 'b'), text(304, 735, '6')];
  const p2 = [line(60, 60, 400, 60), line(60, 90, 400, 90), line(60, 60, 60, 90), line(200, 60, 200, 90), line(300, 60, 300, 90), line(400, 60, 400, 90), text(204, 65, 'c'), text(304, 65, '7'), text(60, 120, 'After.')];
  const { doc } = await readPdf(buildPdf([{ ops: p1 }, { ops: p2 }]), 'cut');
  assert.deepEqual(texts(doc.blocks), [['Heading'], ['Group', 'a', '5'], ['b', '6'], ['c', '7'], ['After.']]);
  // …but a value row continued on a new page keeps its leading blank value cells.
  const q1 = [text(60, 60, 'Heading'), line(60, 700, 400, 700), line(60, 730, 400, 730), ...[60, 200, 300, 400].map((x) => line(x, 700, x, 760)), text(64, 705, 'A'), text(204, 705, 'B'), text(304, 705, 'C')];
  const q2 = [line(60, 60, 400, 60), line(60, 90, 400, 90), ...[60, 200, 300, 400].map((x) => line(x, 60, x, 90)), text(304, 65, '7')];
  const r2 = await readPdf(buildPdf([{ ops: q1 }, { ops: q2 }]), 'cut2');
  assert.deepEqual(texts(r2.doc.blocks), [['Heading'], ['A', 'B', 'C'], ['', '', '7']]);
});

test('a landscape page (/Rotate 90) reads in display orientation', async () => {
  // Content drawn in landscape coordinates (842 × 595), mapped onto the portrait MediaBox.
  const H = 595;
  const t = (x: number, y: number, s: string) => `BT /F1 10 Tf ${x} ${H - y - 8} Td (${s}) Tj ET`;
  const l = (x0: number, y0: number, x1: number, y1: number) => `0.5 w ${x0} ${H - y0} m ${x1} ${H - y1} l S`;
  const ops = ['q 0 1 -1 0 595 0 cm', l(60, 100, 700, 100), l(60, 130, 700, 130), l(60, 160, 700, 160), ...[60, 300, 500, 700].map((x) => l(x, 100, x, 160)), t(64, 106, 'Label A'), t(304, 106, '12'), t(504, 106, '345'), t(64, 136, 'Label B'), t(504, 136, '6'), 'Q'];
  const { doc } = await readPdf(buildPdf([{ ops }], { rotate: 90 }), 'landscape');
  assert.deepEqual(texts(doc.blocks), [['Label A', '12', '345'], ['Label B', '', '6']]);
});

test('an unruled table: label and numbers far apart become a row whose blanks are not trusted', async () => {
  const ops = [text(60, 100, 'Some running text here.'), text(60, 130, 'Row label'), text(300, 130, '12'), text(400, 130, '7'), text(290, 800, '3')];
  const { doc } = await readPdf(buildPdf([{ ops }]), 'unruled');
  assert.deepEqual(texts(doc.blocks), [['Some running text here.'], ['Row label', '12', '7']]);
  const row = doc.blocks[1];
  assert.ok(row.kind === 'row' && row.blanksReliable === false);
});

test('a PDF without a text layer is "scanned-pdf" (needs OCR)', async () => {
  const pdf = buildPdf([{ ops: ['1 w 100 100 300 200 re S', '0.5 g 120 120 50 50 re f'] }]);
  assert.equal(await code(readPdf(pdf, 'scan.pdf')), 'scanned-pdf');
  try {
    await parseBytes(pdf, 'scan.pdf');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof GongkaiError);
    assert.equal(e.code, 'scanned-pdf');
    assert.match(e.text.zh, /OCR/);
    assert.match(e.text.en, /OCR/);
  }
});

test('an encrypted PDF is "encrypted-pdf"', async () => {
  const pdf = buildPdf([{ ops: [text(60, 60, 'secret')] }], { encrypt: true });
  assert.equal(await code(readPdf(pdf, 'locked.pdf')), 'encrypted-pdf');
});

test('a truncated or corrupt PDF is a GongkaiError, not a crash or a hang', { skip: !existsSync(join(CORPUS, CASES[0], 'source.pdf')) }, async () => {
  const full = readFileSync(join(CORPUS, CASES[0], 'source.pdf'));
  for (const bytes of [full.subarray(0, 2048), full.subarray(0, 200), Buffer.from('%PDF-1.7\n garbage garbage\n%%EOF')]) {
    const c = await code(parseBytes(new Uint8Array(bytes), 'cut.pdf'));
    assert.ok(c === 'corrupt-file' || c === 'scanned-pdf', `got ${c}`);
  }
  assert.equal(await code(parseBytes(new Uint8Array(full.subarray(0, 2048)), 'cut.pdf')), 'corrupt-file');
});

// ---------------------------------------------------------------------------------------------
// Hostile structure: both engines (the native reader first, pdfjs when it gives way) must end in
// bounded time with a result or one of the usual error codes.

/** Objects (source text) written with a correct xref table; `tail` is appended after %%EOF. */
function rawPdf(objs: string[], trailerExtra = '', tail = ''): Uint8Array {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n${tail}`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const ALLOWED = new Set(['ok', 'corrupt-file', 'scanned-pdf', 'encrypted-pdf']);
async function outcome(pdf: Uint8Array, name: string): Promise<string> {
  return readPdf(pdf, name).then(
    () => 'ok',
    (e) => (e instanceof GongkaiError ? e.code : `crash: ${e}`),
  );
}

const page = (contents: string, res = '') => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${contents}${res ? ` /Resources ${res}` : ''} >>`;
const stream = (s: string, dict = '') => `<< /Length ${Buffer.byteLength(s, 'latin1')}${dict} >>\nstream\n${s}\nendstream`;
const TEXT = 'BT /F1 12 Tf 72 700 Td (Some text for the page) Tj ET';
const FONT = '<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 126 /Widths [' + Array(95).fill(500).join(' ') + '] /FontDescriptor << /Flags 32 >> >>';

test('a looping or very long /Prev chain of xref sections ends quickly', async () => {
  const base = rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page('4 0 R', '<< /Font << /F1 5 0 R >> >>'), stream(TEXT), FONT]);
  const s = Buffer.from(base).toString('latin1');
  const first = Number(/startxref\n(\d+)/.exec(s)![1]);
  // A trailer whose /Prev is its own section.
  const looped = new Uint8Array(Buffer.from(s.replace('/Root 1 0 R', `/Root 1 0 R /Prev ${first}`), 'latin1'));
  // 3000 empty update sections, each pointing at the one before.
  let chain = s;
  let prev = first;
  for (let i = 0; i < 3000; i++) {
    const off = Buffer.byteLength(chain, 'latin1');
    chain += `xref\n0 0\ntrailer\n<< /Size 6 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${off}\n%%EOF\n`;
    prev = off;
  }
  const t0 = Date.now();
  assert.equal(await outcome(looped, 'loop.pdf'), 'ok');
  assert.equal(await outcome(new Uint8Array(Buffer.from(chain, 'latin1')), 'chain.pdf'), 'ok');
  assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
});

test('self-referencing objects and page trees end with a result or a known error', async () => {
  const cases = [
    // the page tree root is a reference to itself
    rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '2 0 R']),
    // a Kids array that contains its own node
    rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>', page('4 0 R', '<< /Font << /F1 5 0 R >> >>'), stream(TEXT), FONT]),
    // a content stream whose /Length is itself
    rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page('4 0 R', '<< /Font << /F1 5 0 R >> >>'), `<< /Length 4 0 R >>\nstream\n${TEXT}\nendstream`, FONT]),
  ];
  const t0 = Date.now();
  for (const [i, pdf] of cases.entries()) {
    const o = await outcome(pdf, `self${i}.pdf`);
    assert.ok(ALLOWED.has(o), `case ${i}: ${o}`);
  }
  assert.ok(Date.now() - t0 < 20_000);
});

test('a form XObject that draws itself, and forms nested 50 deep, end in bounded time', async () => {
  const self = rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page('4 0 R', '<< /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >>'),
    stream(`${TEXT} /X Do`),
    FONT,
    stream('1 w 0 0 m 100 0 l S /X Do', ' /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /XObject << /X 6 0 R >> >>'),
  ]);
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page('4 0 R', '<< /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >>'), stream(`${TEXT} /X Do`), FONT];
  for (let d = 0; d < 50; d++) objs.push(stream(d < 49 ? '/X Do' : '1 w 0 0 m 100 0 l S', ` /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /XObject << /X ${objs.length + 2} 0 R >> >>`));
  const t0 = Date.now();
  for (const pdf of [self, rawPdf(objs)]) assert.ok(ALLOWED.has(await outcome(pdf, 'forms.pdf')));
  assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms`);
});

test('a content stream that inflates to 40 MB ends in bounded time', async () => {
  const { deflateSync } = await import('node:zlib');
  const big = Buffer.concat([Buffer.from(`${TEXT}\n`), Buffer.alloc(40 * 1024 * 1024, 0x20)]);
  const z = deflateSync(big).toString('latin1');
  const pdf = rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page('4 0 R', '<< /Font << /F1 5 0 R >> >>'), `<< /Length ${z.length} /Filter /FlateDecode >>\nstream\n${z}\nendstream`, FONT]);
  const t0 = Date.now();
  assert.ok(ALLOWED.has(await outcome(pdf, 'big.pdf')));
  assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms`);
});

test('corpus PDFs cut at many points: a result or a known error, never a crash', { skip: !existsSync(join(CORPUS, CASES[0], 'source.pdf')) }, async () => {
  const full = readFileSync(join(CORPUS, CASES[0], 'source.pdf'));
  for (const frac of [0.05, 0.2, 0.5, 0.8, 0.97, 0.999]) {
    const o = await outcome(new Uint8Array(full.subarray(0, Math.floor(full.length * frac))), 'cut.pdf');
    assert.ok(ALLOWED.has(o), `cut at ${frac}: ${o}`);
  }
  // Bytes flipped in the middle of the file (inside compressed content streams).
  const flipped = Buffer.from(full);
  for (let i = Math.floor(flipped.length / 3); i < flipped.length; i += 9973) flipped[i] ^= 0x5a;
  const o = await outcome(new Uint8Array(flipped), 'flipped.pdf');
  assert.ok(ALLOWED.has(o), o);
});
