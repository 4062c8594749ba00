// CSV (RFC 4180) → Document: each record a row block, one cell per field. Quoted fields may
// hold separators, doubled quotes and line breaks. The separator is a comma unless the first
// record has more tabs or semicolons than commas.
import type { Block, Cell, Document } from './document.js';

export function readCsv(text: string, separator?: string): Document {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sep = separator ?? guessSeparator(text);
  const blocks: Block[] = [];
  let row: Cell[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let fieldCol = 1;
  let col = 1;
  const endField = () => {
    row.push({ text: field.trim(), place: { line: rowLine, row: blocks.length + 1, cell: row.length + 1, column: fieldCol } });
    field = '';
  };
  const endRow = () => {
    endField();
    if (row.some((c) => c.text !== '')) blocks.push({ kind: 'row', cells: row, place: { line: rowLine, row: blocks.length + 1 }, blanksReliable: true });
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
          col++;
        } else quoted = false;
      } else {
        field += ch;
        if (ch === '\n') line++;
      }
      col++;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (ch === sep) {
      endField();
      fieldCol = col + 1;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
      col = 0;
      fieldCol = 1;
    } else field += ch;
    col++;
  }
  if (field !== '' || row.length) endRow();
  return { format: 'csv', blocks };
}

function guessSeparator(text: string): string {
  const first = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const count = (c: string) => first.split(c).length - 1;
  const best = [',', '\t', ';'].map((c) => [c, count(c)] as const).sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : ',';
}
