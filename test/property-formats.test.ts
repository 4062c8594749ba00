// Random valid reports rendered to HTML (with Word-like spans) and converted by a real tool,
// LibreOffice, to DOCX, PDF and legacy DOC read back exactly: every table cell, template,
// year, agency, title and publication date, with nothing uncertain.
//
// All HTML files go through ONE soffice call per target format (a start of LibreOffice costs
// about a second; a file a fraction of that). Skipped when soffice is not on PATH.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { parseFile, parseText } from '../src/index.js';
import type { Report } from '../src/model/report.js';
import type { TemplateId } from '../src/model/template.js';
import { renderHtml } from '../src/render/index.js';
import { reportArb, withBlanksArb } from './gen.js';

const PER_TEMPLATE = 6;
const SEEDS: Record<TemplateId, number> = { '2019': 20190060, '2021': 20210030 };
const TEMPLATES: TemplateId[] = ['2019', '2021'];

const HAS_SOFFICE = (() => {
  const r = spawnSync('soffice', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return !r.error && r.status === 0;
})();
const skip = HAS_SOFFICE ? false : 'soffice (LibreOffice) is not on PATH';

/** Target formats: LibreOffice filter, and the extension of the produced file. */
const TARGETS = [
  { ext: 'docx', filter: 'docx:MS Word 2007 XML' },
  { ext: 'pdf', filter: 'pdf:writer_pdf_Export' },
  { ext: 'doc', filter: 'doc:MS Word 97' },
] as const;

const cases: { name: string; report: Report }[] = [];
for (const t of TEMPLATES) {
  fc.sample(reportArb(t), { seed: SEEDS[t], numRuns: PER_TEMPLATE }).forEach((report, i) => cases.push({ name: `${t}-${i}`, report }));
}

let work = '';
let profile = '';
const converted = new Map<string, string>(); // ext → soffice output (for failure messages)

function convert(files: string[], filter: string, outdir: string): string {
  mkdirSync(outdir, { recursive: true });
  const r = spawnSync(
    'soffice',
    ['--headless', '--norestore', `-env:UserInstallation=${pathToFileURL(profile).href}`, '--infilter=HTML (StarWriter)', '--convert-to', filter, '--outdir', outdir, ...files],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.error) throw r.error;
  return `${r.stdout}\n${r.stderr}`;
}

describe('reports converted by LibreOffice read back exactly', { skip }, () => {
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'gk-formats-'));
    profile = join(tmpdir(), `gk-lo-${process.pid}`);
    const html: string[] = [];
    for (const c of cases) {
      const f = join(work, `${c.name}.html`);
      writeFileSync(f, renderHtml(c.report, { spans: true }));
      html.push(f);
    }
    for (const t of TARGETS) converted.set(t.ext, convert(html, t.filter, join(work, t.ext)));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  for (const t of TARGETS) {
    for (const c of cases) {
      test(`${t.ext} ${c.name}`, async () => {
        const file = join(work, t.ext, `${c.name}.${t.ext}`);
        assert.ok(existsSync(file), `soffice produced no ${file}:\n${converted.get(t.ext)}`);
        const got = (await parseFile(file)).report;
        const want = c.report;
        assert.deepStrictEqual(
          { template: got.template, year: got.year, agency: got.agency, title: got.title, publishedAt: got.publishedAt },
          { template: want.template, year: want.year, agency: want.agency, title: want.title, publishedAt: want.publishedAt },
        );
        assert.deepStrictEqual(got.table2, want.table2);
        assert.deepStrictEqual(got.table3, want.table3);
        assert.deepStrictEqual(got.table4, want.table4);
        assert.deepStrictEqual(got.uncertain, []);
      });
    }
  }
});

// LibreOffice's text export writes a table one cell per line; an empty cell is a line of its
// no-break space, or an empty line where the cell held an empty paragraph (<p><br></p>, as
// LibreOffice's own HTML and web editors write one). Reports with empty cells, saved as text both
// ways, read back exactly, empty cells blank.
const EMPTY_CELL = '<p class="MsoNormal"><span lang="EN-US">&nbsp;</span></p>';
const blankCases: { name: string; report: Report }[] = [];
for (const t of TEMPLATES) {
  fc.sample(withBlanksArb(t), { seed: SEEDS[t] + 1, numRuns: PER_TEMPLATE }).forEach((report, i) => blankCases.push({ name: `${t}-${i}`, report }));
}

describe('reports with empty cells saved as text by LibreOffice read back exactly', { skip }, () => {
  let dir = '';
  let log = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gk-lo-text-'));
    profile ||= join(tmpdir(), `gk-lo-${process.pid}`);
    const html: string[] = [];
    for (const c of blankCases) {
      const page = renderHtml(c.report, { spans: true });
      for (const [style, doc] of [['nbsp', page], ['empty', page.split(EMPTY_CELL).join('<p><br></p>')]] as const) {
        const f = join(dir, `${c.name}-${style}.html`);
        writeFileSync(f, doc);
        html.push(f);
      }
    }
    log = convert(html, 'txt:Text (encoded):UTF8', join(dir, 'txt'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  for (const style of ['nbsp', 'empty']) {
    test(`empty cells as ${style === 'nbsp' ? 'no-break-space lines' : 'empty lines'}`, () => {
      for (const c of blankCases) {
        const file = join(dir, 'txt', `${c.name}-${style}.txt`);
        assert.ok(existsSync(file), `soffice produced no ${file}:\n${log}`);
        const got = parseText(readFileSync(file, 'utf8')).report;
        assert.deepStrictEqual({ t2: got.table2, t3: got.table3, t4: got.table4, uncertain: got.uncertain }, { t2: c.report.table2, t3: c.report.table3, t4: c.report.table4, uncertain: [] }, c.name);
      }
    });
  }
});
