// Recogniser behaviour on small, hand-made inputs: each case names the layout trait it covers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseText, check, GongkaiError } from '../src/index.js';
import { CORPUS } from './helpers.js';
import { extractMeta, yearInProse } from '../src/recognize/meta.js';
import { sampleReport } from './gen.js';
import { writeA, writeD, writeG } from './layouts.js';

const SEED1 = readFileSync(join(CORPUS, 'seeds', '001_6924ad0fa9f0fb17', 'source.txt'), 'utf8');

test('a notice is not an annual report', () => {
  assert.throws(() => parseText('关于报送2023年度政府信息公开工作年度报告的通知\n各区县：请于2024年1月20日前报送。\n', 'n.txt'), (e: unknown) => e instanceof GongkaiError && e.code === 'not-annual-report' && /not look like/.test(e.text.en));
});

test('a truncated report keeps what is there and findings name what is missing', () => {
  const cut = SEED1.slice(0, SEED1.indexOf('四、政府信息公开行政复议'));
  const r = parseText(cut, 'cut.txt');
  assert.equal(r.report.table3.newReceived.total, 0);
  assert.equal(r.found.table4, false);
  const ids = check(r).map((f) => `${f.ruleId}:${f.message.en}`);
  assert.ok(ids.some((x) => x.startsWith('tables-present') && /Table 4/.test(x)), ids.join('\n'));
  assert.ok(ids.some((x) => x.startsWith('sections-present') && /Other matters/.test(x)), ids.join('\n'));
});

test('crawler text with cells run together: unique splits placed, the rest null and uncertain', () => {
  const text = [
    '某某局2023年政府信息公开工作年度报告',
    '发布时间: 2024-01-20',
    '三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他' +
      '一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开701000071（二）部分公开（区分处理的，只计这一情形，不计其他情形）0000000' +
      '（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”00000004.保护第三方合法权益00000005.属于三类内部事务信息00000006.属于四类过程性信息00000007.属于行政执法案卷00000008.属于行政查询事项0000000' +
      '（四）无法提供1.本机关不掌握相关政府信息1000000102.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请00000002.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000' +
      '（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请00000002.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他0000000（七）总计801000081四、结转下年度继续办理0000000',
  ].join('\n');
  const r = parseText(text);
  assert.deepEqual(Object.values(r.report.table3.newReceived), [80, 1, 0, 0, 0, 0, 81]);
  assert.deepEqual(Object.values(r.report.table3.granted), [70, 1, 0, 0, 0, 0, 71]);
  assert.deepEqual(Object.values(r.report.table3['unavailable.notHeld']), [10, 0, 0, 0, 0, 0, 10]);
  assert.deepEqual(Object.values(r.report.table3.totalHandled), [80, 1, 0, 0, 0, 0, 81]);
});

test('run-together digits with several possible splits stay null and uncertain (table 2 has no relation)', () => {
  const text = '某某局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章 000行政规范性文件693665第二十条第（五）项信息内容本年处理决定数量行政许可2293\n三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量0000000 二、上年结转政府信息公开申请数量0000000';
  const r = parseText(text);
  assert.deepEqual(r.report.table2.regulations, { issued: 0, repealed: 0, inForce: 0 });
  assert.deepEqual(r.report.table2.normativeDocuments, { issued: null, repealed: null, inForce: null });
  assert.ok(r.report.uncertain.includes('table2.normativeDocuments.inForce'));
  assert.equal(r.report.table2.licensing.decisions, 2293);
});

test('a short row (blank cells dropped) is placed only where every placement agrees', () => {
  // A column-aligned line (as pdftotext -layout prints it) where a blank cell was dropped.
  const rows = SEED1.replace('二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||', '二、上年结转政府信息公开申请数量     0     0     0     0     0     0');
  const r = parseText(rows);
  assert.deepEqual(Object.values(r.report.table3.carriedOver), [0, 0, 0, 0, 0, 0, 0]); // zeros: all agree
  const odd = SEED1.replace('二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||', '二、上年结转政府信息公开申请数量     3     2     5');
  const r2 = parseText(odd);
  // 3, 2, 5 over seven columns with total = sum of six: 5 must be the total, but 3 and 2 fit
  // any two of the six applicant columns, so those stay unknown.
  assert.equal(r2.report.table3.carriedOver.total, 5);
  assert.equal(r2.report.table3.carriedOver.naturalPerson, null);
  assert.ok(r2.report.uncertain.includes('table3.carriedOver.naturalPerson'));
});

test('a table written one cell per line with its empty cells as no-break-space lines (LibreOffice text export) is read cell for cell', () => {
  const r = sampleReport('2021', 7);
  r.table3.granted = { naturalPerson: 5, commercial: null, research: 2, social: null, legal: null, otherOrg: null, total: 7 };
  const got = parseText(writeG(r)).report;
  assert.deepEqual(got.table3.granted, r.table3.granted);
  assert.deepEqual(got.uncertain, []);
});

test('no-break-space lines are no cells where an empty line among a row\'s cells may be a dropped one: nothing is misplaced', () => {
  const r = sampleReport('2021', 7);
  r.table3.granted = { naturalPerson: 5, commercial: null, research: 2, social: 0, legal: 0, otherOrg: 0, total: 7 };
  // The empty commercial cell written as an empty line (dropped), and a stray no-break-space
  // line after the row (as merged cells leave them, seed 000): seven lines still follow the label.
  const row = '（一）予以公开\n5\n\u00a0\n2\n0\n0\n0\n7\n';
  const text = writeG(r);
  assert.ok(text.includes(row));
  const got = parseText(text.replace(row, '（一）予以公开\n5\n\n2\n0\n0\n0\n7\n\u00a0\n')).report;
  for (const [col, want] of Object.entries(r.table3.granted)) {
    const v = got.table3.granted[col as keyof typeof r.table3.granted];
    assert.ok(v === want || (v === null && got.uncertain.includes(`table3.granted.${col}`)), `${col}: want ${want}, got ${v}`);
  }
  // The six values are spread over seven columns: 2 could be commercial's or research's.
  assert.ok(got.uncertain.includes('table3.granted.research'));
});

/**
 * A report in layout D with one table-3 row (value `first` in its first column, the rest 0) whose
 * line, found by `label`, is replaced by `lines`: the row reads back whole, nothing uncertain.
 */
function rowReadBack(key: string, first: number, label: string, lines: string[]): void {
  const r = sampleReport('2021', 3);
  r.table3[key] = { naturalPerson: first, commercial: 0, research: 0, social: 0, legal: 0, otherOrg: 0, total: first };
  const text = writeD(r, { wrapLabels: false }).split('\n');
  const at = text.findIndex((l) => l.includes(label));
  assert.ok(at >= 0);
  text.splice(at, 1, ...lines);
  const got = parseText(text.join('\n')).report;
  assert.deepEqual(got.table3[key], r.table3[key]);
  assert.ok(!got.uncertain.some((p) => p.startsWith(`table3.${key}`)), got.uncertain.join(', '));
}

test('a wrapped label whose item number pdftotext -layout printed on a line of its own ("3.") keeps its values', () => {
  // Chromium's PDF of the HTML rendering, through pdftotext -layout: the label centred beside
  // its number, the first value on its first line, the rest on its last.
  rowReadBack('denied.threeSecurities', 2, '3.危及“三安全一稳定”', ['      危及“三安全一稳 2', '     3.', '     定”                0   0     0   0   0   2']);
});

test('a row\'s own item number printed bare between its values ("5."), the rest of them sharing a line, is no value', () => {
  // The first value on the label's first line, the others on a line between its two.
  rowReadBack('denied.internalAffairs', 13, '5.属于三类内部事务信息', ['      属于三类内部事务 13', '     5.', '                       0   0   0   0   0   13', '     信息']);
});

test('a bare item number followed by a value stays a value: a column of them in drawing order leaves the row too long to place', () => {
  const r = sampleReport('2021', 3);
  r.table3['notProcessed.duplicate'] = { naturalPerson: 25, commercial: 0, research: 0, social: 0, legal: 0, otherOrg: 0, total: 25 };
  const text = writeA(r);
  const row = r.table3['notProcessed.duplicate'];
  const cells = ['2.重复申请', ...Object.values(row).map(String)].join('\n\n');
  assert.ok(text.includes(cells));
  // pdftotext's default mode: the row's first value printed after a column of item numbers
  // (govnianbao-huaian-2024's Chromium PDF). Dropped, they would leave 0 0 0 0 0 25 25, which
  // balances.
  const scrambled = text.replace(cells, ['2.重复申请', ...Object.values(row).slice(1).map(String), '2.', '3.', String(row.naturalPerson)].join('\n\n'));
  const got = parseText(scrambled).report;
  for (const [col, want] of Object.entries(row)) {
    const v = got.table3['notProcessed.duplicate'][col as keyof typeof row];
    assert.ok(v === want || (v === null && got.uncertain.includes(`table3.notProcessed.duplicate.${col}`)), `${col}: want ${want}, got ${v}`);
  }
});

test('values after another row\'s label or a column header (drawing order) are not the row\'s: it stays uncertain', () => {
  const r = sampleReport('2021', 3);
  const text = writeA(r);
  const label = '（二）部分公开（区分处理的，只计这一情形，不计其他情形）';
  const cells = [label, ...Object.values(r.table3.partiallyGranted).map(String)].join('\n\n');
  assert.ok(text.includes(cells));
  // pdftotext's default mode printed the next block's label and the column header between the
  // label and seven values from several rows and columns.
  const others = ['35', '1', '859', '18', '12', '1', '3'];
  const got = parseText(text.replace(cells, [label, '（三）不予公开', '法人或其他组织', ...others].join('\n\n'))).report;
  for (const col of Object.keys(r.table3.partiallyGranted)) {
    assert.equal(got.table3.partiallyGranted[col as 'total'], null, col);
    assert.ok(got.uncertain.includes(`table3.partiallyGranted.${col}`), col);
  }
});

test('in text not laid out row by row, a row of seven values one per line that does not balance is not trusted', () => {
  const r = sampleReport('2021', 3);
  const text = writeA(r);
  const row = (label: string, key: string) => [label, ...Object.values(r.table3[key]).map(String)].join('\n\n');
  const granted = row('（一）予以公开', 'granted');
  const secret = row('1.属于国家秘密', 'denied.stateSecret');
  assert.ok(text.includes(granted) && text.includes(secret));
  // One row with an eighth value (drawing order left another row's value there), and seven
  // values under another label whose total is not their sum: both could be other rows'.
  const got = parseText(text.replace(granted, `${granted}\n\n9`).replace(secret, ['1.属于国家秘密', '4', '0', '0', '0', '0', '0', '7'].join('\n\n'))).report;
  assert.deepEqual(Object.values(got.table3['denied.stateSecret']), [null, null, null, null, null, null, null]);
  assert.ok(got.uncertain.includes('table3.denied.stateSecret.total'));
  // In text laid out row by row the same row is a published error, read as written.
  const alone = parseText(text.replace(secret, ['1.属于国家秘密', '4', '0', '0', '0', '0', '0', '7'].join('\n\n'))).report;
  assert.deepEqual(Object.values(alone.table3['denied.stateSecret']), [4, 0, 0, 0, 0, 0, 7]);
});

test('table 4 short of values, its last header group printed after the next heading (drawing order): the missing values are not taken for blanks', () => {
  const t4 = SEED1.slice(SEED1.indexOf('四、政府信息公开行政复议'), SEED1.indexOf('五、存在的主要问题'));
  const drawn = [
    '四、政府信息公开行政复议、行政诉讼情况',
    ...['行政复议', '行政诉讼', '未经复议直接起诉', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
    ...['0', '0', '0', '15', '15', '0', '0', '0', '0'],
    '',
  ].join('\n\n');
  const spilled = ['复议后起诉', '总计', '结果维持', '14', '0', '0', '0', '14'].join('\n\n');
  const text = SEED1.replace(t4, drawn).replace('五、存在的主要问题及改进情况\n', `五、存在的主要问题及改进情况\n${spilled}\n`);
  const got = parseText(text).report;
  assert.deepEqual(Object.values(got.table4.litigationAfterReview), [null, null, null, null, null]);
  assert.ok(got.uncertain.includes('table4.litigationAfterReview.upheld'));
  // The same values under a whole header are placed as before: blanks dropped, zeros agreeing.
  const whole = parseText(SEED1.replace('0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |', ['0', '0', '0', '0', '0', '0', '0', '0', '0'].join('\n\n'))).report;
  assert.deepEqual(Object.values(whole.table4.litigationAfterReview), [0, 0, 0, 0, 0]);
});

test('one cell per line, empty cells as empty lines (LibreOffice text export): read by position; a wrapped label keeps the table from it', () => {
  const r = sampleReport('2021', 7);
  // A row without its total, as sh-office-2019 leaves totals blank.
  r.table3['unavailable.notHeld'] = { naturalPerson: 5, commercial: null, research: 2, social: null, legal: null, otherOrg: null, total: null };
  const text = writeG(r, '');
  const row = '1.本机关不掌握相关政府信息\n5\n\n2\n\n\n\n\n';
  assert.ok(text.includes(row));
  const got = parseText(text).report;
  assert.deepEqual(got.table3['unavailable.notHeld'], r.table3['unavailable.notHeld']);
  assert.deepEqual(got.uncertain, []);
  // The label wrapped after its anchor phrase: its last piece, on a line of its own, would be
  // taken for the first cell and every value moved one column; no row is read by position then.
  const wrapped = parseText(text.replace(row, '1.本机关不掌握相关政\n府信息\n5\n\n2\n\n\n\n\n')).report;
  const cells = wrapped.table3['unavailable.notHeld'];
  for (const [col, want] of Object.entries(r.table3['unavailable.notHeld'])) {
    const v = cells[col as keyof typeof cells];
    assert.ok(v === want || (v === null && wrapped.uncertain.includes(`table3.unavailable.notHeld.${col}`)), `${col}: want ${want}, got ${v}`);
  }
  assert.ok(wrapped.uncertain.includes('table3.unavailable.notHeld.naturalPerson'));
  // A row whose values were left out, not written as empty lines: the next label follows at once.
  const lost = r.table3['unavailable.needsCreation'];
  const lostRow = ['2.没有现成信息需要另行制作', ...Object.values(lost).map((v) => (v === null ? '' : String(v)))].join('\n') + '\n';
  assert.ok(text.includes(lostRow));
  const left = parseText(text.replace(lostRow, '2.没有现成信息需要另行制作\n')).report;
  assert.ok(left.uncertain.includes('table3.unavailable.needsCreation.total'), left.uncertain.join(', '));
});

test('a 2021 table printed with a single (六)其他处理 row: that row is other.other, (六)1–2 absent', () => {
  const single = SEED1.replace(/\(六\)其他处理 \| 1\.申请人无正当理由[^\n]*\n2\.申请人逾期[^\n]*\n3\.其他 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| \|\|/, '(六)其他处理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 | ||');
  assert.notEqual(single, SEED1);
  const r = parseText(single);
  assert.equal(r.report.template, '2021');
  assert.equal(r.report.table3['other.other'].total, 2);
  assert.equal(r.report.table3['other.noCorrection'].total, null);
  assert.ok(!r.report.uncertain.includes('table3.other.noCorrection.total'));
});

test('placeholders and units: "/" is null (not 0), "0件" is 0, full-width digits are read', () => {
  const t = SEED1.replace('规章 | 0 | 0 | 0 |', '规章 | / | 0件 | ０ |').replace('行政许可 | 0 |', '行政许可 | １２ |');
  const r = parseText(t);
  assert.deepEqual(r.report.table2.regulations, { issued: null, repealed: 0, inForce: 0 });
  assert.equal(r.report.table2.licensing.decisions, 12);
});

test('money written in 元 is converted to 万元', () => {
  const t = SEED1.replace('行政事业性收费 | 0 |', '行政事业性收费 | 251000元 |');
  assert.equal(parseText(t).report.table2.fees.amount, 25.1);
});

test('a 2019 procurement amount with no unit anywhere is unknown, unless it is 0 (0 in any unit)', () => {
  const table = (amount: string) => parseText([
    '某某局2019年政府信息公开工作年度报告',
    '二、主动公开政府信息情况',
    '第二十条第（一）项',
    '信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量',
    '规章 | 0 | 0 | 0',
    '规范性文件 | 1 | 1 | 9',
    '第二十条第（九）项',
    '信息内容 | 采购项目数量 | 采购总金额',
    `政府集中采购 | 2 | ${amount}`,
  ].join('\n')).report;
  const zero = table('0');
  assert.equal(zero.table2.procurement.amount, 0);
  assert.ok(!zero.uncertain.includes('table2.procurement.amount'));
  const some = table('36');
  assert.equal(some.table2.procurement.amount, null);
  assert.ok(some.uncertain.includes('table2.procurement.amount'));
});

test('a CSV export of the tables is read as rows: an empty field stays a blank cell in its column', async () => {
  const { parseBytes } = await import('../src/index.js');
  const lines = SEED1.split('\n').map((l) => {
    if (!l.includes('|')) return l.includes(',') ? `"${l.replace(/"/g, '""')}"` : l;
    const cells = l.split('|').map((c) => c.trim());
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    while (cells.length < 11) cells.push('');
    return cells.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',');
  });
  const csv = lines.join('\n').replace('一、本年新收政府信息公开申请数量,0,0,0,0,0,0,0', '一、本年新收政府信息公开申请数量,12,,3,0,0,0,15');
  const r = await parseBytes(Buffer.from(csv), 'x.csv');
  assert.equal(r.info.format, 'csv');
  assert.deepEqual(Object.values(r.report.table3.newReceived), [12, null, 3, 0, 0, 0, 15]);
});

test('table 4 is found by its own header when the 四 heading is missing', () => {
  const noHeading = SEED1.replace('四、政府信息公开行政复议、行政诉讼情况\n', '').replace('0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |', '2 | 1 | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
  const r = parseText(noHeading);
  assert.equal(r.found.table4, true);
  assert.deepEqual(r.report.table4.review, { upheld: 2, corrected: 1, other: 0, pending: 0, total: 3 });
  assert.deepEqual(Object.values(r.report.table3.carriedForward), [0, 0, 0, 0, 0, 0, 0]);
});

test('table 4 read one value per line (PDF drawing order): a group whose total is not its sum is not trusted', () => {
  const row = '0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |';
  // pdftotext's default mode on a real report printed the review group's four results, then
  // the after-review group, then the review total: read in order, every group was misplaced.
  const scrambled = SEED1.replace(row, ['72', '64', '178', '37', '12', '1', '1', '6', '351', '13', '4', '8', '1', '26', '20'].join('\n\n'));
  const r = parseText(scrambled);
  for (const g of ['review', 'litigationDirect', 'litigationAfterReview'] as const) {
    assert.deepEqual(Object.values(r.report.table4[g]), [null, null, null, null, null], g);
    assert.ok(r.report.uncertain.includes(`table4.${g}.total`), g);
  }
  // The same values in table order are kept; so is a published arithmetic error on one line.
  const ordered = parseText(SEED1.replace(row, ['72', '64', '178', '37', '351', '13', '4', '8', '1', '26', '12', '1', '1', '6', '20'].join('\n\n')));
  assert.deepEqual(Object.values(ordered.report.table4.review), [72, 64, 178, 37, 351]);
  assert.deepEqual(Object.values(ordered.report.table4.litigationAfterReview), [12, 1, 1, 6, 20]);
  const oneLine = parseText(SEED1.replace(row, '10  1  0  0  0  0  0  0  0  0  5  0  0  0  0'));
  assert.deepEqual(Object.values(oneLine.report.table4.review), [10, 1, 0, 0, 0]);
});

test('table 4 copied as a tab row (Chromium innerText) keeps its empty last cell; a page footer after it is no value', () => {
  const row = '0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |';
  const B = '\u00a0';
  const tabs = ['5', B, B, '2', '7', '8', B, B, '1', '9', B, B, B, B, B].join('\t');
  const exact = parseText(SEED1.replace(row, tabs));
  assert.deepEqual(Object.values(exact.report.table4.review), [5, null, null, 2, 7]);
  assert.deepEqual(Object.values(exact.report.table4.litigationAfterReview), [null, null, null, null, null]);
  assert.ok(!exact.report.uncertain.some((u) => u.startsWith('table4.')), exact.report.uncertain.join());
  // A page number or a running title after the row is one value too many: nothing is taken from it.
  for (const after of ['6', '第 6 页 共 9 页\n\f2019年某某局政府信息公开工作年度报告']) {
    const r = parseText(SEED1.replace(row, `${tabs}\n\n${after}\n`));
    const t = r.report.table4.litigationAfterReview.total;
    assert.ok(t === null, `${after}: total ${t}`);
  }
});

test('a CSV table 3 whose merged labels left an empty column: no row is shifted by that column', async () => {
  // LibreOffice saving a sheet as CSV keeps a merged label's covered cells as empty fields, so
  // a row with two label columns has one empty field before its values, a row with three none.
  const { parseBytes } = await import('../src/index.js');
  const W = 15; // the sheet is as wide as table 4
  const line = (...cells: (string | number)[]) => [...cells, ...new Array(W - cells.length).fill('')].join(',');
  const v = (...xs: (number | '')[]) => xs;
  const csv = [
    line('某某局2019年政府信息公开工作年度报告'),
    line('三、收到和处理政府信息公开申请情况'),
    line('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '', '', '申请人情况'),
    line('', '', '', '自然人', '法人或其他组织', '', '', '', '', '总计'),
    line('', '', '', '', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'),
    line('一、本年新收政府信息公开申请数量', '', '', ...v(821, 35, '', '', 2, 1, 859)),
    line('二、上年结转政府信息公开申请数量', '', '', ...v(18, '', '', '', '', '', 18)),
    line('三、本年度办理结果', '（一）予以公开', '', ...v(258, 12, '', '', 1, 1, '')),
    line('', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '', ...v(3, '', '', '', '', '', '')),
    line('', '（三）不予公开', '1.属于国家秘密', ...v(14, '', '', '', '', '', '')),
    line('', '（七）总计', '', ...v(767, 35, '', '', 2, 1, 805)),
    line('四、结转下年度继续办理', '', '', ...v(72, '', '', '', '', '', 72)),
  ].join('\n');
  const r = await parseBytes(new TextEncoder().encode(csv), 'sheet.csv');
  const want: Record<string, (number | null)[]> = { granted: [258, 12, null, null, 1, 1, null], partiallyGranted: [3, null, null, null, null, null, null] };
  for (const [row, vals] of Object.entries(want)) {
    const got = Object.entries((r.report.table3 as unknown as Record<string, Record<string, number | null>>)[row]);
    got.forEach(([col, x], i) => {
      const path = `table3.${row}.${col}`;
      assert.ok(x === vals[i] || (x === null && r.report.uncertain.includes(path)), `${path}: ${x}`);
    });
  }
});

test('an HTML cell whose digits sit in <span>s on separate source lines ("8 21") is one unknown value, never two', async () => {
  const { renderHtml } = await import('../src/render/index.js');
  const { parseBytes } = await import('../src/index.js');
  const r = parseText(SEED1).report;
  r.table3.newReceived = { naturalPerson: 821, commercial: 35, research: null, social: 0, legal: 2, otherOrg: 1, total: 859 };
  // A browser shows "8 21"; read as two values, the blank cell was dropped as noise and every cell moved.
  const html = renderHtml(r).replace('>821<', '><span>8</span>\n<span>2</span><span>1</span><');
  assert.ok(html.includes('<span>8</span>\n'));
  const p = (await parseBytes(Buffer.from(html), 'split.html')).report;
  assert.deepEqual(p.table3.newReceived, { naturalPerson: null, commercial: 35, research: null, social: 0, legal: 2, otherOrg: 1, total: 859 });
  assert.ok(p.uncertain.includes('table3.newReceived.naturalPerson'));
});

test("an empty row under table 4 (Word's HTML closes a table with a row of empty width cells) adds no cells to it", async () => {
  const { renderHtml } = await import('../src/render/index.js');
  const { parseBytes } = await import('../src/index.js');
  const r = parseText(SEED1).report;
  r.table4.review = { upheld: null, corrected: 0, other: 0, pending: null, total: 0 };
  const html = renderHtml(r);
  const at = html.lastIndexOf('</tbody>');
  const p = (await parseBytes(Buffer.from(html.slice(0, at) + '<tr>' + '<td></td>'.repeat(15) + '</tr>' + html.slice(at)), 'word.html')).report;
  // 15 cells past the values would let the row be read one column to the left as well, and the
  // two readings agree only with blank taken as 0.
  assert.deepEqual(p.table4.review, { upheld: null, corrected: 0, other: 0, pending: null, total: 0 });
  assert.ok(!p.uncertain.some((u) => u.startsWith('table4.')));
});

test('headings read out of place (a PDF of a report in a borderless layout table): tables 2 and 4 are found by their own blocks', () => {
  const H2 = '二、主动公开政府信息情况', H3 = '三、收到和处理政府信息公开申请情况', H4 = '四、政府信息公开行政复议、行政诉讼情况';
  const total = '(七)总计 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||';
  const tail = '四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |';
  assert.ok([H2, H3, H4, total, tail].every((x) => SEED1.includes(x)));
  const row4 = '0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |';
  const base = SEED1.replace(total, '(七)总计 | 767 | 35 |  |  | 2 | 1 | 805 | ||').replace(tail, '四、结转下年度继续办理 | 72 |  |  |  |  |  | 72 |')
    .replace(row4, '5 |  |  | 2 | 7 | 8 |  |  | 1 | 9 |  |  |  |  |  |');
  const want = parseText(base).report;
  assert.equal(want.table2.regulations.issued, 0);
  // Both 二 and 三 first, then table 2's blocks: table 2 is still read, not left blank unflagged.
  const moved23 = parseText(base.replace(`${H3}\n`, '').replace(`${H2}\n`, `${H2}\n${H3}\n`)).report;
  assert.deepEqual(moved23.table2, want.table2);
  // The 四 heading inside table 3: table 4 does not take the values of (七)总计 or 结转下年度.
  const moved4 = parseText(base.replace(`${H4}\n`, '').replace('(七)总计 |', `${H4}\n(七)总计 |`)).report;
  for (const [g, cols] of Object.entries(moved4.table4)) for (const [c, v] of Object.entries(cols)) {
    const path = `table4.${g}.${c}`;
    const w = (want.table4 as unknown as Record<string, Record<string, number | null>>)[g][c];
    assert.ok(v === w || (v === null && moved4.uncertain.includes(path)), `${path}: ${v} (want ${w})`);
  }
});

test('a table-2 row does not take values from across the next 第二十条 block heading', () => {
  // pdftotext's default mode printed a row's values before its label; the row above then
  // found the next block's values after the heading and took them.
  const block = '行政强制 | 0 | ||\n第二十条第(八)项 | |||\n信息内容 | 本年收费金额(单位:万元) | ||\n行政事业性收费 | 0 |';
  assert.ok(SEED1.includes(block));
  const r = parseText(SEED1.replace(block, ['行政强制', '第二十条第(八)项', '信息内容', '本年收费金额(单位:万元)', '12', '行政事业性收费'].join('\n\n')));
  assert.notEqual(r.report.table2.enforcement.decisions, 12);
  assert.ok(r.report.uncertain.includes('table2.enforcement.decisions'));
});

test('a list of other years\' reports copied before the title (a CMS sidebar) is not the title', async () => {
  const head = ['首页', '当前位置：首页 > 政府信息公开 > 年度报告', '年度报告', '2018年政府信息公开工作年度报告', '2017年政府信息公开工作年度报告', '发布时间：2025-01-20', '淮安市人民政府2024年政府信息公开工作年度报告', ''].join('\n');
  const m = extractMeta(head, head);
  assert.equal(m.year, 2024);
  assert.equal(m.agency, '淮安市人民政府');
  // A title printed twice (breadcrumb, then heading) is still the title.
  assert.equal(extractMeta('首页 > 某某局2023年政府信息公开工作年度报告\n某某局2023年政府信息公开工作年度报告\n', '').year, 2023);
});

test('a title whose year was printed apart ("年上海市…报告", Chromium PDF read by pdftotext) does not make 年 part of the agency', async () => {
  const m = extractMeta('年上海市人民政府办公厅政府信息公开工作年度报告\n发布日期：2020-01-31\n', '本年度报告中所列数据统计期限从2019年1月1日到12月31日止。');
  assert.equal(m.agency, '上海市人民政府办公厅');
  assert.equal(m.year, 2019);
});

test('a long title wrapped at any character by a PDF line width is joined (pdftotext of a rendered PDF)', async () => {
  const a = extractMeta('淮安市人民政府 2024 年政府信息公开工作年\n          度报告\n', '');
  assert.equal(a.agency, '淮安市人民政府');
  assert.equal(a.year, 2024);
  const b = extractMeta('平潭综合实验区财政金融局 2024 年度政府信\n息公开工作年度报告\n发布日期：2025-01-23\n', '');
  assert.equal(b.agency, '平潭综合实验区财政金融局');
  // A body sentence on the next line is not part of the title.
  const c = extractMeta('某某局 2024 年政府信息公开\n工作做得很好，公开年度报告。\n', '');
  assert.equal(c.title, null);
});

test('a sentence above table 3 that names a later row (无上年结转申请) does not make the row before it absent', () => {
  // The web app's narrative draft puts such a sentence under heading 三, right above the table.
  const heading = '三、收到和处理政府信息公开申请情况\n';
  assert.ok(SEED1.includes(heading));
  const plain = parseText(SEED1, 'seed1.txt');
  const withSentence = parseText(SEED1.replace(heading, `${heading}本年度未收到政府信息公开申请，无上年结转申请，予以公开0件。\n`), 'seed1-sentence.txt');
  assert.deepEqual(withSentence.report.uncertain, []);
  assert.deepEqual(withSentence.report.table3, plain.report.table3);
});

test('a phrase inside a row label\'s bracketed note is no label: the note\'s row keeps its values, the named row its own', () => {
  // Some agencies print the filling instructions inside the row labels, and add rows of their
  // own: a note that names 行政处罚 or 规范性文件 must not anchor those rows.
  const text = [
    '某某局2020年政府信息公开工作年度报告',
    '二、主动公开政府信息情况',
    '第二十条第（一）项',
    '信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量',
    '规章（仅设区的市填写） | 0 | 0 | 0',
    '规范性文件（含以“办法”“规定”为题的规范性文件） | 3 | 3 | 41',
    '其他文件（除规范性文件以外的文件） | 70 | 65 | 300',
    '第二十条第（五）项',
    '信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量',
    '行政许可 | 6 | 2 | 51',
    '其他对外管理服务事项（含行政确认、行政处罚、行政强制等） | 120 | -3 | 180',
    '第二十条第（六）项',
    '信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量',
    '行政处罚 | 88 | 1 | 27',
    '行政强制 | 5 | 0 | 2',
  ].join('\n');
  const t2 = parseText(text).report.table2 as Record<string, Record<string, number | null>>;
  assert.deepEqual(t2.normativeDocuments, { made: 3, published: 3, total: 41 });
  assert.deepEqual(t2.otherServices, { previous: 120, change: -3, decisions: 180 });
  assert.deepEqual(t2.punishment, { previous: 88, change: 1, decisions: 27 });
  assert.deepEqual(t2.enforcement, { previous: 5, change: 0, decisions: 2 });
  // 2021 template: an added row whose note names 规范性文件 after the real row.
  const t21 = parseText([
    '某某局2023年政府信息公开工作年度报告',
    '二、主动公开政府信息情况',
    '第二十条第（一）项',
    '信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数',
    '规章 | 0 | 0 | 0',
    '行政规范性文件 | 4 | 1 | 22',
    '其他主动公开文件（不含行政规范性文件） | 150 | 0 | 900',
    '第二十条第（五）项',
    '信息内容 | 本年处理决定数量',
    '行政许可 | 12',
  ].join('\n')).report.table2 as Record<string, Record<string, number | null>>;
  assert.deepEqual(t21.normativeDocuments, { issued: 4, repealed: 1, inForce: 22 });
  assert.equal(t21.licensing.decisions, 12);
});

test('an agency on its own line above a title that starts with the report\'s name is joined to it', async () => {
  const m = extractMeta('某某市科学技术局\n政府信息公开工作年度报告\n为做好政府信息公开工作，现将我局2022年工作报告如下。\n', '本报告所列数据的统计期限自2022年1月1日起至2022年12月31日。');
  assert.equal(m.title, '某某市科学技术局政府信息公开工作年度报告');
  assert.equal(m.agency, '某某市科学技术局');
  assert.equal(m.year, 2022);
  // A line that is no agency name (a sentence, a breadcrumb) stays apart.
  assert.equal(extractMeta('当前位置：首页\n政府信息公开工作年度报告\n', '').agency, null);
});

test('a breadcrumb that ends in a year folder is not joined to the title line under it', async () => {
  const m = extractMeta('当前位置: 首页 > 政府信息公开 > 2023年 > 乡镇街道\n某某镇人民政府2023年政府信息公开工作年度报告\n按照有关要求,编制本报告。\n', '');
  assert.equal(m.title, '某某镇人民政府2023年政府信息公开工作年度报告');
  assert.equal(m.agency, '某某镇人民政府');
});

test('a title with the year inside the report\'s name ("…政府信息公开工作2021年度报告") is a title', async () => {
  const m = extractMeta('某某区科技局政府信息公开工作2021年度报告\n发布日期:2022-01-07\n', '');
  assert.equal(m.title, '某某区科技局政府信息公开工作2021年度报告');
  assert.equal(m.agency, '某某区科技局');
  assert.equal(m.year, 2021);
  assert.equal(m.publishedAt, '2022-01-07');
  // Only the title names the year: the report is read, not refused as some other text.
  const r = parseText('某某区科技局政府信息公开工作2021年度报告\n一、总体情况\n2021年，本局认真做好政府信息公开工作。\n');
  assert.equal(r.report.year, 2021);
});

test('a note under table 4 that names its columns ("注：…行政复议结果纠正1件…") is not read as more table-4 values', () => {
  const zeros = '\n0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n';
  assert.ok(SEED1.includes(zeros));
  const values = '\n2 | 1 | 0 | 1 | 4 | 0 | 0 | 1 | 0 | 1 | 1 | 0 | 0 | 0 | 1 |';
  for (const note of ['注：1.行政复议结果纠正1件为2023年12月5日作出；2.尚未审结案件1件。', '其中，行政复议结果纠正的1件已于2023年12月5日重新答复。']) {
    const r = parseText(SEED1.replace(zeros, `${values}\n${note}\n`)).report;
    assert.deepEqual(Object.values(r.table4.review), [2, 1, 0, 1, 4], note);
    assert.deepEqual(Object.values(r.table4.litigationDirect), [0, 0, 1, 0, 1], note);
    assert.deepEqual(Object.values(r.table4.litigationAfterReview), [1, 0, 0, 0, 1], note);
    assert.ok(!r.uncertain.some((p) => p.startsWith('table4.')), note);
  }
});

test('a 本年增/减 printed with a typographic minus ("−3", "—3") keeps its sign', () => {
  for (const minus of ['−', '–', '—', '——']) {
    const r = parseText([
      '某某局2019年政府信息公开工作年度报告',
      '二、主动公开政府信息情况',
      '第二十条第（五）项',
      '信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量',
      `行政许可 | 10 | ${minus}3 | 40`,
      '其他对外管理服务事项 | 1 | 0 | 2',
    ].join('\n')).report.table2 as Record<string, Record<string, number | null>>;
    assert.deepEqual(r.licensing, { previous: 10, change: -3, decisions: 40 }, minus);
  }
});

test('a number scaled by the word after it ("1.2万", "5千元") is an unknown cell, never its bare digits', () => {
  for (const v of ['1.2万', '5千元', '3亿元']) {
    const r = parseText([
      '某某局2023年政府信息公开工作年度报告',
      '二、主动公开政府信息情况',
      '第二十条第（五）项',
      '信息内容 | 本年处理决定数量',
      `行政许可 | ${v}`,
      '第二十条第（六）项',
      '信息内容 | 本年处理决定数量',
      '行政处罚 | 7',
      '行政强制 | 0',
    ].join('\n')).report;
    assert.equal(r.table2.licensing.decisions, null, v);
    assert.ok(r.uncertain.includes('table2.licensing.decisions'), v);
    // The unknown cell keeps its place: the rows after it are read as printed.
    assert.equal(r.table2.punishment.decisions, 7, v);
    assert.equal(r.table2.enforcement.decisions, 0, v);
  }
});

test('table 3 rows written "（七）合计" and "四、结转下一年度继续办理" are its total and carried-forward rows', () => {
  let t = SEED1;
  const set = (label: string, vals: string) => {
    const re = new RegExp(`${label.replace(/[()]/g, '\\$&')} \\| 0 \\| 0 \\| 0 \\| 0 \\| 0 \\| 0 \\| 0 \\|`);
    assert.ok(re.test(t), label);
    t = t.replace(re, `${label} | ${vals} |`);
  };
  set('一、本年新收政府信息公开申请数量', '5 | 1 | 0 | 0 | 0 | 0 | 6');
  set('(一)予以公开', '3 | 1 | 0 | 0 | 0 | 0 | 4');
  set('3.其他', '1 | 0 | 0 | 0 | 0 | 0 | 1');
  set('(七)总计', '4 | 1 | 0 | 0 | 0 | 0 | 5');
  set('四、结转下年度继续办理', '1 | 0 | 0 | 0 | 0 | 0 | 1');
  for (const [total, forward] of [['(七)合计', '四、结转下一年度继续办理'], ['七、合计', '四、结转至下年度继续办理']]) {
    const r = parseText(t.replace('(七)总计', total).replace('四、结转下年度继续办理', forward)).report;
    assert.deepEqual(Object.values(r.table3.totalHandled), [4, 1, 0, 0, 0, 0, 5], total);
    assert.deepEqual(Object.values(r.table3.carriedForward), [1, 0, 0, 0, 0, 0, 1], forward);
    assert.deepEqual(Object.values(r.table3['other.other']), [1, 0, 0, 0, 0, 0, 1], total);
    assert.ok(!r.uncertain.some((p) => p.startsWith('table3.')), total);
  }
});

test('table 3 row "1.信访、举报、投诉类申请" (the words set apart by 、) is the petition row', () => {
  const row = '1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |';
  assert.ok(SEED1.includes(row));
  const r = parseText(SEED1.replace(row, '1.信访、举报、投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |')).report;
  assert.deepEqual(Object.values(r.table3['notProcessed.petition']), [0, 0, 0, 0, 0, 0, 0]);
  assert.ok(!r.uncertain.some((p) => p.startsWith('table3.notProcessed.petition')));
});

test('table 2 (2019) rows "其他对外管理、服务事项" and "政府采购" are the other-services and procurement rows', () => {
  const t2 = parseText([
    '某某局2019年政府信息公开工作年度报告',
    '二、主动公开政府信息情况',
    '第二十条第（五）项',
    '信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量',
    '行政许可 | 7 | 8 | 9',
    '其他对外管理、服务事项 | 10 | 11 | 12',
    '第二十条第（九）项',
    '信息内容 | 采购项目数量 | 采购总金额',
    '政府采购 | 21 | 22万元',
  ].join('\n')).report.table2 as Record<string, Record<string, number | null>>;
  assert.deepEqual(t2.otherServices, { previous: 10, change: 11, decisions: 12 });
  assert.deepEqual(t2.procurement, { projects: 21, amount: 22 });
});

test('a page without its title, cut after table 2, is still a report: table 2 in its 第二十条 blocks is the evidence', () => {
  const text = [
    '一、总体情况',
    '本年度我局依法公开政府信息。',
    '二、主动公开政府信息情况',
    '第二十条第（一）项 |',
    '信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |',
    '规章 | 0 | 0 | 0 |',
    '行政规范性文件 | 2 | 0 | 7 |',
    '第二十条第（五）项 |',
    '信息内容 | 本年处理决定数量 |',
    '行政许可 | 41 |',
    '第二十条第（六）项 |',
    '信息内容 | 本年处理决定数量 |',
    '行政处罚 | 13 |',
    '行政强制 | 5 |',
  ].join('\n');
  const r = parseText(text, 'cut.txt');
  assert.equal(r.report.table2.licensing.decisions, 41);
  assert.equal(r.report.table2.enforcement.decisions, 5);
  // One article cited in prose is not a table: such a notice is still refused.
  assert.throws(() => parseText('关于做好年度报告的通知\n一、总体情况\n请按第二十条第（一）项填报规章、行政规范性文件、行政许可数量。\n', 'n.txt'), (e: unknown) => e instanceof GongkaiError && e.code === 'not-annual-report');
});

test('title: a town government that drops 政府 after the year, and a page title repeated under its agency line', async () => {
  const a = extractMeta('某某镇政府2022年信息公开工作年度报告\n一、总体情况\n', '');
  assert.equal(a.year, 2022);
  assert.equal(a.agency, '某某镇政府');
  const b = extractMeta('2022年政府信息公开工作年度报告\n某某县某某镇人民政府\n2022年政府信息公开工作年度报告\n', '');
  assert.equal(b.agency, '某某县某某镇人民政府');
  assert.equal(b.title, '某某县某某镇人民政府2022年政府信息公开工作年度报告');
  // A different report's title under the agency line is a list, not the heading: agency stays unknown.
  assert.equal(extractMeta('2022年政府信息公开工作年度报告\n某某县人民政府\n2021年政府信息公开工作年度报告\n', '').agency, null);
});

// Table 2 as the 2019 template prints it, for the year tests: a year is taken only where the template agrees.
const t2019 = [
  '二、主动公开政府信息情况',
  '第二十条第（一）项 |', '信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |', '规章 | 0 | 0 | 0 |', '规范性文件 | 0 | 0 | 0 |',
  '第二十条第（五）项 |', '信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |', '行政许可 | 3 | 1 | 4 |',
].join('\n');

test('year: a page without title or statistical period takes the year its overview opens with, if the tables agree', () => {
  const r = parseText(`一、总体情况\n2020年某某镇严格按照条例要求公开信息。\n${t2019}`, 'a.txt');
  assert.equal(r.report.year, 2020);
  // A year the tables' template contradicts (2019 template, year 2023) is not taken.
  assert.equal(parseText(`一、总体情况\n2023年某某镇严格按照条例要求公开信息。\n${t2019}`, 'b.txt').report.year, null);
  // A date or a span is not the report's year.
  assert.equal(parseText(`一、总体情况\n2020年5月起某某镇公开信息。\n${t2019}`, 'c.txt').report.year, null);
  assert.equal(parseText(`一、总体情况\n2019年以来某某镇公开信息。\n${t2019}`, 'd.txt').report.year, null);
});

test('year: else the one year the overview states as the period in prose, if the tables agree', async () => {
  const year = (overview: string) => parseText(`一、总体情况\n${overview}\n${t2019}`, 'a.txt').report.year;
  assert.equal(year('我局认真贯彻条例。截止2020年12月31日，我局公开信息34条。'), 2020);
  assert.equal(year('我局认真贯彻条例，坚持依法公开，2019年，我局主动公开信息416条。'), 2019);
  assert.equal(year('按照要求做好公开工作。2020年度，本机关公开信息12条。'), 2020);
  // Two statements of different years, a year the template contradicts, a span or a date: unknown.
  assert.equal(year('截至2020年12月31日公开34条。2019年，我局公开12条。'), null);
  assert.equal(year('截止2023年12月31日，我局公开34条。'), null);
  assert.equal(year('2018年以来，我局持续推进公开。2020年5月，我局开展培训。'), null);
  assert.equal(yearInProse('工作有序。2021年，我局公开信息。'), 2021);
  assert.equal(yearInProse('依据2017年，的文件'), null); // a year mid-clause is cited, not the period
  assert.equal(yearInProse('没有年份。'), null);
});

test('publishedAt: 信息提供日期, and a site byline under the title that ends in a date', async () => {
  assert.equal(extractMeta('某某署2021年政府信息公开工作年度报告\n信息提供日期 : 2022-01-21 17:48来源 : 某某署\n', '').publishedAt, '2022-01-21');
  assert.equal(extractMeta('首页>年报\n某某局2022年政府信息公开工作年度报告\n\n某某市人民政府门户网站 www.example.gov.cn 2023-01-30 \n正文\n', '').publishedAt, '2023-01-30');
  // A date ending a sentence of the body is no byline.
  assert.equal(extractMeta('某某局2022年政府信息公开工作年度报告\n本报告经审定，于2023-01-30。\n', '').publishedAt, null);
});

test('table 2: a block heading printed without its second 第 ("第二十条(一)项") still opens table 2', () => {
  const text = [
    '某某局2020年政府信息公开工作年度报告',
    '二、主动公开政府信息情况',
    '第二十条(一)项 |',
    '信息内容 | 本年新 制作数量 | 本年新 公开数量 | 对外公开总数量 |',
    '规章 | 1 | 2 | 3 |',
    '规范性文件 | 4 | 5 | 6 |',
    '第二十条第(五)项 |',
    '信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |',
    '行政许可 | 7 | 8 | 15 |',
  ].join('\n');
  const r = parseText(text, 'a.txt');
  assert.deepEqual(Object.values(r.report.table2.regulations), [1, 2, 3]);
  assert.deepEqual(Object.values(r.report.table2.normativeDocuments), [4, 5, 6]);
});

test('title and date in more real page shapes: 信息公开年度报告 without 工作, a one-line crawled page, 生成日期/有效期 in a metadata table', async () => {
  const a = extractMeta('某某乡人民政府2021年信息公开年度报告\n正文\n', '');
  assert.equal(a.agency, '某某乡人民政府');
  assert.equal(a.year, 2021);
  const body = '根据《中华人民共和国政府信息公开条例》规定，特向社会公布本局年度报告。报告所列数据的统计期限为2021年1月1日至2021年12月31日。如有疑问请联系本局办公室。';
  const b = extractMeta(`某某市某某区交通运输局 2021年度政府信息公开工作年度报告 ${body}`, '');
  assert.equal(b.title, '某某市某某区交通运输局2021年度政府信息公开工作年度报告');
  assert.equal(b.agency, '某某市某某区交通运输局');
  // A long line that is a sentence citing a report is no title.
  assert.equal(extractMeta(`根据有关要求 2021年度政府信息公开工作年度报告 ${body}`, '').title, null);
  assert.equal(extractMeta('| 发文机构: | 生成日期/有效期: | 2022-01-29 14:59:17 | |\n| 标 题: | 某某厅2021年政府信息公开工作年度报告 | ||\n', '').publishedAt, '2022-01-29');
});

test('title from a CMS metadata line "名  称: <title> 发布机构: <agency>"', async () => {
  const m = extractMeta('名  称: 某某区应急管理局2022年政府信息公开工作年度报告 发布机构: 某某区应急管理局\n公开日期: 2023年01月12日 公开方式: 有效\n', '');
  assert.equal(m.title, '某某区应急管理局2022年政府信息公开工作年度报告');
  assert.equal(m.agency, '某某区应急管理局');
  assert.equal(m.publishedAt, '2023-01-12');
});

test('publishedAt: a bare 日期 label after another label ("来源:日期:…"), not a longer label such as 废止日期', async () => {
  assert.equal(extractMeta('某某局2023年政府信息公开工作年度报告\n来源:日期:2024-01-24 15:21字号:\n', '').publishedAt, '2024-01-24');
  assert.equal(extractMeta('某某局2023年政府信息公开工作年度报告\n废止日期:2030-01-01\n', '').publishedAt, null);
});

test('title "关于2021年度政府信息公开工作的年度报告", repeated under its agency line after blank lines', async () => {
  const m = extractMeta('关于2021年度政府信息公开工作的年度报告\n\n发布时间:2022-01-25  来源:党政办\n\n某某县某某镇人民政府\n\n关于2021年度政府信息公开工作的年度报告\n', '');
  assert.equal(m.title, '某某县某某镇人民政府关于2021年度政府信息公开工作的年度报告');
  assert.equal(m.agency, '某某县某某镇人民政府');
  assert.equal(m.year, 2021);
  // Notices about the report are still no title.
  assert.equal(extractMeta('关于做好2021年度政府信息公开工作年度报告的通知\n', '').title, null);
  assert.equal(extractMeta('关于2021年度政府信息公开工作年度报告编制工作的通知\n', '').title, null);
});

test('provenance.cells, made when first read, is the same object for JSON, structured clone and direct reads', () => {
  const text = readFileSync(join(CORPUS, 'seeds/001_6924ad0fa9f0fb17/source.txt'), 'utf8');
  const r = parseText(text);
  const cells = r.provenance.cells;
  assert.ok(Object.keys(cells).length > 100, 'cells recorded');
  assert.equal(r.provenance.cells, cells); // made once
  assert.equal(cells['table3.newReceived.total'].raw, String(r.report.table3.newReceived.total));
  assert.deepEqual(Object.keys(r.provenance), ['cells', 'sections', ...Object.keys(r.provenance).slice(2)]);
  const viaJson = JSON.parse(JSON.stringify(r.provenance)) as typeof r.provenance;
  assert.deepEqual(viaJson.cells, cells);
  assert.deepEqual(structuredClone(r.provenance).cells, cells);
  // Serialised before it is read, too (a worker thread sends it as JSON without reading it).
  const fresh = parseText(text);
  assert.equal(JSON.stringify(fresh.provenance), JSON.stringify(r.provenance));
  fresh.provenance.cells = {};
  assert.deepEqual(fresh.provenance.cells, {});
});
