// The format-free document every reader produces and the recogniser consumes (design.md).

/** Where a piece of text came from. Which fields are set depends on the format. */
export interface Place {
  /** 1-based line and column in a text source. */
  line?: number;
  column?: number;
  /** 1-based PDF page and the box [x, y, width, height] in PDF points, y from the top. */
  page?: number;
  box?: [number, number, number, number];
  /** HTML element path, e.g. "table[2]/tr[5]/td[3]". */
  path?: string;
  /** DOCX/XLSX table (or sheet), row and cell index, 1-based. */
  table?: number;
  sheet?: string;
  row?: number;
  cell?: number;
}

export interface Cell {
  text: string;
  place: Place;
  /**
   * The cell was cut by the page edge (a table wider than the page: its box reaches the edge, or
   * its text crosses it). `text` is only what stayed visible, perhaps nothing or the first digit
   * of a number, so an empty or numeric cut cell is unknown, never blank and never that number.
   */
  cut?: true;
}

export type Block =
  /**
   * A paragraph or a line of running text. `emptyCell`: the line held only no-break or
   * ideographic spaces (its text is ''), which is how LibreOffice's text export, one table cell
   * per line, writes an empty cell holding a no-break space; a line with nothing on it may be a
   * cell or only the space between paragraphs.
   */
  | { kind: 'para'; text: string; place: Place; emptyCell?: true }
  /**
   * A table row with its cells in order. Cells covered by a merge are left out (not empty).
   * `blanksReliable`: an empty cell here really is an empty cell of the table (HTML, DOCX,
   * `|` rows), not layout noise.
   */
  | { kind: 'row'; cells: Cell[]; place: Place; blanksReliable: boolean };

export type SourceFormat = 'text' | 'html' | 'docx' | 'doc' | 'pdf' | 'xlsx' | 'csv';

export interface Document {
  format: SourceFormat;
  blocks: Block[];
  /** Metadata the container states (PDF info, DOCX core properties, HTML <title>). */
  meta?: { title?: string; created?: string };
}

export function blockText(b: Block): string {
  return b.kind === 'para' ? b.text : b.cells.map((c) => c.text).join(' ');
}

export function formatPlace(p: Place): string {
  const parts: string[] = [];
  if (p.page !== undefined) parts.push(`p.${p.page}`);
  if (p.sheet !== undefined) parts.push(`sheet ${p.sheet}`);
  if (p.table !== undefined) parts.push(`table ${p.table}`);
  if (p.row !== undefined) parts.push(`row ${p.row}`);
  if (p.cell !== undefined) parts.push(`cell ${p.cell}`);
  if (p.line !== undefined) parts.push(`line ${p.line}${p.column !== undefined ? `:${p.column}` : ''}`);
  if (p.path !== undefined) parts.push(p.path);
  if (p.box) parts.push(`box ${p.box.map((n) => Math.round(n)).join(',')}`);
  return parts.join(' ');
}
