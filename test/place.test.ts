// Placement under uncertainty (src/recognize/place.ts; canonical-json.md "Short rows").
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { agree, classesOf, cutTruncatedTotal, rowCandidates, solveTable3, sumIsLast, table4Groups, table4GroupsUpTo, type Token, type Value, type Vector } from '../src/recognize/place.js';

const num = (v: number): Token => ({ kind: 'number', value: v, digits: String(v) });
const nums = (...vs: number[]) => vs.map(num);
const blank: Token = { kind: 'blank', value: null };
const ph: Token = { kind: 'placeholder', value: null };
const TOP = { newReceived: 'newReceived', carriedOver: 'carriedOver', totalHandled: 'totalHandled', carriedForward: 'carriedForward' };

describe('rowCandidates', () => {
  test('a row with exactly n tokens is read as written', () => {
    const rc = rowCandidates(nums(1, 0, 2, 0, 0, 3, 6), 7, false);
    assert.equal(rc.direct, true);
    assert.deepEqual(rc.candidates, [[1, 0, 2, 0, 0, 3, 6]]);
  });

  test('placeholders and blanks keep their place in an exact row', () => {
    const rc = rowCandidates([num(1), ph, blank, num(0), num(0), num(0), num(1)], 7, false);
    assert.equal(rc.direct, true);
    assert.deepEqual(rc.candidates, [[1, null, null, 0, 0, 0, 1]]);
  });

  test('trailing blanks past the grid width (pipe padding) are dropped', () => {
    const rc = rowCandidates([...nums(0, 0, 0, 0, 0, 0, 0), blank, blank], 7, false);
    assert.equal(rc.direct, true);
    assert.deepEqual(rc.candidates, [[0, 0, 0, 0, 0, 0, 0]]);
  });

  test('a row padded past the grid that also starts with a blank is not read from its first cell alone', () => {
    // LibreOffice's CSV of a sheet: "三、…,（一）予以公开,,258,12,,,1,1,,,,,," — the blank after the
    // label is the merged label's second column, or the first value: both windows stay candidates.
    const rc = rowCandidates([blank, ...nums(258, 12), blank, blank, ...nums(1, 1), blank, blank, blank], 7, false);
    assert.equal(rc.direct, false);
    assert.deepEqual(rc.candidates, [[null, 258, 12, null, null, 1, 1], [258, 12, null, null, 1, 1, null]]);
    // Only blanks in front of the first value make the choice: a row that starts with a value is read as written.
    assert.equal(rowCandidates([num(5), blank, num(2), blank, blank, blank, num(7), blank, blank], 7, false).direct, true);
  });

  test('layout noise: blanks among n values are dropped when the values fill the row', () => {
    const rc = rowCandidates([num(3), blank, num(0), blank, num(0)], 3, false);
    assert.equal(rc.direct, true);
    assert.deepEqual(rc.candidates, [[3, 0, 0]]);
  });

  test('more values than columns: nothing can be placed', () => {
    assert.deepEqual(rowCandidates(nums(1, 2, 3, 4), 3, false), { candidates: null, direct: false });
  });

  test('no values at all: nothing can be placed', () => {
    assert.deepEqual(rowCandidates([blank, blank], 7, false), { candidates: null, direct: false });
  });

  test('a short row keeps the order of its numbers in every candidate', () => {
    const rc = rowCandidates(nums(4, 9), 3, false);
    assert.equal(rc.direct, false);
    assert.deepEqual(rc.candidates, [
      [4, 9, null],
      [4, null, 9],
      [null, 4, 9],
    ]);
  });

  test('a short row of zeros is all 0 (blank counts as 0 when comparing)', () => {
    const rc = rowCandidates(nums(0, 0, 0, 0, 0), 7, false);
    assert.equal(rc.direct, false);
    assert.equal(rc.candidates!.length, 21); // C(7,5)
    const { values, uncertain } = agree(rc.candidates!, 7);
    assert.deepEqual(values, [0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(uncertain, new Array(7).fill(false));
  });

  test('a short row with an ambiguous placement: cells disagree → null and uncertain', () => {
    const rc = rowCandidates(nums(3, 5), 7, false);
    const { values, uncertain } = agree(rc.candidates!, 7);
    assert.deepEqual(values, new Array(7).fill(null));
    assert.deepEqual(uncertain, new Array(7).fill(true));
  });

  test('the row relation (total = sum) settles the total but not the applicant columns', () => {
    const rc = rowCandidates(nums(1, 2, 3), 7, false);
    const ok = rc.candidates!.filter(sumIsLast);
    assert.equal(ok.length, 15); // 1 and 2 in order among six columns, 3 in 总计
    const { values, uncertain } = agree(ok, 7);
    assert.deepEqual(values, [null, null, null, null, null, null, 3]);
    assert.deepEqual(uncertain, [true, true, true, true, true, true, false]);
  });

  test('a short row whose relation leaves one placement is placed', () => {
    // 5 + 0 … 5 over 7 columns: 5 must be the total and the one non-zero applicant cell could
    // be anywhere, but zeros elsewhere agree; the 5 in the applicant columns is ambiguous.
    const ok = rowCandidates(nums(5, 5), 7, false).candidates!.filter(sumIsLast);
    const { values, uncertain } = agree(ok, 7);
    assert.equal(values[6], 5);
    assert.equal(uncertain[6], false);
    assert.ok(uncertain.slice(0, 6).every(Boolean));
  });

  test('run-together digits "801000081" split uniquely under the sum relation → 80|1|0|0|0|0|81', () => {
    const tok: Token = { kind: 'number', value: 801000081, digits: '801000081' };
    const rc = rowCandidates([tok], 7, true);
    assert.equal(rc.direct, false);
    assert.ok(rc.candidates!.length > 1, 'several splits before the relation is applied');
    for (const c of rc.candidates!) {
      assert.equal(c.length, 7);
      assert.equal(c.join(''), '801000081', 'a split keeps every digit in order');
    }
    const ok = rc.candidates!.filter(sumIsLast);
    assert.deepEqual(ok, [[80, 1, 0, 0, 0, 0, 81]]);
    assert.deepEqual(agree(ok, 7), { values: [80, 1, 0, 0, 0, 0, 81], uncertain: new Array(7).fill(false) });
  });

  test('run-together digits split into every sequence of pieces, read as Number reads them', () => {
    // Every way to cut each run into pieces without a leading zero, n pieces in all: written
    // out plainly here, each piece read by Number from its digits (runs past 15 digits included).
    // The splits of a suffix of the runs into m cells are remembered: without that, the reference
    // listed the later runs' splits again for every split of the first, for minutes.
    const splits = (runs: string[], n: number, memo = new Map<string, number[][]>()): number[][] => {
      if (runs.length === 0) return n === 0 ? [[]] : [];
      const key = `${runs.length}|${n}`;
      const known = memo.get(key);
      if (known) return known;
      const [d, ...rest] = runs;
      const out: number[][] = [];
      const cut = (at: number, got: number[]) => {
        if (got.length > n) return;
        if (at === d.length) {
          for (const tail of splits(rest, n - got.length, memo)) out.push([...got, ...tail]);
          return;
        }
        for (let len = 1; at + len <= d.length && (len === 1 || d[at] !== '0'); len++) cut(at + len, [...got, Number(d.slice(at, at + len))]);
      };
      cut(0, []);
      memo.set(key, out);
      return out;
    };
    // How many splits there are, counted without listing them (a run of 18 digits into 7 cells has
    // thousands; three such runs, millions).
    const countSplits = (runs: string[], n: number): number => {
      const memo = new Map<string, number>();
      const go = (r: number, at: number, left: number): number => {
        if (r === runs.length) return left === 0 ? 1 : 0;
        const d = runs[r];
        if (at === d.length) return go(r + 1, 0, left);
        if (left === 0) return 0;
        const key = `${r}|${at}|${left}`;
        let sum = memo.get(key);
        if (sum === undefined) {
          sum = 0;
          for (let len = 1; at + len <= d.length && (len === 1 || d[at] !== '0'); len++) sum += go(r, at + len, left - 1);
          memo.set(key, sum);
        }
        return sum;
      };
      return go(0, 0, n);
    };
    // 455506271673910538 is one of the runs a digit-at-a-time double gets wrong (…460, not …500).
    const runArb = fc.oneof(fc.stringMatching(/^[0-9]{1,18}$/), fc.constant('4555062716739105381'));
    fc.assert(
      fc.property(fc.array(runArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 7 }), (runs, n) => {
        if (runs.length >= n) return; // as many runs as cells or more: read as written, not split
        const toks: Token[] = runs.map((d) => ({ kind: 'number', value: Number(d), digits: d }));
        const rc = rowCandidates(toks, n, true);
        if (rc.candidates === null) assert.ok(countSplits(runs, n) > 50_000, 'gives up only past the budget');
        else assert.deepEqual(new Set(rc.candidates.map((v) => v.join('|'))), new Set(splits(runs, n).map((v) => v.join('|'))));
      }),
      { numRuns: 2000 },
    );
  });

  test('run-together pieces never have a leading zero', () => {
    // "1005" in three cells: 1|0|05 and 1|00|5 are not splits; only 10|0|5 is.
    const rc = rowCandidates([{ kind: 'number', value: 1005, digits: '1005' }], 3, true);
    assert.deepEqual(rc.candidates, [[10, 0, 5]]);
  });
});

describe('classesOf', () => {
  test('groups candidates as their spelling with blanks as 0 does', () => {
    // The definition: one class per distinct v.map((x) => x ?? 0).join(','), in order of first occurrence.
    const bySpelling = (cands: Vector[]) => {
      const m = new Map<string, Vector[]>();
      for (const v of cands) {
        const k = v.map((x) => x ?? 0).join(',');
        if (!m.has(k)) m.set(k, []);
        m.get(k)!.push(v);
      }
      return { classes: [...m.values()], reps: [...m.values()].map((vs) => vs[0].map((x) => x ?? 0)) };
    };
    const cellArb = fc.constantFrom<Value>(null, 0, -0, NaN, 1, 2, 0.5, 2 ** 32, 2 ** 32 + 1, 1e21, -1);
    fc.assert(
      fc.property(fc.array(fc.array(cellArb, { minLength: 2, maxLength: 3 }), { minLength: 1, maxLength: 12 }), (cands) => {
        const got = classesOf(cands);
        const want = bySpelling(cands);
        assert.equal(got.classes.length, want.classes.length);
        got.classes.forEach((cl, i) => {
          assert.equal(cl.length, want.classes[i].length);
          cl.forEach((v, j) => assert.ok(v === want.classes[i][j], 'the same candidates, in order'));
        });
        assert.deepEqual(got.reps.map((r) => r.join(',')), want.reps.map((r) => r.join(',')));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('cutTruncatedTotal', () => {
  test('marks a total cut exactly when its digits begin the longer spelling of its parts\' sum', () => {
    // The definition, spelt out: a positive whole total whose digits the sum's spelling starts
    // with, and is longer than.
    const bySpelling = (v: Vector, from: number, at: number): boolean => {
      const t = v[at];
      if (t === null || !(t > 0) || !Number.isInteger(t)) return false;
      const sum = String(v.slice(from, at).reduce<number>((a, x) => a + (x ?? 0), 0));
      return sum.length > String(t).length && sum.startsWith(String(t));
    };
    const cellArb = fc.oneof(
      fc.constantFrom<Value>(null, 0, NaN, -1, 0.5, 5e-7, 1e21, 3, 31, 19),
      fc.integer({ min: 0, max: 4000 }),
      fc.double({ min: -10, max: 10, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(cellArb, { minLength: 5, maxLength: 5 }), (v) => {
        const out = cutTruncatedTotal(v, 0, 4);
        const cut = bySpelling(v, 0, 4);
        assert.equal(Number.isNaN(out[4]) && !Number.isNaN(v[4]), cut, JSON.stringify(v));
        if (!cut) assert.ok(out === v, 'an uncut row is returned as it is');
      }),
      { numRuns: 20_000 },
    );
    assert.ok(Number.isNaN(cutTruncatedTotal([3000, 100, 19, 0, 3], 0, 4)[4]), '3 of 3119');
    assert.ok(Number.isNaN(cutTruncatedTotal([5e-7, 0, 0, 0, 5], 0, 4)[4]), 'a sum spelt 5e-7 begins with 5');
  });
});

describe('agree', () => {
  test('one candidate is what the merge of several gives it', () => {
    // The merge, written out: a cell agrees when every placement has the same value (blank as
    // 0) and none is cut (NaN); agreeing blanks with a 0 among them are 0.
    const merge = (vs: Vector[], n: number) => {
      const values: Vector = [];
      const uncertain: boolean[] = [];
      for (let c = 0; c < n; c++) {
        const same = vs.every((v) => !Number.isNaN(v[c]) && (v[c] ?? 0) === (vs[0][c] ?? 0));
        values.push(!same ? null : vs[0][c] === null && vs.some((v) => v[c] === 0) ? 0 : vs[0][c]);
        uncertain.push(!same);
      }
      return { values, uncertain };
    };
    const cellArb = fc.constantFrom<Value>(null, NaN, 0, 1, 7, -2);
    fc.assert(
      fc.property(fc.array(cellArb, { minLength: 7, maxLength: 7 }), (v) => {
        assert.deepEqual(agree([v], 7), merge([v], 7));
      }),
    );
  });
  test('one candidate is taken as is', () => {
    assert.deepEqual(agree([[1, null, 0]], 3), { values: [1, null, 0], uncertain: [false, false, false] });
  });
  test('blank and 0 agree, and then the cell is 0', () => {
    assert.deepEqual(agree([[null, 2], [0, 2]], 2), { values: [0, 2], uncertain: [false, false] });
  });
  test('blank everywhere stays blank', () => {
    assert.deepEqual(agree([[null, 2], [null, 2]], 2), { values: [null, 2], uncertain: [false, false] });
  });
});

describe('relations', () => {
  test('sumIsLast counts blanks as 0', () => {
    assert.equal(sumIsLast([1, null, 2, 3]), true);
    assert.equal(sumIsLast([1, 1, 3]), false);
    assert.equal(sumIsLast([null, null, null]), true);
  });
  test('table4Groups checks each group of five', () => {
    assert.equal(table4Groups([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1, 0, 0, 3]), true);
    assert.equal(table4Groups([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1, 0, 0, 4]), false);
  });
});

describe('solveTable3', () => {
  // A table-3 column that balances (R1, R2 over two outcome rows): the value of each row of T3_KEYS.
  const balancedColArb = fc.tuple(fc.nat(3), fc.nat(3), fc.nat(6), fc.nat(6)).map(([nr, co, cfPick, gPick]) => {
    const cf = cfPick % (nr + co + 1);
    const th = nr + co - cf;
    const g = gPick % (th + 1);
    return [nr, co, th, cf, g, th - g];
  });
  const T3_KEYS = ['newReceived', 'carriedOver', 'totalHandled', 'carriedForward', 'granted', 'partiallyGranted'];
  const fixed = (v: Vector) => [v];
  const zeros: Vector = [0, 0, 0, 0, 0, 0, 0];

  function table(granted: Vector): Map<string, Vector[]> {
    const ok = (toks: number[]) => rowCandidates(nums(...toks), 7, false).candidates!.filter(sumIsLast);
    return new Map<string, Vector[]>([
      ['newReceived', ok([1, 2, 3])], // 15 placements
      ['carriedOver', fixed(zeros)],
      ['granted', fixed(granted)],
      ['partiallyGranted', ok([1, 1])], // 6 placements
      ['totalHandled', fixed([0, 1, 2, 0, 0, 0, 3])],
      ['carriedForward', fixed(zeros)],
    ]);
  }

  test('the joint relations (R1 per column, R2) pick a unique solution', () => {
    const rows = table([0, 0, 2, 0, 0, 0, 2]);
    assert.equal(rows.get('newReceived')!.length, 15);
    assert.equal(rows.get('partiallyGranted')!.length, 6);
    const solved = solveTable3(rows, TOP, ['granted', 'partiallyGranted']);
    assert.ok(solved);
    // The surviving placement keeps its blanks (null); agree() then reads them as 0.
    assert.deepEqual(solved.get('newReceived'), [[null, 1, 2, null, null, null, 3]]);
    assert.deepEqual(solved.get('partiallyGranted'), [[null, 1, null, null, null, null, 1]]);
    assert.deepEqual(agree(solved.get('newReceived')!, 7).values, [null, 1, 2, null, null, null, 3]);
    assert.deepEqual(solved.get('granted'), [[0, 0, 2, 0, 0, 0, 2]]);
    assert.deepEqual(solved.get('totalHandled'), [[0, 1, 2, 0, 0, 0, 3]]);
  });

  test('candidates that occur in some solution survive when the relations leave a choice', () => {
    // 三(七) = 2 in two columns and both outcome rows hold one request: two solutions.
    const ok = (toks: number[]) => rowCandidates(nums(...toks), 7, false).candidates!.filter(sumIsLast);
    const rows = new Map<string, Vector[]>([
      ['newReceived', fixed([1, 1, 0, 0, 0, 0, 2])],
      ['carriedOver', fixed(zeros)],
      ['granted', ok([1, 1])],
      ['partiallyGranted', ok([1, 1])],
      ['totalHandled', fixed([1, 1, 0, 0, 0, 0, 2])],
      ['carriedForward', fixed(zeros)],
    ]);
    const solved = solveTable3(rows, TOP, ['granted', 'partiallyGranted'])!;
    assert.deepEqual(solved.get('granted')!.map((v) => v.slice(0, 2)).sort(), [[1, null], [null, 1]].sort());
    const { uncertain } = agree(solved.get('granted')!, 7);
    assert.deepEqual(uncertain, [true, true, false, false, false, false, false]);
  });

  test("returns null when the table's own arithmetic is wrong", () => {
    // granted alone already exceeds 三(七) in column 3: no placement of the other rows helps.
    assert.equal(solveTable3(table([0, 0, 5, 0, 0, 0, 5]), TOP, ['granted', 'partiallyGranted']), null);
    // R1 fails for every placement: 一 + 二 ≠ 三(七) + 四.
    const rows = table([0, 0, 2, 0, 0, 0, 2]);
    rows.set('carriedForward', fixed([0, 0, 0, 0, 0, 7, 7]));
    assert.equal(solveTable3(rows, TOP, ['granted', 'partiallyGranted']), null);
  });

  test('returns null when the search budget runs out', () => {
    assert.equal(solveTable3(table([0, 0, 2, 0, 0, 0, 2]), TOP, ['granted', 'partiallyGranted'], 3), null);
  });

  test('a table whose rows are all fixed gets what the search gives it, budget included', () => {
    // Balanced columns, one value off now and then, blanks, a cut cell (NaN), a negative count.
    const tableArb = fc.tuple(
      fc.array(balancedColArb, { minLength: 6, maxLength: 6 }),
      fc.nat(60), // which cell to spoil, if any
      fc.constantFrom<Value>(null, NaN, -1, 1, 0),
      fc.subarray(T3_KEYS, { minLength: 4 }), // rows present
      fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(300_000)),
    );
    fc.assert(
      fc.property(tableArb, ([cols, spoil, by, present, budget]) => {
        const rows = new Map<string, Vector[]>();
        T3_KEYS.forEach((k, r) => {
          const v: Value[] = cols.map((c) => c[r]);
          v.push(cols.reduce((a, c) => a + c[r], 0));
          if (Math.floor(spoil / 7) === r) v[spoil % 7] = by === null || Number.isNaN(by) ? by : (v[spoil % 7] as number) + (by as number);
          if (present.includes(k)) rows.set(k, [v]);
        });
        const fast = solveTable3(rows, TOP, ['granted', 'partiallyGranted'], budget, true);
        const walk = solveTable3(rows, TOP, ['granted', 'partiallyGranted'], budget, false);
        assert.deepEqual(fast && [...fast], walk && [...walk]);
      }),
      { numRuns: 5000 },
    );
  });

  test('a table whose rows lost their blanks gets what the plain walk gives it, budget included', () => {
    // Balanced columns, one value spoilt now and then; each row read as written or with its
    // zeros dropped (every placement of its other values that keeps R3), as seed 004 and
    // pdftotext -layout print them; a cut cell (NaN) or a fraction keeps the top rows off the join.
    const tableArb = fc.tuple(
      fc.array(balancedColArb, { minLength: 6, maxLength: 6 }),
      fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), // which rows dropped their zeros
      fc.nat(60),
      fc.constantFrom<Value>(null, NaN, -1, 1, 0, 0.5),
      // Small budgets run out in the top rows or in the outcome rows' walk below them.
      fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 400 }), fc.constant(300_000)),
    );
    let joined = 0;
    fc.assert(
      fc.property(tableArb, ([cols, dropped, spoil, by, budget]) => {
        const rows = new Map<string, Vector[]>();
        T3_KEYS.forEach((k, r) => {
          const v: Value[] = cols.map((c) => c[r]);
          v.push(cols.reduce((a, c) => a + c[r], 0));
          if (Math.floor(spoil / 7) === r) v[spoil % 7] = by === null || Number.isNaN(by) ? by : (v[spoil % 7] as number) + (by as number);
          const solid = v.filter((x) => x !== 0 && x !== null);
          const spread = dropped[r] && solid.length ? rowCandidates(solid.map((x) => ({ kind: 'number', value: x })), 7, false).candidates : null;
          // As recognize() does: a row with no placement that keeps R3 is not offered to the solve.
          const ok = spread ? spread.filter(sumIsLast) : [];
          rows.set(k, ok.length ? ok : [v]);
        });
        if (T3_KEYS.slice(0, 4).some((k) => rows.get(k)!.length > 1)) joined++;
        const solve = (b: number, shortcut: boolean) => solveTable3(rows, TOP, ['granted', 'partiallyGranted'], b, shortcut);
        const fast = solve(budget, true);
        const walk = solve(budget, false);
        assert.deepEqual(fast && [...fast], walk && [...walk]);
        // The budget the walk needs (its node count, found by bisection) is the one the join
        // needs: one node less and both give up.
        if (solve(300_000, false) === null) return;
        let lo = 1;
        let hi = 300_000;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (solve(mid, false)) hi = mid;
          else lo = mid + 1;
        }
        assert.ok(solve(lo, true), `the join solves within the walk's ${lo} nodes`);
        assert.equal(solve(lo - 1, true), null, `the join gives up below the walk's ${lo} nodes`);
      }),
      { numRuns: 2000 },
    );
    assert.ok(joined > 700, `top rows with a choice in ${joined} of 2000 tables`);
  });

  test('returns null when neither relation has all its rows', () => {
    const rows = new Map<string, Vector[]>([['granted', [zeros]]]);
    assert.equal(solveTable3(rows, TOP, ['granted']), null);
  });
});

describe('rowCandidates with a prefix relation', () => {
  test('lists exactly the table-4 placements that keep R4, in the same order', () => {
    const tokArb = fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }) },
      { weight: 1, arbitrary: fc.integer({ min: 7, max: 30 }) },
    ).map((v): Token => ({ kind: 'number', value: v }));
    fc.assert(
      fc.property(fc.array(tokArb, { minLength: 1, maxLength: 14 }), (toks) => {
        const all = rowCandidates(toks, 15, false);
        const pruned = rowCandidates(toks, 15, false, table4GroupsUpTo);
        assert.equal(pruned.direct, all.direct);
        assert.deepEqual(pruned.candidates, all.candidates && all.candidates.filter(table4Groups));
      }),
      { numRuns: 1500 },
    );
  });

  test('lists exactly the digit-run splits that keep the relation, in the same order, giving up where the full listing does', () => {
    // Runs of zeros and small digits balance often; a row of as many digits as cells has one split.
    const balanced = (v: Vector, upTo: number) => upTo < v.length || sumIsLast(v);
    const same = (toks: Token[], n: number) => {
      const all = rowCandidates(toks, n, true);
      for (const rel of [balanced, table4GroupsUpTo]) {
        const kept = rowCandidates(toks, n, true, rel);
        assert.equal(kept.direct, all.direct);
        assert.deepEqual(kept.candidates, all.candidates && all.candidates.filter((v) => rel(v, n)));
      }
    };
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[0-2]{1,12}$/), { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 10 }), (runs, n) => {
        if (runs.length >= n) return;
        same(runs.map((d) => ({ kind: 'number', value: Number(d), digits: d })), n);
      }),
      { numRuns: 1500 },
    );
    // Past the budget both give up: 30 digits into 12 cells have C(29, 11) > 50,000 splits.
    const long: Token[] = [{ kind: 'number', value: Number('1'.repeat(30)), digits: '1'.repeat(30) }];
    assert.equal(rowCandidates(long, 12, true).candidates, null);
    same(long, 12);
  });
});
