// Cell values (spec §7): parseValue and cnNumber.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cnNumber, compact, fullNfkc, isNumericText, nfkc, nfkcFastOnly, parseValue, parseValueFull, parseWord } from '../src/recognize/normalize.js';

const value = (raw: string) => parseValue(raw)?.value;
const kind = (raw: string) => parseValue(raw)?.kind;

describe('parseValue', () => {
  test('plain integers and decimals', () => {
    assert.deepEqual(parseValue('0'), { kind: 'number', value: 0, raw: '0' });
    assert.equal(value('12'), 12);
    assert.equal(value('0.00'), 0);
    assert.equal(value('7730.28'), 7730.28);
  });

  test('full-width digits are read after NFKC', () => {
    assert.equal(value('０'), 0);
    assert.equal(value('１２'), 12);
    assert.equal(value('１２３４．５'), 1234.5);
  });

  test('a trailing unit is stripped and remembered', () => {
    assert.deepEqual(parseValue('0件'), { kind: 'number', value: 0, unit: '件', raw: '0件' });
    assert.equal(parseValue('3项')?.unit, '项');
    assert.deepEqual(parseValue('0万元'), { kind: 'number', value: 0, unit: '万元', raw: '0万元' });
    assert.deepEqual(parseValue('251000元'), { kind: 'number', value: 251000, unit: '元', raw: '251000元' });
    assert.equal(value('０件'), 0);
  });

  test('a minus printed as a typographic dash (−, –, —, ——) is the sign; a dash alone stays a placeholder', () => {
    assert.equal(value('−3'), -3); // U+2212, Word's minus sign, which NFKC keeps
    assert.equal(value('–3'), -3);
    assert.equal(value('—3'), -3);
    assert.equal(value('——12'), -12);
    assert.equal(kind('—'), 'placeholder');
    assert.equal(kind('——'), 'placeholder');
    assert.equal(value('2019—2020'), undefined); // a range is no number
  });

  test('NBSP, ideographic space and tabs around or inside a value are ignored', () => {
    assert.equal(value('\u00a00'), 0);
    assert.equal(value('\u00a0 0'), 0);
    assert.equal(value('\u3000５\u3000'), 5);
    assert.equal(value('\t17\t'), 17);
    assert.equal(value(' 1 234 '), 1234);
  });

  test('thousands separators, ASCII and full-width', () => {
    assert.equal(value('1,234'), 1234);
    assert.equal(value('1，234'), 1234);
    assert.equal(value('12,345,678'), 12345678);
    assert.equal(value('1,234.5'), 1234.5);
  });

  test('signed values (2019 本年增/减)', () => {
    assert.equal(value('+4'), 4);
    assert.equal(value('-2'), -2);
    assert.equal(value('+1036'), 1036);
    assert.equal(value('＋３'), 3);
    assert.equal(value('－２'), -2);
  });

  test('placeholders are null and kept distinct from blank', () => {
    for (const p of ['/', '／', '-', '--', '—', '——', '–', '－', '无', '空', '\\', '×', ' / ', '\u00a0—\u00a0']) {
      assert.deepEqual({ p, kind: kind(p), value: value(p) }, { p, kind: 'placeholder', value: null }, `placeholder ${JSON.stringify(p)}`);
    }
  });

  test('blank text is a blank cell (null, not 0)', () => {
    for (const b of ['', ' ', '\u00a0', '\t', '\u3000', '\u00a0 \u00a0']) {
      assert.deepEqual({ b, kind: kind(b), value: value(b) }, { b, kind: 'blank', value: null }, `blank ${JSON.stringify(b)}`);
    }
  });

  test('garbage is not a value', () => {
    for (const g of ['abc', '规章', '1.2.3', '12a', '二', '1,23', '++1', '0x10', '1e5', '--1', '5件件', '约5']) {
      assert.equal(parseValue(g), null, `garbage ${JSON.stringify(g)}`);
    }
  });

  test('isNumericText: numbers and placeholders, not blanks or text', () => {
    assert.equal(isNumericText('0'), true);
    assert.equal(isNumericText('—'), true);
    assert.equal(isNumericText(''), false);
    assert.equal(isNumericText('\u00a0'), false);
    assert.equal(isNumericText('信息内容'), false);
  });

  test('the raw text is kept as written', () => {
    assert.equal(parseValue('\u00a0 ０件')?.raw, '\u00a0 ０件');
  });

  test('the shortcuts give what the full reading gives', () => {
    // Row labels, values with units and signs, placeholders, and characters that NFKC or the
    // white-space rule change (full-width forms, NBSP, dashes), mixed and run together.
    const pool = ['(', ')', '一', '其', '他', '件', '元', '万', '无', '空', '/', '\\', '-', '+', '—', '－', '＋', '×', '.', ',', '，', '0', '1', '9', '０', '５', ' ', '\u00a0', '\u3000', '\t', 'a', 'Z', '、', '（', '²'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 8 }), (chars) => {
        const raw = chars.join('');
        assert.deepEqual(parseValue(raw), parseValueFull(raw), JSON.stringify(raw));
      }),
      { numRuns: 20000 },
    );
    for (const raw of ['(一)本年新收', '其他', '--', '-1', '+3', '无', '1.申请人', 'ab', '/']) assert.deepEqual(parseValue(raw), parseValueFull(raw), raw);
  });

  test('a word of normalised text is read as parseValue reads it, without normalising again', () => {
    // The recogniser's words: /\S+/ runs of NFKC text. The pool has what NFKC changes (full-width
    // forms, "，", ①, ², ﬁ, dashes, NBSP, combining marks) and what the patterns look for.
    const pool = ['１', '２', '0', '5', '，', ',', '.', '．', '+', '-', '－', '—', '−', '–', '/', '／', '无', '空', '×', '件', '万元', '元', '①', '²', 'ﬁ', 'e\u0301', '\u0301', ' ', '\u00a0', '\u3000', '申', '(', '（', 'a', '㈠'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 10 }), (chars) => {
        for (const m of fullNfkc(chars.join('')).matchAll(/\S+/g)) assert.deepEqual(parseWord(m[0]), parseValue(m[0]), JSON.stringify(m[0]));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('nfkc / compact', () => {
  test('full-width punctuation becomes ASCII, NBSP and ideographic space become spaces', () => {
    assert.equal(nfkc('第二十条第（一）项'), '第二十条第(一)项');
    assert.equal(nfkc('a\u00a0b\u3000c'), 'a b c');
  });
  test('compact removes every white space', () => {
    assert.equal(compact(' 三 、本 年 度办 理\u00a0结果\t'), '三、本年度办理结果');
  });
});

describe('cnNumber', () => {
  test('single numerals', () => {
    assert.equal(cnNumber('一'), 1);
    assert.equal(cnNumber('九'), 9);
    assert.equal(cnNumber('〇'), 0);
    assert.equal(cnNumber('零'), 0);
  });
  test('tens', () => {
    assert.equal(cnNumber('十'), 10);
    assert.equal(cnNumber('十二'), 12);
    assert.equal(cnNumber('二十'), 20);
    assert.equal(cnNumber('二十三'), 23);
    assert.equal(cnNumber('九十九'), 99);
  });
  test('ASCII digits pass through', () => {
    assert.equal(cnNumber('7'), 7);
    assert.equal(cnNumber('42'), 42);
  });
  test('anything else is null', () => {
    for (const s of ['', '百', '一百', '十十', '二二', 'a', '两', '三、']) assert.equal(cnNumber(s), null, s);
  });
});

describe('nfkc fast path equals full NFKC', () => {
  // Every code unit the fast path handles without String.prototype.normalize.
  const fastUnits: number[] = [];
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCharCode(c);
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (nfkcFastOnly(ch) !== null) fastUnits.push(c);
  }
  const nonIdeographs = fastUnits.filter((c) => c < 0x4e00 || c > 0x9fff);

  test('every handled character maps as NFKC maps it', () => {
    assert.ok(fastUnits.length > 20_000); // the ideographs, ASCII, punctuation …
    for (const c of fastUnits) {
      const ch = String.fromCharCode(c);
      assert.equal(nfkc(ch), fullNfkc(ch), `U+${c.toString(16)}`);
    }
  });

  test('no two handled characters compose or reorder (every adjacent pair)', () => {
    // NFKC of a string of starters changes only where two neighbours compose, so checking
    // every pair proves the character-by-character mapping for strings of any length.
    const ideographs = [0x4e00, 0x4e2d, 0x6587, 0x9fa5, 0x9fff];
    const set = [...nonIdeographs.filter((c) => c < 0xe000 || c > 0xf8ff), 0xe000, 0xe100, 0xf8ff, ...ideographs];
    const bad: string[] = [];
    for (const a of set) {
      const x = String.fromCharCode(a);
      for (const b of set) {
        const s = x + String.fromCharCode(b);
        if (nfkc(s) !== fullNfkc(s)) bad.push(`U+${a.toString(16)} U+${b.toString(16)}`);
      }
    }
    assert.deepEqual(bad.slice(0, 10), []);
  });

  test('random strings of report characters and composing characters', () => {
    const pool = [
      ...'０１２３４５６７８９（），：；、。“”《》　\u00a0 政府信息公开年度报告件万元-—–|/\t\n',
      '\u0301', '\u0338', '\u3099', '\u302a', '\uff9f', '\u1100', '\u1161', '\uac00', '\u2460', '\u2033', '\u2026', '\u200b', '\ufeff', '\u00a8', 'e', 'A', '\ud840\udc00', '\uf900', '\u3131', '\u30ab', '\u304b', 'Й', 'И', '\u0306',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 40 }), (chars) => {
        const s = chars.join('');
        assert.equal(nfkc(s), fullNfkc(s));
      }),
      { numRuns: 20_000 },
    );
  });
});

