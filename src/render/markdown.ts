// Canonical report → Markdown: headings and paragraphs, each table a GFM pipe table on its full
// grid (one Markdown row per table row; a merged cell's text in its first column, the columns
// and rows it covers left empty), labels first, then the values.
import type { Report } from '../model/report.js';
import { documentParts, expand, type GridTable } from './layout.js';

/** A cell's text inside a pipe table: pipes escaped, line breaks as spaces. */
function mdCell(s: string): string {
  return s.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|');
}

export function tableMarkdown(t: GridTable): string[] {
  const grid = expand(t);
  const lines = grid.map((row) => `| ${row.map((p) => (p.origin ? mdCell(p.cell.text) : '')).join(' | ')} |`);
  lines.splice(1, 0, `|${Array(t.width).fill(' --- ').join('|')}|`);
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
