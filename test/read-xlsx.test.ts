// XLSX and CSV reading. The workbook is built at test time with exceljs from the corpus page's
// tables (rowspan/colspan → merged ranges), placed at shifted positions with text between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as cheerio from 'cheerio';
import { readZip } from '../src/read/zip.js';
import { readCsv } from '../src/read/csv.js';
import type { Block } from '../src/read/document.js';
import { parseBytes } from '../src/index.js';
import { CORPUS, truthMismatches } from './helpers.js';

const SH = join(CORPUS, 'real', 'sh-office-2019');
const show = (bs: Block[]) => bs.map((b) => (b.kind === 'para' ? `P:${b.text}` : `R:${b.cells.map((c) => c.text).join('|')}`));


async function toBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

test('merged ranges: the master cell is one cell, covered cells are left out; empty rows and columns before a row\'s first cell skipped', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('表');
  ws.getCell('B2').value = '标签';
  ws.mergeCells('B2:C3');
  ws.getCell('D2').value = 1;
  ws.getCell('E2').value = '';
  ws.getCell('E2').border = { top: { style: 'thin' } };
  ws.getCell('F2').value = 3;
  ws.getCell('D3').value = { formula: '1+1', result: 2 };
  ws.getCell('B5').value = '下一行';
  const { doc } = await readZip(await toBytes(wb), 'm.xlsx');
  assert.equal(doc.format, 'xlsx');
  assert.deepEqual(show(doc.blocks), ['R:标签|1||3', 'R:2', 'R:下一行']);
  const r = doc.blocks[0];
  if (r.kind === 'row') {
    assert.deepEqual(r.cells[1].place, { sheet: '表', row: 2, cell: 4 });
    assert.ok(r.blanksReliable);
  }
});

/** Writes the corpus page into a sheet: text in column A, tables from column C with merges. */
async function corpusWorkbook(): Promise<Uint8Array> {
  const $ = cheerio.load(readFileSync(join(SH, 'source.html'), 'utf8'));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('年度报告');
  let r = 3;
  const colOffset = 3;
  for (const el of $('body').children().toArray()) {
    if (el.type !== 'tag') continue;
    if (el.name !== 'table') {
      const t = $(el).text().trim();
      if (t) ws.getCell(r++, 1).value = t;
      continue;
    }
    r += 2; // a gap before each table
    const taken = new Set<string>();
    $(el).find('tr').each((ri, tr) => {
      let c = 0;
      $(tr).children('td,th').each((_, td) => {
        while (taken.has(`${ri},${c}`)) c++;
        const cs = Number($(td).attr('colspan') ?? 1);
        const rs = Number($(td).attr('rowspan') ?? 1);
        const text = $(td).text().replace(/\u00a0/g, ' ').trim();
        const cell = ws.getCell(r + ri, colOffset + c);
        cell.value = /^\d+$/.test(text) ? Number(text) : text || null;
        for (let y = 0; y < rs; y++) for (let x = 0; x < cs; x++) taken.add(`${ri + y},${c + x}`);
        if (cs > 1 || rs > 1) ws.mergeCells(r + ri, colOffset + c, r + ri + rs - 1, colOffset + c + cs - 1);
        else if (!text) cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' } }; // a drawn, empty cell
        c += cs;
      });
    });
    r += $(el).find('tr').length + 1;
  }
  return toBytes(wb);
}

test('an XLSX with the three tables at shifted positions and merged label cells parses to the truth', { skip: !existsSync(SH) }, async () => {
  const truth = JSON.parse(readFileSync(join(SH, 'truth.json'), 'utf8'));
  const bytes = await corpusWorkbook();
  const r = await parseBytes(bytes, 'report.xlsx');
  assert.equal(r.info.format, 'xlsx');
  assert.deepEqual(truthMismatches(r.report as any, truth), []);
  assert.equal(r.report.year, 2019);
  assert.equal(r.report.table3.newReceived.total, 859);
  assert.equal(r.report.table3.newReceived.research, null);
  assert.equal(r.report.table2.regulations.total, 524);
});

test('CSV: quoted fields with separators, doubled quotes and line breaks; blank fields stay blank', () => {
  const doc = readCsv('\ufeff项目,自然人,"法人,其他",总计\r\n"一、本年新收",3,,"4"\n"说""明""\n第二行",,,\n\n');
  assert.equal(doc.format, 'csv');
  assert.deepEqual(show(doc.blocks), ['R:项目|自然人|法人,其他|总计', 'R:一、本年新收|3||4', 'R:说"明"\n第二行|||']);
  assert.deepEqual(show(readCsv('a\tb\n1\t2').blocks), ['R:a|b', 'R:1|2']);
});
