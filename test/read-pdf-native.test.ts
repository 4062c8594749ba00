// The native PDF reader (src/read/pdf-native/): its pieces on small PDFs built here byte by byte
// (lexer, cross-reference forms, ToUnicode CMaps, widths), the cases where it must hand the file
// to pdfjs, and agreement with pdfjs on the corpus PDFs and on PDFs LibreOffice makes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { readPdfWithEngine } from '../src/read/pdf.js';
import { Lexer, Name, Parser, Ref, Cmd } from '../src/read/pdf-native/lexer.js';
import { parseToUnicode } from '../src/read/pdf-native/to-unicode.js';
import { readNativePdf } from '../src/read/pdf-native/document.js';
import { NativePdfUnsupported } from '../src/read/pdf-native/unsupported.js';
import type { Block, Document } from '../src/read/document.js';
import { renderHtml } from '../src/render/index.js';
import { reportArb } from './gen.js';
import { CORPUS } from './helpers.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const FAR = () => Date.now() + 60_000;

// ---------------------------------------------------------------------------------------------
// A small PDF writer: objects as source text, streams optionally deflated, a classic xref table
// or a cross-reference stream (with the non-stream objects packed in an object stream).

type Obj = string | { dict: string; data: Uint8Array | string; deflate?: boolean };

function writePdf(objs: Obj[], opts: { root?: number; xrefStream?: boolean; trailerExtra?: string; info?: number } = {}): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let len = parts[0].length;
  const push = (b: Buffer) => {
    parts.push(b);
    len += b.length;
  };
  const offsets: number[] = [];
  const packed: number[] = [];
  const body = (o: Obj) => {
    if (typeof o === 'string') return Buffer.from(o, 'latin1');
    let data = typeof o.data === 'string' ? Buffer.from(o.data, 'latin1') : Buffer.from(o.data);
    if (o.deflate) data = deflateSync(data);
    const dict = o.dict.replace(/>>\s*$/, '') + ` /Length ${data.length}${o.deflate ? ' /Filter /FlateDecode' : ''} >>`;
    return Buffer.concat([Buffer.from(`${dict}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
  };
  objs.forEach((o, i) => {
    if (opts.xrefStream && typeof o === 'string') {
      packed.push(i + 1);
      return;
    }
    offsets[i + 1] = len;
    push(Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body(o), Buffer.from('\nendobj\n')]));
  });
  const root = opts.root ?? 1;
  const info = opts.info ? ` /Info ${opts.info} 0 R` : '';
  if (!opts.xrefStream) {
    const xref = len;
    let t = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
    for (let i = 1; i <= objs.length; i++) t += `${String(offsets[i]).padStart(10, '0')} 00000 n \n`;
    t += `trailer\n<< /Size ${objs.length + 1} /Root ${root} 0 R${info}${opts.trailerExtra ?? ''} >>\nstartxref\n${xref}\n%%EOF\n`;
    push(Buffer.from(t, 'latin1'));
    return new Uint8Array(Buffer.concat(parts));
  }
  // Object stream holding every non-stream object, then the cross-reference stream.
  const stmNum = objs.length + 1;
  const xrefNum = objs.length + 2;
  let head = '';
  let data = '';
  for (const n of packed) {
    head += `${n} ${data.length} `;
    data += `${objs[n - 1] as string}\n`;
  }
  offsets[stmNum] = len;
  push(Buffer.concat([Buffer.from(`${stmNum} 0 obj\n`), body({ dict: `<< /Type /ObjStm /N ${packed.length} /First ${head.length} >>`, data: head + data, deflate: true }), Buffer.from('\nendobj\n')]));
  offsets[xrefNum] = len;
  const rows: number[] = [0, 0, 0xff, 0];
  for (let n = 1; n <= xrefNum; n++) {
    const k = packed.indexOf(n);
    if (k >= 0) rows.push(2, (stmNum >> 16) & 255, (stmNum >> 8) & 255, stmNum & 255, k & 255);
    else rows.push(1, (offsets[n] >> 16) & 255, (offsets[n] >> 8) & 255, offsets[n] & 255, 0);
  }
  // /W [1 3 1]: row 0 is the free head (written above with 4 bytes: fix it to 5)
  rows.splice(0, 4, 0, 0, 0, 0, 0xff);
  const xrefStart = len;
  push(
    Buffer.concat([
      Buffer.from(`${xrefNum} 0 obj\n`),
      body({ dict: `<< /Type /XRef /Size ${xrefNum + 1} /W [1 3 1] /Root ${root} 0 R${info}${opts.trailerExtra ?? ''} >>`, data: Uint8Array.from(rows), deflate: true }),
      Buffer.from('\nendobj\n'),
    ]),
  );
  push(Buffer.from(`startxref\n${xrefStart}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0').toUpperCase();

/** A ToUnicode CMap for two-byte codes mapping code i+1 → chars[i]. */
function toUnicodeCMap(chars: string[]): string {
  const lines = chars.map((c, i) => `<${hex4(i + 1)}> <${Array.from(c).map((u) => Buffer.from(u, 'utf16le').swap16().toString('hex')).join('')}>`);
  return `/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def 1 begincodespacerange <0000> <FFFF> endcodespacerange ${lines.length} beginbfchar ${lines.join(' ')} endbfchar endcmap CMapName currentdict /CMap defineresource pop end end`;
}

/**
 * A one-page report-like PDF with a Type0 Identity-H font (ToUnicode + /W), the kind WPS and
 * LibreOffice write. `text` lines are drawn at the given baselines; `rules` are stroked.
 */
function cjkPdf(lines: { x: number; y: number; s: string; size?: number }[], opts: { fontExtra?: string; contentFilter?: string; plain?: boolean; xrefStream?: boolean; widths?: string; rules?: string[]; encrypt?: boolean } = {}) {
  const chars = [...new Set(lines.flatMap((l) => Array.from(l.s)))];
  const code = (c: string) => hex4(chars.indexOf(c) + 1);
  const ops: string[] = [];
  for (const l of lines) ops.push(`BT /F1 ${l.size ?? 12} Tf ${l.x} ${l.y} Td <${Array.from(l.s).map(code).join('')}> Tj ET`);
  for (const r of opts.rules ?? []) ops.push(r);
  const content = ops.join('\n');
  // Wide (CJK) characters 1000, the rest 500 — unless the test gives its own /W.
  const w = opts.widths ?? `[1 [${chars.map((c) => (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 1000 : 500)).join(' ')}]]`;
  const objs: Obj[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    opts.contentFilter === 'RunLengthDecode'
      ? { dict: '<< /Filter /RunLengthDecode >>', data: runLength(content) }
      : { dict: '<< >>', data: content, deflate: !opts.plain },
    `<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R${opts.fontExtra ?? ''} >>`,
    `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W ${w} >>`,
    { dict: '<< >>', data: toUnicodeCMap(chars), deflate: true },
  ];
  return writePdf(objs, { xrefStream: opts.xrefStream });
}

function runLength(s: string): Uint8Array {
  const b = Buffer.from(s, 'latin1');
  const out: number[] = [];
  for (let i = 0; i < b.length; i += 128) {
    const chunk = b.subarray(i, i + 128);
    out.push(chunk.length - 1, ...chunk);
  }
  out.push(128);
  return Uint8Array.from(out);
}

const textOf = (doc: Document) => doc.blocks.map((b: Block) => JSON.stringify(b, (k, v) => (k === 'place' ? undefined : v))).join('\n');
const glyphText = (pdf: Uint8Array) => readNativePdf(pdf, 500, FAR()).pages.map((p) => p.glyphs.map((g) => g.ch).join('')).join('|');

// ---------------------------------------------------------------------------------------------
// Lexer and objects

test('lexer: numbers, names with #xx, strings with escapes and nesting, hex strings, arrays, dictionaries, references', () => {
  const p = new Parser(new Lexer(bytes('<< /A 12 /B -3.5 /C .25 /N#20x /V /S (a\\(b\\) (c) \\101\\n) /H <4E2d 0> /Arr [1 2 0 R true null] /R 7 0 R >>')), true);
  const d = p.getObj() as Map<string, unknown>;
  assert.equal(d.get('A'), 12);
  assert.equal(d.get('B'), -3.5);
  assert.equal(d.get('C'), 0.25);
  assert.ok(d.get('N x') instanceof Name);
  assert.equal(Buffer.from(d.get('S') as Uint8Array).toString('latin1'), 'a(b) (c) A\n');
  assert.deepEqual([...(d.get('H') as Uint8Array)], [0x4e, 0x2d, 0x00]);
  const arr = d.get('Arr') as unknown[];
  assert.equal(arr[0], 1);
  assert.ok(arr[1] instanceof Ref && arr[1].num === 2);
  assert.deepEqual(arr.slice(2), [true, null]);
  assert.ok(d.get('R') instanceof Ref);
  // In a content stream two numbers and a keyword stay what they are.
  const c = new Parser(new Lexer(bytes('1 0 0 1 5 6 cm /F1 12 Tf')), false);
  const toks = [];
  for (let t = c.getObj(); !(t instanceof Cmd && t.cmd === '%EOF'); t = c.getObj()) toks.push(t instanceof Cmd ? t.cmd : t instanceof Name ? `/${t.name}` : t);
  assert.deepEqual(toks, [1, 0, 0, 1, 5, 6, 'cm', '/F1', 12, 'Tf']);
});

test('xref table, xref stream with an object stream, and a broken startxref all read the same page', () => {
  const lines = [{ x: 72, y: 700, s: '政府信息公开工作年度报告' }, { x: 72, y: 680, s: '收到申请 123 件' }];
  const want = '政府信息公开工作年度报告收到申请123件';
  assert.equal(glyphText(cjkPdf(lines)), want);
  assert.equal(glyphText(cjkPdf(lines, { xrefStream: true })), want);
  // startxref pointing into nowhere: the "N G obj" scan rebuilds the cross-reference.
  const broken = Buffer.from(cjkPdf(lines));
  const s = broken.toString('latin1').replace(/startxref\n\d+/, 'startxref\n99');
  assert.equal(glyphText(new Uint8Array(Buffer.from(s, 'latin1'))), want);
});

test('an incremental update through /Prev replaces the object it redefines', () => {
  const base = Buffer.from(cjkPdf([{ x: 72, y: 700, s: '旧文本内容在这里啊' }]));
  const oldXref = /startxref\n(\d+)/.exec(base.toString('latin1'))![1];
  // A new content stream as object 4 and a new xref section that points back with /Prev.
  const chars = Array.from('旧文本内容在这里啊');
  const content = `BT /F1 12 Tf 72 700 Td <${[8, 7, 6, 5, 4].map((i) => hex4(chars.indexOf(chars[i]) + 1)).join('')}> Tj ET`;
  const off = base.length;
  const upd = `4 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`;
  const xref = off + upd.length;
  const tail = `xref\n4 1\n${String(off).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /Prev ${oldXref} >>\nstartxref\n${xref}\n%%EOF\n`;
  const pdf = new Uint8Array(Buffer.concat([base, Buffer.from(upd + tail, 'latin1')]));
  assert.equal(glyphText(pdf), '啊里这在容');
});

test('a /Prev loop and a self-referencing /Length end, in bounded time', () => {
  const base = Buffer.from(cjkPdf([{ x: 72, y: 700, s: '测试文本一二三四五' }])).toString('latin1');
  const xref = /startxref\n(\d+)/.exec(base)![1];
  const looped = base.replace(/trailer\n<< /, `trailer\n<< /Prev ${xref} `);
  const t0 = Date.now();
  assert.equal(glyphText(new Uint8Array(Buffer.from(looped, 'latin1'))), '测试文本一二三四五');
  assert.ok(Date.now() - t0 < 2000);
});

test('a stream whose /Length refers to itself is refused by the native reader; the file still reads', async () => {
  const base = Buffer.from(cjkPdf([{ x: 72, y: 700, s: '测试文本一二三四五' }])).toString('latin1');
  const selfLen = base.replace(/4 0 obj\n<<\s*\/Length \d+/, '4 0 obj\n<< /Length 4 0 R');
  assert.notEqual(selfLen, base);
  const pdf = new Uint8Array(Buffer.from(selfLen, 'latin1'));
  assert.throws(() => readNativePdf(pdf, 500, FAR()), /self-referencing/);
  const r = await readPdfWithEngine(pdf, 'self.pdf').catch((e) => e);
  assert.ok(r instanceof Error ? 'code' in r : r.engine === 'pdfjs');
});

// ---------------------------------------------------------------------------------------------
// ToUnicode and widths

test('ToUnicode: bfchar, bfrange with carry, bfrange array form, surrogate pairs, one-byte codes', () => {
  const m = parseToUnicode(
    bytes(
      '1 begincodespacerange <00> <FF> endcodespacerange ' +
        '2 beginbfchar <01> <4E2D> <02> <D840DC00> endbfchar ' +
        '2 beginbfrange <10> <12> <00FE> <20> <21> [<0041> <00660069>] endbfrange',
    ),
  );
  assert.equal(m.get(1), '中');
  assert.equal(m.get(2), '\u{20000}');
  assert.deepEqual([m.get(0x10), m.get(0x11), m.get(0x12)], ['\u00fe', '\u00ff', '\u0100']);
  assert.equal(m.get(0x20), 'A');
  assert.equal(m.get(0x21), 'fi');
  assert.throws(() => parseToUnicode(bytes('1 beginbfchar <01> <D840> endbfchar')), NativePdfUnsupported);
  assert.throws(() => parseToUnicode(bytes('/Foo usecmap')), NativePdfUnsupported);
});

test('glyph boxes are the exact advances from /W (both forms) and /DW, scaled by the font size', () => {
  // codes 1..4 = 一 a b 二: /W gives 1 → 900, 2..3 → 400 (range form), 4 falls to /DW 800.
  const pdf = cjkPdf([{ x: 100, y: 700, s: '一ab二', size: 10 }], { widths: '[1 [900] 2 3 400]', fontExtra: '' });
  const s = Buffer.from(pdf).toString('latin1').replace('/DW 1000', '/DW 800');
  const g = readNativePdf(new Uint8Array(Buffer.from(s, 'latin1')), 500, FAR()).pages[0].glyphs;
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  near(g[0].x0, 100);
  near(g[0].x1 - g[0].x0, 9);
  near(g[1].x1 - g[1].x0, 4);
  near(g[2].x0, 113);
  near(g[3].x1 - g[3].x0, 8);
  near(g[0].base, 842 - 700);
});

test('a vertical (Identity-V) font: a run of characters stacks down the page, one character alone is boxed like horizontal text', () => {
  const lines = [{ x: 100, y: 700, s: '申请人情况', size: 10 }, { x: 300, y: 700, s: '合', size: 10 }];
  const v = Buffer.from(cjkPdf(lines)).toString('latin1').replace('/Identity-H', '/Identity-V');
  const g = readNativePdf(new Uint8Array(Buffer.from(v, 'latin1')), 500, FAR()).pages[0].glyphs;
  assert.deepEqual(g.map((x) => x.ch), Array.from('申请人情况合'));
  // Pen at viewport y 142, each glyph one em (10 pt) further down, all at the pen's x.
  g.slice(0, 5).forEach((x, i) => {
    assert.ok(Math.abs(x.top - (142 + 10 * i)) < 1e-6 && x.x0 === 100, JSON.stringify(x));
  });
  const alone = g[5];
  assert.ok(Math.abs(alone.top - (142 - 8.5)) < 1e-6 && Math.abs(alone.bottom - (142 + 1.5)) < 1e-6, JSON.stringify(alone));
});

test('space glyphs and pen jumps within 0.102–0.6 em become spaceBefore; tracking does not', () => {
  const lines = [{ x: 72, y: 700, s: 'ab cd', size: 10 }];
  const pdf = Buffer.from(cjkPdf(lines, { plain: true })).toString('latin1');
  // Draw "ab" then jump 3 pt (0.3 em): the next glyph has a space before it; 0.5 pt does not.
  const withJump = (tj: string) => {
    const out = pdf.replace(/<[0-9A-F]+> Tj/, tj);
    assert.notEqual(out, pdf);
    // keep /Length right: the lengths differ, and a wrong /Length is repaired by "endstream"
    return out;
  };
  const g1 = readNativePdf(new Uint8Array(Buffer.from(withJump('[<00010002> -300 <00040005>] TJ'), 'latin1')), 500, FAR()).pages[0].glyphs;
  assert.deepEqual(g1.map((g) => g.spaceBefore), [false, false, true, false]);
  const g2 = readNativePdf(new Uint8Array(Buffer.from(withJump('[<00010002> -50 <00040005>] TJ'), 'latin1')), 500, FAR()).pages[0].glyphs;
  assert.deepEqual(g2.map((g) => g.spaceBefore), [false, false, false, false]);
  const g3 = readNativePdf(cjkPdf(lines), 500, FAR()).pages[0].glyphs;
  assert.deepEqual(g3.map((g) => g.ch + (g.spaceBefore ? '_' : '')), ['a', 'b', 'c_', 'd']);
});

test('an inline image is skipped, even when its bytes hold " EI " followed by binary data', () => {
  const lines = [{ x: 72, y: 700, s: '图像之后的文字内容' }];
  const base = Buffer.from(cjkPdf(lines, { plain: true })).toString('latin1');
  // Taken at the first " EI ", the rest of the image would draw one more 图 with BT … Tj.
  const image = 'q 10 0 0 10 72 720 cm BI /W 8 /H 2 /CS /G /BPC 8 ID \x01 EI \x80 BT /F1 12 Tf <0001> Tj ET \x83 EI Q\n';
  const pdf = new Uint8Array(Buffer.from(base.replace('BT /F1', image + 'BT /F1'), 'latin1'));
  assert.equal(glyphText(pdf), '图像之后的文字内容');
});

// ---------------------------------------------------------------------------------------------
// When the native reader gives way to pdfjs

const report = [
  { x: 72, y: 760, s: '某某县人民政府2023年政府信息公开工作年度报告' },
  { x: 72, y: 730, s: '本年新收政府信息公开申请数量 15 件' },
];

test('a PDF the native reader understands is read by it', async () => {
  // (Not compared with pdfjs: for a CID font that is not embedded, as here, pdfjs puts a U+0000
  // before every character. Agreement is checked on real files below.)
  const pdf = cjkPdf(report, { rules: ['0 0 0 RG 1 w 72 700 m 500 700 l S'] });
  const n = await readPdfWithEngine(pdf, 'n.pdf');
  assert.equal(n.engine, 'native');
  assert.equal(textOf(n.result.doc), '{"kind":"para","text":"某某县人民政府2023年政府信息公开工作年度报告"}\n{"kind":"para","text":"本年新收政府信息公开申请数量 15 件"}');
});

test('fallbacks: unknown content filter, font without ToUnicode, standard font without /Widths, encryption → pdfjs', async () => {
  const rl = await readPdfWithEngine(cjkPdf(report, { contentFilter: 'RunLengthDecode' }), 'rl.pdf');
  assert.equal(rl.engine, 'pdfjs');
  assert.match(rl.fallback ?? '', /filter RunLengthDecode/);
  // (pdfjs's U+0000 quirk for non-embedded CID fonts, see above, taken out)
  assert.match(textOf(rl.result.doc).replaceAll('\\u0000', ''), /申请数量 15 件/);

  const noTu = Buffer.from(cjkPdf(report)).toString('latin1').replace(' /ToUnicode 7 0 R', '');
  const r2 = await readPdfWithEngine(new Uint8Array(Buffer.from(noTu, 'latin1')), 'notu.pdf').catch((e) => e);
  // pdfjs may or may not make text of it; the native reader must not have.
  if (!(r2 instanceof Error)) assert.equal(r2.engine, 'pdfjs');
  assert.throws(() => readNativePdf(new Uint8Array(Buffer.from(noTu, 'latin1')), 500, FAR()), /without ToUnicode/);

  const helv = writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    { dict: '<< >>', data: 'BT /F1 12 Tf 72 700 Td (Received 15 applications in total) Tj ET' },
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ]);
  const h = await readPdfWithEngine(helv, 'helv.pdf');
  assert.equal(h.engine, 'pdfjs');
  assert.match(h.fallback ?? '', /Widths/);
  assert.match(textOf(h.result.doc), /Received 15 applications/);

  const enc = writePdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      '<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff> /U <ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100> >>',
    ],
    { trailerExtra: ' /Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]' },
  );
  assert.throws(() => readNativePdf(enc, 500, FAR()), (e: unknown) => e instanceof NativePdfUnsupported && e.reason === 'encrypted');
  const err = await readPdfWithEngine(enc, 'enc.pdf').catch((e) => e);
  assert.equal(err.code, 'encrypted-pdf');
});

test('GONGKAI_PDF_ENGINE=pdfjs forces pdfjs', async () => {
  process.env.GONGKAI_PDF_ENGINE = 'pdfjs';
  try {
    const r = await readPdfWithEngine(cjkPdf(report), 'x.pdf');
    assert.equal(r.engine, 'pdfjs');
    assert.equal(r.fallback, undefined);
  } finally {
    delete process.env.GONGKAI_PDF_ENGINE;
  }
});

test('bad input to the native reader: deep form recursion and a giant stream are refused quickly', () => {
  // A form XObject that draws itself.
  const loop = writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>',
    { dict: '<< >>', data: '/X Do' },
    { dict: '<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >> >>', data: '1 w 0 0 m 5 0 l S /X Do' },
  ]);
  const t0 = Date.now();
  assert.throws(() => readNativePdf(loop, 500, FAR()), /nested too deeply/);
  // 100 MB of zeros deflated to ~100 kB: refused once the output passes the limit.
  const giant = writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    { dict: '<< >>', data: new Uint8Array(100 * 1024 * 1024), deflate: true },
  ]);
  assert.throws(() => readNativePdf(giant, 500, FAR()), NativePdfUnsupported);
  assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
});

test('rotated text (90° and 270°), tagged spans and TJ gaps: native glyph runs give the blocks pdfjs gives', async () => {
  const widths: number[] = [];
  for (let c = 32; c <= 126; c++) widths.push(c === 32 ? 278 : c >= 48 && c <= 57 ? 556 : c >= 65 && c <= 90 ? 667 : 500);
  const font = `<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 126 /Widths [${widths.join(' ')}] /Encoding /WinAnsiEncoding /FontDescriptor << /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [-665 -325 2000 1040] /ItalicAngle 0 /Ascent 905 /Descent -212 /CapHeight 716 /StemV 80 >> >>`;
  const content = [
    '0.5 w 50 700 m 545 700 l S 50 600 m 545 600 l S 50 500 m 545 500 l S 50 700 m 50 500 l S 200 700 m 200 500 l S 545 700 m 545 500 l S',
    'BT /F1 10 Tf 0 1 -1 0 120 610 Tm (Applications received) Tj ET',
    'BT /F1 10 Tf 0 -1 1 0 150 690 Tm (Rotated down) Tj ET',
    'BT /F1 10 Tf 0 1 -1 0 140 505 Tm (Second) Tj 0 -2 Td (part) Tj ET',
    'BT /F1 10 Tf 210 650 Td (Total) Tj 30 0 Td (123) Tj ET',
    '/Span << /MCID 1 >> BDC BT /F1 10 Tf 210 550 Td (45) Tj ET EMC /Span << /MCID 2 >> BDC BT /F1 10 Tf 223.9 550 Td (6) Tj ET EMC',
    'BT /F1 10 Tf 300 550 Td [(7) -300 (8)] TJ ET',
    'BT /F1 12 Tf 60 760 Td (Annual report 2023 of the open government information) Tj ET',
  ].join('\n');
  const pdf = writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    { dict: '<< >>', data: content, deflate: true },
    font,
  ]);
  const glyphs = readNativePdf(pdf, 500, FAR()).pages[0].glyphs;
  // Each rotated line is one run, its box standing upright on the page.
  const run = glyphs.find((g) => g.ch === 'Applications received');
  assert.ok(run && run.bottom - run.top > 100 && run.x1 - run.x0 < 15, JSON.stringify(run));
  assert.ok(glyphs.some((g) => g.ch === 'Rotated down'));
  const { n, p } = await bothEngines(pdf, 'rot.pdf');
  assert.equal(n.engine, 'native', n.fallback);
  assert.equal(JSON.stringify(n.result.doc), JSON.stringify(p.result.doc));
});

// ---------------------------------------------------------------------------------------------
// Agreement with pdfjs on real files

async function bothEngines(pdf: Uint8Array, name: string) {
  const n = await readPdfWithEngine(pdf, name);
  process.env.GONGKAI_PDF_ENGINE = 'pdfjs';
  try {
    return { n, p: await readPdfWithEngine(pdf, name) };
  } finally {
    delete process.env.GONGKAI_PDF_ENGINE;
  }
}

for (const id of ['real/govnianbao-huaian-2024', 'real/kiro-hongze-2023', 'rendered/sh-office-2019~chromium-pdf']) {
  const file = join(CORPUS, id, 'source.pdf');
  test(`corpus ${id}: read natively, same blocks and metadata as pdfjs`, { skip: !existsSync(file) }, async () => {
    const { n, p } = await bothEngines(new Uint8Array(readFileSync(file)), id);
    assert.equal(n.engine, 'native', n.fallback);
    assert.equal(textOf(n.result.doc), textOf(p.result.doc));
    assert.deepEqual(n.result.doc.meta, p.result.doc.meta);
  });
}

const HAS_SOFFICE = (() => {
  const r = spawnSync('soffice', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return !r.error && r.status === 0;
})();

describe('PDFs made by LibreOffice: the native reader reads them as pdfjs does', { skip: HAS_SOFFICE ? false : 'soffice (LibreOffice) is not on PATH' }, () => {
  let work = '';
  let profile = '';
  const names: string[] = [];
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'gk-native-'));
    profile = join(tmpdir(), `gk-lo-native-${process.pid}`);
    const html: string[] = [];
    fc.sample(reportArb('2021'), { seed: 424242, numRuns: 3 }).forEach((r, i) => {
      const f = join(work, `r${i}.html`);
      writeFileSync(f, renderHtml(r, { spans: true }));
      html.push(f);
      names.push(`r${i}`);
    });
    mkdirSync(join(work, 'pdf'));
    spawnSync(
      'soffice',
      ['--headless', '--norestore', `-env:UserInstallation=${pathToFileURL(profile).href}`, '--infilter=HTML (StarWriter)', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', join(work, 'pdf'), ...html],
      { encoding: 'utf8', timeout: 120_000 },
    );
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });
  test('each converted report: native engine, same blocks as pdfjs', async () => {
    for (const n of names) {
      const file = join(work, 'pdf', `${n}.pdf`);
      assert.ok(existsSync(file), `soffice made no ${file}`);
      const r = await bothEngines(new Uint8Array(readFileSync(file)), n);
      assert.equal(r.n.engine, 'native', r.n.fallback);
      assert.equal(textOf(r.n.result.doc), textOf(r.p.result.doc), n);
    }
  });
});
