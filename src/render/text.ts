// Canonical report → plain text: title, date, headings and paragraphs one per line (a blank
// line between them); each table row on one line as its physical cells (cells covered by a
// merge are left out, as a copy of the page shows them) between " | " separators, framed by
// "|" so that an empty first or last cell keeps its place.
import type { Report } from '../model/report.js';
import { documentParts, type GridTable } from './layout.js';

export function tableText(t: GridTable): string[] {
  return t.rows.map((cells) => `| ${cells.map((c) => c.text.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '｜')).join(' | ')} |`);
}

export function renderText(r: Report): string {
  const out: string[] = [];
  for (const p of documentParts(r)) {
    if (p.kind === 'table') out.push(...tableText(p.table), '');
    else out.push(p.text, '');
  }
  return out.join('\n');
}
