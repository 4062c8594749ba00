// The rows of a small table a user keeps in a spreadsheet or CSV (regions, agency aliases):
// XLSX (first sheet), CSV, or gzipped CSV, as trimmed-nothing strings. Read errors become a
// GongkaiError naming the file; what the columns mean is the caller's business.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseCsv } from '../analyze/aggregate.js';
import { toGongkaiError } from '../errors.js';

/** Cell text as a user sees it: rich text joined, formulas by their result. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v) return (v as { richText: { text: string }[] }).richText.map((x) => x.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('result' in v) return String((v as { result: unknown }).result);
  }
  return String(v);
}

/** Rows of `file` with at least `minColumns` cells each (missing cells are ''). */
export async function readTableFile(file: string, minColumns = 1): Promise<string[][]> {
  try {
    if (/\.xlsx$/i.test(file)) {
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const rows: string[][] = [];
      wb.worksheets[0]?.eachRow({ includeEmpty: false }, (row) => {
        const cells: string[] = [];
        for (let c = 1; c <= Math.max(minColumns, row.cellCount); c++) cells.push(cellText(row.getCell(c).value));
        rows.push(cells);
      });
      return rows;
    }
    const bytes = readFileSync(file);
    const text = (/\.gz$/i.test(file) ? gunzipSync(bytes) : bytes).toString('utf8');
    return parseCsv(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw toGongkaiError(e, file);
  }
}
