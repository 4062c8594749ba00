// DOCX and ZIP reading: OOXML built at test time (gridSpan, vMerge, runs, numbering, nested
// tables), zip bombs, corrupt archives, and the LibreOffice-made corpus DOCX end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, strToU8, zipSync } from 'fflate';
import { readZip } from '../src/read/zip.js';
import { ZIP_LIMITS } from '../src/read/limits.js';
import type { Block } from '../src/read/document.js';
import { GongkaiError, parseBytes, parseFile } from '../src/index.js';
import { CORPUS, truthMismatches } from './helpers.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const CT = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const p = (...runs: string[]) => `<w:p>${runs.map((r) => `<w:r><w:t xml:space="preserve">${r}</w:t></w:r>`).join('')}</w:p>`;
const tc = (text: string, pr = '') => `<w:tc><w:tcPr>${pr}</w:tcPr>${text ? p(text) : '<w:p/>'}</w:tc>`;

function docx(body: string, extra: Record<string, string> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(CT),
    '_rels/.rels': strToU8(RELS),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${body}<w:sectPr/></w:body></w:document>`),
  };
  for (const [k, v] of Object.entries(extra)) files[k] = strToU8(v);
  return zipSync(files);
}


const show = (bs: Block[]) => bs.map((b) => (b.kind === 'para' ? `P:${b.text}` : `R:${b.cells.map((c) => c.text).join('|')}`));

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    assert.ok(e instanceof GongkaiError, String(e));
    assert.ok(e.text.zh && e.text.en);
    return e.code;
  }
}

test('gridSpan is one cell, vMerge continuation cells are left out, restart cells kept', async () => {
  const body =
    p('一、', '总体', '情况') +
    '<w:tbl><w:tblPr/><w:tblGrid/>' +
    `<w:tr>${tc('label', '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>')}${tc('总计', '<w:vMerge w:val="restart"/>')}${tc('x')}</w:tr>` +
    `<w:tr>${tc('', '<w:gridSpan w:val="2"/><w:vMerge/>')}${tc('', '<w:vMerge w:val="continue"/>')}${tc('')}</w:tr>` +
    `<w:tr>${tc('本年新收')}${tc('1')}${tc('')}${tc('3')}</w:tr>` +
    '</w:tbl>' +
    p('after');
  const { doc } = await readZip(docx(body), 't.docx');
  assert.equal(doc.format, 'docx');
  assert.deepEqual(show(doc.blocks), ['P:一、总体情况', 'R:label|总计|x', 'R:', 'R:本年新收|1||3', 'P:after']);
  const row = doc.blocks[3];
  assert.ok(row.kind === 'row' && row.blanksReliable);
  if (row.kind === 'row') assert.deepEqual(row.cells[3].place, { table: 1, row: 3, cell: 4 });
});

test('runs, tabs and breaks join inside a paragraph; deleted text and field codes are skipped', async () => {
  const body =
    `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>2023</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>年某局</w:t></w:r><w:r><w:tab/><w:t>A</w:t><w:br/><w:t>B</w:t></w:r>` +
    `<w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
    '<w:sdt><w:sdtContent>' + p('in a content control') + '</w:sdtContent></w:sdt>';
  const { doc } = await readZip(docx(body), 't.docx');
  assert.deepEqual(show(doc.blocks), ['P:2023年某局\tA\nB7', 'P:in a content control']);
});

test('automatic numbering is rendered: 一、 and （一） prefixes', async () => {
  const numbering = `<w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num></w:numbering>`;
  const np = (lvl: number, t: string) => `<w:p><w:pPr><w:numPr><w:ilvl w:val="${lvl}"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>${t}</w:t></w:r></w:p>`;
  const body = np(0, '总体情况') + np(1, '主动公开') + np(1, '依申请公开') + np(0, '主动公开政府信息情况') + np(1, '规章');
  const { doc } = await readZip(docx(body, { 'word/numbering.xml': numbering }), 'n.docx');
  assert.deepEqual(show(doc.blocks), ['P:一、总体情况', 'P:（一）主动公开', 'P:（二）依申请公开', 'P:二、主动公开政府信息情况', 'P:（一）规章']);
});

test('a layout table with a nested table: the outer content flows, the nested rows are rows', async () => {
  const inner = `<w:tbl><w:tr>${tc('规章')}${tc('5')}</w:tr></w:tbl>`;
  const body = `<w:tbl><w:tr>${tc('栏目')}<w:tc>${p('正文')}${inner}<w:p/></w:tc></w:tr></w:tbl>`;
  const { doc } = await readZip(docx(body), 'l.docx');
  assert.deepEqual(show(doc.blocks), ['P:栏目', 'P:正文', 'R:规章|5']);
  const r = doc.blocks[2];
  if (r.kind === 'row') assert.deepEqual(r.place, { table: 2, row: 1 });
});

test('core properties give meta.title and meta.created', async () => {
  const core = `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>某局2023年度报告</dc:title><dcterms:created>2024-01-20T08:00:00Z</dcterms:created></cp:coreProperties>`;
  const { doc } = await readZip(docx(p('x'), { 'docProps/core.xml': core }), 'm.docx');
  assert.deepEqual(doc.meta, { title: '某局2023年度报告', created: '2024-01-20T08:00:00Z' });
});

test('altChunk parts (HTML and quoted-printable MHT imported by web CMS exports) are read in place', async () => {
  const rels = (target: string) => `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="${target}"/></Relationships>`;
  const body = p('before') + '<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdA"/>' + p('after');
  const html = '<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>&nbsp;</td><td>5</td></tr></table></body></html>';
  const a = await readZip(docx(body, { 'word/_rels/document.xml.rels': rels('afchunk.htm'), 'word/afchunk.htm': html }), 'a.docx');
  assert.deepEqual(show(a.doc.blocks), ['P:before', 'P:一、总体情况', 'R:规章||5', 'P:after']);
  const qp = Buffer.from(html, 'utf8').toString('latin1').replace(/[\x80-\xff=]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  const mht = `MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n------=_NextPart_01\r\nContent-Location: file:///C:/x.htm\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset="utf-8"\r\n\r\n${qp.slice(0, 40)}=\r\n${qp.slice(40)}\r\n------=_NextPart_01--\r\n`;
  const files = { 'word/_rels/document.xml.rels': rels('/word/afchunk.mht') };
  const z = zipSync({ '_rels/.rels': strToU8(RELS), 'word/document.xml': strToU8(`<w:document ${W}><w:body>${body}</w:body></w:document>`), 'word/_rels/document.xml.rels': strToU8(files['word/_rels/document.xml.rels']), 'word/afchunk.mht': new Uint8Array(Buffer.from(mht, 'latin1')) });
  const b = await readZip(z, 'b.docx');
  assert.deepEqual(show(b.doc.blocks), ['P:before', 'P:一、总体情况', 'R:规章||5', 'P:after']);
});

/** Rewrites the declared inflated size of every entry in the central directory. */
function fakeDeclaredSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  for (let i = 0; i + 46 <= out.length; i++) {
    if (dv.getUint32(i, true) === 0x02014b50) dv.setUint32(i + 24, size, true);
  }
  return out;
}

test('a zip bomb is refused fast with code zip-bomb', async () => {
  // Declared 300 MB (beyond the per-entry limit) …
  const t0 = Date.now();
  const big = fakeDeclaredSize(docx(p('x')), 300 * 1024 * 1024);
  assert.equal(await code(parseBytes(big, 'bomb.docx')), 'zip-bomb');
  // … and a real one: 24 MB of zeros in ~24 KB, read with lowered limits.
  const zeros = zipSync({ '_rels/.rels': strToU8(RELS), 'word/document.xml': [new Uint8Array(24 * 1024 * 1024), { level: 9 }] });
  assert.ok(zeros.length < 100_000);
  assert.equal(await code(readZip(zeros, 'z.docx', { ...ZIP_LIMITS, maxEntryBytes: 16 * 1024 * 1024 })), 'zip-bomb');
  assert.equal(await code(readZip(zeros, 'z.docx', { ...ZIP_LIMITS, ratioFloorBytes: 1024 * 1024 })), 'zip-bomb');
  assert.ok(Date.now() - t0 < 10_000);
});

test('an entry whose inflated data outgrows its declared size is cut short, not inflated without bound', async () => {
  const body = `<?xml version="1.0"?><w:document ${W}><w:body>${p('x'.repeat(4 * 1024 * 1024))}</w:body></w:document>`;
  const z = zipSync({ '_rels/.rels': strToU8(RELS), 'word/document.xml': strToU8(body) });
  const lying = fakeDeclaredSize(z, 1000);
  assert.equal(await code(readZip(lying, 'lie.docx')), 'corrupt-file');
});

test('corrupt and truncated archives give corrupt-file; other archives unsupported-format', async () => {
  const junk = new Uint8Array(2000).map((_, i) => (i * 7919) & 0xff);
  junk.set([0x50, 0x4b, 0x03, 0x04]);
  assert.equal(await code(parseBytes(junk, 'junk.docx')), 'corrupt-file');
  const whole = docx(p('一、总体情况'.repeat(50)));
  assert.equal(await code(parseBytes(whole.subarray(0, Math.floor(whole.length / 2)), 'half.docx')), 'corrupt-file');
  // Damaged deflate data inside an otherwise valid archive.
  const z = zipSync({ '_rels/.rels': strToU8(RELS), 'word/document.xml': deflateSync(strToU8('y'.repeat(10000))) }, { level: 0 });
  const bad = zipSync({ '_rels/.rels': strToU8(RELS), 'word/document.xml': [strToU8(`<w:document ${W}><w:body>${p('z'.repeat(5000))}</w:body></w:document>`), { level: 6 }] });
  bad.fill(0xff, 60, Math.min(160, bad.length - 100)); // inside the compressed body of the first entry
  assert.equal(await code(readZip(bad, 'bad.docx')), 'corrupt-file');
  assert.equal(await code(readZip(z, 'notxml.docx')), 'corrupt-file');
  assert.equal(await code(readZip(zipSync({ 'a.txt': strToU8('hello') }), 'a.zip')), 'unsupported-format');
});

const LO = join(CORPUS, 'rendered', 'sh-office-2019~lo-docx');

test('corpus sh-office-2019~lo-docx: all truth cells right or uncertain, meta right', { skip: !existsSync(LO) }, async () => {
  const truth = JSON.parse(readFileSync(join(LO, 'truth.json'), 'utf8'));
  const r = await parseFile(join(LO, 'source.docx'));
  assert.equal(r.info.format, 'docx');
  assert.deepEqual(truthMismatches(r.report as any, truth), []);
  for (const k of ['template', 'year', 'agency', 'publishedAt']) assert.equal((r.report as any)[k], truth[k], k);
  assert.equal(r.report.table3.newReceived.research, null);
  assert.equal(r.report.table3.newReceived.total, 859);
});
