// Glyphs as the layout gets them from the pdfjs path (pdf-pages.ts: extractGlyphs over pdfjs's
// text items), built from exactly placed glyphs. pdfjs gathers glyphs into text items; where the
// pdfjs path's result depends on those items, the same gathering is done here:
// - horizontal text: each glyph keeps its exact box; an item boundary decides `spaceBefore`;
// - rotated text: an item is kept whole, one "glyph" boxed around the run;
// - vertical-font text: an item of several characters is boxed one per character down the page,
//   a one-character item like horizontal text.
// `font` is any value that is the same for glyphs of one font (pdfjs ends an item at a change).
import { splitItem, type Glyph } from '../pdf-layout.js';

interface RunKey {
  font: unknown;
  fontSize: number;
}

export class GlyphRuns {
  readonly glyphs: Glyph[] = [];
  private pendingSpace = false;
  /** End of the last horizontal glyph (viewport) and its item's font, for gap-based spaces. */
  private last: (RunKey & { x: number; y: number }) | undefined;
  private rotRun: (RunKey & { lin: number[]; ox: number; oy: number; ex: number; ey: number; ux: number; uy: number; size: number; str: string }) | undefined;
  private vertRun: (RunKey & { ox: number; oy: number; ey: number; width: number; size: number; str: string }) | undefined;

  /** A white-space glyph: the next glyph has a space before it (pdfjs puts one in the item). */
  space(): void {
    this.pendingSpace = true;
  }

  /** Where pdfjs ends its text item (XObjects, marked content, end of page). */
  breakItem(): void {
    this.flushRotated();
    this.flushVertical();
    this.last = undefined;
  }

  /**
   * One horizontal glyph at pen position (ox, oy) in viewport space, `dx` its advance there.
   * pdfjs keeps glyphs of one font and size on one baseline in one text item, and puts a space in
   * it where the pen jumps forward by more than its tracking allowance (0.102 em) and at most
   * 0.6 em. A wider jump, or a change of font, starts a new item, whose first glyph has no space
   * before it (the layout's own gap rule then decides). The same here, so that both engines give
   * the layout the same spaces.
   */
  horizontal(key: RunKey, chars: string[], ox: number, oy: number, dx: number, size: number): void {
    this.flushRotated();
    this.flushVertical();
    const l = this.last;
    const same = l !== undefined && l.font === key.font && l.fontSize === key.fontSize;
    const gap = same && Math.abs(l.y - oy) < 0.25 * size ? ox - l.x : undefined;
    let spaceBefore = this.pendingSpace || (gap !== undefined && gap > 0.102 * size && gap <= 0.6 * size);
    const step = dx / chars.length;
    const top = oy - 0.85 * size;
    const bottom = oy + 0.15 * size;
    for (let i = 0; i < chars.length; i++) {
      const x0 = ox + i * step;
      this.glyphs.push({ ch: chars[i], x0, x1: x0 + step, top, bottom, base: oy, size, spaceBefore });
      spaceBefore = false;
    }
    this.pendingSpace = false;
    if (same) {
      l.x = ox + dx;
      l.y = oy;
    } else this.last = { font: key.font, fontSize: key.fontSize, x: ox + dx, y: oy };
  }

  /**
   * A glyph of rotated or mirrored text at (ox, oy) advancing by (dx, dy), all in viewport space;
   * (ux, uy) is the text direction there and `lin` the linear part of its transform. Runs follow
   * pdfjs's item rules: same font, size and direction; the pen at most 0.2 em back or 0.6 em
   * forward along the line and at most 0.25 em across it; a space where it jumped forward more
   * than 0.102 em.
   */
  rotated(key: RunKey, chars: string[], ox: number, oy: number, dx: number, dy: number, size: number, ux: number, uy: number, lin: number[]): void {
    this.flushVertical();
    const r = this.rotRun;
    if (r && r.font === key.font && r.fontSize === key.fontSize && r.lin.every((v, i) => v === lin[i])) {
      const ddx = ox - r.ex;
      const ddy = oy - r.ey;
      const along = ddx * ux + ddy * uy;
      const across = -ddx * uy + ddy * ux;
      if (along >= -0.2 * size && along <= 0.6 * size && Math.abs(across) <= 0.25 * size) {
        if (this.pendingSpace || along > 0.102 * size) r.str += ' ';
        r.str += chars.join('');
        r.ex = ox + dx;
        r.ey = oy + dy;
        this.pendingSpace = false;
        return;
      }
    }
    this.flushRotated();
    this.rotRun = { font: key.font, fontSize: key.fontSize, lin, ox, oy, ex: ox + dx, ey: oy + dy, ux, uy, size, str: chars.join('') };
    this.pendingSpace = false;
    this.last = undefined;
  }

  /**
   * A glyph of a vertical (Identity-V) font with its pen at (ox, oy), advancing `step` down the
   * page; `width` is the item width pdfjs gives (the font size along x). Runs follow pdfjs's
   * rules for vertical items: same font and size; the pen at most 0.2 em up or 0.6 em down from
   * the last glyph's end and at most a quarter of the width sideways.
   */
  vertical(key: RunKey, chars: string[], ox: number, oy: number, step: number, width: number, size: number): void {
    this.flushRotated();
    const r = this.vertRun;
    if (r && r.font === key.font && r.fontSize === key.fontSize) {
      const down = oy - r.ey;
      if (down >= -0.2 * size && down <= 0.6 * size && Math.abs(ox - r.ox) <= 0.25 * r.width) {
        if (this.pendingSpace || down > 0.102 * size) r.str += ' ';
        r.str += chars.join('');
        r.ey = oy + step;
        this.pendingSpace = false;
        return;
      }
    }
    this.flushVertical();
    this.vertRun = { font: key.font, fontSize: key.fontSize, ox, oy, ey: oy + step, width, size, str: chars.join('') };
    this.pendingSpace = false;
    this.last = undefined;
  }

  /** The gathered rotated run as one glyph, boxed as extractGlyphs boxes rotated items. */
  private flushRotated(): void {
    const r = this.rotRun;
    if (!r) return;
    this.rotRun = undefined;
    const ch = r.str.trim();
    if (!ch) return;
    const { ox, oy, ex, ey, ux, uy, size } = r;
    const x0 = Math.min(ox, ex) - 0.5 * size * Math.abs(uy);
    const x1 = Math.max(ox, ex) + 0.5 * size * Math.abs(uy);
    const y0 = Math.min(oy, ey) - 0.85 * size * Math.abs(ux);
    const y1 = Math.max(oy, ey) + 0.15 * size * Math.abs(ux);
    this.glyphs.push({ ch, x0, x1, top: y0, bottom: Math.max(y1, y0 + 1), base: y1, size, spaceBefore: true });
  }

  /** The gathered vertical run, boxed as extractGlyphs boxes a vertical item. */
  private flushVertical(): void {
    const r = this.vertRun;
    if (!r) return;
    this.vertRun = undefined;
    const { ox, oy, width, size } = r;
    const height = r.ey - oy;
    const chars = Array.from(r.str.replace(/\s+/g, ''));
    if (!chars.length) return;
    if (chars.length > 1 && height > 1.5 * Math.max(width, size) && width <= 1.3 * size) {
      const step = height / chars.length;
      chars.forEach((ch, i) => {
        const top = oy + i * step;
        this.glyphs.push({ ch, x0: ox, x1: ox + Math.max(width, size * 0.5), top, bottom: top + step * 0.95, base: top + step * 0.85, size, spaceBefore: i === 0 });
      });
    } else this.glyphs.push(...splitItem(r.str, ox, width, oy - 0.85 * size, oy + 0.15 * size, oy, size, false));
  }
}
