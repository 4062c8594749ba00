// What the API sends about a report, shared by the report pages (app.ts) and the authoring form
// (author.ts): its tables as grids in the official layout, bilingual cell names, findings with
// the names of their cells, and downloads.
import type { Finding } from '../check/index.js';
import { pathLabel } from '../model/labels.js';
import type { Report } from '../model/report.js';
import { TABLE_TITLES, type TemplateId } from '../model/template.js';
import { RENDER_FORMATS, table2Grid, table3Grid, table4Grid, type GridTable } from '../render/index.js';

type Bi = { zh: string; en: string };

/** The bilingual name of one cell path. */
export const cellLabel = (path: string, t: TemplateId): Bi => ({ zh: pathLabel(path, 'zh', t), en: pathLabel(path, 'en', t) });

/** Tables 2, 3 and 4 as grids, each with its title and the section it belongs to. */
export function grids(r: Report): (GridTable & { title: Bi; section: 'proactive' | 'requests' | 'reviewLitigation' })[] {
  return [
    { ...table2Grid(r), title: TABLE_TITLES.table2, section: 'proactive' },
    { ...table3Grid(r), title: TABLE_TITLES.table3, section: 'requests' },
    { ...table4Grid(r), title: TABLE_TITLES.table4, section: 'reviewLitigation' },
  ];
}

/** Bilingual names of every value cell of the report's tables. */
export function cellLabels(r: Report, gs: GridTable[] = grids(r)): Record<string, Bi> {
  const out: Record<string, Bi> = {};
  for (const g of gs) for (const row of g.rows) for (const c of row) if (c.path) out[c.path] = cellLabel(c.path, r.template);
  return out;
}

/** Findings with the names of the cells they point at. */
export function withLabels<F extends Finding>(fs: F[], template: TemplateId): (F & { pathLabels: Bi[] })[] {
  return fs.map((f) => ({ ...f, pathLabels: f.paths.map((p) => cellLabel(p, template)) }));
}

/** The downloads offered: the renderer's formats plus the canonical JSON. */
export const DOWNLOAD_FORMATS = [...RENDER_FORMATS, 'json'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export const CONTENT_TYPES: Record<DownloadFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  json: 'application/json; charset=utf-8',
};

/** A Content-Disposition for a download, with an ASCII fallback and the UTF-8 name. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
