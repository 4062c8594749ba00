// The recogniser's stream (src/recognize/stream.ts) keeps the compact view's offsets as runs,
// not per character; these properties hold it to its definition: every unit's text is NFKC
// with line breaks as spaces, units joined by "\n", and the compact view is that text without
// white space, each compact character mapped back to its own place in the text and back.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildStream, compactIndex, RUN, runAt, textOffset, tokensBetween } from '../src/recognize/stream.js';
import { parseValue } from '../src/recognize/normalize.js';
import type { Block, Document } from '../src/read/document.js';

// Report characters, characters NFKC expands or shrinks (…, ㈠, ①, ﬁ, e + combining acute),
// white space of every kind, and lone surrogates.
const POOL = [...'政府信息公开年度报告０１２３（），：；、。“”《》 \t\n\u00a0\u3000\u2002\u200b\ufeff\u2028|-—0123456789abc', '\u1680', '\u202f', '\u205f', '\u000b', '\u000c', '\u2029', '…', '㈠', '①', 'ﬁ', 'e\u0301', '\u0301', '\ud800', '\udc00', '\ud840\udc00', '\u2033', '㍿'];

// Only characters the one-pass table normalises (ASCII, CJK, full-width forms, NBSP, U+3000,
// Latin-1 signs): most documents, which take nfkcCompact's path and not the per-unit one.
const FAST_POOL = [...'政府信息公开年度报告０１２３（），：；、。“”《》 \t\n\r\u000b\u000c\u00a0\u3000|-—0123456789abc©±'];

const docArbOf = (pool: string[]) => {
  const textArb = fc.array(fc.constantFrom(...pool), { maxLength: 30 }).map((a) => a.join(''));
  const blockArb: fc.Arbitrary<Block> = fc.oneof(
    textArb.map((text): Block => ({ kind: 'para', text, place: { line: 1 } })),
    fc.array(textArb, { minLength: 1, maxLength: 5 }).map((cells): Block => ({ kind: 'row', cells: cells.map((text) => ({ text, place: { line: 1 } })), place: { line: 1 }, blanksReliable: true })),
  );
  return fc.array(blockArb, { maxLength: 12 }).map((blocks): Document => ({ format: 'text', blocks }));
};

const PAGE_NUMBER_LIKE = /^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页|\d{1,4}\s*\/\s*\d{1,4})/;

describe('buildStream', () => {
  for (const [name, pool] of [['any characters', POOL], ['characters of the one-pass table', FAST_POOL]] as const) {
  test(`text, units, compact and offset map follow their definition (${name})`, () => {
    fc.assert(
      fc.property(docArbOf([...pool]), (doc) => {
        const s = buildStream(doc);
        const expectUnits: string[] = [];
        for (const b of doc.blocks) {
          const texts = b.kind === 'para' ? [b.text] : b.cells.map((c) => c.text);
          if (b.kind === 'para' && b.text.length < 24 && PAGE_NUMBER_LIKE.test(b.text)) continue; // page furniture may be dropped
          for (const t of texts) expectUnits.push(t.normalize('NFKC').replace(/[\u00a0\u2002-\u200b\u3000\ufeff]/g, ' ').replace(/\n/g, ' '));
        }
        if (doc.blocks.every((b) => b.kind !== 'para' || !(b.text.length < 24 && PAGE_NUMBER_LIKE.test(b.text)))) {
          assert.equal(s.text, expectUnits.map((u) => u + '\n').join(''));
          assert.equal(s.units.length, expectUnits.length);
          s.units.forEach((u, i) => assert.equal(s.text.slice(u.start, u.end), expectUnits[i]));
        }
        assert.equal(s.compact, s.text.replace(/\s+/g, ''));
        // The offset of every compact character, by definition: the i-th non-space character.
        const map: number[] = [];
        for (let i = 0; i < s.text.length; i++) if (/\S/.test(s.text[i])) map.push(i);
        assert.equal(map.length, s.compact.length);
        for (let i = 0; i < map.length; i++) assert.equal(textOffset(s, i), map[i]);
        assert.equal(textOffset(s, map.length), s.text.length);
        for (let off = 0; off <= s.text.length; off++) {
          const first = map.findIndex((t) => t >= off);
          assert.equal(compactIndex(s, off), first < 0 ? map.length : first, `compactIndex(${off})`);
        }
      }),
      { numRuns: 3000 },
    );
  });
  }

  test('a unit NFKC lengthens early in a long document leaves room for the rest', () => {
    const long = '政'.repeat(5000);
    const doc: Document = { format: 'text', blocks: [{ kind: 'para', text: '㈠㈡…①', place: { line: 1 } }, { kind: 'para', text: long, place: { line: 2 } }] };
    const s = buildStream(doc);
    assert.equal(s.text, '(一)(二)...1\n' + long + '\n');
    assert.equal(s.units[1].start, '(一)(二)...1\n'.length);
  });
});

describe('tokensBetween', () => {
  test('a word of digits is one number token, read as parseValue reads it', () => {
    // Leading zeros, long runs past what a double holds exactly, and runs Number reads as
    // Infinity (no number then): in a cell, after a label, and beside other words.
    const digitsArb = fc.oneof(fc.stringMatching(/^[0-9]{1,20}$/), fc.constant('9'.repeat(400)));
    fc.assert(
      fc.property(digitsArb, fc.constantFrom('cell', 'line', 'words'), (w, where) => {
        const blocks: Block[] =
          where === 'cell'
            ? [{ kind: 'row', cells: [{ text: '行政许可', place: { line: 1 } }, { text: w, place: { line: 1, column: 9 } }], place: { line: 1 }, blanksReliable: true }]
            : [{ kind: 'para', text: where === 'line' ? `行政许可 ${w}` : `行政许可 ${w} 件数`, place: { line: 1, column: 1 } }];
        const s = buildStream({ format: 'text', blocks });
        const toks = tokensBetween(s, 0, s.text.length).filter((t) => t.kind !== 'text');
        const p = parseValue(w);
        if (!p || p.kind !== 'number') {
          assert.ok(toks.every((t) => t.raw !== w || t.kind !== 'number'));
          return;
        }
        assert.equal(toks.length, 1);
        const [t] = toks;
        assert.deepEqual({ kind: t.kind, value: t.value, raw: t.raw, unit: t.unit, digits: t.digits, offset: t.offset }, { kind: 'number', value: p.value, raw: w, unit: undefined, digits: w, offset: s.text.indexOf(w) });
        assert.deepEqual(t.place, where === 'cell' ? { line: 1, column: 9 } : { line: 1, column: 1 + s.text.indexOf(w) });
      }),
      { numRuns: 2000 },
    );
  });

  test('a piece is cut into words at white space of every kind, as /\\S+/g cuts it', () => {
    const pool = [...'政公ab \t\u000b\u000c\r\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        const s = buildStream({ format: 'html', blocks: [{ kind: 'row', cells: [{ text: 'x', place: { line: 1 } }, { text, place: { line: 1, column: 1 } }], place: { line: 1 }, blanksReliable: true }] });
        const start = s.units[1].start;
        const cell = s.text.slice(start, s.units[1].end);
        const words = [...cell.matchAll(/\S+/g)].map((m) => ({ raw: m[0], offset: start + m.index }));
        // A cell of white space only is a blank cell, no word.
        const toks = tokensBetween(s, start, s.units[1].end).filter((t) => t.kind !== 'blank').map((t) => ({ raw: t.raw, offset: t.offset }));
        assert.deepEqual(toks, words);
      }),
      { numRuns: 3000 },
    );
  });

  test('the words of any stretch of several units are the /\\S+/g words of each unit, cut to the stretch', () => {
    // Table readers ask for the tokens between a label's end and the next label's start, which
    // may fall inside a word; blank units and cells of only white space hold no word.
    const pool = [...'政公ab  \t\u00a0\u2028\u3000\u200b'];
    const unitArb = fc.array(fc.constantFrom(...pool), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(unitArb, { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), (units, x, y) => {
        const blocks: Block[] = units.map((text, i) => ({ kind: 'para', text, place: { line: i + 1, column: 1 } }));
        const s = buildStream({ format: 'text', blocks });
        const from = x % (s.text.length + 1);
        const to = from + (y % (s.text.length - from + 1));
        const words: { raw: string; offset: number }[] = [];
        for (const u of s.units) {
          for (const m of s.text.slice(u.start, u.end).matchAll(/\S+/g)) {
            const a = Math.max(from, u.start + m.index);
            const b = Math.min(to, u.start + m.index + m[0].length);
            if (b > a) words.push({ raw: s.text.slice(a, b), offset: a });
          }
        }
        const toks = tokensBetween(s, from, to).map((t) => ({ raw: t.raw, offset: t.offset }));
        assert.deepEqual(toks, words);
      }),
      { numRuns: 3000 },
    );
  });

  test('a mixed word is cut into the runs RUN matches', () => {
    // Crawler words ("数量801000081"), item numbers ("5.要求"), units, fractions, signs alone and
    // before digits, 万元 against 万 and 元, and characters outside the BMP.
    const pool = ['数', '量', '万', '元', '万元', '件', '项', '个', '条', '千', '0', '1', '9', '.', '+', '-', '、', 'a', '(', '\ud840\udc00', '—'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 14 }).map((a) => a.join('')), (w) => {
        const want: [number, boolean][] = [];
        RUN.lastIndex = 0;
        for (let m = RUN.exec(w); m; m = RUN.exec(w)) want.push([m.index + m[0].length, m[1] !== undefined]);
        const got: [number, boolean][] = [];
        for (let k = 0; k < w.length; ) {
          const e = runAt(w, k);
          k = e >= 0 ? e : -e - 1;
          got.push([k, e >= 0]);
        }
        assert.deepEqual(got, want, w);
      }),
      { numRuns: 20000 },
    );
  });

  test('every token has the same fields in the same order, whatever its kind', () => {
    // One object shape for the table readers (valueTok): numbers, units, placeholders, glued
    // crawler digits, text, a cut cell, a number scaled by 万 and blank cells.
    const blocks: Block[] = [
      { kind: 'para', text: '一、本年新收政府信息公开申请数量801000081 采购 12.5万元 5件 无 / 1.2万', place: { line: 1, column: 1 } },
      { kind: 'row', cells: [{ text: '行政许可', place: { line: 2 } }, { text: '', place: { line: 2 } }, { text: '3', place: { line: 2 }, cut: true }, { text: '4', place: { line: 2 } }], place: { line: 2 }, blanksReliable: true },
    ];
    const s = buildStream({ format: 'text', blocks });
    const toks = tokensBetween(s, 0, s.text.length);
    assert.deepEqual(new Set(toks.map((t) => t.kind)), new Set(['text', 'number', 'placeholder', 'blank', 'cut']));
    assert.ok(toks.some((t) => t.glued));
    assert.deepEqual(new Set(toks.map((t) => Object.keys(t).join())), new Set([Object.keys(toks[0]).join()]));
  });

  test('a cell of white space only is a blank cell where blanks are reliable', () => {
    // Chromium writes an empty cell as a no-break space; Word exports pad with ideographic spaces.
    for (const empty of ['', ' ', '\u00a0', '\u3000 ', '\t']) {
      const cells = ['行政许可', '3', empty, '4'].map((text) => ({ text, place: { line: 1 } }));
      const s = buildStream({ format: 'text', blocks: [{ kind: 'row', cells, place: { line: 1 }, blanksReliable: true }] });
      const toks = tokensBetween(s, s.units[1].start, s.text.length);
      assert.deepEqual(toks.map((t) => t.kind), ['number', 'blank', 'number'], JSON.stringify(empty));
    }
  });
});
