// Canonical report → XLSX (exceljs): one sheet holding the title, the sections and the three
// tables in the official layout, merged cells as in the statutory template. Values are stored
// as numbers; a null value is an empty cell with a border.
import ExcelJS from 'exceljs';
import type { Report } from '../model/report.js';
import { documentParts, expand, type GridTable } from './layout.js';

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

function writeTable(ws: ExcelJS.Worksheet, t: GridTable, top: number): number {
  const grid = expand(t);
  grid.forEach((row, ri) => {
    row.forEach((p, ci) => {
      const cell = ws.getCell(top + ri, ci + 1);
      cell.border = THIN;
      cell.alignment = { vertical: 'middle', horizontal: p.cell.kind === 'label' ? 'left' : 'center', wrapText: true };
      if (!p.origin) return;
      const c = p.cell;
      if (c.kind === 'value') cell.value = c.value ?? null;
      else cell.value = c.text;
      if (c.rowspan > 1 || c.colspan > 1) ws.mergeCells(top + ri, ci + 1, top + ri + c.rowspan - 1, ci + c.colspan);
    });
  });
  return top + grid.length;
}

export interface XlsxOptions {
  /**
   * A second sheet of instructions (e.g. for a fill-in workbook): one line per row in
   * column A. Readers of the workbook that want the report only should drop this sheet.
   */
  instructions?: { sheet: string; title: string; lines: string[] };
}

export async function renderXlsx(r: Report, opts: XlsxOptions = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  if (r.title) wb.title = r.title;
  wb.creator = 'gongkai';
  // A fixed date keeps the output byte-stable for the same report.
  wb.created = wb.modified = new Date(Date.UTC(2000, 0, 1));
  const ws = wb.addWorksheet('年度报告');
  ws.getColumn(1).width = 24;
  for (let c = 2; c <= 15; c++) ws.getColumn(c).width = 10;
  let row = 1;
  for (const p of documentParts(r)) {
    if (p.kind === 'table') {
      row = writeTable(ws, p.table, row) + 1;
      continue;
    }
    const cell = ws.getCell(row, 1);
    cell.value = p.text;
    if (p.kind === 'title') cell.font = { bold: true, size: 14 };
    else if (p.kind === 'heading') cell.font = { bold: true };
    row++;
  }
  if (opts.instructions) {
    const ins = wb.addWorksheet(opts.instructions.sheet);
    ins.getColumn(1).width = 120;
    const t = ins.getCell(1, 1);
    t.value = opts.instructions.title;
    t.font = { bold: true, size: 14 };
    opts.instructions.lines.forEach((line, i) => {
      const c = ins.getCell(i + 3, 1);
      c.value = line;
      c.alignment = { wrapText: true, vertical: 'top' };
    });
  }
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
