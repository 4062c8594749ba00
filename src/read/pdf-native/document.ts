// A PDF read natively: page tree with inherited attributes, pdfjs's scale-1 viewport, each
// page's glyphs and rules, and the /Info title and creation date. Throws NativePdfUnsupported
// for anything it does not fully understand; the caller then reads the file with pdfjs.
import type { PageInput } from '../pdf-layout.js';
import { PageInterpreter, type M } from './content.js';
import type { PdfFont } from './fonts.js';
import { isDict, isName, Stream, type PdfDict, type PdfObj } from './lexer.js';
import { PdfObjects } from './objects.js';
import { decodePdfString } from './strings.js';
import { unsupported } from './unsupported.js';

/** Page tree nesting deeper than this is a loop or an attack. */
const MAX_TREE_DEPTH = 64;
const LETTER: number[] = [0, 0, 612, 792];

export interface NativePdf {
  numPages: number;
  pages: PageInput[];
  meta: { title?: unknown; creationDate?: unknown };
}

interface PageNode {
  dict: PdfDict;
  resources: PdfDict | undefined;
  mediaBox: PdfObj | undefined;
  cropBox: PdfObj | undefined;
  rotate: PdfObj | undefined;
}

function collectPages(objs: PdfObjects, root: PdfDict): PageNode[] {
  const pagesRoot = objs.get(root, 'Pages');
  if (!isDict(pagesRoot)) unsupported('no page tree');
  const out: PageNode[] = [];
  const seen = new Set<PdfDict>();
  const walk = (node: PdfDict, inh: Omit<PageNode, 'dict'>, depth: number) => {
    if (depth > MAX_TREE_DEPTH || seen.has(node)) unsupported('page tree loop');
    seen.add(node);
    const res = objs.get(node, 'Resources');
    const here = {
      resources: isDict(res) ? res : inh.resources,
      mediaBox: objs.get(node, 'MediaBox') ?? inh.mediaBox,
      cropBox: objs.get(node, 'CropBox') ?? inh.cropBox,
      rotate: objs.get(node, 'Rotate') ?? inh.rotate,
    };
    const kids = objs.get(node, 'Kids');
    const type = objs.get(node, 'Type');
    if (Array.isArray(kids) && !isName(type, 'Page')) {
      for (const k of kids) {
        const kid = objs.resolve(k);
        if (!isDict(kid)) unsupported('page tree kid is not a dictionary');
        walk(kid, here, depth + 1);
      }
    } else if (isName(type, 'Page') || !kids) out.push({ dict: node, ...here });
    else unsupported('odd page tree node');
  };
  walk(pagesRoot, { resources: undefined, mediaBox: undefined, cropBox: undefined, rotate: undefined }, 0);
  const count = objs.get(pagesRoot, 'Count');
  // pdfjs numbers pages by /Count; a tree that disagrees is left to its own repair logic.
  if (count !== out.length) unsupported('page count differs from the page tree');
  return out;
}

/** A [x0 y0 x1 y1] box normalised, or undefined if it is not one with area (pdfjs's rule). */
function box(o: PdfObj | undefined): number[] | undefined {
  if (!Array.isArray(o) || o.length !== 4 || !o.every((x) => typeof x === 'number')) return undefined;
  const [a, b, c, d] = o as number[];
  const r = [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  return r[2] - r[0] > 0 && r[3] - r[1] > 0 ? r : undefined;
}

/** pdfjs's page.view: CropBox ∩ MediaBox when that has area, else the MediaBox (Letter if none). */
function pageView(p: PageNode): number[] {
  const media = box(p.mediaBox) ?? LETTER;
  const crop = box(p.cropBox);
  if (!crop) return media;
  const x0 = Math.max(crop[0], media[0]);
  const y0 = Math.max(crop[1], media[1]);
  const x1 = Math.min(crop[2], media[2]);
  const y1 = Math.min(crop[3], media[3]);
  return x1 - x0 > 0 && y1 - y0 > 0 ? [x0, y0, x1, y1] : media;
}

function pageRotation(r: PdfObj | undefined): number {
  if (typeof r !== 'number' || !Number.isInteger(r) || r % 90 !== 0) return 0;
  return ((r % 360) + 360) % 360;
}

/** pdfjs's PageViewport transform at scale 1 (y down, origin at the view's top left). */
export function viewport(view: number[], rotation: number): { vt: M; width: number; height: number } {
  const cx = (view[2] + view[0]) / 2;
  const cy = (view[3] + view[1]) / 2;
  const [ra, rb, rc, rd] = rotation === 90 ? [0, 1, 1, 0] : rotation === 180 ? [-1, 0, 0, 1] : rotation === 270 ? [0, -1, -1, 0] : [1, 0, 0, -1];
  let ox: number, oy: number, width: number, height: number;
  if (ra === 0) {
    ox = Math.abs(cy - view[1]);
    oy = Math.abs(cx - view[0]);
    width = Math.abs(view[3] - view[1]);
    height = Math.abs(view[2] - view[0]);
  } else {
    ox = Math.abs(cx - view[0]);
    oy = Math.abs(cy - view[1]);
    width = Math.abs(view[2] - view[0]);
    height = Math.abs(view[3] - view[1]);
  }
  return { vt: [ra, rb, rc, rd, ox - ra * cx - rc * cy, oy - rb * cx - rd * cy], width, height };
}

function contentBytes(objs: PdfObjects, page: PdfDict): Uint8Array[] {
  const c = objs.get(page, 'Contents');
  if (c === undefined || c === null) return [];
  const list = Array.isArray(c) ? c.map((x) => objs.resolve(x)) : [c];
  return list.map((s) => {
    if (!(s instanceof Stream)) unsupported('page content is not a stream');
    return objs.decode(s);
  });
}

const isSpace = (c: number | undefined) => c === undefined || c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0;

/**
 * Concatenates content streams. The standard puts a token boundary between them (§7.8.2);
 * pdfjs joins the bytes as they are. The two readings differ only where a stream ends and the
 * next begins without white space, a file we leave to pdfjs.
 */
function joinContents(all: Uint8Array[]): Uint8Array {
  const parts = all.filter((p) => p.length);
  if (parts.length === 1) return parts[0];
  for (let i = 1; i < parts.length; i++) {
    const prev = parts[i - 1];
    if (!isSpace(prev[prev.length - 1]) && !isSpace(parts[i][0])) unsupported('content streams split without white space');
  }
  const total = parts.reduce((n, p) => n + p.length + 1, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
    out[o++] = 10;
  }
  return out;
}

export function readNativePdf(bytes: Uint8Array, maxPages: number, deadline: number): NativePdf {
  const objs = new PdfObjects(bytes);
  const root = objs.get(objs.trailer, 'Root') as PdfDict;
  const pages = collectPages(objs, root);
  const fonts = new Map<PdfDict, PdfFont>();
  const out: PageInput[] = [];
  const n = Math.min(pages.length, maxPages);
  for (let i = 0; i < n; i++) {
    if (Date.now() > deadline) break;
    const p = pages[i];
    if (objs.get(p.dict, 'UserUnit') !== undefined) unsupported('UserUnit');
    const view = pageView(p);
    const { vt, width, height } = viewport(view, pageRotation(p.rotate));
    const interp = new PageInterpreter(objs, fonts, vt, view);
    interp.run(joinContents(contentBytes(objs, p.dict)), p.resources);
    const r = interp.result();
    // Text operators that gave no glyph: pdfjs decides what such a page holds.
    if (r.showOps > 0 && r.glyphs.length === 0) unsupported('text operators without glyphs');
    out.push({ page: i + 1, width, height, glyphs: r.glyphs, rules: r.glyphs.length ? r.rules : [] });
  }
  const info = objs.get(objs.trailer, 'Info');
  const meta: NativePdf['meta'] = {};
  if (isDict(info)) {
    const t = objs.get(info, 'Title');
    const d = objs.get(info, 'CreationDate');
    if (t instanceof Uint8Array) meta.title = decodePdfString(t);
    if (d instanceof Uint8Array) meta.creationDate = decodePdfString(d);
  }
  return { numPages: pages.length, pages: out, meta };
}
