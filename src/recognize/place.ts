// Placement under uncertainty (issue 2 §4; canonical-json.md "Short rows").
//
// A row of a table is read as an ordered list of value tokens. When the list has exactly as
// many tokens as the row has columns, the row is read as written. Otherwise the layout lost
// structure and every placement that keeps the numbers' order is a candidate:
//  - dropped blanks (seed 004): k numbers spread over n > k columns, the rest blank;
//  - run-together digits (crawler text "801000081"): each digit run split into cells.
// The template's relations (R1–R4) rule candidates out, first per row, then jointly across
// table 3. A cell gets a value only where every surviving placement agrees (blank counts as 0
// when comparing, so a short row of zeros is all 0); every other cell stays null and uncertain.

export type Value = number | null;
export type Vector = Value[];

export interface Token {
  /** 'cut': a cell cut by the page edge; its value is CUT. */
  kind: 'number' | 'placeholder' | 'blank' | 'cut';
  value: Value;
  /** The digits as written, for splitting run-together cells. */
  digits?: string;
}

export interface RowCandidates {
  /** null: nothing can be placed (too many tokens, or enumeration too large). */
  candidates: Vector[] | null;
  /** The row was read as written, with no choice made. */
  direct: boolean;
}

const MAX_CANDIDATES = 50_000;

/**
 * The value of a cell cut by the page edge: unknown. NaN keeps the cell's column in every
 * placement, fails every row relation that needs it (sumIsLast, table4Groups), and agree()
 * leaves it null and uncertain; in solveTable3 it is held only by single-candidate rows, where a
 * relation it makes fail leaves no solution (nothing solved) and one it passes constrains nothing.
 */
export const CUT = NaN;

/**
 * `prefixOk(v, upTo)`: false when v's columns [0, upTo) already break a relation every
 * candidate must keep (the caller filters by the same relation afterwards); the enumeration of
 * dropped blanks then skips those placements instead of listing them. Used only where the full
 * listing stays under MAX_CANDIDATES, so whether a row is placeable at all does not change.
 */
export function rowCandidates(tokens: Token[], n: number, runTogether: boolean, prefixOk?: (v: Vector, upTo: number) => boolean): RowCandidates {
  let toks = tokens;
  if (toks.length > n && toks.slice(n).every((t) => t.kind === 'blank')) {
    // Blank cells pad the row past its n columns (a grid as wide as table 4). When the row also
    // starts with blanks, they may be cells of a merged label (CSV and spreadsheets keep them:
    // "三、…,（一）予以公开,,258,12,…"), so every window of n columns with only blanks outside
    // it is a candidate; the first window alone would shift the row by a column.
    const windows: Vector[] = [];
    for (let o = 0; o + n <= toks.length && (o === 0 || toks[o - 1].kind === 'blank'); o++) {
      const w = toks.slice(o, o + n).map((t) => t.value);
      if (toks.slice(o + n).every((t) => t.kind === 'blank') && !windows.some((v) => v.every((x, i) => x === w[i]))) windows.push(w);
    }
    if (windows.length > 1) return { candidates: windows, direct: false };
    toks = toks.slice(0, n);
  }
  if (toks.length === n) return { candidates: [toks.map((t) => t.value)], direct: true };
  if (toks.length > n) {
    // Too many values for the row; but explicit blanks may be layout noise (layout A).
    const solid = toks.filter((t) => t.kind !== 'blank');
    if (solid.length === n) return { candidates: [solid.map((t) => t.value)], direct: true };
    if (solid.length > n) return { candidates: null, direct: false };
    toks = solid;
  }
  const solid = toks.filter((t) => t.kind !== 'blank');
  if (solid.length === n) return { candidates: [solid.map((t) => t.value)], direct: true };
  if (solid.length === 0) return { candidates: null, direct: false };
  const out: Vector[] = [];
  const ok = runTogether ? splitRuns(solid, n, out, prefixOk) : spread(solid, n, out, prefixOk && binomial(n, solid.length) <= MAX_CANDIDATES ? prefixOk : undefined);
  // Both enumerations yield distinct vectors (distinct positions; distinct digit splits).
  return ok ? { candidates: out, direct: false } : { candidates: null, direct: false };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** k values over n columns, order kept, other columns blank. */
function spread(vals: Token[], n: number, out: Vector[], prefixOk?: (v: Vector, upTo: number) => boolean): boolean {
  const k = vals.length;
  const cur: Vector = new Array(n).fill(null);
  const rec = (vi: number, col: number): boolean => {
    if (out.length > MAX_CANDIDATES) return false;
    // Columns before col are settled: no placement of the rest can mend a broken relation there.
    if (prefixOk && !prefixOk(cur, vi === k ? n : col)) return true; // all placed: every column is settled
    if (vi === k) {
      out.push(cur.slice());
      return true;
    }
    for (let c = col; c <= n - (k - vi); c++) {
      cur[c] = vals[vi].value;
      if (!rec(vi + 1, c + 1)) return false;
      cur[c] = null;
    }
    return true;
  };
  return rec(0, 0);
}

/**
 * Each integer token may hold several cells run together; pieces have no leading zeros. A split
 * that fails `prefixOk` over all n columns is counted but not listed: the budget runs out where
 * the full listing's would, and no vector is copied only for the caller's filter to drop it.
 */
function splitRuns(vals: Token[], n: number, out: Vector[], prefixOk?: (v: Vector, upTo: number) => boolean): boolean {
  const cur: number[] = [];
  let listed = 0;
  const minLeft = (i: number) => vals.length - i; // each token gives at least one cell
  // Most cells tokens i.. can give (every digit a cell), summed once from the end.
  const maxFrom: number[] = new Array(vals.length + 1).fill(0);
  for (let i = vals.length - 1; i >= 0; i--) maxFrom[i] = maxFrom[i + 1] + (vals[i].digits ? vals[i].digits!.length : 1);
  const maxLeft = (i: number) => maxFrom[i];
  if (maxFrom[0] === n) {
    // As many digits as cells (a crawler row of zeros, "0000000"): every digit is its own cell,
    // the one split there is.
    for (const t of vals) {
      if (!t.digits) cur.push(t.value as number);
      else for (let k = 0; k < t.digits.length; k++) cur.push(t.digits.charCodeAt(k) - 48);
    }
    if (!prefixOk || prefixOk(cur, n)) out.push(cur);
    return true;
  }
  const rec = (ti: number): boolean => {
    if (listed > MAX_CANDIDATES) return false;
    if (ti === vals.length) {
      if (cur.length === n) {
        listed++;
        if (!prefixOk || prefixOk(cur, n)) out.push(cur.slice());
      }
      return true;
    }
    const need = n - cur.length;
    if (need < minLeft(ti) || need > maxLeft(ti)) return true;
    const t = vals[ti];
    if (!t.digits) {
      cur.push(t.value as number);
      const r = rec(ti + 1);
      cur.pop();
      return r;
    }
    return pieces(t.digits, 0, ti);
  };
  const pieces = (d: string, at: number, ti: number): boolean => {
    if (at === d.length) return rec(ti + 1);
    // Prune splits that cannot end with exactly n cells: the rest of this run gives 1 to
    // d.length - at cells, the later tokens minLeft to maxLeft. A pruned branch would push
    // nothing, so the candidates are the same; the check is skipped once the budget is spent,
    // so that running out is noticed exactly where the full walk notices it.
    if (listed <= MAX_CANDIDATES) {
      const have = cur.length;
      if (have + 1 + minLeft(ti + 1) > n || have + (d.length - at) + maxLeft(ti + 1) < n) return true;
    }
    const maxLen = d[at] === '0' ? 1 : d.length - at;
    // The piece's value grows a digit at a time; past 15 digits (where a double may no longer
    // hold it exactly) it is read from its digits as Number does.
    let value = 0;
    for (let len = 1; len <= maxLen; len++) {
      if (cur.length >= n) break;
      value = len <= 15 ? value * 10 + (d.charCodeAt(at + len - 1) - 48) : Number(d.slice(at, at + len));
      cur.push(value);
      const r = pieces(d, at + len, ti);
      cur.pop();
      if (!r) return false;
    }
    return true;
  };
  return rec(0);
}

const z = (v: Value) => v ?? 0;

/** Merge the values a cell takes across placements: agreement, with blank ≈ 0. */
export function agree(vs: Vector[], n: number): { values: Vector; uncertain: boolean[] } {
  const values: Vector = [];
  const uncertain: boolean[] = [];
  if (vs.length === 1) {
    // One placement (most rows, read as written): every cell is its own value, a cut one unknown.
    const v = vs[0];
    for (let c = 0; c < n; c++) {
      const x = v[c];
      const cut = Number.isNaN(x);
      values.push(cut ? null : x);
      uncertain.push(cut);
    }
    return { values, uncertain };
  }
  for (let c = 0; c < n; c++) {
    const first = vs[0][c];
    let same = true;
    let anyZero = first === 0;
    for (const v of vs) {
      if (Number.isNaN(v[c]) || z(v[c]) !== z(first)) same = false;
      if (v[c] === 0) anyZero = true;
    }
    if (!same) {
      values.push(null);
      uncertain.push(true);
    } else {
      values.push(first === null && anyZero ? 0 : first);
      uncertain.push(false);
    }
  }
  return { values, uncertain };
}

/** Row-level relation: the last column is the sum of the others (table 3, R3). */
export function sumIsLast(v: Vector): boolean {
  let s = 0;
  for (let i = 0; i < v.length - 1; i++) s += z(v[i]);
  return Math.abs(s - z(v[v.length - 1])) < 1e-9;
}

/**
 * A total printed as the leading digits of the sum of its parts ("3" where the parts sum to 3119)
 * is what text taken from a PDF keeps of a number cut at the page edge, not a published total:
 * `v` with that total (the cell at `at`, after its parts from `from`) made CUT. A zero total,
 * one with as many digits as the sum, and one that is not its prefix stay as printed, so a
 * published arithmetic error still reaches the checks.
 */
export function cutTruncatedTotal(v: Vector, from: number, at: number): Vector {
  const t = v[at];
  if (t === null || !(t > 0) || !Number.isInteger(t)) return v;
  let s = 0;
  for (let i = from; i < at; i++) s += z(v[i]);
  // A sum from 1 to the total, or none above 0, is never spelt as a longer string that starts
  // with the total's digits (a sum of 1 to t has no more integer digits than t; one of 0 or
  // less starts with 0 or "-"): no spelling needed for the balanced rows of most tables. A sum
  // between 0 and 1 may be ("5e-7" after "5") and is spelt.
  if (s <= t && (s >= 1 || s <= 0)) return v;
  const shown = String(t);
  const sum = String(s);
  if (sum.length <= shown.length || !sum.startsWith(shown)) return v;
  const out = v.slice();
  out[at] = CUT;
  return out;
}

/** table4Groups over the groups that lie wholly in columns [0, upTo), with the same arithmetic. */
export function table4GroupsUpTo(v: Vector, upTo: number): boolean {
  for (let g = 0; g + 5 <= upTo; g += 5) {
    let s = 0;
    for (let i = g; i < g + 4; i++) s += z(v[i]);
    if (!(Math.abs(s - z(v[g + 4])) < 1e-9)) return false;
  }
  return true;
}

/** Table 4 (R4): each group of five ends with the total of its four results. */
export function table4Groups(v: Vector): boolean {
  for (let g = 0; g < v.length; g += 5) {
    // sumIsLast over v[g .. g+5), without copying the group
    const end = Math.min(g + 5, v.length);
    let s = 0;
    for (let i = g; i < end - 1; i++) s += z(v[i]);
    if (!(Math.abs(s - z(v[end - 1])) < 1e-9)) return false;
  }
  return true;
}

/**
 * solveTable3 for a table whose rows each have one candidate (crawler text, most reports read
 * as written): the same answer, the rows themselves or null, from the same tests in the same
 * order, without building candidate classes, bounds and a search for a single combination.
 */
function solveFixed(
  rows: Map<string, Vector[]>,
  keys: string[],
  top: { newReceived: string; carriedOver: string; totalHandled: string; carriedForward: string },
  outcome: string[],
  haveTop: boolean,
  haveOutcome: boolean,
  budget: number,
): Map<string, Vector[]> | null {
  const rep = (k: string) => rows.get(k)![0].map(z);
  const th = rep(top.totalHandled);
  const cols = th.length;
  if (haveOutcome) {
    // The bounds round: every outcome row against the others' sum and 三(七).
    const lo = new Array<number>(cols).fill(0);
    const vs = outcome.map(rep);
    for (const v of vs) for (let c = 0; c < cols; c++) lo[c] += v[c];
    for (const v of vs)
      for (let c = 0; c < cols; c++) {
        const o = lo[c] - v[c];
        if (!(v[c] + o <= th[c] + 1e-9 && v[c] + o >= th[c] - 1e-9)) return null;
      }
  }
  const outcomeSet = new Set(haveOutcome ? outcome : []);
  const seq = [...keys.filter((k) => !outcomeSet.has(k)), ...keys.filter((k) => outcomeSet.has(k))];
  const nTop = seq.length - outcomeSet.size;
  const partial = new Array<number>(cols).fill(0);
  // The walk's one path, node by node, with its budget.
  for (let i = 0, nodes = 0; ; i++) {
    if (++nodes > budget) return null;
    if (haveTop && i === nTop) {
      const nr = rep(top.newReceived), co = rep(top.carriedOver), cf = rep(top.carriedForward);
      for (let c = 0; c < cols; c++) if (Math.abs(nr[c] + co[c] - th[c] - cf[c]) > 1e-9) return null;
    }
    if (i === seq.length) {
      if (haveOutcome) for (let c = 0; c < cols; c++) if (Math.abs(partial[c] - th[c]) > 1e-9) return null;
      break;
    }
    if (outcomeSet.has(seq[i])) {
      const v = rep(seq[i]);
      let over = false;
      for (let c = 0; c < cols; c++) {
        partial[c] += v[c];
        if (partial[c] > th[c] + 1e-9) over = true;
      }
      if (over) return null;
    }
  }
  const out = new Map<string, Vector[]>();
  for (const k of seq) out.set(k, [rows.get(k)![0]]);
  return out;
}

/**
 * Joint placement over table 3 (R1 per column: 一 + 二 = 三(七) + 四; R2: 三(七) = Σ outcome rows).
 * `rows` maps row key → candidate vectors (single-candidate rows are fixed). Returns the
 * candidates that occur in at least one complete solution, or null when the search found no
 * solution (the report's own arithmetic is wrong) or ran out of budget.
 */
export function solveTable3(
  rows: Map<string, Vector[]>,
  top: { newReceived: string; carriedOver: string; totalHandled: string; carriedForward: string },
  outcome: string[],
  budget = 300_000,
  /** false: the plain walk, with neither shortcut (fixed rows, joined top rows): what they are tested against. */
  shortcut = true,
): Map<string, Vector[]> | null {
  const topKeys = [top.totalHandled, top.newReceived, top.carriedOver, top.carriedForward];
  const haveTop = topKeys.every((k) => rows.has(k));
  const haveOutcome = rows.has(top.totalHandled) && outcome.every((k) => rows.has(k));
  if (!haveTop && !haveOutcome) return null;
  const keys = [...(haveTop ? topKeys : [top.totalHandled]), ...(haveOutcome ? outcome : [])].filter((k, i, a) => a.indexOf(k) === i);
  if (shortcut && keys.every((k) => rows.get(k)!.length === 1)) return solveFixed(rows, keys, top, outcome, haveTop, haveOutcome, budget);
  // Relations see blanks as 0, so candidates equal under that view are one class for the search.
  const classes = new Map<string, Vector[][]>();
  const reps = new Map<string, number[][]>();
  for (const k of keys) {
    const g = classesOf(rows.get(k)!);
    classes.set(k, g.classes);
    reps.set(k, g.reps);
  }
  const cols = reps.get(top.totalHandled)![0].length;
  const outcomeSet = new Set(haveOutcome ? outcome : []);
  // Bounds propagation on Σ outcome = total (per column): drop candidates no combination can use.
  if (haveOutcome) {
    // Column-wise least and greatest values over a row's candidates.
    const bounds = (vs: number[][]): [number[], number[]] => {
      const lo: number[] = new Array(cols).fill(Infinity), hi: number[] = new Array(cols).fill(-Infinity);
      for (const v of vs) for (let c = 0; c < cols; c++) {
        lo[c] = Math.min(lo[c], v[c]);
        hi[c] = Math.max(hi[c], v[c]);
      }
      return [lo, hi];
    };
    const [tLo, tHi] = bounds(reps.get(top.totalHandled)!);
    for (let changed = true, guard = 0; changed && guard < 50; guard++) {
      changed = false;
      // Each row's column bounds, taken once per round (a row's candidates change only when
      // that row itself is filtered, after its bounds were used).
      const rowBounds = outcome.map((k) => bounds(reps.get(k)!));
      const rowLo = rowBounds.map((b) => b[0]), rowHi = rowBounds.map((b) => b[1]);
      const lo = new Array(cols).fill(0), hi = new Array(cols).fill(0);
      for (let i = 0; i < outcome.length; i++) for (let c = 0; c < cols; c++) {
        lo[c] += rowLo[i][c];
        hi[c] += rowHi[i][c];
      }
      outcome.forEach((k, i) => {
        const rs = reps.get(k)!, cl = classes.get(k)!;
        const rLo = rowLo[i], rHi = rowHi[i];
        const keep = rs.map((v) => {
          for (let c = 0; c < v.length; c++) {
            const x = v[c];
            const oLo = lo[c] - rLo[c], oHi = hi[c] - rHi[c];
            if (!(x + oLo <= tHi[c] + 1e-9 && x + oHi >= tLo[c] - 1e-9)) return false;
          }
          return true;
        });
        if (keep.some((x) => !x)) {
          reps.set(k, rs.filter((_, j) => keep[j]));
          classes.set(k, cl.filter((_, j) => keep[j]));
          changed = true;
        }
      });
      if (outcome.some((k) => !reps.get(k)!.length)) return null; // the table's own arithmetic is wrong
    }
  }
  const seq = [...keys.filter((k) => !outcomeSet.has(k)), ...keys.filter((k) => outcomeSet.has(k)).sort((a, b) => reps.get(a)!.length - reps.get(b)!.length)];
  // The search walks seq by position: candidates, choices and "used" marks are arrays indexed
  // like seq, so a node costs no map look-ups (the 2×15×6×6-candidate top rows of a layout that
  // lost its blanks take ~10,000 nodes).
  const seqReps = seq.map((k) => reps.get(k)!);
  const seqOutcome = seq.map((k) => outcomeSet.has(k));
  const at = (k: string) => seq.indexOf(k);
  const iTH = at(top.totalHandled), iNR = at(top.newReceived), iCO = at(top.carriedOver), iCF = at(top.carriedForward);
  const chosen: number[][] = new Array(seq.length);
  const used = seq.map(() => new Set<number>());
  const partial: number[] = new Array(cols).fill(0);
  const pick: number[] = [];
  let nodes = 0;
  let solutions = 0;
  let exhausted = false;
  const nTop = seq.length - outcomeSet.size;
  if (shortcut && haveTop && seqReps.slice(0, 4).every((rs) => rs.every(exactInts))) {
    // seq opens with 三(七), 一, 二, 四 (keys' order): R1 joined, the outcome rows walked once per 三(七).
    const joined = joinTop(seqReps, seq.length, nTop, cols, haveOutcome, budget);
    return joined && usedCandidates(seq, classes, joined);
  }
  const rec = (i: number): void => {
    if (exhausted) return;
    if (++nodes > budget) {
      exhausted = true;
      return;
    }
    if (haveTop && i === nTop) {
      const nr = chosen[iNR], co = chosen[iCO], th = chosen[iTH], cf = chosen[iCF];
      for (let c = 0; c < cols; c++) if (Math.abs(nr[c] + co[c] - th[c] - cf[c]) > 1e-9) return;
    }
    if (i === seq.length) {
      if (haveOutcome) {
        const th = chosen[iTH];
        for (let c = 0; c < cols; c++) if (Math.abs(partial[c] - th[c]) > 1e-9) return;
      }
      solutions++;
      for (let j = 0; j < seq.length; j++) used[j].add(pick[j]);
      return;
    }
    const cands = seqReps[i];
    const isOutcome = seqOutcome[i];
    for (let ci = 0; ci < cands.length && !exhausted; ci++) {
      const v = cands[ci];
      pick[i] = ci;
      chosen[i] = v;
      if (!isOutcome) {
        rec(i + 1);
        continue;
      }
      const th = chosen[iTH];
      let over = false;
      for (let c = 0; c < cols; c++) {
        partial[c] += v[c];
        if (partial[c] > th[c] + 1e-9) over = true;
      }
      if (!over) rec(i + 1);
      for (let c = 0; c < cols; c++) partial[c] -= v[c];
    }
  };
  rec(0);
  if (exhausted || solutions === 0) return null;
  return usedCandidates(seq, classes, used);
}

/** Each row's candidates of the classes a solution used, in the order the search first used them (a loop: flatMap is slow). */
function usedCandidates(seq: string[], classes: Map<string, Vector[][]>, used: Set<number>[]): Map<string, Vector[]> {
  const out = new Map<string, Vector[]>();
  seq.forEach((k, j) => {
    const cl = classes.get(k)!;
    const vs: Vector[] = [];
    for (const i of used[j]) for (const v of cl[i]) vs.push(v);
    out.set(k, vs);
  });
  return out;
}

/**
 * A row's candidates grouped by their view under the relations (each blank as 0), classes in the
 * order they first occur, with each class's view: the grouping the spelling v.map(z).join(',')
 * makes, with the numbers compared instead of spelt (NaN then equals NaN, and -0 equals 0, as
 * their spellings do). A row read as written is one class.
 */
export function classesOf(cands: Vector[]): { classes: Vector[][]; reps: number[][] } {
  if (cands.length === 1) return { classes: [[cands[0]]], reps: [cands[0].map(z)] };
  const classes: Vector[][] = [];
  const reps: number[][] = [];
  const byHash = new Map<number, number[]>();
  for (const v of cands) {
    const view = v.map(z);
    let h = view.length;
    for (let c = 0; c < view.length; c++) {
      const x = view[c];
      h = (Math.imul(h, 0x01000193) ^ (x !== x ? 0x7fc00000 : x | 0)) | 0;
    }
    const same = byHash.get(h);
    let at = -1;
    if (same) for (const i of same) if (sameView(reps[i], view)) {
      at = i;
      break;
    }
    if (at >= 0) {
      classes[at].push(v);
      continue;
    }
    if (same) same.push(reps.length);
    else byHash.set(h, [reps.length]);
    classes.push([v]);
    reps.push(view);
  }
  return { classes, reps };
}

function sameView(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let c = 0; c < a.length; c++) {
    const x = a[c], y = b[c];
    if (x !== y && !(x !== x && y !== y)) return false;
  }
  return true;
}

/** Every value a safe integer small enough that sums of two stay exact: R1 then holds exactly or not at all. */
function exactInts(v: number[]): boolean {
  for (let c = 0; c < v.length; c++) if (!Number.isSafeInteger(v[c]) || Math.abs(v[c]) > 2 ** 50) return false;
  return true;
}

/**
 * The walk of solveTable3 for a table with its four top rows (seq[0..3]: 三(七), 一, 二, 四), with
 * the same answer: for each row, the classes some solution uses, in the order the walk first
 * used them, or null when it finds no solution or runs out of budget.
 *
 * The walk tries every combination of the top rows and checks R1 (一 + 二 = 三(七) + 四 per
 * column) on each, a·b·c·d checks: with the top rows of a layout that lost its blanks, ~10,000
 * for what is mostly one solution. Here the pairs 一 + 二 and 三(七) + 四 are joined on their sums
 * instead (a·d + b·c sums), the combinations that hold R1 put in the walk's order, and the
 * outcome rows, whose walk depends on 三(七) alone, are walked once per 三(七) used. The walk's
 * node count is kept in arithmetic (its top levels: 1 + a + ab + abc + abcd nodes; then each R1
 * combination's outcome walk), so the budget runs out exactly when the walk's would.
 */
function joinTop(reps: number[][][], n: number, nTop: number, cols: number, haveOutcome: boolean, budget: number): Set<number>[] | null {
  const [TH, NR, CO, CF] = reps;
  const a = TH.length, b = NR.length, c = CO.length, d = CF.length;
  let nodes = 1 + a + a * b + a * b * c + a * b * c * d;
  if (nodes > budget) return null;
  const sumHash = (x: number[], y: number[]): number => {
    let h = 0;
    for (let k = 0; k < cols; k++) h = (Math.imul(h, 0x01000193) ^ (x[k] + y[k])) | 0;
    return h;
  };
  const byThCf = new Map<number, number[]>();
  for (let t = 0; t < a; t++)
    for (let f = 0; f < d; f++) {
      const h = sumHash(TH[t], CF[f]);
      const list = byThCf.get(h);
      if (list) list.push(t * d + f);
      else byThCf.set(h, [t * d + f]);
    }
  // The combinations that hold R1, numbered in the walk's order (三(七), 一, 二, 四).
  const combos: number[] = [];
  for (let nr = 0; nr < b; nr++)
    for (let co = 0; co < c; co++) {
      const list = byThCf.get(sumHash(NR[nr], CO[co]));
      if (!list) continue;
      for (const tf of list) {
        const t = (tf / d) | 0, f = tf % d;
        let ok = true;
        for (let k = 0; k < cols && ok; k++) ok = NR[nr][k] + CO[co][k] === TH[t][k] + CF[f][k];
        if (ok) combos.push(((t * b + nr) * c + co) * d + f);
      }
    }
  combos.sort((x, y) => x - y);
  const used = reps.map(() => new Set<number>());
  const walked = new Map<number, { nodes: number; solutions: number[][] } | null>();
  for (const code of combos) {
    const f = code % d;
    const tnc = (code - f) / d;
    const co = tnc % c;
    const tn = (tnc - co) / c;
    const nr = tn % b;
    const t = (tn - nr) / b;
    let w = walked.get(t);
    if (w === undefined) {
      w = walkOutcome(reps, n, nTop, cols, haveOutcome, TH[t], budget - nodes);
      walked.set(t, w);
    }
    if (w === null) return null;
    nodes += w.nodes;
    if (nodes > budget) return null;
    if (!w.solutions.length) continue;
    used[0].add(t);
    used[1].add(nr);
    used[2].add(co);
    used[3].add(f);
    for (const sol of w.solutions) for (let j = 0; j < sol.length; j++) used[nTop + j].add(sol[j]);
  }
  return used.some((u) => u.size > 0) ? used : null;
}

/**
 * The outcome rows' walk below one R1 combination (solveTable3's, from level nTop, whose node the
 * caller counted): its node count and each solution's choices, or null past `cap` nodes.
 */
function walkOutcome(reps: number[][][], n: number, nTop: number, cols: number, haveOutcome: boolean, th: number[], cap: number): { nodes: number; solutions: number[][] } | null {
  const partial: number[] = new Array(cols).fill(0);
  const pick: number[] = [];
  const solutions: number[][] = [];
  let nodes = 0;
  let over = false;
  const visit = (i: number): void => {
    if (i === n) {
      if (haveOutcome) for (let k = 0; k < cols; k++) if (Math.abs(partial[k] - th[k]) > 1e-9) return;
      solutions.push(pick.slice(nTop, n));
      return;
    }
    const cands = reps[i];
    for (let ci = 0; ci < cands.length && !over; ci++) {
      const v = cands[ci];
      pick[i] = ci;
      let above = false;
      for (let k = 0; k < cols; k++) {
        partial[k] += v[k];
        if (partial[k] > th[k] + 1e-9) above = true;
      }
      if (!above) {
        if (++nodes > cap) over = true;
        else visit(i + 1);
      }
      for (let k = 0; k < cols; k++) partial[k] -= v[k];
    }
  };
  visit(nTop);
  return over ? null : { nodes, solutions };
}
