// readRows asks AnchorFinder for each anchor's first occurrence outside bracketed notes from
// positions that mostly move forward, and AnchorFinder answers from what it found before when
// it can (src/recognize/tables.ts). Whatever the order of asks, every answer must be the one a
// fresh search gives.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AnchorFinder, firstOutsideNote } from '../src/recognize/tables.js';

// Compact table text: anchor phrases, bracketed notes around them, values.
const PIECES = ['予以公开', '部分公开', '不予公开', '(', ')', '含予以公开', '1', '20', '本年新收', '其他', '。'];
const ANCHORS = ['予以公开', '部分公开', '本年新收', '其他', '(?:不予|部分)公开', '不存在'];

describe('AnchorFinder', () => {
  test('answers every ask, in any order, as a fresh search does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join('')),
        fc.array(fc.tuple(fc.constantFrom(...ANCHORS), fc.nat()), { minLength: 1, maxLength: 40 }),
        (compact, asks) => {
          const finder = new AnchorFinder(compact);
          for (const [anchor, n] of asks) {
            const from = n % (compact.length + 1);
            const got = finder.first(anchor, from);
            assert.deepEqual({ at: got.at, len: got.len }, firstOutsideNote(compact, anchor, from), `${anchor} from ${from} in ${compact}`);
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });

  test('skips an occurrence inside a note', () => {
    const c = '其他(含予以公开)予以公开12';
    assert.equal(new AnchorFinder(c).first('予以公开', 0).at, c.lastIndexOf('予以公开'));
  });
});
