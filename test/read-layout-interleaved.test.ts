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
