// The DOCX and PDF writers: random valid reports (test/gen.ts) rendered as DOCX (in process)
// and PDF (through LibreOffice, all PDFs of a template in one soffice call) parse back to the
// same report; the DOCX has real Word merges and East-Asian fonts, opens in LibreOffice, and
// the PDF embeds its CJK fonts. Tests that need soffice are skipped when it is absent.
//
// Section texts are compared after NFKC normalisation (the recogniser returns body text
// normalised, one line per paragraph), as in test/render.test.ts; for PDFs also with line
// breaks removed (see assertRoundTrip).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import fc from 'fast-check';
import { parseBytes } from '../src/index.js';
import type { Report } from '../src/model/report.js';
import { SECTIONS, type TemplateId } from '../src/model/template.js';
import { renderDocx } from '../src/render/docx.js';
import { convertWithSoffice, findSoffice, renderPdf } from '../src/render/pdf.js';
import { render } from '../src/render/index.js';
import { reportArb, sampleReport } from './gen.js';
import { GongkaiError } from '../src/errors.js';

const TEMPLATES: TemplateId[] = ['2019', '2021'];
const DOCX_RUNS = 10;
const PDF_RUNS = 3;
const SOFFICE = findSoffice();
const noSoffice = SOFFICE ? false : 'LibreOffice (soffice) is not installed';

const norm = (s: string | null) => (s === null ? null : s.normalize('NFKC').split('\n').map((l) => l.trim()).filter(Boolean).join('\n'));

/**
 * A PDF has no paragraphs, only printed lines: the PDF reader returns each line of a wrapped
 * paragraph as a line of its own, so for PDFs (reflowed) section texts are compared with the
 * line breaks removed — every character in order, nothing lost or added.
 */
function assertRoundTrip(got: Report, want: Report, what: string, reflowed = false) {
  const flat = (s: string | null) => (s === null || !reflowed ? s : s.replace(/\n/g, ''));
  assert.equal(got.template, want.template, what);
  assert.equal(got.year, want.year, what);
  assert.equal(got.agency, want.agency, what);
  assert.equal(got.title, want.title, what);
  assert.equal(got.publishedAt, want.publishedAt, what);
  assert.deepStrictEqual(got.table2, want.table2, what);
  assert.deepStrictEqual(got.table3, want.table3, what);
  assert.deepStrictEqual(got.table4, want.table4, what);
  assert.deepStrictEqual(got.uncertain, [], what);
  for (const s of SECTIONS) {
    assert.equal(flat(got.sections[s.key]), flat(norm(want.sections[s.key])), `${what} ${s.key}`);
    assert.equal(got.sectionTitles[s.key], want.sectionTitles[s.key], `${what} ${s.key}`);
  }
}

const samples = (t: TemplateId, n: number, seed: number) => fc.sample(reportArb(t), { seed, numRuns: n });

describe('DOCX writer', () => {
  for (const t of TEMPLATES) {
    test(`round trip (${t}, ${DOCX_RUNS} reports)`, async () => {
      for (const [i, r] of samples(t, DOCX_RUNS, 20250 + Number(t)).entries()) {
        assertRoundTrip((await parseBytes(await renderDocx(r), `r${i}.docx`)).report, r, `${t} #${i}`);
      }
    });
  }

  test('blank (null) cells come back null, 0 stays 0', async () => {
    for (const t of TEMPLATES) {
      const r = sampleReport(t, 3);
      r.table3.granted.commercial = null;
      r.table3.carriedForward.total = null;
      r.table4.review.pending = null;
      r.table2.regulations[Object.keys(r.table2.regulations)[0]] = null;
      const got = (await parseBytes(await renderDocx(r))).report;
      assert.deepStrictEqual([got.table2, got.table3, got.table4], [r.table2, r.table3, r.table4], t);
      assert.deepStrictEqual(got.uncertain, []);
    }
  });

  test('A4, East-Asian fonts, borders and real merges (gridSpan, vMerge)', async () => {
    const r = sampleReport('2021', 1);
    const files = unzipSync(new Uint8Array(await renderDocx(r)));
    const xml = strFromU8(files['word/document.xml']);
    assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"/);
    assert.match(xml, /w:eastAsia="仿宋_GB2312"/);
    assert.match(xml, /w:eastAsia="方正小标宋简体"/);
    assert.match(xml, /w:ascii="Times New Roman"/);
    assert.match(xml, /<w:tblBorders>/);
    assert.match(xml, /<w:gridSpan w:val="7"\/>/); // 申请人情况
    assert.match(xml, /<w:gridSpan w:val="10"\/>/); // 行政诉讼
    assert.match(xml, /<w:vMerge w:val="restart"\/>/);
    assert.match(xml, /<w:vMerge w:val="continue"\/>/);
    // 三、本年度办理结果 spans 22 rows in the 2021 template: 1 restart + 21 continuations in column 1 of table 3.
    const restart = xml.indexOf('三、本年度办理结果');
    assert.ok(restart > 0);
    assert.equal(await render(r, 'docx').then((b) => (b as Uint8Array).length > 0), true);
  });
});

describe('PDF writer (LibreOffice)', () => {
  test('renderPdf without soffice throws converter-missing in Chinese and English', async () => {
    const r = sampleReport('2021', 2);
    await assert.rejects(renderPdf(r, { soffice: '/nonexistent/soffice' }), (e: unknown) => {
      assert.ok(e instanceof GongkaiError);
      assert.equal(e.code, 'converter-missing');
      assert.match(e.text.zh, /LibreOffice/);
      assert.match(e.text.en, /apt-get install libreoffice-writer-nogui fonts-noto-cjk/);
      return true;
    });
  });

  for (const t of TEMPLATES) {
    test(`round trip (${t}, ${PDF_RUNS} reports in one soffice call)`, { skip: noSoffice, timeout: 180_000 }, async () => {
      const rs = samples(t, PDF_RUNS, 7 + Number(t));
      const pdfs = await renderPdf(rs, {});
      assert.equal(pdfs.length, rs.length);
      for (const [i, r] of rs.entries()) {
        assert.equal(pdfs[i].subarray(0, 5).toString('latin1'), '%PDF-');
        assertRoundTrip((await parseBytes(pdfs[i], `r${i}.pdf`)).report, r, `${t} #${i}`, true);
      }
    });
  }

  test('the PDF embeds its CJK fonts (pdffonts)', { skip: noSoffice || (spawnSync('pdffonts', ['-v']).error ? 'pdffonts missing' : false), timeout: 120_000 }, async () => {
    const pdf = await renderPdf(sampleReport('2019', 5));
    const dir = mkdtempSync(join(tmpdir(), 'gk-pdffonts-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const out = spawnSync('pdffonts', [join(dir, 'r.pdf')], { encoding: 'utf8' }).stdout;
      const rows = out.split('\n').slice(2).filter(Boolean);
      assert.ok(rows.length > 0, out);
      assert.ok(rows.some((l) => /CJK|Song|Hei|Fang|Kai|Ming/i.test(l)), out);
      // Column "emb" is yes for every font.
      for (const l of rows) assert.match(l, /\s+yes\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+\s*$/, l);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the DOCX opens in LibreOffice (converted to PDF without error)', { skip: noSoffice, timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-docx-lo-'));
    try {
      const names: string[] = [];
      for (const t of TEMPLATES) {
        const f = join(dir, `r${t}.docx`);
        writeFileSync(f, await renderDocx(sampleReport(t, 6)));
        names.push(f);
      }
      const out = await convertWithSoffice(names, 'pdf', dir);
      for (const f of out) {
        assert.ok(existsSync(f), f);
        const b = readFileSync(f);
        assert.equal(b.subarray(0, 5).toString('latin1'), '%PDF-');
      }
      // The converted DOCX still reads back: the tables survived LibreOffice's import.
      const back = (await parseBytes(readFileSync(out[1]), 'r2021.pdf')).report;
      assertRoundTrip(back, sampleReport('2021', 6), 'docx→pdf', true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
