// How readRows finds row labels (src/recognize/tables.ts), held to plain definitions:
// - AnchorFinder answers each ask for an anchor's first occurrence outside bracketed notes from
//   what it found before when it can; whatever the order of asks, every answer must be the one
//   a fresh search gives.
// - labelView, the compact text without its numbers, maps each character back by runs.
// - shortCell counts a cell's characters besides white space, up to a limit.
// - rowCandidatesOf reads a row of exactly its cells without copying its tokens.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AnchorFinder, firstOutsideNote, inTextOrder, itemNumberBefore, labelView, rowCandidatesOf, shortCell, toTokens, viewCompact, viewIndex } from '../src/recognize/tables.js';
import { rowCandidates } from '../src/recognize/place.js';
import type { ValueTok } from '../src/recognize/stream.js';

// Compact table text: anchor phrases, bracketed notes around them, values.
const PIECES = ['予以公开', '部分公开', '不予公开', '(', ')', '含予以公开', '1', '20', '本年新收', '其他', '。', '信访', '举报', '、'];
const ANCHORS = ['予以公开', '部分公开', '本年新收', '其他', '(?:不予|部分)公开', '信访、?举报', '不存在'];

describe('AnchorFinder', () => {
  test('answers every ask, in any order, as a fresh search of the whole text does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join('')),
        fc.array(fc.tuple(fc.constantFrom(...ANCHORS), fc.nat(), fc.option(fc.nat())), { minLength: 1, maxLength: 40 }),
        (compact, asks) => {
          const finder = new AnchorFinder(compact);
          for (const [anchor, n, m] of asks) {
            const from = n % (compact.length + 1);
            // An ask with an end: the occurrence counts only when it ends by then.
            const to = m === null ? Infinity : m % (compact.length + 2);
            const got = finder.first(anchor, from, to);
            const fresh = firstOutsideNote(compact, anchor, from);
            const want = fresh.at >= 0 && fresh.at + fresh.len <= to ? fresh : { at: -1 };
            assert.equal(got.at, want.at, `${anchor} from ${from} to ${to} in ${compact}`);
            if (want.at >= 0) assert.equal(got.len, fresh.len);
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });

  test('finders over different texts, asked in turn, each answer for their own text', () => {
    // The memo is shared by every finder, each entry stamped with the finder that filled it.
    const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(textArb, { minLength: 2, maxLength: 3 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ANCHORS), fc.nat()), { minLength: 1, maxLength: 30 }), (texts, asks) => {
        const finders = texts.map((t) => new AnchorFinder(t));
        for (const [k, anchor, n] of asks) {
          const i = k % texts.length;
          const from = n % (texts[i].length + 1);
          assert.equal(finders[i].first(anchor, from).at, firstOutsideNote(texts[i], anchor, from).at, `${anchor} from ${from} in ${texts[i]}`);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  test('skips an occurrence inside a note', () => {
    const c = '其他(含予以公开)予以公开12';
    assert.equal(new AnchorFinder(c).first('予以公开', 0).at, c.lastIndexOf('予以公开'));
  });
});

describe('itemNumberBefore', () => {
  test('finds the item number the RegExp on the window before the label finds', () => {
    // Items of three and four digits: "(1000)" is longer than the five characters looked at.
    const pieces = ['(', ')', '1', '2', '3', '11', '12', '.', '、', '．', '申请', '其他', '0', '100', '1000'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((a) => a.join('')), fc.nat(), fc.nat(), fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(100, 1000)), (c, e, f, item) => {
        const end = e % (c.length + 1);
        const floor = f % (end + 3);
        const m = new RegExp(`(?:\\(${item}\\)|${item}[.、．])$`).exec(c.slice(Math.max(floor, end - 5), end));
        assert.equal(itemNumberBefore(c, end, floor, item), m ? m[0].length : 0, `${item} before ${end} from ${floor} in ${c}`);
      }),
      { numRuns: 20_000 },
    );
    // Five characters at most: "1000." is an item number, "(1000)" is not looked at.
    assert.equal(itemNumberBefore('其他1000.', 7, 0, 1000), 5);
    assert.equal(itemNumberBefore('其他(1000)', 8, 0, 1000), 0);
    assert.equal(itemNumberBefore('其他(12)', 6, 0, 12), 4);
    assert.equal(itemNumberBefore('其他(12)', 6, 3, 12), 0);
  });
});

describe('labelView', () => {
  test('maps each character of the text without numbers back to its compact index', () => {
    // The definition: the characters of c[from, to) outside numbers (digits, and "." or "," between
    // two digits), each with its compact index.
    const byChar = (c: string, from: number, to: number) => {
      const at: number[] = [];
      let text = '';
      for (let i = from; i < to; ) {
        if (/\d/.test(c[i])) {
          while (i < to && (/\d/.test(c[i]) || ((c[i] === '.' || c[i] === ',') && /\d/.test(c[i + 1] ?? '')))) i++;
          continue;
        }
        text += c[i];
        at.push(i);
        i++;
      }
      return { text, at };
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom('部', '事务', '1', '20', '.', ',', '5.', '属于'), { maxLength: 30 }).map((a) => a.join('')), fc.nat(), fc.nat(), (c, x, y) => {
        const from = x % (c.length + 1);
        const to = from + (y % (c.length - from + 1));
        const v = labelView(c, from, to);
        const want = byChar(c, from, to);
        assert.equal(v.text, want.text);
        for (let k = 0; k < want.at.length; k++) assert.equal(viewCompact(v, k), want.at[k]);
        for (let f = 0; f <= c.length + 1; f++) {
          let k = 0;
          while (k < want.at.length && want.at[k] < f) k++;
          assert.equal(viewIndex(v, f), k, `from ${f}`);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('shortCell', () => {
  test('tells whether the text without white space has at most max characters', () => {
    const pool = [...'行政复议 \t\u00a0\u3000\u2028\ufeff\u200bab1'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 40 }).map((a) => a.join('')), fc.nat(), fc.nat(), fc.nat(20), (t, x, y, max) => {
        const a = x % (t.length + 1);
        const b = a + (y % (t.length - a + 1));
        assert.equal(shortCell(t, a, b, max), t.slice(a, b).replace(/\s+/g, '').length <= max);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('rowCandidatesOf', () => {
  test('gives what rowCandidates gives the copied tokens', () => {
    const tokArb = fc.oneof(
      fc.nat(30).map((v): ValueTok => tokOf('number', v, String(v))),
      fc.constant(tokOf('placeholder', null, '/')),
      fc.constant(tokOf('blank', null, '')),
      fc.constant(tokOf('cut', null, '3')),
      fc.constant(tokOf('number', 5, '5', '件')),
    );
    fc.assert(
      fc.property(fc.array(tokArb, { maxLength: 9 }), fc.constantFrom(3, 7), fc.boolean(), (vals, n, runTogether) => {
        const want = rowCandidates(toTokens(vals, runTogether), n, runTogether);
        assert.deepEqual(rowCandidatesOf(vals, n, runTogether), want);
      }),
      { numRuns: 5000 },
    );
  });
});

function tokOf(kind: ValueTok['kind'], value: number | null, raw: string, unit?: string): ValueTok {
  return { kind, value, digits: kind === 'number' && !unit ? raw : undefined, raw, place: { line: 1 }, unit, glued: false, unitIndex: 0, offset: 0 };
}

describe('inTextOrder', () => {
  test('the rows found, sorted by where their labels start, ties in template order', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 6 })), { maxLength: 10 }), (starts) => {
        const rows = starts.map((_, i) => ({ key: `r${i}`, anchors: [] }));
        const hits = new Map<string, { start: number; end: number }>();
        starts.forEach((st, i) => st !== null && hits.set(`r${i}`, { start: st, end: st + 1 }));
        const want = rows.filter((r) => hits.has(r.key)).sort((a, b) => hits.get(a.key)!.start - hits.get(b.key)!.start);
        assert.deepEqual(inTextOrder(rows, hits), want);
      }),
      { numRuns: 3000 },
    );
  });
});
