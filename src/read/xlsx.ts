// XLSX → Document with exceljs: every sheet's non-empty rows become row blocks, cells left to
// right; a merged range is one cell (its master), the cells it covers are left out. Cells the
// file does not contain left of a row's first cell are not emitted (tables need not start in A).
// exceljs re-inflates the package with its own unzipper, so it is handed a package rebuilt
// from entries our size-checked reader already inflated (a lying entry cannot bomb it).
// exceljs is loaded on the first spreadsheet: it is the heaviest module of the readers (about half
// a second to load), and most batches hold no spreadsheet.
import type ExcelJS from 'exceljs';
import { zipSync, type Zippable } from 'fflate';
import { GongkaiError } from '../errors.js';
import type { Block, Cell, Document } from './document.js';
import type { ReadResult } from './index.js';
import { MAX_BLOCKS } from './limits.js';
import type { ZipArchive } from './zip.js';

/** Read XLSX bytes directly. */
export async function readXlsx(bytes: Uint8Array, source: string): Promise<ReadResult> {
  const { readZip } = await import('./zip.js');
  return readZip(bytes, source);
}

export async function xlsxFromZip(zip: ZipArchive): Promise<Document> {
  const parts: Zippable = {};
  for (const e of zip.entries) {
    if (e.name.endsWith('/')) continue;
    // Pictures, embedded objects and printer settings are not needed to read cell text.
    if (/^xl\/(?:media|embeddings|printerSettings)\//i.test(e.name)) continue;
    const b = zip.read(e.name);
    if (b) parts[e.name] = [b, { level: 0 }];
  }
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(zipSync(parts)) as unknown as ExcelJS.Buffer);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new GongkaiError('corrupt-file', zip.source, {
      zh: `XLSX 文件无法解析：${msg}。请用 Excel/WPS 打开后另存一份再试。`,
      en: `The XLSX file cannot be parsed: ${msg}. Open it in Excel/WPS, save a new copy and retry.`,
    });
  }
  return workbookToDocument(wb);
}

export function workbookToDocument(wb: ExcelJS.Workbook): Document {
  const blocks: Block[] = [];
  wb.eachSheet((ws) => {
    ws.eachRow({ includeEmpty: false }, (row, rn) => {
      if (blocks.length > MAX_BLOCKS) return;
      const cells: Cell[] = [];
      let any = false;
      const n = row.cellCount;
      // Columns left of the first cell the file contains lie outside any table (a table placed
      // from column C); gaps between contained cells are blank cells of the table.
      let first = 1;
      while (first <= n && !row.findCell(first)) first++;
      for (let c = first; c <= n; c++) {
        const cell = row.findCell(c) ?? row.getCell(c);
        if (cell.isMerged && cell.master && cell.master.address !== cell.address) continue;
        const text = cellText(cell);
        if (text) any = true;
        cells.push({ text, place: { sheet: ws.name, row: rn, cell: c } });
      }
      if (!any) return;
      blocks.push({ kind: 'row', cells, place: { sheet: ws.name, row: rn }, blanksReliable: true });
    });
  });
  const doc: Document = { format: 'xlsx', blocks };
  const title = wb.title?.trim();
  const created = wb.created instanceof Date && !Number.isNaN(wb.created.getTime()) ? wb.created.toISOString() : undefined;
  if (title || created) doc.meta = { ...(title ? { title } : {}), ...(created ? { created } : {}) };
  return doc;
}

function cellText(cell: ExcelJS.Cell): string {
  let t: string;
  try {
    t = cell.text ?? '';
  } catch {
    t = cell.value === null || cell.value === undefined ? '' : String(cell.value);
  }
  return t.replace(/\r\n?/g, '\n').trim();
}
