// Canonical report → a complete HTML document in the official layout of its template
// (tables with the statutory header nesting and merged cells, see layout.ts). All text is
// escaped: nothing a report holds can become markup.
import type { Report } from '../model/report.js';
import { documentParts, type GridCell, type GridTable } from './layout.js';

export interface HtmlOptions {
  /**
   * Wrap every cell's text in nested <p><span><span> runs, split into several runs, the way
   * Word's "save as web page" writes table cells (exercises readers on real-world markup).
   */
  spans?: boolean;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

/** Word-like runs: the text cut into up to three runs, each in its own span. */
function wordRuns(text: string): string {
  const chars = [...text];
  const cuts = chars.length >= 6 ? [Math.floor(chars.length / 3), Math.floor((2 * chars.length) / 3)] : chars.length >= 2 ? [Math.floor(chars.length / 2)] : [];
  const runs: string[] = [];
  let from = 0;
  for (const c of [...cuts, chars.length]) {
    runs.push(chars.slice(from, c).join(''));
    from = c;
  }
  const lang = /^[\d.+-]+$/.test(text) ? ' lang="EN-US"' : '';
  return runs
    .filter((r) => r !== '')
    .map((r) => `<span style="font-size:10.5pt;font-family:宋体"><span${lang}>${escapeHtml(r)}</span></span>`)
    .join('');
}

function cellHtml(c: GridCell, spans: boolean): string {
  const tag = c.kind === 'head' ? 'th' : 'td';
  const attrs = (c.colspan > 1 ? ` colspan="${c.colspan}"` : '') + (c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : '');
  const align = c.kind === 'label' ? '' : ' style="text-align:center"';
  let inner: string;
  if (c.text === '') inner = spans ? '<p class="MsoNormal"><span lang="EN-US">&nbsp;</span></p>' : '&nbsp;';
  else if (spans) inner = `<p class="MsoNormal">${wordRuns(c.text)}</p>`;
  else inner = escapeHtml(c.text);
  return `<${tag}${attrs}${align}>${inner}</${tag}>`;
}

export function tableHtml(t: GridTable, opts: HtmlOptions = {}): string {
  const rows = t.rows.map((cells) => `<tr>${cells.map((c) => cellHtml(c, !!opts.spans)).join('')}</tr>`);
  return `<table class="gk-${t.name}" border="1" cellspacing="0" cellpadding="4">\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

const STYLE = [
  'body{font-family:"Noto Serif CJK SC","SimSun","宋体",serif;max-width:60em;margin:2em auto;line-height:1.6}',
  'h1{text-align:center;font-size:1.5em}',
  'h2{font-size:1.15em}',
  'table{border-collapse:collapse;margin:1em 0;font-size:0.9em}',
  'th,td{border:1px solid #000;padding:2px 4px}',
  'th{font-weight:normal}',
].join('\n');

export function renderHtml(r: Report, opts: HtmlOptions = {}): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="zh-CN">', '<head>', '<meta charset="utf-8">');
  out.push(`<title>${escapeHtml(r.title ?? '')}</title>`, `<style>\n${STYLE}\n</style>`, '</head>', '<body>');
  for (const p of documentParts(r)) {
    if (p.kind === 'title') out.push(`<h1>${escapeHtml(p.text)}</h1>`);
    else if (p.kind === 'date') out.push(`<p class="gk-date">${escapeHtml(p.text)}</p>`);
    else if (p.kind === 'heading') out.push(`<h2>${escapeHtml(p.text)}</h2>`);
    else if (p.kind === 'text') out.push(`<p>${escapeHtml(p.text)}</p>`);
    else out.push(tableHtml(p.table, opts));
  }
  out.push('</body>', '</html>', '');
  return out.join('\n');
}
