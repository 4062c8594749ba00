// The web app's JSON API through app.inject(): accounts, CSRF, limits, upload and read back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { hashPassword, verifyPassword } from '../src/server/users.js';
import { CORPUS } from './helpers.js';

const SEED1 = join(CORPUS, 'seeds', '001_6924ad0fa9f0fb17', 'source.txt');
const dir = mkdtempSync(join(tmpdir(), 'gongkai-server-'));
let app: FastifyInstance;

interface Agent {
  cookie: string;
  csrf: string;
}

function multipart(name: string, content: Buffer | string, field = 'file') {
  const boundary = '----gongkaitest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(content), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const sc = res.headers['set-cookie'];
  const first = (Array.isArray(sc) ? sc[0] : String(sc)) as string;
  return first.split(';')[0];
}

async function login(a: FastifyInstance, name: string, password: string): Promise<Agent> {
  const r = await a.inject({ method: 'POST', url: '/api/login', payload: { name, password } });
  assert.equal(r.statusCode, 200, r.body);
  return { cookie: cookieOf(r), csrf: r.json().csrf };
}

const as = (a: Agent, extra: Record<string, string> = {}) => ({ cookie: a.cookie, 'x-csrf-token': a.csrf, ...extra });

let admin: Agent;
let viewer: Agent;

before(async () => {
  app = await buildApp({ db: join(dir, 'test.db'), maxUploadBytes: 256 * 1024 });
  const s = await app.inject({ method: 'POST', url: '/api/setup', payload: { name: 'admin', password: 'correct horse battery' } });
  assert.equal(s.statusCode, 200, s.body);
  admin = { cookie: cookieOf(s), csrf: s.json().csrf };
  const v = await app.inject({ method: 'POST', url: '/api/users', headers: as(admin), payload: { name: 'viewer1', password: 'viewer password', role: 'viewer' } });
  assert.equal(v.statusCode, 200, v.body);
  viewer = await login(app, 'viewer1', 'viewer password');
});

after(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('passwords: scrypt with a per-user salt, verified in constant time', async () => {
  const a = await hashPassword('same password');
  const b = await hashPassword('same password');
  assert.match(a, /^scrypt\$32768\$8\$1\$/);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('same password', a), true);
  assert.equal(await verifyPassword('other password', a), false);
});

test('setup is refused once a user exists; a wrong password is 401', async () => {
  const s = await app.inject({ method: 'POST', url: '/api/setup', payload: { name: 'evil', password: 'whatever123' } });
  assert.equal(s.statusCode, 409);
  const l = await app.inject({ method: 'POST', url: '/api/login', payload: { name: 'admin', password: 'wrong password' } });
  assert.equal(l.statusCode, 401);
  assert.equal(l.json().error.code, 'bad-credentials');
});

test('session cookie is HttpOnly and SameSite=Strict', async () => {
  const r = await app.inject({ method: 'POST', url: '/api/login', payload: { name: 'admin', password: 'correct horse battery' } });
  const sc = String(r.headers['set-cookie']);
  assert.match(sc, /HttpOnly/i);
  assert.match(sc, /SameSite=Strict/i);
});

test('upload: 401 anonymous, 403 viewer, 403 without CSRF token', async () => {
  const body = multipart('a.txt', readFileSync(SEED1));
  const anon = await app.inject({ method: 'POST', url: '/api/reports', ...body });
  assert.equal(anon.statusCode, 401);
  const v = await app.inject({ method: 'POST', url: '/api/reports', payload: body.payload, headers: { ...body.headers, ...as(viewer) } });
  assert.equal(v.statusCode, 403);
  assert.equal(v.json().error.code, 'forbidden');
  const noCsrf = await app.inject({ method: 'POST', url: '/api/reports', payload: body.payload, headers: { ...body.headers, cookie: admin.cookie } });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(noCsrf.json().error.code, 'csrf');
  const wrongCsrf = await app.inject({ method: 'POST', url: '/api/reports', payload: body.payload, headers: { ...body.headers, cookie: admin.cookie, 'x-csrf-token': viewer.csrf } });
  assert.equal(wrongCsrf.statusCode, 403);
});

test('reads need a session unless --public-read', async () => {
  const r = await app.inject({ method: 'GET', url: '/api/reports' });
  assert.equal(r.statusCode, 401);
  const me = await app.inject({ method: 'GET', url: '/api/me' });
  assert.equal(me.json().user, null);
  const ok = await app.inject({ method: 'GET', url: '/api/reports', headers: { cookie: viewer.cookie } });
  assert.equal(ok.statusCode, 200);
});

let seedId = 0;

test('upload, read back, source, render, decisions', async () => {
  const body = multipart('001.txt', readFileSync(SEED1));
  const r = await app.inject({ method: 'POST', url: '/api/reports', payload: body.payload, headers: { ...body.headers, ...as(admin) } });
  assert.equal(r.statusCode, 200, r.body);
  const j = r.json();
  assert.equal(j.status, 'imported');
  assert.equal(j.agency, '朝阳市国资委');
  seedId = j.id;
  const again = await app.inject({ method: 'POST', url: '/api/reports', payload: body.payload, headers: { ...body.headers, ...as(admin) } });
  assert.equal(again.json().status, 'duplicate');

  const g = await app.inject({ method: 'GET', url: `/api/reports/${seedId}`, headers: { cookie: viewer.cookie } });
  assert.equal(g.statusCode, 200);
  const d = g.json();
  assert.equal(d.canonical.agency, '朝阳市国资委');
  assert.equal(d.canonical.table3.newReceived.total, 0);
  assert.equal(d.grids.length, 3);
  assert.ok(d.provenance.cells['table3.newReceived.total'].place.line > 0);
  assert.match(d.labels['table3.granted.total'].zh, /予以公开/);

  const lines = await app.inject({ method: 'GET', url: `/api/reports/${seedId}/source?as=lines`, headers: { cookie: viewer.cookie } });
  assert.equal(lines.json().lines[0], '朝阳市国资委2023年度政府信息公开工作年度报告');
  const raw = await app.inject({ method: 'GET', url: `/api/reports/${seedId}/source`, headers: { cookie: viewer.cookie } });
  assert.match(String(raw.headers['content-disposition']), /^attachment/);
  assert.deepEqual(raw.rawPayload, readFileSync(SEED1));

  for (const to of ['html', 'md', 'txt', 'xlsx', 'docx']) {
    const x = await app.inject({ method: 'GET', url: `/api/reports/${seedId}/render?to=${to}`, headers: { cookie: viewer.cookie } });
    assert.equal(x.statusCode, 200, to);
  }
  // A binary rendering is a download of its own type (a DOCX is a ZIP holding word/document.xml).
  const docx = await app.inject({ method: 'GET', url: `/api/reports/${seedId}/render?to=docx`, headers: { cookie: viewer.cookie } });
  assert.match(String(docx.headers['content-type']), /wordprocessingml/);
  assert.match(String(docx.headers['content-disposition']), /^attachment;.*\.docx/);
  assert.equal(docx.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(docx.rawPayload.includes(Buffer.from('word/document.xml')));
  const bad = await app.inject({ method: 'GET', url: `/api/reports/${seedId}/render?to=exe`, headers: { cookie: viewer.cookie } });
  assert.equal(bad.statusCode, 400);
  const nf = await app.inject({ method: 'GET', url: `/api/reports/99999`, headers: { cookie: viewer.cookie } });
  assert.equal(nf.statusCode, 404);
});

test('parse without storing, with an arithmetic error flagged on its cell', async () => {
  const text = readFileSync(SEED1, 'utf8').replace(/^(一、本年新收政府信息公开申请数量 \| )0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0/m, '$15 | 0 | 0 | 0 | 0 | 0 | 7');
  const r = await app.inject({ method: 'POST', url: '/api/parse', headers: as(viewer), payload: { text, name: 'bad.txt' } });
  assert.equal(r.statusCode, 200, r.body);
  const j = r.json();
  assert.equal(j.canonical.table3.newReceived.naturalPerson, 5);
  const rowTotal = j.findings.find((f: { ruleId: string }) => f.ruleId === 'table3-row-total');
  assert.ok(rowTotal, JSON.stringify(j.findings.map((f: { ruleId: string }) => f.ruleId)));
  assert.ok(rowTotal.paths.includes('table3.newReceived.total'));
  assert.ok(j.lines.length > 50);
  const before = (await app.inject({ method: 'GET', url: '/api/reports', headers: { cookie: viewer.cookie } })).json().total;
  assert.equal(before, 1, 'parse does not store');
  const notReport = await app.inject({ method: 'POST', url: '/api/parse', headers: as(viewer), payload: { text: '关于做好2024年政务公开工作的通知\n各单位：请于1月31日前报送。\n' } });
  assert.equal(notReport.statusCode, 422);
  assert.equal(notReport.json().error.code, 'not-annual-report');
});

test('search: SQL-looking text is just text; filters', async () => {
  const evil = await app.inject({ method: 'GET', url: `/api/reports?q=${encodeURIComponent("'; DROP TABLE reports;--")}`, headers: { cookie: viewer.cookie } });
  assert.equal(evil.statusCode, 200);
  assert.equal(evil.json().total, 0);
  const q = await app.inject({ method: 'GET', url: `/api/reports?q=${encodeURIComponent('国资委')}&year=2023&hasErrors=false`, headers: { cookie: viewer.cookie } });
  assert.equal(q.json().total, 1);
  assert.equal(q.json().items[0].id, seedId);
  const badYear = await app.inject({ method: 'GET', url: `/api/reports?year=${encodeURIComponent('2023 OR 1=1')}`, headers: { cookie: viewer.cookie } });
  assert.equal(badYear.statusCode, 400);
  const still = await app.inject({ method: 'GET', url: '/api/reports', headers: { cookie: viewer.cookie } });
  assert.equal(still.json().total, 1, 'the table is still there');
});

test('a report containing <script> is returned as data and rendered escaped', async () => {
  const text = readFileSync(SEED1, 'utf8').replace('朝阳市国资委贯彻落实', '<script>alert(1)</script>朝阳市国资委贯彻落实').replace('2023年度政府信息公开工作年度报告', '2023年度政府信息公开工作年度报告<img src=x onerror=alert(2)>');
  const r = await app.inject({ method: 'POST', url: '/api/reports', headers: as(admin), payload: { text, name: '<b>x</b>.txt' } });
  assert.equal(r.statusCode, 200, r.body);
  const id = r.json().id;
  const g = await app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: viewer.cookie } });
  assert.match(String(g.headers['content-type']), /application\/json/);
  assert.ok(g.json().canonical.sections.overview.includes('<script>alert(1)</script>'));
  const html = await app.inject({ method: 'GET', url: `/api/reports/${id}/render?to=html`, headers: { cookie: viewer.cookie } });
  assert.ok(!html.body.includes('<script>'));
  assert.ok(html.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.match(String(html.headers['content-security-policy']), /default-src 'none'/);
  const src = await app.inject({ method: 'GET', url: `/api/reports/${id}/source`, headers: { cookie: viewer.cookie } });
  assert.equal(src.headers['content-type'], 'application/octet-stream');
  assert.equal(src.headers['x-content-type-options'], 'nosniff');
});

test('decisions: viewer 403, reviewer records, shown with the finding', async () => {
  const text = readFileSync(SEED1, 'utf8').replace(/^(一、本年新收政府信息公开申请数量 \| )0/m, '$13').replace('朝阳市国资委2023', '朝阳市国资委2023 ');
  const up = await app.inject({ method: 'POST', url: '/api/reports', headers: as(admin), payload: { text, name: 'err.txt' } });
  const id = up.json().id;
  const g = (await app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: viewer.cookie } })).json();
  const f = g.findings.find((x: { severity: string }) => x.severity === 'error');
  assert.ok(f);
  const payload = { ruleId: f.ruleId, path: f.paths[0], decision: 'dismissed', comment: '原表如此 <i>ok</i>' };
  const v = await app.inject({ method: 'POST', url: `/api/reports/${id}/decisions`, headers: as(viewer), payload });
  assert.equal(v.statusCode, 403);
  const a = await app.inject({ method: 'POST', url: `/api/reports/${id}/decisions`, headers: as(admin), payload });
  assert.equal(a.statusCode, 200, a.body);
  const g2 = (await app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: viewer.cookie } })).json();
  const f2 = g2.findings.find((x: { ruleId: string; paths: string[] }) => x.ruleId === f.ruleId && x.paths[0] === f.paths[0]);
  assert.equal(f2.decision.decision, 'dismissed');
  assert.equal(f2.decision.comment, '原表如此 <i>ok</i>');
  assert.equal(f2.decision.decidedBy, 'admin', 'the decision records who made it');
  assert.equal(a.json().decidedBy, 'admin');
  const missing = await app.inject({ method: 'POST', url: `/api/reports/${id}/decisions`, headers: as(admin), payload: { ...payload, ruleId: 'no-such-rule' } });
  assert.equal(missing.statusCode, 400);
});

test('stats, sum, coverage, compare, rules, agency', async () => {
  const h = { cookie: viewer.cookie };
  const st = (await app.inject({ method: 'GET', url: '/api/stats', headers: h })).json();
  assert.equal(st.reports, 3);
  assert.ok(Array.isArray(st.perYear) && Array.isArray(st.outcomes));
  const sm = (await app.inject({ method: 'GET', url: '/api/sum?by=year', headers: h })).json();
  assert.equal(sm.groups[0].key, '2023');
  const cv = await app.inject({ method: 'GET', url: '/api/coverage?year=2023', headers: h });
  assert.equal(cv.statusCode, 200);
  const all = (await app.inject({ method: 'GET', url: '/api/reports', headers: h })).json().items;
  const cmp = await app.inject({ method: 'GET', url: `/api/compare?a=${all[0].id}&b=${all[1].id}`, headers: h });
  assert.equal(cmp.statusCode, 200);
  assert.ok(Array.isArray(cmp.json().cells));
  const rules = (await app.inject({ method: 'GET', url: '/api/rules' })).json();
  assert.ok(rules.some((r: { id: string; doc: { zh: string } }) => r.id === 'table3-balance' && r.doc.zh));
  const key = all.find((r: { agencyKey: string | null }) => r.agencyKey)?.agencyKey;
  assert.ok(key, JSON.stringify(all));
  const ag = await app.inject({ method: 'GET', url: `/api/agencies/${encodeURIComponent(key)}`, headers: h });
  assert.equal(ag.statusCode, 200);
  assert.ok(ag.json().reports.length >= 1, ag.body);
});

test('search: SQL paging, filters on the review summary, dismissals counted', async () => {
  const h = { cookie: viewer.cookie };
  const get = async (qs: string) => {
    const r = await app.inject({ method: 'GET', url: `/api/reports?${qs}`, headers: h });
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  };
  const all = await get('');
  assert.equal(all.total, 3);
  const p1 = await get('limit=2&offset=0');
  const p2 = await get('limit=2&offset=2');
  assert.equal(p1.total, 3);
  assert.equal(p1.items.length, 2);
  assert.equal(p2.items.length, 1);
  assert.deepEqual([...p1.items, ...p2.items].map((r: { id: number }) => r.id), all.items.map((r: { id: number }) => r.id));
  assert.equal((await get(`region=${encodeURIComponent("x' OR '1'='1")}`)).total, 0);
  assert.equal((await get(`q=${encodeURIComponent('%')}`)).total, 0, 'LIKE wildcards are plain text');
  assert.equal((await get('template=2021&year=2023')).total, all.items.filter((r: { template: string }) => r.template === '2021').length);
  // The report whose error was dismissed: with errors dismissed it has no live error of that rule.
  const errItem = all.items.find((r: { fileName: string }) => r.fileName === 'err.txt');
  assert.ok(errItem);
  for (const rule of errItem.rules) assert.ok((await get(`rule=${encodeURIComponent(rule)}`)).items.some((r: { id: number }) => r.id === errItem.id));
  const withErrors = await get('hasErrors=true');
  assert.equal(withErrors.items.some((r: { id: number }) => r.id === errItem.id), errItem.errors > 0);
  const open = await get('open=true');
  assert.ok(open.items.every((r: { open: number }) => r.open > 0));
  const bad = await app.inject({ method: 'GET', url: '/api/reports?hasErrors=maybe', headers: h });
  assert.equal(bad.statusCode, 400);
});

test('rectification list: XLSX of unresolved errors, one row per finding', async () => {
  const anon = await app.inject({ method: 'GET', url: '/api/rectification.xlsx' });
  assert.equal(anon.statusCode, 401);
  const text = readFileSync(SEED1, 'utf8').replace(/^(一、本年新收政府信息公开申请数量 \| )0/m, '$19').replace('朝阳市国资委2023', '朝阳市国资委2023  ');
  const up = await app.inject({ method: 'POST', url: '/api/reports', headers: as(admin), payload: { text, name: 'rect.txt' } });
  assert.equal(up.statusCode, 200, up.body);
  const id = up.json().id;
  const detail = (await app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: viewer.cookie } })).json();
  const live = detail.findings.filter((f: { severity: string; decision?: { decision: string } }) => f.severity === 'error' && f.decision?.decision !== 'dismissed');
  assert.ok(live.length > 0);
  const r = await app.inject({ method: 'GET', url: `/api/rectification.xlsx?year=2023&region=${encodeURIComponent(detail.region ?? '')}`, headers: { cookie: viewer.cookie } });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(String(r.headers['content-type']), /spreadsheetml/);
  assert.match(String(r.headers['content-disposition']), /^attachment/);
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.rawPayload as never);
  const ws = wb.worksheets[0];
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  assert.deepEqual(rows[0].slice(0, 8), ['序号', '机关', '地区', '年度', '报告编号', '规则', '问题说明', '单元格']);
  const mine = rows.slice(1).filter((x) => x[4] === String(id));
  assert.equal(mine.length, live.length);
  assert.equal(mine[0][1], '朝阳市国资委');
  assert.equal(mine[0][3], '2023');
  assert.ok(live.some((f: { message: { zh: string } }) => f.message.zh === mine[0][6]));
  // A dismissed finding is not listed; the stats and search see the dismissal at once.
  const before = (await app.inject({ method: 'GET', url: '/api/stats', headers: { cookie: viewer.cookie } })).json();
  for (const f of live) {
    const d = await app.inject({ method: 'POST', url: `/api/reports/${id}/decisions`, headers: as(admin), payload: { ruleId: f.ruleId, path: f.paths[0] ?? '-', decision: 'dismissed' } });
    assert.equal(d.statusCode, 200, d.body);
  }
  const r2 = await app.inject({ method: 'GET', url: '/api/rectification.xlsx?year=2023', headers: { cookie: viewer.cookie } });
  const wb2 = new ExcelJS.Workbook();
  await wb2.xlsx.load(r2.rawPayload as never);
  const ids: string[] = [];
  wb2.worksheets[0].eachRow((row, n) => n > 1 && ids.push(String((row.values as unknown[])[5])));
  assert.ok(!ids.includes(String(id)));
  const after = (await app.inject({ method: 'GET', url: '/api/stats', headers: { cookie: viewer.cookie } })).json();
  assert.equal(after.reports, before.reports);
  const sumErr = (s: { errorRates: { reports: number }[] }) => s.errorRates.reduce((n, e) => n + e.reports, 0);
  assert.ok(sumErr(after) < sumErr(before), 'the stats are not served stale after a decision');
  const search = (await app.inject({ method: 'GET', url: '/api/reports?hasErrors=true&limit=500', headers: { cookie: viewer.cookie } })).json();
  assert.ok(!search.items.some((x: { id: number }) => x.id === id));
});

test('oversized upload is 413 (multipart and JSON)', async () => {
  const big = Buffer.alloc(300 * 1024, 0x41);
  const body = multipart('big.txt', big);
  const r = await app.inject({ method: 'POST', url: '/api/reports', payload: body.payload, headers: { ...body.headers, ...as(admin) } });
  assert.equal(r.statusCode, 413, r.body);
  const j = await app.inject({ method: 'POST', url: '/api/parse', headers: as(admin), payload: { text: 'x'.repeat(400 * 1024) } });
  assert.equal(j.statusCode, 413);
});

test('openapi.json is an OpenAPI 3.1 document with the paths', async () => {
  const r = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  const doc = JSON.parse(r.body);
  assert.equal(doc.openapi, '3.1.0');
  for (const p of ['/api/parse', '/api/reports', '/api/reports/{id}', '/api/reports/{id}/source', '/api/reports/{id}/render', '/api/reports/{id}/decisions', '/api/stats', '/api/sum', '/api/coverage', '/api/compare', '/api/rules', '/api/demo']) assert.ok(doc.paths[p], p);
});

test('static front end and security headers', async () => {
  const r = await app.inject({ method: 'GET', url: '/' });
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /<html/);
  assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
  const e = await app.inject({ method: 'GET', url: '/vendor/echarts/echarts.min.js' });
  assert.equal(e.statusCode, 200);
  const api404 = await app.inject({ method: 'GET', url: '/api/nope' });
  assert.equal(api404.statusCode, 404);
});

test('demo data set (admin only) and rate limits give 429', async () => {
  const d2 = mkdtempSync(join(tmpdir(), 'gongkai-server-rl-'));
  const a = await buildApp({ db: join(d2, 'rl.db'), publicRead: true, rateLimit: { login: { max: 3, windowMs: 60_000 }, write: { max: 4, windowMs: 60_000 } } });
  try {
    const s = await a.inject({ method: 'POST', url: '/api/setup', payload: { name: 'root', password: 'rootpassword' } });
    const ag: Agent = { cookie: cookieOf(s), csrf: s.json().csrf };
    const empty = (await a.inject({ method: 'GET', url: '/api/stats' })).json();
    assert.equal(empty.reports, 0);
    const demo = await a.inject({ method: 'POST', url: '/api/demo', headers: as(ag) });
    assert.equal(demo.statusCode, 200, demo.body);
    assert.equal(demo.json().imported, 12);
    assert.deepEqual(demo.json().failed, []);
    const errs = (await a.inject({ method: 'GET', url: '/api/reports?hasErrors=true' })).json();
    assert.equal(errs.total, 2);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await a.inject({ method: 'POST', url: '/api/login', payload: { name: 'root', password: 'wrongwrong' } })).statusCode);
    assert.deepEqual(codes, [401, 401, 429, 429]);
    const w: number[] = [];
    for (let i = 0; i < 4; i++) w.push((await a.inject({ method: 'POST', url: '/api/users', headers: as(ag), payload: { name: `u${i}`, password: 'short' } })).statusCode);
    assert.deepEqual(w, [400, 400, 400, 429]);
  } finally {
    await a.close();
    rmSync(d2, { recursive: true, force: true });
  }
});
