// One PDF's pages → glyphs and ruling lines, through pdfjs-dist (legacy build: the modern build
// needs APIs Node 20 lacks). Opening and page reading are kept apart from pdf.ts (errors, limits,
// layout) so that a list of pages can be read by a deadline by any caller.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixRadicals, splitItem, type Glyph, type PageInput, type Rule } from './pdf-layout.js';
import { mul, type M } from './pdf-native/content.js';
import { addPathRules, type Poly } from './pdf-native/path-rules.js';

const MAX_RULES = 20_000;
/** Pages read concurrently by one thread. */
const PAGES_IN_FLIGHT = 4;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsP: Promise<PdfJs> | undefined;
let assetDir: string | undefined;

/**
 * Loads pdfjs ahead of the first PDF (about a second of CPU): `gongkai serve` calls it once it
 * listens, so the first uploaded PDF is not also the one that pays for loading the library.
 */
export function preloadPdfReader(): Promise<void> {
  return pdfjs().then(() => undefined);
}

function pdfjs(): Promise<PdfJs> {
  pdfjsP ??= loadPdfjs();
  return pdfjsP;
}

/**
 * Loads pdfjs and its worker into this thread (pdfjs's "fake worker" in Node). The legacy build's
 * core-js prelude replaces Array.prototype.push with a much slower polyfill (a V8 edge case about
 * non-writable lengths); the native one is put back once both modules are loaded, since nothing
 * here relies on that edge case.
 */
async function loadPdfjs(): Promise<PdfJs> {
  const nativePush = Array.prototype.push;
  try {
    const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const g = globalThis as { pdfjsWorker?: unknown };
    // @ts-ignore -- the worker module has no type declarations
    if (!g.pdfjsWorker) g.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    return lib;
  } finally {
    if (Array.prototype.push !== nativePush) Array.prototype.push = nativePush;
  }
}

function assets(): string {
  if (!assetDir) assetDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return assetDir;
}

const dirUrl = (p: string) => {
  const u = pathToFileURL(p).href;
  return u.endsWith('/') ? u : u + '/';
};

const apply = (m: M, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

const isWhite = (c: unknown) => typeof c === 'string' && /^#(?:fff|ffffff)$/i.test(c);

/** Ruling lines of a page from its operator list, in viewport space (`vt` = viewport transform). */
function extractRules(OPS: PdfJs['OPS'], fnArray: number[], argsArray: any[], vt: M): Rule[] {
  const rules: Rule[] = [];
  let ctm: M = [1, 0, 0, 1, 0, 0];
  let stroke: unknown = '#000000';
  let fill: unknown = '#000000';
  const stack: { ctm: M; stroke: unknown; fill: unknown }[] = [];
  let inAnnotation = 0;
  const STROKE = new Set([OPS.stroke, OPS.closeStroke]);
  const FILL = new Set([OPS.fill, OPS.eoFill]);
  const BOTH = new Set([OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  for (let i = 0; i < fnArray.length && rules.length <= MAX_RULES; i++) {
    const fn = fnArray[i];
    const args = argsArray[i];
    if (fn === OPS.beginAnnotation) inAnnotation++;
    else if (fn === OPS.endAnnotation) inAnnotation = Math.max(0, inAnnotation - 1);
    if (fn === OPS.save) stack.push({ ctm, stroke, fill });
    else if (fn === OPS.restore) {
      const s = stack.pop();
      if (s) ({ ctm, stroke, fill } = s);
    } else if (fn === OPS.transform) ctm = mul(ctm, args as M);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push({ ctm, stroke, fill });
      if (Array.isArray(args?.[0]) || ArrayBuffer.isView(args?.[0])) ctm = mul(ctm, Array.from(args[0] as ArrayLike<number>));
    } else if (fn === OPS.paintFormXObjectEnd) {
      const s = stack.pop();
      if (s) ({ ctm, stroke, fill } = s);
    } else if (fn === OPS.setStrokeRGBColor) stroke = args?.[0];
    else if (fn === OPS.setFillRGBColor) fill = args?.[0];
    else if (fn === OPS.constructPath && !inAnnotation) {
      const paint = args?.[0] as number;
      const data = args?.[1]?.[0] as ArrayLike<number> | null | undefined;
      if (!data) continue;
      const doStroke = (STROKE.has(paint) || BOTH.has(paint)) && !isWhite(stroke);
      const doFill = (FILL.has(paint) || BOTH.has(paint)) && !isWhite(fill);
      if (!doStroke && !doFill) continue;
      // Decode the path into polylines in user space (curves break a polyline); the native
      // reader turns its paths into rules with the same function.
      const polys: Poly[] = [];
      let cur: Poly | undefined;
      for (let k = 0; k < data.length; ) {
        const op = data[k++];
        if (op === 0) {
          cur = { pts: [[data[k], data[k + 1]]], closed: false };
          polys.push(cur);
          k += 2;
        } else if (op === 1) {
          if (!cur) polys.push((cur = { pts: [], closed: false }));
          cur.pts.push([data[k], data[k + 1]]);
          k += 2;
        } else if (op === 2) {
          cur = { pts: [[data[k + 4], data[k + 5]]], closed: false };
          polys.push(cur);
          k += 6;
        } else if (op === 3) {
          cur = { pts: [[data[k + 2], data[k + 3]]], closed: false };
          polys.push(cur);
          k += 4;
        } else if (op === 4) {
          if (cur) cur.closed = true;
        } else break; // unknown op: stop decoding this path
      }
      addPathRules(polys, mul(vt, ctm), doStroke, doFill, rules);
    }
  }
  return rules;
}

/** Glyphs of a page in viewport space. */
function extractGlyphs(items: any[], vt: M): Glyph[] {
  const glyphs: Glyph[] = [];
  for (const it of items) {
    if (typeof it?.str !== 'string' || !it.str.trim()) continue;
    const t = it.transform as M;
    const m = mul(vt, t); // text space (1 unit = font size) → viewport
    // Font size in viewport units and the run direction.
    const size = Math.hypot(m[2], m[3]) || Math.hypot(m[0], m[1]) || 1;
    const dirLen = Math.hypot(t[0], t[1]) || 1;
    // it.width is in user space along the text direction.
    const [ox, oy] = apply(vt, t[4], t[5]);
    const ux = (vt[0] * t[0] + vt[2] * t[1]) / dirLen;
    const uy = (vt[1] * t[0] + vt[3] * t[1]) / dirLen;
    const width = Math.abs(it.width ?? 0);
    const str = fixRadicals(it.str);
    const height = Math.abs(it.height ?? 0);
    const chars = Array.from(str.replace(/\s+/g, ''));
    if (Math.abs(uy) < 0.2 * Math.abs(ux) && ux > 0 && chars.length > 1 && height > 1.5 * Math.max(width, size) && width <= 1.3 * size) {
      // A vertical-writing font (Identity-V): characters run down the page from the origin.
      const step = height / chars.length;
      chars.forEach((ch, i) => {
        const top = oy + i * step;
        glyphs.push({ ch, x0: ox, x1: ox + Math.max(width, size * 0.5), top, bottom: top + step * 0.95, base: top + step * 0.85, size, spaceBefore: i === 0 });
      });
    } else if (Math.abs(uy) < 0.2 * Math.abs(ux) && ux > 0) {
      // Horizontal, left to right: split into glyphs.
      const top = oy - 0.85 * size;
      const bottom = oy + 0.15 * size;
      glyphs.push(...splitItem(str, ox, width, top, bottom, oy, size, false));
    } else {
      // Rotated or vertical text: keep the run whole, placed by its box.
      const ex = ox + ux * width;
      const ey = oy + uy * width;
      const x0 = Math.min(ox, ex) - 0.5 * size * Math.abs(uy);
      const x1 = Math.max(ox, ex) + 0.5 * size * Math.abs(uy);
      const y0 = Math.min(oy, ey) - 0.85 * size * Math.abs(ux);
      const y1 = Math.max(oy, ey) + 0.15 * size * Math.abs(ux);
      glyphs.push({ ch: str.trim(), x0, x1, top: y0, bottom: Math.max(y1, y0 + 1), base: y1, size, spaceBefore: true });
    }
  }
  return glyphs;
}


export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
/** One page read, or why it could not be. */
export type PageResult = PageInput | { page: number; error: string };

/** Opens a PDF with the options every reader uses; pdfjs's own error is thrown as is. The caller destroys the document. */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const lib = await pdfjs();
  const dir = assets();
  const task = lib.getDocument({
    // pdfjs may transfer (detach) the buffer it is given: pass a copy.
    data: new Uint8Array(bytes),
    cMapUrl: dirUrl(join(dir, 'cmaps')),
    cMapPacked: true,
    standardFontDataUrl: dirUrl(join(dir, 'standard_fonts')),
    disableFontFace: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
    // Images carry no text and no ruling lines: leave them out of operator lists undecoded.
    maxImageSize: 0,
  });
  try {
    return await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw e;
  }
}

async function readPage(lib: PdfJs, pdf: PdfDocument, p: number): Promise<PageResult> {
  try {
    const page = await pdf.getPage(p);
    const vp = page.getViewport({ scale: 1 });
    const vt = vp.transform as M;
    const tc = await page.getTextContent();
    const glyphs = extractGlyphs(tc.items as any[], vt);
    let rules: Rule[] = [];
    if (glyphs.length) {
      const ol = await page.getOperatorList();
      rules = extractRules(lib.OPS, ol.fnArray, ol.argsArray, vt);
      // A page of tens of thousands of strokes is a drawing (or outlined text), not a table.
      if (rules.length > MAX_RULES) rules = [];
    }
    page.cleanup();
    return { page: p, width: vp.width, height: vp.height, glyphs, rules };
  } catch (e) {
    return { page: p, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Reads `pages` of an open document, results in the order asked. A few pages are in flight at
 * once, so that one page's wait (pdfjs reads CMaps and standard font data from files
 * asynchronously) is another page's work. Pages not started by `deadline`
 * (a Date.now() time) are left out: what was read is kept.
 */
export async function readPages(pdf: PdfDocument, pages: readonly number[], deadline: number): Promise<PageResult[]> {
  const lib = await pdfjs();
  const pending: Promise<PageResult>[] = [];
  for (let i = 0; i < pages.length; i++) {
    if (i >= PAGES_IN_FLIGHT) await pending[i - PAGES_IN_FLIGHT];
    if (Date.now() > deadline) break;
    pending.push(readPage(lib, pdf, pages[i]));
  }
  return Promise.all(pending);
}
