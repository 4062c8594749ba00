// The plain-text layouts of src/read/text.ts (spec §8): which lines become table rows.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { filledAfterFirstTab, readText, stripPad } from '../src/read/text.js';
import type { Block } from '../src/read/document.js';
import { CORPUS, corpusCases, scoreAgainst } from './helpers.js';
import { findSoffice } from '../src/read/doc.js';
import { parseText } from '../src/index.js';

type Shape = ['P', string] | ['R', string[]];
const shape = (text: string): Shape[] => readText(text).blocks.map((b: Block): Shape => (b.kind === 'para' ? ['P', b.text] : ['R', b.cells.map((c) => c.text)]));
const rows = (text: string) => readText(text).blocks.filter((b): b is Extract<Block, { kind: 'row' }> => b.kind === 'row');

describe('pipe rows (layout B, seed 001) and Markdown tables', () => {
  test('one row per line; cells trimmed; the edge empties of a row dropped', () => {
    assert.deepEqual(shape('信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |'), [
      ['R', ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数']],
      ['R', ['规章', '0', '0', '0']],
    ]);
  });

  test('padding written without spaces becomes empty cells up to the grid width', () => {
    assert.deepEqual(shape('第二十条第(一)项 | |||'), [['R', ['第二十条第(一)项', '', '', '']]]);
    assert.deepEqual(shape('一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||'), [['R', ['一、本年新收政府信息公开申请数量', '0', '0', '0', '0', '0', '0', '0', '', '']]]);
  });

  test('an unpadded last row and in-cell spaces are kept', () => {
    assert.deepEqual(shape('行政事业性收费 | 0 |\n结果维持 | 结果 纠正 | 尚未 审结 |'), [
      ['R', ['行政事业性收费', '0']],
      ['R', ['结果维持', '结果 纠正', '尚未 审结']],
    ]);
  });

  test('Markdown: leading and trailing pipes, separator rows (with alignment colons) skipped', () => {
    const md = '| 信息内容 | 本年制发件数 | | |\n|---|:---:|---:| --- |\n| 规章 | 0 | 1 | 2 |\n| :-- | -- |\n| 行政规范性文件 | 3 | 0 | 5 |';
    assert.deepEqual(shape(md), [
      ['R', ['信息内容', '本年制发件数', '', '']],
      ['R', ['规章', '0', '1', '2']],
      ['R', ['行政规范性文件', '3', '0', '5']],
    ]);
  });

  test('pipe rows know their line and the column of each cell; their blanks are reliable', () => {
    const [r] = rows('\n\n规章 | 12 | 0 |');
    assert.equal(r.place.line, 3);
    assert.equal(r.blanksReliable, true);
    assert.deepEqual(r.cells.map((c) => c.place), [
      { line: 3, column: 1 },
      { line: 3, column: 6 },
      { line: 3, column: 11 },
    ]);
  });

  test('a line with a single pipe stays text', () => {
    assert.deepEqual(shape('甲 | 乙'), [['P', '甲 | 乙']]);
  });
});

describe('tab-separated rows (browser copies)', () => {
  test('cells split on tabs; lines without an inner tab are paragraphs', () => {
    assert.deepEqual(shape('第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n'), [
      ['P', '第二十条第（一）项'],
      ['R', ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数']],
      ['R', ['规章', '0', '0', '0']],
    ]);
  });

  test('a trailing tab, and an empty cell between two tabs', () => {
    assert.deepEqual(shape('三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t0\t0\t1\t'), [['R', ['三、本年度办理结果', '（一）予以公开', '1', '0', '0', '0', '0', '0', '1']]]);
    // Each tab separates two cells: two tabs in a row hold an empty cell (a blank value).
    assert.deepEqual(shape('规章\t\t0'), [['R', ['规章', '', '0']]]);
  });

  test('a first or last cell holding a no-break space (or the space GBK saves for it) is an empty cell', () => {
    // Chromium's innerText writes an empty &nbsp; cell as U+00A0; the row must keep it, or the
    // recogniser takes that column's value from whatever follows (a page number, a title).
    assert.deepEqual(shape('5\t\u00a0\t2\t7\t\u00a0\n6'), [['R', ['5', '', '2', '7', '']], ['P', '6']]);
    assert.deepEqual(shape('5\t \t2\t7\t \n6'), [['R', ['5', '', '2', '7', '']], ['P', '6']]);
    // The same for a row whose first cell is empty.
    assert.deepEqual(shape('\u00a0\t0\t0\t\u00a0\t0'), [['R', ['', '0', '0', '', '0']]]);
  });
});

describe('tab-indented cells, a blank line between rows (layout C, seeds 002/003)', () => {
  const text = [
    '二、主动公开政府信息情况',
    '\t第二十条第（一）项',
    '',
    '\t信息内容',
    '\t本年制发件数',
    '',
    '\t规章',
    '\t0',
    '\t0',
    '\t0',
    '',
    '',
    '三、收到和处理政府信息公开申请情况',
    '\t',
    '\t',
    '\t商业',
    '企业',
    '\t科研',
    '机构',
    '\t',
    '',
    '\t',
    '\t（二）部分公开',
    '\t5',
    '',
    '正文',
  ].join('\n');

  test('each group of tab lines is one row; headings stay paragraphs', () => {
    assert.deepEqual(shape(text), [
      ['P', '二、主动公开政府信息情况'],
      ['R', ['第二十条第（一）项']],
      ['R', ['信息内容', '本年制发件数']],
      ['R', ['规章', '0', '0', '0']],
      ['P', '三、收到和处理政府信息公开申请情况'],
      ['R', ['', '', '商业企业', '科研机构', '']],
      ['R', ['', '（二）部分公开', '5']],
      ['P', '正文'],
    ]);
  });

  test('a lone "\\t" line is an empty cell (a rowspan placeholder), kept in place', () => {
    const r = rows(text)[3];
    assert.deepEqual(r.cells.map((c) => c.text), ['', '', '商业企业', '科研机构', '']);
    assert.equal(r.blanksReliable, true);
  });

  test('continuation lines without the tab are glued to the previous cell', () => {
    assert.deepEqual(shape('\t5.要求行政机关确认或重新\n出具已获取信息\n\t0\n'), [['R', ['5.要求行政机关确认或重新出具已获取信息', '0']]]);
  });

  test('cells know their line; the row its first line', () => {
    const r = rows(text)[2];
    assert.equal(r.place.line, 7);
    assert.deepEqual(r.cells.map((c) => c.place.line), [7, 8, 9, 10]);
  });
});

describe('Chromium innerText: cells between lone-tab separator lines', () => {
  test('paragraphs joined by "\\t" lines form one row; a run of empty lines ends it', () => {
    const text = '规章\n\n\t\n\n13\n\n\t\n\n13\n\n\t\n\n524\n\n\n\n规范性文件\n\n\t\n\n60\n\n\t\n\n60\n\n\t\n\n368\n';
    assert.deepEqual(shape(text), [
      ['R', ['规章', '13', '13', '524']],
      ['R', ['规范性文件', '60', '60', '368']],
    ]);
  });

  test('inline NBSP blanks between tabs are empty cells; a line not ending in a tab closes the row', () => {
    const text = '总计\n\n\n\n5\n\n\t\u00a0\t\u00a0\t\n\n2\n\n\t\n\n7\n\n\t\u00a0\t\u00a0\t\u00a0\n\n五、存在的主要问题';
    assert.deepEqual(shape(text), [
      ['P', '总计'],
      ['R', ['5', '', '', '2', '7', '', '', '']],
      ['P', '五、存在的主要问题'],
    ]);
  });

  test('a blank value written as NBSP on its own line is an empty cell of the row', () => {
    const text = '二、上年结转政府信息公开申请数量\n\n\t\n\n18\n\n\t\n\n\u00a0\n\n\t\n\n18\n';
    assert.deepEqual(shape(text), [['R', ['二、上年结转政府信息公开申请数量', '18', '', '18']]]);
  });

  test('empty paragraphs as cells (<td><p><br></p></td>): empty lines only between separators are a cell; a row may end and start with one', () => {
    // Chromium's copy of a page whose empty cells hold an empty paragraph: a cell's text is one
    // empty line from its separators, rows are four or more apart.
    const text = ['总计', '', '', '', '', '', '', '', '\t', '', '4', '', '\t', '', '', '', '', '\t', '', '0', '', '\t', '', '', '', '', '', '', '二、上年结转', '', '\t', '', '18'].join('\n');
    assert.deepEqual(shape(text), [
      ['P', '总计'],
      ['R', ['', '4', '', '0', '']],
      ['R', ['二、上年结转', '18']],
    ]);
  });
});

describe('paragraphs', () => {
  test('blank lines vanish, trailing space is trimmed, NBSP-only lines are empty paragraphs', () => {
    assert.deepEqual(shape('a\u00a0\n\u00a0\n\n  b  \r\nc'), [
      ['P', 'a'],
      ['P', ''],
      ['P', '  b'],
      ['P', 'c'],
    ]);
  });

  test('a line of no-break or ideographic spaces alone is marked as a possible empty cell; an empty line, plain spaces or a tab are not', () => {
    const d = readText('a\n\u00a0\n\u3000\u3000\n\n   \n \u00a0\t\nb');
    assert.deepEqual(
      d.blocks.map((b) => (b.kind === 'para' ? [b.text, b.emptyCell === true] : null)),
      [['a', false], ['', true], ['', true], ['', false], ['b', false]],
    );
  });

  test('pdftotext -layout lines stay paragraphs (values are read after their label by the recogniser)', () => {
    assert.deepEqual(shape('规章               0          0       0\n行政许可                      550'), [
      ['P', '规章               0          0       0'],
      ['P', '行政许可                      550'],
    ]);
  });

  test('paragraph places are 1-based lines', () => {
    const d = readText('\n\n标题\n\n正文');
    assert.deepEqual(d.blocks.map((b) => b.place), [
      { line: 3, column: 1 },
      { line: 5, column: 1 },
    ]);
    assert.equal(d.format, 'text');
  });
});

describe('corpus text copies', () => {
  const want: Record<string, string[]> = {
    'seeds/001': ['一、本年新收政府信息公开申请数量', '0', '0', '0', '0', '0', '0', '0', '', ''],
    'seeds/002': ['一、本年新收政府信息公开申请数量', '0', '0', '0', '0', '0', '0', '0'],
    'seeds/003': ['一、本年新收政府信息公开申请数量', '0', '0', '0', '0', '0', '0', '0'],
    'rendered/sh-office-2019~chromium-text': ['一、本年新收政府信息公开申请数量', '821', '35', '', '', '2', '1', '859'],
  };
  for (const c of corpusCases()) {
    const key = Object.keys(want).find((k) => c.id.startsWith(k));
    if (!key) continue;
    test(`${c.id}: row 一 is one row with its cells`, () => {
      const r = rows(readFileSync(c.source, 'utf8')).find((b) => b.cells.some((x) => x.text.includes('本年新收')));
      assert.ok(r, 'row found');
      assert.deepEqual(r.cells.map((x) => x.text), want[key]);
    });
  }
});

const LO_DOCX = join(CORPUS, 'rendered', 'sh-office-2019~lo-docx');
const soffice = findSoffice();

// LibreOffice saves a document with tables as text one cell per line; the report's empty cells
// hold a no-break space (it was made from a web page), so they are lines of that space.
test('with LibreOffice: the corpus DOCX saved as text parses to its truth, every empty cell blank', { skip: !soffice || !existsSync(LO_DOCX) ? 'soffice not installed' : false, timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-lo-txt-'));
  try {
    copyFileSync(join(LO_DOCX, 'source.docx'), join(dir, 'report.docx'));
    execFileSync(soffice!, [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--convert-to', 'txt:Text (encoded):UTF8', '--outdir', dir, join(dir, 'report.docx')], { stdio: 'ignore', timeout: 170_000, env: { ...process.env, HOME: dir } });
    const text = readFileSync(join(dir, 'report.txt'), 'utf8');
    assert.match(text, /^\u00a0$/m, 'empty cells written as no-break-space lines');
    const r = parseText(text, 'report.txt').report;
    const truth = JSON.parse(readFileSync(join(LO_DOCX, 'truth.json'), 'utf8'));
    const t = scoreAgainst(truth, r);
    assert.deepEqual(t.wrong, []);
    assert.equal(t.correct, t.scorable, `${t.flagged} flagged, ${t.blankVsZero} blank read as 0 or the reverse`);
    assert.deepEqual(r.uncertain, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Chromium innerText saved as GBK: an empty cell whose no-break space became a space is still a cell', () => {
  // Chromium prints an empty <td><p>&nbsp;</p></td> as a line "\u00a0 " between lone-tab
  // separator lines; GBK has no U+00A0, so the saved copy has a line of spaces there.
  const copy = (nbsp: string) => ['行政许可', '', '\t', '', `${nbsp} `, '', '\t', '', '3', '', '行政处罚', '', '\t', '', '4', '', '\t', '', `${nbsp} `, '', '行政强制', '', '\t', '', '5'].join('\n');
  const want: Shape[] = [['R', ['行政许可', '', '3']], ['R', ['行政处罚', '4', '']], ['R', ['行政强制', '5']]];
  assert.deepEqual(shape(copy('\u00a0')), want);
  assert.deepEqual(shape(copy('')), want);
});

describe('stripPad', () => {
  const byRegExp = (p: string) => p.replace(/^[\s_─━═-]+|[\s_─━═-]+$/g, (m) => (/^-+$/.test(m.trim()) && /\d/.test(p) ? m : '')).trim();
  test('equals the RegExp definition on padded cells', () => {
    const pool = [...' \t_─━═-0123abc政\u3000\u00a0\ufeff\u2028'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 16 }), (chars) => {
        const p = chars.join('');
        assert.equal(stripPad(p), byRegExp(p));
      }),
      { numRuns: 20_000 },
    );
  });
  test('keeps a minus run by a number, drops rules and underscores', () => {
    assert.equal(stripPad('__12__'), '12');
    assert.equal(stripPad(' --- '), '');
    assert.equal(stripPad(' -5'), '-5');
    assert.equal(stripPad('──3'), '3');
  });
});

test('filledAfterFirstTab counts the non-empty pieces after the first tab, as split and filter do', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('\t', '\u00a0', ' ', 'a', '政'), { maxLength: 12 }), (chars) => {
      const line = chars.join('');
      assert.equal(filledAfterFirstTab(line), line.split('\t').slice(1).filter((x) => x !== '').length, JSON.stringify(line));
    }),
    { numRuns: 5000 },
  );
});
