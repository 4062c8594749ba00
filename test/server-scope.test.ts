// Region-scoped accounts through the API: a user limited to a region writes (uploads, review
// decisions) only inside its subtree and, on a sign-in-only server, reads only that subtree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { CORPUS } from './helpers.js';

const SEED1 = join(CORPUS, 'seeds', '001_6924ad0fa9f0fb17', 'source.txt');
const dir = mkdtempSync(join(tmpdir(), 'gongkai-scope-'));
let app: FastifyInstance;

interface Agent {
  cookie: string;
  csrf: string;
}
const as = (a: Agent, extra: Record<string, string> = {}) => ({ cookie: a.cookie, 'x-csrf-token': a.csrf, ...extra });

function multipart(name: string, content: string) {
  const boundary = '----gongkaiscope' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(content), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function login(name: string, password: string): Promise<Agent> {
  const r = await app.inject({ method: 'POST', url: '/api/login', payload: { name, password } });
  assert.equal(r.statusCode, 200, r.body);
  return { cookie: String(r.headers['set-cookie']).split(';')[0], csrf: r.json().csrf };
}

/** The corpus report as another agency's, with 本年新收 total 7 against parts summing to 5 (a table3-row-total error). */
function reportOf(agency: string, extra = ''): string {
  const text = readFileSync(SEED1, 'utf8').replaceAll('朝阳市国资委', agency).replace(/^(一、本年新收政府信息公开申请数量 \| )0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0/m, '$15 | 0 | 0 | 0 | 0 | 0 | 7');
  assert.match(text, /\| 5 \| 0 \| 0 \| 0 \| 0 \| 0 \| 7 \|/);
  return text + extra;
}

const upload = (who: Agent, agency: string, extra = '') => {
  const body = multipart(`${agency}.txt`, reportOf(agency, extra));
  return app.inject({ method: 'POST', url: '/api/reports', payload: body.payload, headers: { ...body.headers, ...as(who) } });
};
const decide = (who: Agent, id: number) =>
  app.inject({ method: 'POST', url: `/api/reports/${id}/decisions`, headers: as(who), payload: { ruleId: 'table3-row-total', path: 'table3.newReceived.total', decision: 'confirmed', comment: 'scope test' } });

let admin: Agent;
const ids: Record<string, number> = {};

before(async () => {
  app = await buildApp({ db: join(dir, 'scope.db') });
  // A small imported hierarchy (codes as in the 国家统计局 list); 鼓楼区 twice to test ambiguity.
  await app.store.importRegions([
    { code: '210000', name: '辽宁省', parentCode: null, level: 'province' },
    { code: '211300', name: '朝阳市', parentCode: '210000', level: 'city' },
    { code: '211302', name: '双塔区', parentCode: '211300', level: 'county' },
    { code: '210100', name: '沈阳市', parentCode: '210000', level: 'city' },
    { code: '320106', name: '鼓楼区', parentCode: null, level: 'county' },
    { code: '350102', name: '鼓楼区', parentCode: null, level: 'county' },
  ]);
  await app.users.create('admin', 'admin password 1', 'admin');
  admin = await login('admin', 'admin password 1');
  for (const agency of ['朝阳市国资委', '双塔区教育局', '沈阳市国资委']) {
    const r = await upload(admin, agency);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().agency, agency);
    ids[agency] = r.json().id;
  }
});

after(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('admin sets a scope by name or code; unknown and ambiguous names are refused', async () => {
  const city = await app.inject({ method: 'POST', url: '/api/users', headers: as(admin), payload: { name: 'city-rev', password: 'reviewer pass 1', role: 'reviewer', region: '朝阳市' } });
  assert.equal(city.statusCode, 200, city.body);
  assert.equal(city.json().region, '211300');
  assert.equal(city.json().regionName, '朝阳市');
  const county = await app.inject({ method: 'POST', url: '/api/users', headers: as(admin), payload: { name: 'county-view', password: 'viewer pass 1', role: 'viewer', region: '211302' } });
  assert.equal(county.json().region, '211302');
  const unknown = await app.inject({ method: 'POST', url: '/api/users', headers: as(admin), payload: { name: 'x1', password: 'whatever pass', role: 'viewer', region: '火星市' } });
  assert.equal(unknown.statusCode, 400);
  const ambiguous = await app.inject({ method: 'POST', url: '/api/users', headers: as(admin), payload: { name: 'x2', password: 'whatever pass', role: 'viewer', region: '鼓楼区' } });
  assert.equal(ambiguous.statusCode, 400);
  assert.match(ambiguous.json().error.message.zh, /320106/);
  const list = (await app.inject({ method: 'GET', url: '/api/users', headers: as(admin) })).json();
  assert.deepEqual(list.map((u: { name: string; region: string | null }) => [u.name, u.region]), [['admin', null], ['city-rev', '211300'], ['county-view', '211302']]);
});

test('a city reviewer writes in the city and the county under it, not elsewhere', async () => {
  const rev = await login('city-rev', 'reviewer pass 1');
  const before = (await app.inject({ method: 'GET', url: '/api/reports', headers: as(admin) })).json().total;
  // Upload: inside (nested county) accepted, outside refused and not stored.
  const inCounty = await upload(rev, '双塔区教育局', '\n（修订稿）');
  assert.equal(inCounty.statusCode, 200, inCounty.body);
  const outside = await upload(rev, '沈阳市国资委', '\n（修订稿）');
  assert.equal(outside.statusCode, 403);
  assert.equal(outside.json().error.code, 'out-of-scope');
  assert.match(outside.json().error.message.zh, /211300/);
  assert.equal((await app.inject({ method: 'GET', url: '/api/reports', headers: as(admin) })).json().total, before + 1);
  // Re-uploading a stored file outside the scope is refused too (no alias noted, no id leaked).
  const dup = await upload(rev, '沈阳市国资委');
  assert.equal(dup.statusCode, 403);
  // Review decisions: the city's own report and the nested county's, not the other city's.
  assert.equal((await decide(rev, ids['朝阳市国资委'])).statusCode, 200);
  assert.equal((await decide(rev, ids['双塔区教育局'])).statusCode, 200);
  // On this sign-in-only server a report outside the region answers as a missing one would, so
  // its id is not revealed.
  const other = await decide(rev, ids['沈阳市国资委']);
  assert.equal(other.statusCode, 404);
  assert.deepEqual(other.json().error.code, (await decide(rev, 999_999)).json().error.code);
  // A scoped account cannot manage users even when it is an admin.
  assert.equal((await app.inject({ method: 'GET', url: '/api/users', headers: as(rev) })).statusCode, 403);
});

test('a county viewer reads only the county on a sign-in-only server', async () => {
  const v = await login('county-view', 'viewer pass 1');
  const s = (await app.inject({ method: 'GET', url: '/api/reports', headers: as(v) })).json();
  assert.ok(s.total >= 1);
  assert.ok(s.items.every((r: { agency: string }) => r.agency === '双塔区教育局'), JSON.stringify(s.items.map((r: { agency: string }) => r.agency)));
  const all = (await app.inject({ method: 'GET', url: '/api/reports', headers: as(admin) })).json();
  assert.ok(all.total > s.total);
  // Filters still apply inside the scope.
  assert.equal((await app.inject({ method: 'GET', url: '/api/reports?q=%E6%B2%88%E9%98%B3', headers: as(v) })).json().total, 0);
  assert.equal((await app.inject({ method: 'GET', url: `/api/reports/${ids['双塔区教育局']}`, headers: as(v) })).statusCode, 200);
  for (const url of [`/api/reports/${ids['朝阳市国资委']}`, `/api/reports/${ids['沈阳市国资委']}/canonical`, `/api/reports/${ids['沈阳市国资委']}/source`, `/api/reports/${ids['沈阳市国资委']}/render?to=html`, `/api/author/blank?from=${ids['沈阳市国资委']}`, `/api/compare?a=${ids['双塔区教育局']}&b=${ids['沈阳市国资委']}`]) {
    assert.equal((await app.inject({ method: 'GET', url, headers: as(v) })).statusCode, 404, url);
  }
  const stats = (await app.inject({ method: 'GET', url: '/api/stats', headers: as(v) })).json();
  assert.equal(stats.reports, s.total);
  assert.deepEqual(stats.topAgencies.map((a: { agency: string }) => a.agency), ['双塔区教育局']);
  assert.equal(stats.errorRates.find((e: { ruleId: string }) => e.ruleId === 'table3-row-total')?.reports, s.total);
  const adminStats = (await app.inject({ method: 'GET', url: '/api/stats', headers: as(admin) })).json();
  assert.equal(adminStats.reports, all.total);
  const sum = (await app.inject({ method: 'GET', url: '/api/sum?by=agency', headers: as(v) })).json();
  assert.deepEqual(sum.groups.map((g: { key: string }) => g.key), ['双塔区教育局']);
  const agency = (await app.inject({ method: 'GET', url: `/api/agencies/${encodeURIComponent('沈阳市国资委')}`, headers: as(v) })).json();
  assert.equal(agency.reports.length, 0);
});

test('on a public-read server the scope limits writes only', async () => {
  const pub = await buildApp({ db: join(dir, 'scope.db'), publicRead: true });
  try {
    const r = await pub.inject({ method: 'POST', url: '/api/login', payload: { name: 'county-view', password: 'viewer pass 1' } });
    const cookie = String(r.headers['set-cookie']).split(';')[0];
    assert.equal((await pub.inject({ method: 'GET', url: `/api/reports/${ids['沈阳市国资委']}`, headers: { cookie } })).statusCode, 200);
  } finally {
    await pub.close();
  }
});

test('admin clears or changes a scope with PATCH', async () => {
  const list = (await app.inject({ method: 'GET', url: '/api/users', headers: as(admin) })).json();
  const id = list.find((u: { name: string }) => u.name === 'county-view').id;
  const cleared = await app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(admin), payload: { region: '' } });
  assert.equal(cleared.statusCode, 200, cleared.body);
  assert.equal(cleared.json().region, null);
  const v = await login('county-view', 'viewer pass 1');
  assert.equal((await app.inject({ method: 'GET', url: `/api/reports/${ids['沈阳市国资委']}`, headers: as(v) })).statusCode, 200);
  const moved = await app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(admin), payload: { region: '沈阳市', role: 'reviewer' } });
  assert.equal(moved.json().region, '210100');
  assert.equal(moved.json().role, 'reviewer');
  // The change applies to the running session at once.
  assert.equal((await app.inject({ method: 'GET', url: `/api/reports/${ids['双塔区教育局']}`, headers: as(v) })).statusCode, 404);
  assert.equal((await decide(v, ids['沈阳市国资委'])).statusCode, 200);
  const viewerPatch = await app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(v), payload: { region: '' } });
  assert.equal(viewerPatch.statusCode, 403);
  // An admin cannot limit their own account (it would lose user management at once), and a
  // body that is not an object is a bad request, not a server error.
  const me = (await app.inject({ method: 'GET', url: '/api/me', headers: as(admin) })).json();
  const selfLimit = await app.inject({ method: 'PATCH', url: `/api/users/${me.user?.id ?? me.id}`, headers: as(admin), payload: { region: '沈阳市' } });
  assert.equal(selfLimit.statusCode, 400, selfLimit.body);
  assert.match(selfLimit.json().error.message.en, /your own account/);
  assert.equal((await app.inject({ method: 'GET', url: '/api/users', headers: as(admin) })).statusCode, 200);
  const notObject = await app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: { ...as(admin), 'content-type': 'application/json' }, payload: '"x"' });
  assert.equal(notObject.statusCode, 400, notObject.body);
});

test('a database from before region scopes gains the column on start', async () => {
  const { default: Database } = await import('better-sqlite3');
  const file = join(dir, 'old.db');
  const db = new Database(file);
  db.exec(`create table gk_users (id integer primary key autoincrement, name text not null unique, password text not null, role text not null, created_at text not null)`);
  db.prepare(`insert into gk_users (name, password, role, created_at) values ('old', 'scrypt$x', 'viewer', '2024-01-01T00:00:00Z')`).run();
  db.close();
  const old = await buildApp({ db: file });
  try {
    assert.deepEqual((await old.users.list()).map((u) => [u.name, u.region]), [['old', null]]);
    const u = await old.users.create('scoped', 'scoped pass 1', 'viewer', '211302');
    assert.equal((await old.users.list()).find((x) => x.id === u.id)?.region, '211302');
  } finally {
    await old.close();
  }
});
