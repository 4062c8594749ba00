// Writers from a canonical report to the official layout of its template.
export { renderHtml, escapeHtml, tableHtml, type HtmlOptions } from './html.js';
export { renderMarkdown, tableMarkdown } from './markdown.js';
export { renderText, tableText } from './text.js';
export { renderXlsx } from './xlsx.js';
export { renderDocx, DOCX_FONTS } from './docx.js';
export { renderPdf, convertWithSoffice, findSoffice, type PdfOptions } from './pdf.js';
export {
  documentParts,
  expand,
  formatValue,
  table2Grid,
  table3Grid,
  table4Grid,
  table3Labels,
  type DocPart,
  type GridCell,
  type GridTable,
} from './layout.js';

import type { Report } from '../model/report.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';
import { renderXlsx } from './xlsx.js';
import { renderDocx } from './docx.js';
import { renderPdf } from './pdf.js';

export const RENDER_FORMATS = ['html', 'md', 'txt', 'xlsx', 'docx', 'pdf'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** Renders a report in one of the formats: a string for the text formats, bytes for XLSX, DOCX and PDF. */
export async function render(r: Report, format: RenderFormat): Promise<string | Uint8Array> {
  switch (format) {
    case 'html':
      return renderHtml(r);
    case 'md':
      return renderMarkdown(r);
    case 'txt':
      return renderText(r);
    case 'xlsx':
      return renderXlsx(r);
    case 'docx':
      return new Uint8Array(await renderDocx(r));
    case 'pdf':
      return new Uint8Array(await renderPdf(r));
  }
}
export { reportFromCanonical, CanonicalJsonError } from './from-json.js';
