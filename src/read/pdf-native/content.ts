// Content-stream interpreter (§8, §9.4): glyph positions and ruling lines of one page, in
// viewport space. What it keeps mirrors what the pdfjs path takes from getTextContent (glyphs)
// and getOperatorList (stroked and thin filled paths, white ones left out); see pdf-pages.ts.
import { fixRadicals, type Glyph, type Rule } from '../pdf-layout.js';
import { GlyphRuns } from './glyph-runs.js';
import { addPathRules, apply, colourOf, type Colour, type Poly, type Space } from './path-rules.js';
import { normalizeLikePdfjs } from './normalize.js';
import { loadFont, type FontGlyph, type PdfFont } from './fonts.js';
import { ARRAY_CLOSE, ARRAY_OPEN, Cmd, DICT_CLOSE, DICT_OPEN, EOF, isDict, isName, Lexer, Name, Stream, type PdfDict, type Token } from './lexer.js';
import type { PdfObjects } from './objects.js';
import { unsupported } from './unsupported.js';

export type M = number[]; // [a b c d e f]
export const mul = (m1: M, m2: M): M => [
  m1[0] * m2[0] + m1[2] * m2[1],
  m1[1] * m2[0] + m1[3] * m2[1],
  m1[0] * m2[2] + m1[2] * m2[3],
  m1[1] * m2[2] + m1[3] * m2[3],
  m1[0] * m2[4] + m1[2] * m2[5] + m1[4],
  m1[1] * m2[4] + m1[3] * m2[5] + m1[5],
];
/** m × translation(tx, ty): the pen moves in the matrix's own space. */
const translate = (m: M, tx: number, ty: number): M => [m[0], m[1], m[2], m[3], m[0] * tx + m[2] * ty + m[4], m[1] * tx + m[3] * ty + m[5]];
const IDENTITY: M = [1, 0, 0, 1, 0, 0];

export const MAX_RULES = 20_000;
/** Form XObjects nested deeper than this are a loop or an attack. */
const MAX_FORM_DEPTH = 12;
/** Operators interpreted for one page, forms included. */
const MAX_OPERATORS = 5_000_000;

interface GState {
  ctm: M;
  fill: Colour;
  stroke: Colour;
  fillSpace: Space;
  strokeSpace: Space;
  font: PdfFont | undefined;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
}

export interface PageContent {
  glyphs: Glyph[];
  rules: Rule[];
  /** Text-showing operators met (a page with some but no glyph is left to pdfjs). */
  showOps: number;
}

const isNum = (t: unknown): t is number => typeof t === 'number';
/** pdfjs keeps path coordinates as 32-bit floats: rounding the same way gives the same rules. */
const f32 = (v: Token) => Math.fround(v as number);

export class PageInterpreter {
  private readonly runs = new GlyphRuns();
  private rules: Rule[] = [];
  private showOps = 0;
  private ops = 0;
  private gs: GState;
  /** Saved states; the text matrices go with them, as pdfjs (and pdfium) restore them on Q. */
  private readonly stack: { gs: GState; tm: M; tlm: M }[] = [];
  private tm: M = IDENTITY;
  private tlm: M = IDENTITY;
  /** Path in user space: polylines as pdfjs's constructPath data would give them. */
  private path: Poly[] = [];
  private cur: Poly | undefined;
  private curPt: [number, number] = [0, 0];

  constructor(
    private readonly objs: PdfObjects,
    private readonly fonts: Map<PdfDict, PdfFont>,
    /** Viewport transform (pdfjs's, scale 1). */
    private readonly vt: M,
    /** pdfjs's page.view: glyphs whose origin falls outside are not text content. */
    private readonly view: number[],
  ) {
    this.gs = {
      ctm: IDENTITY, fill: 'other', stroke: 'other', fillSpace: 'gray', strokeSpace: 'gray',
      font: undefined, fontSize: 0, charSpacing: 0, wordSpacing: 0, hScale: 1, leading: 0, rise: 0,
    };
  }

  result(): PageContent {
    this.runs.breakItem();
    return { glyphs: this.runs.glyphs, rules: this.rules.length > MAX_RULES ? [] : this.rules, showOps: this.showOps };
  }

  run(data: Uint8Array, resources: PdfDict | undefined, depth = 0): void {
    const lx = new Lexer(data);
    // A fresh operand list per operator: cheaper than truncating one (a runtime call in V8).
    let operands: Token[] = [];
    for (;;) {
      const t = lx.next();
      if (t === EOF) break;
      if (t instanceof Cmd) {
        if (t === ARRAY_OPEN) {
          operands.push(this.readArray(lx, 0) as unknown as Token);
          continue;
        }
        if (t === DICT_OPEN) {
          this.readDict(lx, 0);
          operands.push(null);
          continue;
        }
        if (t === ARRAY_CLOSE || t === DICT_CLOSE) unsupported('unbalanced delimiter in content');
        if (++this.ops > MAX_OPERATORS) unsupported('too many operators');
        if (t.cmd === 'BI') this.skipInlineImage(lx);
        else this.op(t.cmd, operands, resources, depth);
        operands = [];
      } else {
        if (operands.length > 64) unsupported('too many operands');
        operands.push(t);
      }
    }
  }

  private readArray(lx: Lexer, depth: number): unknown[] {
    if (depth > 20) unsupported('arrays nested too deeply');
    const out: unknown[] = [];
    for (;;) {
      const t = lx.next();
      if (t === ARRAY_CLOSE) return out;
      if (t === EOF) unsupported('unterminated array in content');
      if (t === ARRAY_OPEN) out.push(this.readArray(lx, depth + 1));
      else if (t === DICT_OPEN) out.push(this.readDict(lx, depth + 1));
      else if (t instanceof Cmd) unsupported('operator inside an array');
      else out.push(t);
      if (out.length > 100_000) unsupported('array too long');
    }
  }

  private readDict(lx: Lexer, depth: number): null {
    if (depth > 20) unsupported('dictionaries nested too deeply');
    for (;;) {
      const t = lx.next();
      if (t === DICT_CLOSE) return null;
      if (t === EOF) unsupported('unterminated dictionary in content');
      if (t === ARRAY_OPEN) this.readArray(lx, depth + 1);
      else if (t === DICT_OPEN) this.readDict(lx, depth + 1);
      else if (t instanceof Cmd) unsupported('operator inside a dictionary');
    }
  }

  /** BI … ID <data> EI: the data is skipped up to an "EI" standing alone between white space. */
  private skipInlineImage(lx: Lexer): void {
    for (;;) {
      const t = lx.next();
      if (t === EOF) unsupported('unterminated inline image');
      if (t instanceof Cmd && t.cmd === 'ID') break;
      if (t === ARRAY_OPEN) this.readArray(lx, 0);
    }
    const b = lx.buf;
    const ws = (c: number | undefined) => c === undefined || c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0;
    // Image bytes can hold " EI " by chance: an end is taken only where plain operator text
    // (printable ASCII and white space) follows, as pdfjs also checks.
    const textFollows = (p: number) => {
      for (let i = p; i < Math.min(lx.end, p + 16); i++) if (!ws(b[i]) && (b[i] < 0x21 || b[i] > 0x7e)) return false;
      return true;
    };
    for (let p = lx.pos + 1; p + 1 < lx.end; p++) {
      if (b[p] === 0x45 && b[p + 1] === 0x49 && ws(b[p - 1]) && ws(b[p + 2]) && textFollows(p + 2)) {
        lx.pos = p + 2;
        return;
      }
    }
    unsupported('inline image without EI');
  }

  private op(op: string, a: Token[], resources: PdfDict | undefined, depth: number): void {
    const gs = this.gs;
    switch (op) {
      // ---- graphics state
      case 'q':
        if (this.stack.length > 1000) unsupported('q nested too deeply');
        this.stack.push({ gs: { ...gs }, tm: this.tm, tlm: this.tlm });
        return;
      case 'Q': {
        const s = this.stack.pop();
        if (s) ({ gs: this.gs, tm: this.tm, tlm: this.tlm } = s);
        return;
      }
      case 'cm':
        if (a.length !== 6 || !a.every(isNum)) unsupported('bad cm');
        gs.ctm = mul(gs.ctm, a as number[]);
        return;
      case 'gs': {
        const ext = isDict(resources) ? this.objs.get(resources, 'ExtGState') : undefined;
        const g = isDict(ext) && a[0] instanceof Name ? this.objs.get(ext, a[0].name) : undefined;
        if (isDict(g) && g.has('Font')) unsupported('font set through ExtGState');
        return;
      }
      // ---- colour
      case 'g': gs.fillSpace = 'gray'; gs.fill = colourOf('gray', a); return;
      case 'G': gs.strokeSpace = 'gray'; gs.stroke = colourOf('gray', a); return;
      case 'rg': gs.fillSpace = 'rgb'; gs.fill = colourOf('rgb', a); return;
      case 'RG': gs.strokeSpace = 'rgb'; gs.stroke = colourOf('rgb', a); return;
      case 'k': gs.fillSpace = 'cmyk'; gs.fill = colourOf('cmyk', a); return;
      case 'K': gs.strokeSpace = 'cmyk'; gs.stroke = colourOf('cmyk', a); return;
      // pdfjs sets only the space on cs/CS; the colour changes with the next sc/scn.
      case 'cs': gs.fillSpace = this.space(a[0], resources); return;
      case 'CS': gs.strokeSpace = this.space(a[0], resources); return;
      case 'sc':
      case 'scn':
        // A pattern leaves pdfjs's last RGB colour in place.
        if (gs.fillSpace !== 'pattern') gs.fill = colourOf(gs.fillSpace, a);
        return;
      case 'SC':
      case 'SCN':
        if (gs.strokeSpace !== 'pattern') gs.stroke = colourOf(gs.strokeSpace, a);
        return;
      // ---- paths
      case 'm':
        if (a.length !== 2 || !a.every(isNum)) unsupported('bad m');
        this.curPt = [f32(a[0]), f32(a[1])];
        this.cur = { pts: [this.curPt], closed: false };
        this.path.push(this.cur);
        return;
      case 'l':
        if (a.length !== 2 || !a.every(isNum)) unsupported('bad l');
        this.curPt = [f32(a[0]), f32(a[1])];
        if (!this.cur) this.path.push((this.cur = { pts: [], closed: false }));
        this.cur.pts.push(this.curPt);
        return;
      case 'c':
      case 'v':
      case 'y': {
        const n = op === 'c' ? 6 : 4;
        if (a.length !== n || !a.every(isNum)) unsupported(`bad ${op}`);
        // A curve breaks the polyline: a new one starts at its end point.
        this.curPt = [f32(a[n - 2]), f32(a[n - 1])];
        this.cur = { pts: [this.curPt], closed: false };
        this.path.push(this.cur);
        return;
      }
      case 'h':
        if (this.cur) this.cur.closed = true;
        return;
      case 're': {
        if (a.length !== 4 || !a.every(isNum)) unsupported('bad re');
        const [x, y, w, h] = a as number[];
        const [fx, fy, fxw, fyh] = [f32(x), f32(y), f32(x + w), f32(y + h)];
        const pts: [number, number][] = w === 0 || h === 0 ? [[fx, fy], [fxw, fyh]] : [[fx, fy], [fxw, fy], [fxw, fyh], [fx, fyh]];
        this.cur = { pts, closed: true };
        this.path.push(this.cur);
        this.curPt = [x, y];
        return;
      }
      case 'S': this.paint(true, false, false); return;
      case 's': this.paint(true, false, true); return;
      case 'f': case 'F': case 'f*': this.paint(false, true, false); return;
      case 'B': case 'B*': this.paint(true, true, false); return;
      case 'b': case 'b*': this.paint(true, true, true); return;
      case 'n': this.path = []; this.cur = undefined; return;
      // ---- text
      case 'BT': this.tm = this.tlm = IDENTITY; return;
      case 'ET': return;
      case 'Tf': {
        if (a.length !== 2 || !(a[0] instanceof Name) || !isNum(a[1])) unsupported('bad Tf');
        const fontsDict = isDict(resources) ? this.objs.get(resources, 'Font') : undefined;
        const fd = isDict(fontsDict) ? this.objs.get(fontsDict, a[0].name) : undefined;
        if (!isDict(fd)) unsupported(`font ${a[0].name} not in resources`);
        let f = this.fonts.get(fd);
        if (!f) {
          f = loadFont(this.objs, fd);
          this.fonts.set(fd, f);
        }
        gs.font = f;
        gs.fontSize = a[1];
        return;
      }
      case 'Tc': if (!isNum(a[0])) unsupported('bad Tc'); gs.charSpacing = a[0]; return;
      case 'Tw': if (!isNum(a[0])) unsupported('bad Tw'); gs.wordSpacing = a[0]; return;
      case 'Tz': if (!isNum(a[0])) unsupported('bad Tz'); gs.hScale = a[0] / 100; return;
      case 'TL': if (!isNum(a[0])) unsupported('bad TL'); gs.leading = a[0]; return;
      case 'Ts': if (!isNum(a[0])) unsupported('bad Ts'); gs.rise = a[0]; return;
      case 'Tr': return;
      case 'Td':
      case 'TD':
        if (a.length !== 2 || !a.every(isNum)) unsupported(`bad ${op}`);
        if (op === 'TD') gs.leading = -(a[1] as number);
        this.tm = this.tlm = translate(this.tlm, a[0] as number, a[1] as number);
        return;
      case 'Tm':
        if (a.length !== 6 || !a.every(isNum)) unsupported('bad Tm');
        this.tm = this.tlm = (a as number[]).slice();
        return;
      case 'T*': this.nextLine(); return;
      case 'Tj':
        if (!(a[0] instanceof Uint8Array)) unsupported('bad Tj');
        this.show(a[0]);
        return;
      case "'":
        if (!(a[0] instanceof Uint8Array)) unsupported("bad '");
        this.nextLine();
        this.show(a[0]);
        return;
      case '"':
        if (a.length !== 3 || !isNum(a[0]) || !isNum(a[1]) || !(a[2] instanceof Uint8Array)) unsupported('bad "');
        gs.wordSpacing = a[0];
        gs.charSpacing = a[1];
        this.nextLine();
        this.show(a[2]);
        return;
      case 'TJ': {
        const arr = a[0] as unknown;
        if (!Array.isArray(arr)) unsupported('bad TJ');
        for (const e of arr) {
          if (e instanceof Uint8Array) this.show(e);
          else if (typeof e === 'number') {
            if (!gs.font) unsupported('TJ without a font');
            const d = (-e / 1000) * gs.fontSize;
            this.tm = gs.font.vertical ? translate(this.tm, 0, d) : translate(this.tm, d * gs.hScale, 0);
          } else unsupported('bad TJ element');
        }
        return;
      }
      case 'd0': case 'd1': return;
      // ---- XObjects
      case 'Do':
        // pdfjs ends its current text item at any XObject, and at the end of a form's content.
        this.runs.breakItem();
        this.doXObject(a[0], resources, depth);
        this.runs.breakItem();
        return;
      case 'BMC':
      case 'BDC':
      case 'EMC':
        // ... and at marked-content boundaries (tagged PDFs put every span in one).
        this.runs.breakItem();
        return;
      default:
        // Line style, clipping, marked content, shading, compatibility sections: no text, no rules.
        return;
    }
  }

  private space(n: Token | undefined, resources: PdfDict | undefined): Space {
    if (!(n instanceof Name)) return 'unknown';
    const direct: Record<string, Space> = { DeviceGray: 'gray', G: 'gray', DeviceRGB: 'rgb', RGB: 'rgb', DeviceCMYK: 'cmyk', CMYK: 'cmyk', Pattern: 'pattern' };
    if (n.name in direct) return direct[n.name];
    const spaces = isDict(resources) ? this.objs.get(resources, 'ColorSpace') : undefined;
    let cs = isDict(spaces) ? this.objs.get(spaces, n.name) : undefined;
    if (isName(cs) && cs.name in direct) return direct[cs.name];
    if (Array.isArray(cs)) {
      const kind = this.objs.resolve(cs[0]);
      if (isName(kind, 'Pattern')) return 'pattern';
      if (isName(kind, 'ICCBased')) {
        cs = this.objs.resolve(cs[1]);
        const nComp = cs instanceof Stream ? this.objs.get(cs.dict, 'N') : undefined;
        return nComp === 1 ? 'gray' : nComp === 3 ? 'rgb' : nComp === 4 ? 'cmyk' : 'unknown';
      }
    }
    return 'unknown';
  }

  private paint(stroke: boolean, fill: boolean, close: boolean): void {
    const gs = this.gs;
    const polys = this.path;
    this.path = [];
    this.cur = undefined;
    if (close && polys.length) polys[polys.length - 1].closed = true;
    const doStroke = stroke && gs.stroke !== 'white';
    const doFill = fill && gs.fill !== 'white';
    if (!doStroke && !doFill) return;
    if (this.rules.length > MAX_RULES) return;
    const m = mul(this.vt, gs.ctm);
    const before = this.rules.length;
    addPathRules(polys, m, doStroke, doFill, this.rules);
    // A rule drawn in a colour we cannot tell from white could be a border or nothing at all.
    if (this.rules.length > before && ((doStroke && gs.stroke === 'unknown') || (doFill && gs.fill === 'unknown'))) unsupported('ruling line in an unmodelled colour');
  }

  private nextLine(): void {
    this.tm = this.tlm = translate(this.tlm, 0, -this.gs.leading);
  }

  private show(bytes: Uint8Array): void {
    const gs = this.gs;
    const font = gs.font;
    if (!font) unsupported('text without a font');
    this.showOps++;
    const fs = gs.fontSize;
    const th = gs.hScale;
    const scale = font.fontMatrix[0] * fs;
    // pdfjs's text-space matrix for a glyph, with its Type3 height adjustment.
    let tsm3 = fs;
    if (font.type3 && fs <= 1 && !isIdentityFontMatrix(font.fontMatrix) && font.bboxHeight > 0) tsm3 *= font.bboxHeight * font.fontMatrix[3];
    const glyphs = font.decode(bytes);
    if (font.vertical) {
      for (const g of glyphs) {
        const scaled = g.width * scale;
        const chars = charsOf(g);
        if (!chars.length) this.runs.space();
        else this.addVertical(chars, scaled, fs * th, tsm3);
        // pdfjs moves by the (negative) vertical advance, then by the negated spacing.
        this.tm = translate(this.tm, 0, scaled - (-gs.charSpacing + (g.code === 0x20 ? gs.wordSpacing : 0)));
      }
      return;
    }
    // Every glyph of one string shares the linear part of its transform: only the pen's x in
    // text space moves, so the per-string quantities are computed once.
    const tmc = mul(gs.ctm, this.tm);
    // t = tmc × [fs·Th 0 0 tsm3 0 rise] (pdfjs's glyph transform at pen x = 0), in scalars.
    const tsm0 = fs * th;
    const t0 = tmc[0] * tsm0;
    const t1 = tmc[1] * tsm0;
    const t2 = tmc[2] * tsm3;
    const t3 = tmc[3] * tsm3;
    const t4 = tmc[2] * gs.rise + tmc[4];
    const t5 = tmc[3] * gs.rise + tmc[5];
    const vt = this.vt;
    const size = Math.hypot(vt[0] * t2 + vt[2] * t3, vt[1] * t2 + vt[3] * t3) || Math.hypot(vt[0] * t0 + vt[2] * t1, vt[1] * t0 + vt[3] * t1) || 1;
    const dirLen = Math.hypot(t0, t1) || 1;
    const ux = (vt[0] * t0 + vt[2] * t1) / dirLen;
    const uy = (vt[1] * t0 + vt[3] * t1) / dirLen;
    const horizontal = Math.abs(uy) < 0.2 * Math.abs(ux) && ux > 0;
    const mvx = vt[0] * tmc[0] + vt[2] * tmc[1];
    const mvy = vt[1] * tmc[0] + vt[3] * tmc[1];
    const view = this.view;
    let x = 0;
    for (const g of glyphs) {
      const scaled = g.width * scale;
      let spacing = gs.charSpacing;
      // pdfjs adds word spacing to every code 0x20, one- or two-byte alike.
      if (g.code === 0x20) spacing += gs.wordSpacing;
      const chars = charsOf(g);
      if (!chars.length) this.runs.space();
      else {
        const px = t4 + tmc[0] * x;
        const py = t5 + tmc[1] * x;
        // Outside the page's view, pdfjs does not count a glyph as text.
        if (!(px + scaled < view[0] || px > view[2] || py < view[1] || py > view[3])) {
          const ox = vt[0] * px + vt[2] * py + vt[4];
          const oy = vt[1] * px + vt[3] * py + vt[5];
          if (horizontal) this.runs.horizontal(gs, chars, ox, oy, mvx * scaled * th, size);
          else this.runs.rotated(gs, chars, ox, oy, mvx * scaled * th, mvy * scaled * th, size, ux, uy, [t0, t1, t2, t3]);
        }
      }
      x += (scaled + spacing) * th;
    }
    this.tm = translate(this.tm, x, 0);
  }

  /** A glyph of a vertical (Identity-V) font: its pen position and advance, to the runs. */
  private addVertical(chars: string[], scaled: number, tsm0: number, tsm3: number): void {
    const gs = this.gs;
    const tmc = mul(gs.ctm, this.tm);
    const t = mul(tmc, [tsm0, 0, 0, tsm3, 0, gs.rise]);
    const v = this.view;
    if (t[4] < v[0] || t[4] > v[2] || t[5] + scaled < v[1] || t[5] > v[3]) return;
    const vt = this.vt;
    const m = mul(vt, t);
    const size = Math.hypot(m[2], m[3]) || Math.hypot(m[0], m[1]) || 1;
    const dirLen = Math.hypot(t[0], t[1]) || 1;
    const ux = (vt[0] * t[0] + vt[2] * t[1]) / dirLen;
    const uy = (vt[1] * t[0] + vt[3] * t[1]) / dirLen;
    if (!(Math.abs(uy) < 0.2 * Math.abs(ux) && ux > 0)) unsupported('rotated vertical text');
    const [ox, oy] = apply(vt, t[4], t[5]);
    const mv = mul(vt, tmc);
    this.runs.vertical(gs, chars, ox, oy, Math.abs(mv[3] * scaled), Math.hypot(t[0], t[1]), size);
  }

  private doXObject(n: Token | undefined, resources: PdfDict | undefined, depth: number): void {
    if (!(n instanceof Name)) unsupported('bad Do');
    const xo = isDict(resources) ? this.objs.get(resources, 'XObject') : undefined;
    const x = isDict(xo) ? this.objs.get(xo, n.name) : undefined;
    if (!(x instanceof Stream)) {
      if (x === undefined || x === null) return; // pdfjs skips a missing XObject too
      unsupported('XObject is not a stream');
    }
    const sub = this.objs.get(x.dict, 'Subtype');
    if (isName(sub, 'Image') || isName(sub, 'PS')) return;
    if (!isName(sub, 'Form')) unsupported('unknown XObject type');
    if (depth >= MAX_FORM_DEPTH) unsupported('form XObjects nested too deeply');
    const matrixObj = this.objs.get(x.dict, 'Matrix');
    const matrix = Array.isArray(matrixObj) && matrixObj.length === 6 && matrixObj.every(isNum) ? (matrixObj as number[]) : IDENTITY;
    const res = this.objs.get(x.dict, 'Resources');
    const saved = { ...this.gs };
    const savedStack = this.stack.length;
    const savedTm = this.tm;
    const savedTlm = this.tlm;
    this.gs.ctm = mul(this.gs.ctm, matrix);
    this.run(this.objs.decode(x), isDict(res) ? res : resources, depth + 1);
    this.stack.length = savedStack;
    this.gs = saved;
    this.tm = savedTm;
    this.tlm = savedTlm;
  }
}

/** A glyph's characters as the layout takes them (pdfjs's normalisation, radicals fixed, white space out; none: a space). */
function charsOf(g: FontGlyph): string[] {
  return (g.chars ??= Array.from(fixRadicals(normalizeLikePdfjs(g.text))).filter((c) => !/\s/.test(c)));
}

function isIdentityFontMatrix(m: number[]): boolean {
  return m[0] === 0.001 && m[1] === 0 && m[2] === 0 && m[3] === 0.001 && m[4] === 0 && m[5] === 0;
}
