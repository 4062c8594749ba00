// The `gongkai` command as users run it: the built bin, real files, real exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS } from './helpers.js';

const BIN = join(process.cwd(), 'bin', 'gongkai.js');
const run = (args: string[], input?: string | Buffer) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 28 });
const SEED1 = join(CORPUS, 'seeds', '001_6924ad0fa9f0fb17', 'source.txt');
const SEED3 = join(CORPUS, 'seeds', '003_3362babfcc868ba6', 'source.txt');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gongkai-cli-'));
}

test('parse --jsonl: one object per input with "source", a bad file becomes an error line and the batch goes on', () => {
  const d = tmp();
  copyFileSync(SEED1, join(d, 'a.txt'));
  writeFileSync(join(d, 'b.txt'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8, 9, 0, 1]));
  writeFileSync(join(d, 'c.txt'), '关于做好2024年政务公开工作的通知\n各单位：请于1月31日前报送。\n');
  const r = run(['parse', '--jsonl', d, join(d, 'missing.txt')]);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  const by = Object.fromEntries(lines.map((l) => [l.source.split('/').pop(), l]));
  assert.equal(by['a.txt'].agency, '朝阳市国资委');
  assert.equal(by['a.txt'].table3.newReceived.total, 0);
  assert.equal(by['b.txt'].error.code, 'unreadable');
  assert.equal(by['c.txt'].error.code, 'not-annual-report');
  assert.equal(by['missing.txt'].error.code, 'io-error');
  assert.equal(r.status, 1);
});

test('parse reads standard input with "-"', () => {
  const r = run(['parse', '--jsonl', '-'], readFileSync(SEED3));
  const o = JSON.parse(r.stdout);
  assert.equal(o.source, '-');
  assert.equal(o.agency, '樟树市鹿江街道');
  assert.equal(r.status, 0);
});

test('parse decodes GB18030 text', () => {
  const d = tmp();
  const text = readFileSync(SEED1, 'utf8');
  // Node has no GBK encoder; this byte-level round trip uses the decoder it ships to check ours.
  const gbk = Buffer.from([0xd6, 0xd0, 0xce, 0xc4]); // 中文
  assert.equal(new TextDecoder('gb18030').decode(gbk), '中文');
  writeFileSync(join(d, 'utf8bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  const o = JSON.parse(run(['parse', '--jsonl', join(d, 'utf8bom.txt')]).stdout);
  assert.equal(o.title, '朝阳市国资委2023年度政府信息公开工作年度报告');
});

test('check: exit 1 with the table, row and column named when a report has errors; --lang en', () => {
  const d = tmp();
  const bad = readFileSync(SEED1, 'utf8').replace('一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |', '一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 4 |');
  writeFileSync(join(d, 'bad.txt'), bad);
  const zh = run(['check', join(d, 'bad.txt')]);
  assert.equal(zh.status, 1);
  assert.match(zh.stdout, /表三「一、本年新收政府信息公开申请数量」行「总计」列为 4，但六类申请人之和为 5/);
  assert.match(zh.stdout, /line \d+/);
  const en = run(['check', '--lang', 'en', '--format', 'json', join(d, 'bad.txt')]);
  const findings = JSON.parse(en.stdout)[0].findings;
  const f = findings.find((x: { ruleId: string }) => x.ruleId === 'table3-row-total');
  assert.ok(f);
  assert.ok(f.paths.includes('table3.newReceived.total'));
  assert.equal(f.place.line, 28);
});

test('check: exit 0 on a clean report', () => {
  const r = run(['check', SEED1]);
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /未发现问题/);
});

test('rules lists every rule with its doc, in Chinese and English', () => {
  const zh = run(['rules']);
  for (const id of ['table3-balance', 'table3-outcome-sum', 'table3-row-total', 'table4-total', 'publication-deadline', 'uncertain-cells']) assert.match(zh.stdout, new RegExp(id));
  const en = JSON.parse(run(['rules', '--json']).stdout);
  assert.ok(en.every((r: { doc: { zh: string; en: string } }) => r.doc.zh && r.doc.en));
});

test('parse --explain prints each cell with its raw text and place', () => {
  const r = run(['parse', '--explain', SEED1]);
  assert.match(r.stdout, /table3\.newReceived\.total\t0\t"0"\tline 28:\d+/);
});

test('pathological inputs finish: a 50 MB line and a million numbers', { timeout: 120_000 }, () => {
  const d = tmp();
  writeFileSync(join(d, 'line.txt'), '某某局2023年政府信息公开工作年度报告\n' + 'x'.repeat(50 * 1024 * 1024));
  writeFileSync(join(d, 'nums.txt'), '某某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 ' + '1 '.repeat(1_000_000));
  const r = run(['parse', '--jsonl', join(d, 'line.txt'), join(d, 'nums.txt')]);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  // A row with a million values cannot be placed: null and uncertain, never a guess.
  assert.equal(lines[1].table3.newReceived.total, null);
  assert.ok(lines[1].uncertain.includes('table3.newReceived.total'));
});

test('parse --explain names the element path for HTML and table/row/cell for DOCX', () => {
  const html = run(['parse', '--explain', join(CORPUS, 'real', 'sh-office-2019', 'source.html')]);
  assert.match(html.stdout, /table3\.newReceived\.naturalPerson\t821\t"821"\ttable\[\d+\]\/tr\[\d+\]\/td\[\d+\]/);
  const docx = run(['parse', '--explain', join(CORPUS, 'rendered', 'sh-office-2019~lo-docx', 'source.docx')]);
  assert.match(docx.stdout, /table3\.newReceived\.naturalPerson\t821\t"821"\ttable \d+ row \d+ cell \d+/);
});

test('a file over 100 MB is refused before it is read (too-large)', () => {
  const d = tmp();
  const f = join(d, 'huge.pdf');
  writeFileSync(f, '');
  truncateSync(f, 101 * 1024 * 1024); // sparse: no real 100 MB write
  const o = JSON.parse(run(['parse', '--jsonl', f]).stdout);
  assert.equal(o.error.code, 'too-large');
});
