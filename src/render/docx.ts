// Canonical report → DOCX (the `docx` package): A4 portrait, the title centred in a
// 小标宋-style face, the statutory sections in order with their text and tables 2/3/4 in
// the official layout (layout.ts grids), merges written as real Word merges: a colspan is
// w:gridSpan (columnSpan), a rowspan a w:vMerge restart cell followed by one continuation
// cell in each row it covers. East-Asian fonts are named per run (eastAsia + ascii/hAnsi)
// so Word/WPS pick 仿宋_GB2312 / 黑体 / 方正小标宋简体 for Chinese and Times New Roman for
// digits. A null cell is an empty cell (no text at all); a 0 is "0".
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
  type IRunOptions,
} from 'docx';
import type { Report } from '../model/report.js';
import { documentParts, expand, type GridTable } from './layout.js';

/** Font sets (Word names the face per script). */
export const DOCX_FONTS = {
  title: { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' },
  heading: { eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' },
  body: { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' },
  table: { eastAsia: '宋体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' },
} as const;

// Sizes in half-points: 二号 22pt, 三号 16pt, 五号 10.5pt, 小五 9pt.
const SIZE = { title: 44, heading: 32, body: 32, table: 21, table4: 18 };

// A4 in twips (1/1440 in), margins as GB/T 9704: top 37mm, bottom 35mm, left 28mm, right 26mm.
const MM = 1440 / 25.4;
const PAGE = { width: Math.round(210 * MM), height: Math.round(297 * MM) };
const MARGIN = { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

const LINE = { line: 560, lineRule: 'exact' as const }; // 28pt fixed line spacing, the usual 公文 setting
/**
 * No automatic space between CJK and digits (w:autoSpaceDN off) and no punctuation hanging
 * past the right margin (w:overflowPunct off): what is printed is exactly the text, so a
 * reader of the printed page (PDF) gets the same characters back.
 */
const EXACT = { autoSpaceEastAsianText: false, overflowPunctuation: false } as const;

function run(text: string, font: IRunOptions['font'], size: number, bold = false): TextRun {
  return new TextRun({ text, font, size, bold });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER };

/** Relative column widths of each table (label columns wider than value columns). */
function columnWidths(t: GridTable): number[] {
  let rel: number[];
  if (t.name === 'table2') rel = [3, 2, 2, 2];
  else if (t.name === 'table3') rel = [1.1, 1.3, 3.2, 1, 1, 1, 1, 1, 1, 1];
  else rel = Array(t.width).fill(1);
  const sum = rel.reduce((a, b) => a + b, 0);
  const w = rel.map((r) => Math.floor((r / sum) * TEXT_WIDTH));
  w[w.length - 1] += TEXT_WIDTH - w.reduce((a, b) => a + b, 0);
  return w;
}

function tableDocx(t: GridTable): Table {
  const grid = expand(t);
  const widths = columnWidths(t);
  const size = t.name === 'table4' ? SIZE.table4 : SIZE.table;
  const rows = grid.map((row, ri) => {
    const cells: TableCell[] = [];
    for (let ci = 0; ci < row.length; ) {
      const p = row[ci];
      const c = p.cell;
      const width = widths.slice(ci, ci + c.colspan).reduce((a, b) => a + b, 0);
      const common = {
        columnSpan: c.colspan > 1 ? c.colspan : undefined,
        width: { size: width, type: WidthType.DXA },
        verticalAlign: VerticalAlignTable.CENTER,
        margins: { left: 40, right: 40, top: 20, bottom: 20 },
      };
      if (p.row !== ri) {
        // Covered by a cell opened in an earlier row: a vMerge continuation cell.
        cells.push(new TableCell({ ...common, verticalMerge: VerticalMergeType.CONTINUE, children: [new Paragraph({})] }));
      } else {
        const align = c.kind === 'label' ? AlignmentType.LEFT : AlignmentType.CENTER;
        const children = [new Paragraph({ ...EXACT, alignment: align, children: c.text === '' ? [] : [run(c.text, DOCX_FONTS.table, size)] })];
        cells.push(new TableCell({ ...common, verticalMerge: c.rowspan > 1 ? VerticalMergeType.RESTART : undefined, children }));
      }
      ci += c.colspan;
    }
    return new TableRow({ children: cells, cantSplit: true, tableHeader: false });
  });
  return new Table({
    rows,
    columnWidths: widths,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    borders: BORDERS,
    alignment: AlignmentType.CENTER,
  });
}

/** The report as DOCX bytes. */
export async function renderDocx(r: Report): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  for (const p of documentParts(r)) {
    switch (p.kind) {
      case 'title':
        children.push(new Paragraph({ ...EXACT, heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, spacing: { after: 240, line: 640, lineRule: 'exact' }, children: [run(p.text, DOCX_FONTS.title, SIZE.title)] }));
        break;
      case 'date':
        children.push(new Paragraph({ ...EXACT, alignment: AlignmentType.CENTER, spacing: LINE, children: [run(p.text, DOCX_FONTS.body, SIZE.body)] }));
        break;
      case 'heading':
        children.push(new Paragraph({ ...EXACT, heading: HeadingLevel.HEADING_1, spacing: LINE, indent: { firstLine: 640 }, children: [run(p.text, DOCX_FONTS.heading, SIZE.heading)] }));
        break;
      case 'text':
        children.push(new Paragraph({ ...EXACT, spacing: LINE, indent: { firstLine: 640 }, alignment: AlignmentType.LEFT, children: [run(p.text, DOCX_FONTS.body, SIZE.body)] }));
        break;
      case 'table':
        children.push(tableDocx(p.table));
        // Word needs a paragraph between two tables and after the last one.
        children.push(new Paragraph({}));
        break;
    }
  }
  const doc = new Document({
    creator: 'gongkai',
    title: r.title ?? '',
    description: '政府信息公开工作年度报告',
    styles: {
      default: {
        document: { run: { font: DOCX_FONTS.body, size: SIZE.body }, paragraph: { spacing: LINE } },
        title: { run: { font: DOCX_FONTS.title, size: SIZE.title, color: '000000' } },
        heading1: { run: { font: DOCX_FONTS.heading, size: SIZE.heading, bold: false, color: '000000' } },
      },
    },
    sections: [
      {
        properties: { page: { size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT }, margin: MARGIN } },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
