// Text printed by pdftotext -layout and similar tools: what its layout loses, and what is still certain.
//
// pdftotext -layout prints a table whose group label (（六）其他处理) sits in a narrow column
// beside wrapped row labels: the lines interleave, so the compact text of a row label is broken
// by fragments of the group label ("…无正当理由逾" + "其他处" + "期不补正、…"). The row must still
// be found: every anchor of a row is a phrase that a break at another place leaves whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from './helpers.js';
import { parseText } from '../src/index.js';

const DIR = join(CORPUS, 'rendered', 'govnianbao-huaian-2024~pdftotext-layout');

test('a row label broken by the interleaved group label (（六）其他处理) is still read', { skip: !existsSync(DIR) }, () => {
  const src = readFileSync(join(DIR, 'source.txt'), 'utf8');
  const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8'));
  const lines = src.split('\n');
  const first = lines.findIndex((l) => l.includes('1、申请人无正当理由逾期不补'));
  assert.ok(first > 0, 'the corpus layout has the row');
  const end = lines.findIndex((l, i) => i > first && l.includes('息公开申请'));
  // The same row as the narrow two-column layout prints it, the group label in between.
  const interleaved = [
    '     （六）    1、申请人无正当理由逾',
    '     其他处    期不补正、行政机关不',
    '                                        67        3        0         0        1         0    71',
    '     理        再处理其政府信息公开申请',
  ];
  const edited = [...lines.slice(0, first), ...interleaved, ...lines.slice(end + 1)].join('\n').replace(/^\s*（六）其\s*$|^\s*他处理\s*$/gm, '');
  assert.ok(!edited.includes('逾期不补'), 'no anchor phrase is left whole but the last');
  const r = parseText(edited).report;
  assert.deepEqual(r.table3['other.noCorrection'], truth.table3['other.noCorrection']);
  assert.ok(!r.uncertain.some((p) => p.startsWith('table3.other.noCorrection.')), r.uncertain.join(' '));
  assert.deepEqual(r.table3['other.unpaidFees'], truth.table3['other.unpaidFees']);
});

// Text that drops blank cells (pdftotext -layout, crawler text) prints a row of blank cells as its
// label alone. Such a row is blank only when the table balances with it blank; a row whose values
// were lost leaves the table unbalanced and stays uncertain.
test('a table-3 row printed with no value is blank where the table balances without it, else uncertain', { skip: !existsSync(DIR) }, () => {
  const src = readFileSync(join(DIR, 'source.txt'), 'utf8');
  const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8'));
  const dropValues = (labelPart: string) => {
    const lines = src.split('\n');
    const i = lines.findIndex((l) => l.includes(labelPart));
    assert.ok(i >= 0, labelPart);
    // The values are on the label's line or the next line that holds digits.
    const j = lines.findIndex((l, k) => k >= i && /\d\s+\d/.test(l.replace(/^\s*\d[.、]/, '')));
    lines[j] = lines[j].replace(/(\s+\d+)+\s*$/, '');
    return lines.join('\n');
  };
  const zeroRow = 'notProcessed.publication';
  assert.deepEqual(Object.values(truth.table3[zeroRow]), [0, 0, 0, 0, 0, 0, 0]);
  const a = parseText(dropValues('3.要求提供公开出版物')).report;
  assert.deepEqual(Object.values(a.table3[zeroRow]), [null, null, null, null, null, null, null]);
  assert.ok(!a.uncertain.some((p) => p.startsWith(`table3.${zeroRow}.`)), a.uncertain.join(' '));
  assert.deepEqual(a.table3.totalHandled, truth.table3.totalHandled);

  const lostRow = 'notProcessed.confirmation';
  assert.ok(Object.values(truth.table3[lostRow]).some((v) => v !== 0 && v !== null));
  const b = parseText(dropValues('5.要求行政机关确认或重新出')).report;
  assert.deepEqual(Object.values(b.table3[lostRow]), [null, null, null, null, null, null, null]);
  for (const c of Object.keys(truth.table3[lostRow])) assert.ok(b.uncertain.includes(`table3.${lostRow}.${c}`), c);
});

const SEED_001 = join(CORPUS, 'seeds', '001_6924ad0fa9f0fb17');

// A row label whose anchor phrases are garbled (html2text cuts CJK text by bytes) is not found;
// the row before it then reaches over it, and the label's item number ("5.要求…") must not be
// read as that row's value.
test('the item number of a row label that was not found is not a value of the row before it', { skip: !existsSync(SEED_001) }, () => {
  const src = readFileSync(join(SEED_001, 'source.txt'), 'utf8');
  const edited = src
    .replace(/^4\.无正当理由大量反复申请 \|.*$/m, '4.无正当理由大量反复申请 | 申 |  |  |  |  |  |  |')
    .replace(/^5\.要求行政机关确认或重新出具已获取信息 \|.*$/m, '5.要求行政机关再次出具已获取信息 | 信 | 息 |  |  |  |  |  |');
  assert.notEqual(edited, src);
  const r = parseText(edited).report;
  const row = r.table3['notProcessed.excessive'];
  assert.ok(!Object.values(row).includes(5), JSON.stringify(row));
});

// pdftotext -layout centres a row's values on its wrapped label: some values on the label's first
// line, the rest on its second, label text between them.
test('a row whose values are split over the two lines of its wrapped label is read whole', { skip: !existsSync(DIR) }, () => {
  const src = readFileSync(join(DIR, 'source.txt'), 'utf8');
  const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8'));
  const lines = src.split('\n');
  const i = lines.findIndex((l) => l.includes('5.要求行政机关确认或重新出'));
  const j = lines.findIndex((l) => l.includes('具已获取信息'));
  assert.ok(i > 0 && j === i + 2, 'the corpus layout has the row on three lines');
  const values: string[] = lines[i + 1].trim().split(/\s+/);
  assert.equal(values.length, 7);
  const split = [`               5.要求行政机关确认或重新出     ${values.slice(0, 3).join('         ')}`, `               具已获取信息                                              ${values.slice(3).join('        ')}`];
  const edited = [...lines.slice(0, i), ...split, ...lines.slice(j + 1)].join('\n');
  const r = parseText(edited).report;
  assert.deepEqual(r.table3['notProcessed.confirmation'], truth.table3['notProcessed.confirmation']);
  assert.ok(!r.uncertain.some((p) => p.startsWith('table3.notProcessed.confirmation.')), r.uncertain.join(' '));
  // Split values that do not balance (R3) stay uncertain: they may belong elsewhere.
  const unbalanced = edited.replace(split[1], split[1].replace(/(\d+)\s*$/, (d) => String(Number(d) + 1)));
  assert.notEqual(unbalanced, edited);
  const u = parseText(unbalanced).report;
  assert.ok(u.uncertain.some((p) => p.startsWith('table3.notProcessed.confirmation.')));
});

// Row labels broken at another place by the values printed between their lines (A5 pages).
test('rows are found when the values break their label (行政执法|案卷, 无正当理由大|量反复, 四类过|程性, 三类内|部事务)', { skip: !existsSync(DIR) }, () => {
  const src = readFileSync(join(DIR, 'source.txt'), 'utf8');
  const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8'));
  const rows: [string, RegExp, string, string][] = [
    ['denied.enforcementFiles', /^.*行政执法案卷.*$/m, '7.属于行政执法', '案卷'],
    ['notProcessed.excessive', /^.*无正当理由大量反复申请.*$/m, '4.无正当理由大', '量反复申请'],
    // Every anchor broken by the values: found across them.
    ['denied.processInfo', /^.*属于四类过程性信息.*$/m, '6.属于四类过', '程性信息'],
    // 事务信息 is left whole after the values, but the label starts before them.
    ['denied.internalAffairs', /^.*属于三类内部事务信息.*$/m, '5.属于三类内', '部事务信息'],
  ];
  let edited = src;
  for (const [key, re, head, tail] of rows) {
    const vals = Object.values(truth.table3[key]).map((v) => String(v ?? 0)).join(' ');
    edited = edited.replace(re, `         ${head} ${vals}\n         ${tail}`);
  }
  assert.ok(!edited.includes('执法案卷') && !edited.includes('大量反复') && !edited.includes('过程性') && !edited.includes('内部事务'));
  const r = parseText(edited).report;
  for (const [key] of rows) {
    assert.deepEqual(r.table3[key], truth.table3[key], key);
    assert.ok(!r.uncertain.some((p) => p.startsWith(`table3.${key}.`)), key);
  }
});
