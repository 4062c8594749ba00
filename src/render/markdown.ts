// Canonical report → Markdown: headings and paragraphs, each table a GFM pipe table with one
// Markdown row per table row: the row's label first (the label cells the row itself holds,
// joined by a space: "（三）不予公开 1.属于国家秘密"), then the value columns of the full grid
// (a merged header's text in its first column, the columns and rows it covers left empty).
// Label columns are joined into one because an empty cell left by a merged label would read
// as an empty value cell.
import type { Report } from '../model/report.js';
import { documentParts, expand, type GridTable } from './layout.js';

/** A cell's text inside a pipe table: pipes escaped, line breaks as spaces. */
function mdCell(s: string): string {
  return s.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|');
}

/** Number of leading grid columns that hold row labels (0 when the values start the row). */
function labelWidth(t: GridTable, grid = expand(t)): number {
  let w = t.width;
  grid.forEach((row) => row.forEach((p, c) => p.origin && p.cell.kind === 'value' && (w = Math.min(w, c))));
  return w;
}

export function tableMarkdown(t: GridTable): string[] {
  const grid = expand(t);
  const lw = labelWidth(t, grid);
  const lines = grid.map((row) => {
    const cells: string[] = [];
    if (lw > 0) cells.push(row.slice(0, lw).filter((p) => p.origin).map((p) => mdCell(p.cell.text)).join(' '));
    for (const p of row.slice(lw)) cells.push(p.origin ? mdCell(p.cell.text) : '');
    return `| ${cells.join(' | ')} |`;
  });
  const width = t.width - lw + (lw > 0 ? 1 : 0);
  lines.splice(1, 0, `|${Array(width).fill(' --- ').join('|')}|`);
  return lines;
}

export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  for (const p of documentParts(r)) {
    if (p.kind === 'title') out.push(`# ${p.text}`, '');
    else if (p.kind === 'date') out.push(p.text, '');
    else if (p.kind === 'heading') out.push(`## ${p.text}`, '');
    else if (p.kind === 'text') out.push(p.text, '');
    else out.push(...tableMarkdown(p.table), '');
  }
  return out.join('\n');
}
