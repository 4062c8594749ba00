// Authoring through the web API (src/server/author.ts), via app.inject(): blank forms for both
// templates follow the template model; a form with its totals left empty renders to a DOCX
// that parses back to the input; a total that disagrees is refused with the cell named; the
// drafted narrative agrees with the numbers; next year's form from a stored report.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { parseBytes } from '../src/index.js';
import { check } from '../src/check/index.js';
import { ZipArchive } from '../src/read/zip.js';
import { blankReport, draftNarrative, totalRelations } from '../src/author/index.js';
import { canonical } from '../src/model/canonical.js';
import { cellPaths, getCell, setCell, type Report } from '../src/model/report.js';
import { SECTIONS, TABLE3_COLUMNS, type TemplateId } from '../src/model/template.js';
import { table2Grid, table3Grid, table4Grid } from '../src/render/index.js';
import { asParseResult, clone, sampleReport } from './gen.js';
import { CORPUS } from './helpers.js';

const SEED1 = join(CORPUS, 'seeds', '001_6924ad0fa9f0fb17', 'source.txt');
const TEMPLATES: TemplateId[] = ['2019', '2021'];
const dir = mkdtempSync(join(tmpdir(), 'gongkai-author-'));
let app: FastifyInstance; // public reading
let closed: FastifyInstance; // sign-in needed
let cookie = '';
let csrf = '';

before(async () => {
  app = await buildApp({ db: join(dir, 'public.db'), publicRead: true });
  closed = await buildApp({ db: join(dir, 'closed.db') });
  const s = await closed.inject({ method: 'POST', url: '/api/setup', payload: { name: 'admin', password: 'correct horse battery' } });
  assert.equal(s.statusCode, 200, s.body);
  cookie = String(s.headers['set-cookie']).split(';')[0];
  csrf = s.json().csrf;
});

after(async () => {
  await app?.close();
  await closed?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The form an author sends: the report with every total the template defines left empty. */
function withoutTotals(r: Report): Record<string, unknown> {
  const x = clone(r);
  for (const rel of totalRelations(x.template)) setCell(x, rel.total, null);
  return canonical(x);
}

const post = (url: string, payload: unknown, a: FastifyInstance = app, headers: Record<string, string> = {}) => a.inject({ method: 'POST', url, payload: payload as object, headers });

describe('blank forms', () => {
  for (const t of TEMPLATES) {
    test(`template ${t}: the report is blankReport and the model is the template's layout`, async () => {
      const year = t === '2021' ? 2024 : 2020;
      const res = await app.inject({ method: 'GET', url: `/api/author/blank?template=${t}&year=${year}&agency=${encodeURIComponent('临江市财政局')}` });
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      const want = blankReport({ template: t, year, agency: '临江市财政局' });
      assert.deepEqual(b.report, JSON.parse(JSON.stringify(canonical(want))));
      assert.equal(b.model.template, t);
      // The grids are the writers' grids of the template (rows, spans, value paths).
      assert.deepEqual(b.model.grids.map((g: { name: string; rows: unknown }) => [g.name, g.rows]), [table2Grid(want), table3Grid(want), table4Grid(want)].map((g) => [g.name, JSON.parse(JSON.stringify(g.rows))]));
      // Every cell of the template has a label, and nothing else does.
      assert.deepEqual(Object.keys(b.model.labels).sort(), cellPaths(t).sort());
      assert.match(b.model.labels['table3.granted.total'].zh, /表三「（一）予以公开」行「总计」列/);
      assert.deepEqual(b.model.sections.map((s: { key: string }) => s.key), SECTIONS.map((s) => s.key));
      assert.deepEqual(b.model.relations, JSON.parse(JSON.stringify(totalRelations(t))));
      // The template endpoint serves the same model.
      const m = await app.inject({ method: 'GET', url: `/api/author/template?template=${t}` });
      assert.deepEqual(m.json(), b.model);
    });
  }

  test('the template follows the year when not given; bad parameters are 400', async () => {
    const b = await app.inject({ method: 'GET', url: '/api/author/blank?year=2020&agency=X' });
    assert.equal(b.json().report.template, '2019');
    assert.equal((await app.inject({ method: 'GET', url: '/api/author/blank?year=2018' })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/api/author/blank?year=2024&template=2020' })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/api/author/blank' })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/api/author/template' })).statusCode, 400);
  });
});

describe('render', () => {
  for (const t of TEMPLATES) {
    test(`a valid form (${t}, totals left empty) renders to a DOCX that parses back to the input`, async () => {
      const r = sampleReport(t, 31 + Number(t));
      const res = await post('/api/author/render?to=docx', withoutTotals(r));
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      assert.match(String(res.headers['content-type']), /wordprocessingml/);
      assert.match(String(res.headers['content-disposition']), /^attachment; .*\.docx/);
      const bytes = new Uint8Array(res.rawPayload);
      const zip = new ZipArchive(bytes, 'out.docx');
      assert.ok(zip.has('word/document.xml'), 'a DOCX: a ZIP with word/document.xml');
      const back = (await parseBytes(bytes, 'out.docx')).report;
      // The totals the server computed are the input's own totals.
      assert.deepStrictEqual([back.table2, back.table3, back.table4], [r.table2, r.table3, r.table4]);
      assert.deepStrictEqual(back.uncertain, []);
      assert.equal(back.agency, r.agency);
      assert.equal(back.year, r.year);
      // The reader normalises text (NFKC: full-width punctuation becomes ASCII), as for any DOCX.
      const norm = (x: string | null) => (x === null ? null : x.normalize('NFKC').split('\n').map((l) => l.trim()).filter(Boolean).join('\n') || null);
      for (const s of SECTIONS) assert.equal(norm(back.sections[s.key]), norm(r.sections[s.key]), s.key);
    });
  }

  test('every download format, and the canonical JSON with the totals completed', async () => {
    const r = sampleReport('2021', 7);
    for (const to of ['html', 'md', 'txt', 'xlsx', 'json']) {
      const res = await post(`/api/author/render?to=${to}`, withoutTotals(r));
      assert.equal(res.statusCode, 200, `${to}: ${res.body.slice(0, 300)}`);
      assert.match(String(res.headers['content-disposition']), new RegExp(`\\.${to}"?;|\\.${to}$`));
    }
    const json = (await post('/api/author/render?to=json', withoutTotals(r))).json();
    assert.deepEqual([json.table2, json.table3, json.table4], [r.table2, r.table3, r.table4]);
    assert.equal((await post('/api/author/render?to=exe', withoutTotals(r))).statusCode, 400);
  });

  test('a total that disagrees with its parts is refused (422) with the cell named; check names it too', async () => {
    const r = sampleReport('2021', 4);
    const form = withoutTotals(r) as { table3: Record<string, Record<string, unknown>>; table4: Record<string, Record<string, unknown>> };
    const right = r.table3.granted.total ?? 0;
    form.table3.granted.total = right + 1;
    const res = await post('/api/author/render?to=docx', form);
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.equal(body.error.code, 'author-errors');
    const p = body.problems.find((x: { path: string }) => x.path === 'table3.granted.total');
    assert.ok(p, JSON.stringify(body.problems));
    assert.match(p.message.zh, new RegExp(`表三「（一）予以公开」行「总计」列填写为 ${right + 1}，但各分项之和为 ${right}`));
    assert.match(p.message.en, /is \d+, but its parts add up to \d+/);
    assert.equal(p.label.zh, '表三「（一）予以公开」行「总计」列');
    // The live check reports the same cell, and the totals it could compute.
    const c = (await post('/api/author/check', form)).json();
    assert.ok(c.errors.some((e: { path: string }) => e.path === 'table3.granted.total'));
    assert.equal(c.computed['table3.granted.total'], undefined, 'a supplied total is never overwritten');
    assert.equal(c.computed['table4.review.total'], r.table4.review.total);
    assert.equal(c.canonical.table4.review.total, r.table4.review.total);
  });

  test('text in a number cell is named; numeric text is accepted', async () => {
    const r = sampleReport('2019', 5);
    const form = withoutTotals(r) as { table3: Record<string, Record<string, unknown>> };
    form.table3.newReceived.naturalPerson = '十二';
    const c = (await post('/api/author/check', form)).json();
    const e = c.errors.find((x: { path: string }) => x.path === 'table3.newReceived.naturalPerson');
    assert.match(e.message.zh, /应填写数字，却填写了“十二”/);
    assert.equal((await post('/api/author/render?to=md', form)).statusCode, 422);
    form.table3.newReceived.naturalPerson = ` ${r.table3.newReceived.naturalPerson} `;
    const ok = (await post('/api/author/check', form)).json();
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.canonical.table3.newReceived.total, r.table3.newReceived.total);
  });
});

describe('draft', () => {
  test('the drafted sections 三 and 四 state the numbers of tables 3 and 4', async () => {
    for (const t of TEMPLATES) {
      const r = sampleReport(t, 50 + Number(t));
      const res = await post('/api/author/draft', withoutTotals(r));
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json();
      assert.deepEqual({ requests: d.requests, reviewLitigation: d.reviewLitigation }, draftNarrative(r));
      const received = r.table3.newReceived.total ?? 0;
      if (received) assert.match(d.requests, new RegExp(`收到政府信息公开申请${received}件`));
      assert.deepEqual(d.emptyCells, []);
      // With the drafts as the text, the narrative rule finds nothing to object to.
      const x = clone(r);
      x.sections.requests = d.requests;
      x.sections.reviewLitigation = d.reviewLitigation;
      assert.deepEqual(check(asParseResult(x)).filter((f) => f.ruleId === 'narrative-tables'), []);
    }
  });

  test('a row half filled is refused (its total is unknown, not 0); empty rows are listed; unsettled numbers refused', async () => {
    const b = blankReport({ template: '2021', year: 2024, agency: 'X' });
    b.table3.newReceived.naturalPerson = 3;
    const half = await post('/api/author/draft', canonical(b));
    assert.equal(half.statusCode, 422);
    assert.deepEqual(half.json().problems.map((p: { path: string }) => p.path), ['table3.newReceived.total']);
    assert.match(half.json().problems[0].message.zh, /表三「一、本年新收政府信息公开申请数量」行「总计」列无法计算/);
    for (const c of ['commercial', 'research', 'social', 'legal', 'otherOrg'] as const) b.table3.newReceived[c] = 0;
    const d = (await post('/api/author/draft', canonical(b))).json();
    assert.match(d.requests, /收到政府信息公开申请3件/);
    assert.ok(d.emptyCells.includes('table3.granted.total'));
    assert.ok(!d.emptyCells.includes('table3.newReceived.total'), 'a computed total is not empty');
    const bad = canonical(b) as { table3: Record<string, Record<string, unknown>> };
    bad.table3.newReceived.total = 4;
    const res = await post('/api/author/draft', bad);
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().problems[0].path, 'table3.newReceived.total');
  });
});

describe('access and next year’s form', () => {
  test('sign-in server: anonymous 401, a session without the CSRF token 403, with it 200', async () => {
    const form = canonical(blankReport({ template: '2021', year: 2024, agency: 'X' }));
    assert.equal((await closed.inject({ method: 'GET', url: '/api/author/template?template=2021' })).statusCode, 401);
    assert.equal((await post('/api/author/check', form, closed)).statusCode, 401);
    assert.equal((await post('/api/author/check', form, closed, { cookie })).statusCode, 403);
    assert.equal((await post('/api/author/check', form, closed, { cookie, 'x-csrf-token': csrf })).statusCode, 200);
  });

  test('from a stored report: carried-over requests are last year’s carried-forward ones', async () => {
    const up = await closed.inject({ method: 'POST', url: '/api/reports', headers: { cookie, 'x-csrf-token': csrf }, payload: { text: readFileSync(SEED1, 'utf8'), name: 'seed.txt' } });
    assert.equal(up.statusCode, 200, up.body);
    const id = up.json().id;
    const prev = (await closed.inject({ method: 'GET', url: `/api/reports/${id}/canonical`, headers: { cookie } })).json();
    const res = await closed.inject({ method: 'GET', url: `/api/author/blank?from=${id}`, headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    const b = res.json();
    assert.equal(b.report.year, prev.year + 1);
    assert.equal(b.report.agency, prev.agency);
    for (const c of TABLE3_COLUMNS) assert.equal(b.report.table3.carriedOver[c], prev.table3.carriedForward[c], c);
    for (const p of cellPaths(b.report.template).filter((x) => !x.startsWith('table3.carriedOver.'))) assert.equal(getCell(b.report, p), null, p);
    assert.ok(b.notes.length >= 1);
    assert.equal((await closed.inject({ method: 'GET', url: '/api/author/blank?from=99999', headers: { cookie } })).statusCode, 404);
  });
});

test('the OpenAPI document describes the authoring endpoints', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  for (const p of ['/api/author/template', '/api/author/blank', '/api/author/check', '/api/author/draft', '/api/author/render']) assert.ok(doc.paths[p], p);
  assert.deepEqual(doc.paths['/api/author/render'].post.parameters[0].schema.enum.sort(), ['docx', 'html', 'json', 'md', 'pdf', 'txt', 'xlsx']);
});
