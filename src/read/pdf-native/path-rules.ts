// Ruling lines from painted paths, by the rule the pdfjs path applies to operator lists
// (extractRules in pdf-pages.ts): stroked segments that are horizontal or
// vertical, and thin filled shapes; white paint draws no rule. Also the colour model that tells
// white: pdfjs rounds every colour to 8-bit RGB.
import type { Rule } from '../pdf-layout.js';
import type { Token } from './lexer.js';

export type M = number[]; // [a b c d e f]
export const apply = (m: M, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/** A subpath in user space, as pdfjs's constructPath data would give it. */
export interface Poly {
  pts: [number, number][];
  closed: boolean;
}

/** Whether a colour is white, as pdfjs's RGB conversion would round it; 'unknown' for colour spaces not modelled. */
export type Colour = 'white' | 'other' | 'unknown';
export type Space = 'gray' | 'rgb' | 'cmyk' | 'pattern' | 'unknown';

// pdfjs converts to 8-bit RGB with rounding: a component is white from 254.5/255 up.
const full = (v: unknown) => typeof v === 'number' && v * 255 >= 254.5;
export function colourOf(space: Space, args: Token[]): Colour {
  if (!args.every((a) => typeof a === 'number')) return 'unknown';
  const v = args as number[];
  if (space === 'gray' && v.length >= 1) return full(v[0]) ? 'white' : 'other';
  if (space === 'rgb' && v.length >= 3) return full(v[0]) && full(v[1]) && full(v[2]) ? 'white' : 'other';
  if (space === 'cmyk' && v.length >= 4) {
    // pdfjs's CMYK → RGB is a polynomial; only zero ink is certainly white, clear ink certainly not.
    const ink = Math.max(v[0], v[1], v[2], v[3]);
    return ink <= 0.0005 ? 'white' : ink >= 0.01 ? 'other' : 'unknown';
  }
  return 'unknown';
}

/** Adds the rules a painted path draws (`m`: user space → viewport) to `out`. */
export function addPathRules(polys: Poly[], m: M, doStroke: boolean, doFill: boolean, out: Rule[]): void {
  const addSeg = (p: [number, number], q: [number, number]) => {
    const [x0, y0] = p;
    const [x1, y1] = q;
    if (Math.abs(y1 - y0) <= 0.8 && Math.abs(x1 - x0) > 1) out.push({ dir: 'h', a: (y0 + y1) / 2, b0: Math.min(x0, x1), b1: Math.max(x0, x1) });
    else if (Math.abs(x1 - x0) <= 0.8 && Math.abs(y1 - y0) > 1) out.push({ dir: 'v', a: (x0 + x1) / 2, b0: Math.min(y0, y1), b1: Math.max(y0, y1) });
  };
  for (const poly of polys) {
    if (poly.pts.length < 2) continue;
    const pts = poly.pts.map(([x, y]) => apply(m, x, y));
    if (doStroke) {
      for (let k = 1; k < pts.length; k++) addSeg(pts[k - 1], pts[k]);
      if (poly.closed || pts.length >= 4) addSeg(pts[pts.length - 1], pts[0]);
    }
    if (doFill && pts.length >= 3) {
      // A thin filled shape is a rule; a large one is shading, not a border.
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      for (const [x, y] of pts) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
      if (y1 - y0 <= 2.5 && x1 - x0 > 2.5) out.push({ dir: 'h', a: (y0 + y1) / 2, b0: x0, b1: x1 });
      else if (x1 - x0 <= 2.5 && y1 - y0 > 2.5) out.push({ dir: 'v', a: (x0 + x1) / 2, b0: y0, b1: y1 });
    }
  }
}
