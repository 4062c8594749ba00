// HTML reader: table structure (rowspan/colspan/&nbsp;), charsets, Word-exported HTML, site
// chrome, pathological nesting, and the real corpus page end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHtml, htmlToDocument, limitDepth } from '../src/read/html.js';
import type { Block } from '../src/read/document.js';
import { parseBytes, parseFile } from '../src/index.js';
import { CORPUS, truthMismatches } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const rows = (bs: Block[]) => bs.filter((b) => b.kind === 'row').map((b) => (b.kind === 'row' ? b.cells.map((c) => c.text) : []));
const paras = (bs: Block[]) => bs.filter((b) => b.kind === 'para').map((b) => (b.kind === 'para' ? b.text : ''));


test('rowspan and colspan: covered cells are absent, a spanning cell is one cell, &nbsp; cells are blank', () => {
  const doc = htmlToDocument(`
    <table>
      <tr><td rowspan="2" colspan="2">label</td><td colspan="3">head</td></tr>
      <tr><td>a</td><td>&nbsp;</td><td><p align="center">&nbsp;</p></td></tr>
      <tr><td>x</td><td>1</td><td> 2 </td><td></td><td>3</td></tr>
    </table>`);
  assert.deepEqual(rows(doc.blocks), [['label', 'head'], ['a', '', ''], ['x', '1', '2', '', '3']]);
  const r = doc.blocks[1];
  assert.equal(r.kind, 'row');
  if (r.kind === 'row') {
    assert.equal(r.blanksReliable, true);
    assert.equal(r.cells[2].place.path, 'table[1]/tr[2]/td[3]');
  }
});

test('paragraphs and rows keep document order; <br> splits lines; <title> becomes meta.title', () => {
  const doc = htmlToDocument('<html><head><title>某局2023年报告</title></head><body><p>一、总体情况</p>正文<br>第二行<table><tr><th>h</th><td>1</td></tr></table><div>二、结尾</div></body></html>');
  assert.deepEqual(
    doc.blocks.map((b) => (b.kind === 'para' ? `P:${b.text}` : `R:${b.cells.map((c) => c.text).join('|')}`)),
    ['P:一、总体情况', 'P:正文', 'P:第二行', 'R:h|1', 'P:二、结尾'],
  );
  assert.equal(doc.meta?.title, '某局2023年报告');
});

test('GBK page declared with <meta charset=gbk> decodes; a stale gb2312 declaration on UTF-8 text is ignored', () => {
  const head = enc('<html><head><meta charset=gbk></head><body><p>');
  const tail = enc('</p></body></html>');
  const bytes = new Uint8Array([...head, 0xd6, 0xd0, 0xce, 0xc4, ...tail]); // 中文 in GBK
  const r = readHtml(bytes, 'g.html');
  assert.equal(r.encoding, 'gb18030');
  assert.deepEqual(paras(r.doc.blocks), ['中文']);
  const stale = readHtml(enc('<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>中文报告</p>'), 's.html');
  assert.equal(stale.encoding, 'utf-8');
  assert.deepEqual(paras(stale.doc.blocks), ['中文报告']);
});

test('Word-exported HTML: MsoNormal paragraphs, nested spans, <o:p>, conditional comments', () => {
  const doc = htmlToDocument(`<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style>
    <!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]--></head><body>
    <p class=MsoNormal><span lang=EN-US>2023</span><span style='font-family:宋体'>年<span>某局</span></span><o:p></o:p></p>
    <table class=MsoTableGrid><tr><td><p class=MsoNormal><span>本年新收</span><o:p></o:p></p></td>
    <td><p class=MsoNormal align=center><span lang=EN-US>12<o:p></o:p></span></p></td>
    <td><p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p></td></tr></table></body></html>`);
  assert.deepEqual(paras(doc.blocks), ['2023年某局']);
  assert.deepEqual(rows(doc.blocks), [['本年新收', '12', '']]);
});

test('site chrome (nav, breadcrumbs, share bar, footer, images) is dropped; report content is kept', () => {
  const html = `<html><head><title>门户网站</title><script>var a = "<p>脚本</p>";</script></head><body><form id="form1">
    <div class="header"><img src="top_img.png" alt="top_img.png"><ul class="main-nav"><li><a href="#">首页</a></li><li><a href="#">2022年政府信息公开工作年度报告</a></li></ul></div>
    <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="#">年度报告</a></div>
    <div class="article">
      <h1>某某局2023年政府信息公开工作年度报告</h1>
      <div class="info">发布日期：2024-01-20</div>
      <div class="share-bar">分享到：<a>微信</a><a>微博</a></div>
      <p>一、总体情况</p>
      <div class="side-box"><table><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td><td>总计</td></tr></table></div>
      <figure><img src="a.png" alt="top_img.png"><figcaption>top_img.png</figcaption></figure>
    </div>
    <div id="footer">版权所有：某某局 网站标识码 1234</div><nav>无障碍</nav></form></body></html>`;
  const doc = htmlToDocument(html);
  const text = doc.blocks.map((b) => (b.kind === 'para' ? b.text : b.cells.map((c) => c.text).join('|'))).join('\n');
  assert.equal(paras(doc.blocks)[0], '某某局2023年政府信息公开工作年度报告');
  for (const gone of ['首页', '当前位置', '分享到', '版权所有', '无障碍', 'top_img', '脚本', '2022年']) assert.ok(!text.includes(gone), `${gone} should be dropped:\n${text}`);
  assert.ok(text.includes('发布日期：2024-01-20'));
  assert.deepEqual(rows(doc.blocks), [['一、本年新收政府信息公开申请数量', '3', '总计']]);
});

test('a layout table holding the report is read as flowing content; its nested tables as rows', () => {
  const doc = htmlToDocument(`<table><tr><td class="left">栏目</td><td>
      <p>一、总体情况</p><p>正文</p><table><tr><td>规章</td><td>5</td></tr></table></td></tr></table>`);
  assert.deepEqual(rows(doc.blocks), [['规章', '5']]);
  assert.deepEqual(paras(doc.blocks), ['栏目', '一、总体情况', '正文']);
});

test('50k nested <div>s and 5k nested tables finish quickly without a RangeError', () => {
  const n = 50_000;
  const t0 = Date.now();
  const doc = htmlToDocument('<p>before</p>' + '<div>'.repeat(n) + 'deep text' + '</div>'.repeat(n) + '<p>after</p>');
  assert.deepEqual(paras(doc.blocks), ['before', 'deep text', 'after']);
  const doc2 = htmlToDocument('<p>a</p>' + '<table><tr><td>'.repeat(5000) + 'deep' + '</td></tr></table>'.repeat(5000) + '<p>b</p>');
  assert.ok(paras(doc2.blocks).includes('deep'));
  const doc3 = htmlToDocument('<span>'.repeat(n) + 'x' + '<p>p</p>'.repeat(3));
  assert.deepEqual(paras(doc3.blocks), ['x', 'p', 'p', 'p']);
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
});

test('limitDepth leaves ordinary documents untouched', () => {
  const html = '<div><div><p>a<span>b</span></p></div></div>';
  assert.equal(limitDepth(html), html);
  assert.equal(limitDepth('<div>'.repeat(5) + 'x' + '</div>'.repeat(5), 3), '<div><div><div>x</div></div></div>');
});

const SH = join(CORPUS, 'real', 'sh-office-2019');

test('corpus sh-office-2019 (HTML fragment, blank &nbsp; cells): all truth cells right or uncertain', { skip: !existsSync(SH) }, async () => {
  const truth = JSON.parse(readFileSync(join(SH, 'truth.json'), 'utf8'));
  const r = await parseFile(join(SH, 'source.html'));
  assert.deepEqual(truthMismatches(r.report as any, truth), []);
  for (const k of ['template', 'year', 'agency', 'publishedAt']) assert.equal((r.report as any)[k], truth[k], k);
  // Blank cells stay blank (null), never 0.
  assert.equal(r.report.table3.newReceived.research, null);
});

/** A GBK encoder built from the platform's GB18030 decoder (two-byte codes only). */
function gbkEncoder(): (s: string) => Uint8Array {
  const map = new Map<string, number[]>();
  const dec = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (ch.length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, [a, b]);
    }
  }
  return (s) => {
    const out: number[] = [];
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) out.push(c);
      else out.push(...(map.get(ch) ?? [0x3f]));
    }
    return new Uint8Array(out);
  };
}

test('the corpus page re-encoded as GB2312 with a declared charset parses to the same values', { skip: !existsSync(SH) }, async () => {
  const truth = JSON.parse(readFileSync(join(SH, 'truth.json'), 'utf8'));
  const html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>' + readFileSync(join(SH, 'source.html'), 'utf8') + '</body></html>';
  const bytes = gbkEncoder()(html);
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  const r = await parseBytes(bytes, 'gbk.html');
  assert.equal(r.info.encoding, 'gb18030');
  assert.deepEqual(truthMismatches(r.report as any, truth), []);
  assert.equal(r.report.agency, truth.agency);
});
