// PDF page geometry → Document blocks. Pure functions: no pdfjs here, so the layout rules can be
// tested on hand-made glyphs and rules.
//
// Coordinates are PDF points in "viewport" space: x to the right, y down from the top of the page.
//
// The method: ruling lines (stroked segments, thin filled rectangles, stroked rectangles) are
// merged into grids; a grid's cells come from its distinct x and y rule positions, and two
// neighbouring grid cells are one merged cell when the rule between them is missing. Every glyph
// goes to the cell holding its centre, so numbers drawn as several runs, text wrapped inside a
// cell and vertical headers (one character per line) each end as one cell. Text outside grids
// becomes lines of running text; page numbers and running headers/footers are dropped.
//
// A table wider than the page (LibreOffice, Word and WPS print an over-wide table as is) loses
// what lies past the page edge. The cells there are marked `cut` (see Cell.cut): their visible
// text is not their content.
import type { Block, Cell } from './document.js';

/** One glyph (or an unsplittable run, for rotated text) in viewport space. */
export interface Glyph {
  ch: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** y of the baseline (viewport space). */
  base: number;
  size: number;
  /** The source had white space (a space character or a gap) right before this glyph. */
  spaceBefore: boolean;
}

/** A ruling segment, axis-aligned, viewport space. For 'h': y = a, from b0 to b1 in x. */
export interface Rule {
  dir: 'h' | 'v';
  a: number;
  b0: number;
  b1: number;
}

export interface PageInput {
  page: number;
  width: number;
  height: number;
  glyphs: Glyph[];
  rules: Rule[];
}

// ---------------------------------------------------------------------------------------------
// Character classes

const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\ud840-\ud87f][\udc00-\udfff]/;
const CJK = /[\u2e80-\u303e\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud840-\ud87f][\udc00-\udfff]/;
const DIGITISH = /[0-9０-９.,，．%]/;

export function isWide(ch: string): boolean {
  return WIDE.test(ch);
}

// CJK Radicals Supplement code points that fonts (Skia/Chromium output in particular) map to
// whole characters; NFKC leaves most of them alone.
const RADICAL_SUPPLEMENT: Record<string, string> = {
  '\u2e9f': '母', '\u2ea0': '民', '\u2ec5': '见', '\u2ec6': '角', '\u2ec8': '讠', '\u2ec9': '贝', '\u2ecb': '车',
  '\u2ed0': '钅', '\u2ed3': '长', '\u2ed4': '门', '\u2ed8': '青', '\u2ed9': '韦', '\u2eda': '页', '\u2edb': '风',
  '\u2edc': '飞', '\u2ee0': '饣', '\u2ee2': '马', '\u2ee3': '骨', '\u2ee4': '鬼', '\u2ee5': '鱼', '\u2ee6': '鸟',
  '\u2ee7': '卤', '\u2ee8': '麦', '\u2ee9': '黄', '\u2eea': '黾', '\u2eec': '齐', '\u2eee': '齿', '\u2ef0': '龙',
  '\u2ef3': '龟',
};

/** Kangxi radicals and CJK radicals supplement (Chromium/Skia emit them for common ideographs) → unified ideographs. */
export function fixRadicals(s: string): string {
  return s.replace(/[\u2e80-\u2fdf]/g, (c) => {
    const r = RADICAL_SUPPLEMENT[c];
    if (r) return r;
    const n = c.normalize('NFKC');
    return n.length === 1 ? n : c;
  });
}

/**
 * Split a text item into glyphs with estimated positions. Spaces become `spaceBefore` flags.
 * Widths: wide (CJK) characters 1 em, others 0.55 em, scaled to the item width; the space left
 * over is shared by the spaces.
 */
export function splitItem(
  str: string,
  x: number,
  width: number,
  top: number,
  bottom: number,
  base: number,
  size: number,
  spaceBefore: boolean,
): Glyph[] {
  const chars = Array.from(str);
  const est = chars.map((c) => (/\s/.test(c) ? 0 : isWide(c) ? 1 : 0.55) * size);
  const nSpaces = chars.filter((c) => /\s/.test(c)).length;
  const sum = est.reduce((a, b) => a + b, 0);
  let k = 1;
  let gap = 0;
  if (sum <= 0) return [];
  if (nSpaces > 0 && width > sum) gap = (width - sum) / nSpaces;
  else k = width > 0 ? width / sum : 1;
  const out: Glyph[] = [];
  let cx = x;
  let sp = spaceBefore;
  chars.forEach((c, i) => {
    if (/\s/.test(c)) {
      cx += gap;
      sp = true;
      return;
    }
    const w = est[i] * k;
    out.push({ ch: c, x0: cx, x1: cx + w, top, bottom, base, size, spaceBefore: sp });
    sp = false;
    cx += w;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rules → grids

interface Grid {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  xs: number[];
  ys: number[];
  h: Rule[];
  v: Rule[];
}

const SNAP = 2.2; // rules closer than this (points) are one rule (double borders, hairline offsets)

function cluster(values: number[], tol: number): number[] {
  const s = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of s) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1] <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => (g[0] + g[g.length - 1]) / 2);
}

/** Group rules into connected tables and build their grids. */
export function buildGrids(rules: Rule[]): Grid[] {
  const rs = rules.filter((r) => r.b1 - r.b0 > 1.5);
  const n = rs.length;
  const parent = rs.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const tol = 3;
  // Connect touching rules. Sort by start to keep this near-linear on big pages.
  const boxes = rs.map((r) =>
    r.dir === 'h' ? [r.b0 - tol, r.a - tol, r.b1 + tol, r.a + tol] : [r.a - tol, r.b0 - tol, r.a + tol, r.b1 + tol],
  );
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a][0] - boxes[b][0]);
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi];
    const bi = boxes[i];
    for (let oj = oi + 1; oj < order.length; oj++) {
      const j = order[oj];
      const bj = boxes[j];
      if (bj[0] > bi[2]) break;
      if (bj[1] <= bi[3] && bj[3] >= bi[1]) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const groups = new Map<number, Rule[]>();
  rs.forEach((r, i) => {
    const g = find(i);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(r);
  });
  const grids: Grid[] = [];
  for (const g of groups.values()) {
    const h = g.filter((r) => r.dir === 'h');
    const v = g.filter((r) => r.dir === 'v');
    if (h.length < 2 || v.length < 2) continue;
    const x0 = Math.min(...h.map((r) => r.b0), ...v.map((r) => r.a));
    const x1 = Math.max(...h.map((r) => r.b1), ...v.map((r) => r.a));
    const y0 = Math.min(...v.map((r) => r.b0), ...h.map((r) => r.a));
    const y1 = Math.max(...v.map((r) => r.b1), ...h.map((r) => r.a));
    const xs = cluster(v.map((r) => r.a), SNAP);
    const ys = cluster(h.map((r) => r.a), SNAP);
    // A table cut by a page break often lacks its bottom (or top) border on that page: the
    // vertical rules still reach the edge, so close the grid there.
    if (y1 - ys[ys.length - 1] > 4) ys.push(y1);
    if (ys[0] - y0 > 4) ys.unshift(y0);
    if (xs.length < 3 || ys.length < 2) continue; // not a table: a box or a single rule pair
    if (x1 - x0 < 20 || y1 - y0 < 8) continue;
    grids.push({ x0, y0, x1, y1, xs, ys, h, v });
  }
  return grids;
}

/** Fraction of [lo, hi] covered by the rules at position `at` (± SNAP). */
function coverage(rules: Rule[], at: number, lo: number, hi: number): number {
  const iv = rules
    .filter((r) => Math.abs(r.a - at) <= SNAP && r.b1 > lo && r.b0 < hi)
    .map((r) => [Math.max(lo, r.b0), Math.min(hi, r.b1)] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = lo;
  for (const [a, b] of iv) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  return hi > lo ? covered / (hi - lo) : 1;
}

interface MergedCell {
  r0: number;
  c0: number;
  r1: number; // inclusive
  c1: number;
  glyphs: Glyph[];
}

// ---------------------------------------------------------------------------------------------
// The page edge

// LibreOffice clips an over-wide table's rules at the page edge (x 595.2999 on a page 595.3039
// wide). Chromium draws a table that fits with its border 0.6 pt inside the edge: the tolerance
// stays well below that, so only a rule at the edge itself says "cut".
const EDGE = 0.1;
// Glyph boxes are estimated from the text run (splitItem), so a glyph counts as crossing the
// page edge only when it reaches clearly past it.
const OUTSIDE = 0.5;

/** The glyph lies partly or wholly outside the page box: what a reader sees of it is not all of it. */
export function crossesPageEdge(gl: Glyph, width: number, height: number): boolean {
  return gl.x0 < -OUTSIDE || gl.x1 > width + OUTSIDE || gl.top < -OUTSIDE || gl.bottom > height + OUTSIDE;
}

/** Which sides of a grid reach the page edge (the table goes on past the page there). */
function cutSides(g: Grid, width: number, height: number): { left: boolean; right: boolean; top: boolean; bottom: boolean } {
  return { left: g.xs[0] <= EDGE, right: g.xs[g.xs.length - 1] >= width - EDGE, top: g.ys[0] <= EDGE, bottom: g.ys[g.ys.length - 1] >= height - EDGE };
}

function gridCells(g: Grid): { cells: MergedCell[]; at: Int32Array } {
  const R = g.ys.length - 1;
  const C = g.xs.length - 1;
  const parent = new Int32Array(R * C).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const hasEdge = (cov: number) => cov >= 0.5;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (c + 1 < C && !hasEdge(coverage(g.v, g.xs[c + 1], g.ys[r] + 0.5, g.ys[r + 1] - 0.5))) union(r * C + c, r * C + c + 1);
      if (r + 1 < R && !hasEdge(coverage(g.h, g.ys[r + 1], g.xs[c] + 0.5, g.xs[c + 1] - 0.5))) union(r * C + c, (r + 1) * C + c);
    }
  }
  const byRoot = new Map<number, number>();
  const at = new Int32Array(R * C);
  const cells: MergedCell[] = [];
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const root = find(r * C + c);
      let idx = byRoot.get(root);
      if (idx === undefined) {
        idx = cells.length;
        byRoot.set(root, idx);
        cells.push({ r0: r, c0: c, r1: r, c1: c, glyphs: [] });
      }
      const m = cells[idx];
      m.r0 = Math.min(m.r0, r);
      m.c0 = Math.min(m.c0, c);
      m.r1 = Math.max(m.r1, r);
      m.c1 = Math.max(m.c1, c);
      at[r * C + c] = idx;
    }
  }
  return { cells, at };
}

function locate(sorted: number[], v: number): number {
  // index i with sorted[i] <= v < sorted[i+1], or -1 outside
  if (v < sorted[0] || v > sorted[sorted.length - 1]) return -1;
  let lo = 0;
  let hi = sorted.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Glyphs → text

/** Group glyphs into lines (by baseline / vertical overlap), top to bottom, each left to right. */
export function groupLines(glyphs: Glyph[]): Glyph[][] {
  const gs = [...glyphs].sort((a, b) => (a.top + a.bottom) / 2 - (b.top + b.bottom) / 2 || a.x0 - b.x0);
  const lines: { mid: number; size: number; gs: Glyph[] }[] = [];
  for (const g of gs) {
    const mid = (g.top + g.bottom) / 2;
    let best: (typeof lines)[number] | undefined;
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 4; i--) {
      const l = lines[i];
      if (Math.abs(l.mid - mid) <= 0.45 * Math.min(l.size, g.size)) {
        best = l;
        break;
      }
    }
    if (best) {
      best.gs.push(g);
    } else lines.push({ mid, size: g.size, gs: [g] });
  }
  for (const l of lines) l.gs.sort((a, b) => a.x0 - b.x0);
  lines.sort((a, b) => a.mid - b.mid);
  return lines.map((l) => l.gs);
}

function sep(a: Glyph, b: Glyph, inCell: boolean): string {
  const gap = b.x0 - a.x1;
  const spaced = b.spaceBefore || gap > 0.25 * Math.min(a.size, b.size);
  if (!spaced) return '';
  if (CJK.test(a.ch) && CJK.test(b.ch)) return gap > 2.5 * a.size && !inCell ? ' ' : '';
  if (inCell && DIGITISH.test(a.ch) && DIGITISH.test(b.ch)) return ''; // one cell holds one number
  if (CJK.test(a.ch) || CJK.test(b.ch)) return inCell ? '' : ' ';
  return ' ';
}

export function lineText(gs: Glyph[], inCell: boolean): string {
  let s = '';
  gs.forEach((g, i) => {
    if (i > 0) s += sep(gs[i - 1], g, inCell);
    s += g.ch;
  });
  return s;
}

/** Text of one table cell: its lines joined; CJK and digits join without a space. */
export function cellText(glyphs: Glyph[]): string {
  const lines = groupLines(glyphs).map((l) => lineText(l, true).trim()).filter((t) => t);
  let s = '';
  for (const t of lines) {
    if (!s) {
      s = t;
      continue;
    }
    const a = s[s.length - 1];
    const b = t[0];
    const join = CJK.test(a) || CJK.test(b) || (DIGITISH.test(a) && DIGITISH.test(b)) || /[-/]/.test(a) ? '' : ' ';
    s += join + t;
  }
  return s;
}

function bbox(gs: Glyph[]): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const g of gs) {
    x0 = Math.min(x0, g.x0);
    y0 = Math.min(y0, g.top);
    x1 = Math.max(x1, g.x1);
    y1 = Math.max(y1, g.bottom);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const box = (x0: number, y0: number, x1: number, y1: number): [number, number, number, number] => [r2(x0), r2(y0), r2(x1 - x0), r2(y1 - y0)];

// ---------------------------------------------------------------------------------------------
// Page furniture

const PAGE_NO = /^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4}|\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?|[-—–－]?\s*[ivxIVX]{1,5}\s*[-—–－]?)\s*$/i;

export function isPageNumber(t: string): boolean {
  return PAGE_NO.test(t);
}

// ---------------------------------------------------------------------------------------------
// Page → blocks

interface Positioned {
  y: number;
  x: number;
  block: Block;
  margin?: { text: string };
  /** First emitted row of a ruled grid. */
  firstOfGrid?: boolean;
}

export function layoutPage(p: PageInput): Positioned[] {
  const grids = buildGrids(p.rules);
  const free: Glyph[] = [];
  const gridData = grids.map((g) => ({ g, ...gridCells(g), cut: cutSides(g, p.width, p.height) }));
  for (const gl of p.glyphs) {
    let placed = false;
    for (const d of gridData) {
      const { g } = d;
      let cx = (gl.x0 + gl.x1) / 2;
      let cy = (gl.top + gl.bottom) / 2;
      // Past the side of a grid that reaches the page edge lies the rest of its edge cells: a
      // glyph there (the visible "3" of a cut 3119) belongs to that cell, not to running text.
      if (d.cut.right) cx = Math.min(cx, g.xs[g.xs.length - 1]);
      if (d.cut.left) cx = Math.max(cx, g.xs[0]);
      if (d.cut.bottom) cy = Math.min(cy, g.ys[g.ys.length - 1]);
      if (d.cut.top) cy = Math.max(cy, g.ys[0]);
      if (cx < g.xs[0] || cx > g.xs[g.xs.length - 1] || cy < g.ys[0] || cy > g.ys[g.ys.length - 1]) continue;
      const c = locate(g.xs, cx);
      const r = locate(g.ys, cy);
      if (c < 0 || r < 0) continue;
      d.cells[d.at[r * (g.xs.length - 1) + c]].glyphs.push(gl);
      placed = true;
      break;
    }
    if (!placed) free.push(gl);
  }
  const out: Positioned[] = [];
  for (const d of gridData) {
    const { g, cells } = d;
    // A cell reaching the page edge, or lying past it (rules a producer drew beyond the page, which
    // no reader sees), or holding text that crosses it.
    const isCut = (m: MergedCell) =>
      g.xs[m.c0] <= EDGE ||
      g.xs[m.c1 + 1] >= p.width - EDGE ||
      g.ys[m.r0] <= EDGE ||
      g.ys[m.r1 + 1] >= p.height - EDGE ||
      m.glyphs.some((gl) => crossesPageEdge(gl, p.width, p.height));
    const R = g.ys.length - 1;
    let first = true;
    const rows: MergedCell[][] = Array.from({ length: R }, () => []);
    for (const m of cells) rows[m.r0].push(m);
    for (let r = 0; r < R; r++) {
      const anchored = rows[r].sort((a, b) => a.c0 - b.c0);
      if (!anchored.some((m) => m.glyphs.length)) continue;
      const cellsOut: Cell[] = anchored.map((m) => {
        const cell: Cell = { text: cellText(m.glyphs), place: { page: p.page, box: box(g.xs[m.c0], g.ys[m.r0], g.xs[m.c1 + 1], g.ys[m.r1 + 1]) } };
        if (isCut(m)) cell.cut = true;
        return cell;
      });
      out.push({
        y: g.ys[r],
        x: g.xs[0],
        block: {
          kind: 'row',
          cells: cellsOut,
          place: { page: p.page, box: box(g.xs[0], g.ys[r], g.xs[g.xs.length - 1], g.ys[r + 1]) },
          blanksReliable: true,
        },
        firstOfGrid: first,
      });
      first = false;
    }
  }
  // Running text and unruled rows.
  for (const line of groupLines(free)) {
    const size = Math.max(...line.map((g) => g.size));
    // Split at wide gaps: an unruled table row keeps its columns apart.
    const segs: Glyph[][] = [[line[0]]];
    for (let i = 1; i < line.length; i++) {
      const gap = line[i].x0 - line[i - 1].x1;
      if (gap > 1.5 * size) segs.push([line[i]]);
      else segs[segs.length - 1].push(line[i]);
    }
    const texts = segs.map((s) => lineText(s, false).trim());
    const bb = bbox(line);
    const place = { page: p.page, box: box(bb[0], bb[1], bb[0] + bb[2], bb[1] + bb[3]) };
    const numeric = texts.slice(1).filter((t) => /^[-+]?\d[\d,.]*\s*(?:件|项|个|条|万元|元|%)?$/.test(t)).length;
    const inMargin = bb[1] < p.height * 0.09 || bb[1] + bb[3] > p.height * 0.91;
    // Text running past the page edge outside any grid (an unruled table wider than the page):
    // the piece that crosses the edge is a cut cell, so it is never read as a whole number.
    const cutSeg = segs.map((s) => s.some((gl) => crossesPageEdge(gl, p.width, p.height)));
    if ((segs.length >= 2 && numeric >= 1 && numeric >= (texts.length - 1) / 2) || cutSeg.includes(true)) {
      out.push({
        y: bb[1],
        x: bb[0],
        block: {
          kind: 'row',
          cells: segs.map((s, i) => {
            const b2 = bbox(s);
            const cell: Cell = { text: texts[i], place: { page: p.page, box: box(b2[0], b2[1], b2[0] + b2[2], b2[1] + b2[3]) } };
            if (cutSeg[i]) cell.cut = true;
            return cell;
          }),
          place,
          blanksReliable: false,
        },
      });
      continue;
    }
    const text = texts.join(' ');
    if (!text.trim()) continue;
    out.push({ y: bb[1], x: bb[0], block: { kind: 'para', text, place }, margin: inMargin ? { text } : undefined });
  }
  out.sort((a, b) => a.y - b.y || a.x - b.x);
  return out;
}

/** All pages → blocks, with page numbers and running headers/footers removed. */
export function layoutPages(pages: PageInput[]): Block[] {
  const per = pages.map((p) => layoutPage(p));
  // Running headers/footers: the same margin line (digits ignored) on several pages.
  const counts = new Map<string, number>();
  const key = (t: string) => t.replace(/\s+/g, '').replace(/\d+/g, '#');
  for (const items of per) {
    const seen = new Set<string>();
    for (const it of items) if (it.margin) seen.add(key(it.margin.text));
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const repeated = (t: string) => pages.length >= 3 && (counts.get(key(t)) ?? 0) >= Math.max(3, pages.length * 0.5);
  const blocks: Block[] = [];
  let prevEndsInGrid = false;
  for (const items of per) {
    let firstOnPage = true;
    let last: Positioned | undefined;
    for (const it of items) {
      if (it.margin && (isPageNumber(it.margin.text) || repeated(it.margin.text))) continue;
      let b = it.block;
      if (firstOnPage && prevEndsInGrid && it.firstOfGrid && b.kind === 'row') {
        // A table continued from the previous page: its first row starts with the empty rest of
        // label cells merged over the page break. Those are covered cells, not blank ones. Only
        // when a label follows: leading blanks before numbers are real blank value cells.
        let k = 0;
        while (k < b.cells.length - 1 && b.cells[k].text === '') k++;
        if (k > 0 && /[\p{L}]/u.test(b.cells[k].text)) b = { ...b, cells: b.cells.slice(k) };
      }
      blocks.push(b);
      firstOnPage = false;
      last = it;
    }
    if (last) prevEndsInGrid = last.block.kind === 'row' && last.block.blanksReliable;
  }
  return blocks;
}
