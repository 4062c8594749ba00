// Faults in the middle of an import (the kill -9 case is in store.test.ts): SQLite on a full
// disk, and a PostgreSQL server that goes away. Each must end with a clear zh/en error and a
// non-zero exit, leave only complete reports behind, and let the same import finish once the
// cause is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS } from './helpers.js';
import { Store, type OpenOptions } from '../src/store/index.js';

const BIN = join(process.cwd(), 'bin', 'gongkai.js');

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  delete env.GONGKAI_SQLITE_MAX_PAGES;
  return env;
}

/** `n` distinct report files (corpus texts with padding, ~60 KB each) in a fresh folder. */
function batch(n: number): string {
  const d = join(mkdtempSync(join(tmpdir(), 'gongkai-faults-')), 'batch');
  mkdirSync(d);
  const real = join(CORPUS, 'real');
  const texts = readdirSync(real)
    .sort()
    .map((x) => join(real, x, 'source.txt'))
    .filter(existsSync)
    .map((f) => readFileSync(f, 'utf8'));
  for (let i = 0; i < n; i++) writeFileSync(join(d, `r${String(i).padStart(2, '0')}.txt`), `${texts[i % texts.length]}\n\n附：副本 ${i}\n${'说明文字。'.repeat(2000)}\n`);
  return d;
}

/** Every stored report is whole: its source bytes equal the file, its JSON columns parse; no source without a report. */
async function assertComplete(open: OpenOptions, dir: string): Promise<number> {
  const s = await Store.open(open);
  try {
    const rows = await s.list();
    for (const r of rows) {
      assert.ok(r.report && Array.isArray(r.findings) && r.parserVersion, `report ${r.id} has its canonical JSON and findings`);
      assert.deepEqual(Buffer.from((await s.source(r.id))!), readFileSync(join(dir, r.fileName.split('/').pop()!)), `report ${r.id} has its source bytes`);
      assert.ok((await s.get(r.id))!.provenance, `report ${r.id} has its provenance`);
    }
    const orphans = await s.db.selectFrom('sources').select('hash').where('hash', 'not in', s.db.selectFrom('reports').select('hash')).execute();
    assert.deepEqual(orphans, [], 'no source bytes without their report');
    return rows.length;
  } finally {
    await s.close();
  }
}

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at |Error:/);

/** A real small filesystem when this process may mount one (root in CI); otherwise why not. */
function tmpfs(size: string): { dir: string; grow(size: string): void; done(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (${(r.stderr || r.error?.message || 'mount failed').trim()})`;
  }
  return {
    dir,
    grow: (s) => assert.equal(spawnSync('mount', ['-o', `remount,size=${s}`, dir]).status, 0, 'tmpfs remount'),
    done: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('SQLite on a full disk: a clear zh/en error, only whole reports kept, and the re-run finishes once there is space', async (t) => {
  const N = 30;
  const dir = batch(N);
  const fs = tmpfs('1m');
  // The real thing when possible: a 1 MiB tmpfs. Otherwise SQLite's own page cap, which raises
  // the same SQLITE_FULL through the same code path (GONGKAI_SQLITE_MAX_PAGES, see README).
  let db: string;
  let env = baseEnv();
  if (typeof fs === 'string') {
    t.diagnostic(`${fs}: using GONGKAI_SQLITE_MAX_PAGES instead`);
    db = join(mkdtempSync(join(tmpdir(), 'gongkai-full-')), 'g.db');
    env = { ...env, GONGKAI_SQLITE_MAX_PAGES: '250' };
  } else {
    t.diagnostic(`tmpfs of 1 MiB at ${fs.dir}`);
    db = join(fs.dir, 'g.db');
  }
  try {
    const r = spawnSync(process.execPath, [BIN, 'import', '--db', db, dir], { encoding: 'utf8', env });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /磁盘已满，无法写入数据库文件：.*g\.db.*请释放磁盘空间.*重新运行同一命令/);
    assert.match(r.stderr, /The disk is full: cannot write the database file .*g\.db.*Free disk space.*re-run the same command/);
    assert.match(r.stderr, /导入中断于 .*r\d\d\.txt/);
    noStack(r.stderr);

    // Space comes back.
    if (typeof fs === 'string') delete env.GONGKAI_SQLITE_MAX_PAGES;
    else fs.grow('256m');
    const partial = await assertComplete({ db }, dir);
    assert.ok(partial > 0 && partial < N, `the disk filled part-way (${partial} of ${N} stored)`);
    const { default: SQLite } = await import('better-sqlite3');
    const h = new SQLite(db);
    assert.equal(h.pragma('integrity_check', { simple: true }), 'ok');
    h.close();

    const again = spawnSync(process.execPath, [BIN, 'import', '--db', db, dir], { encoding: 'utf8', env });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`imported ${N - partial}, skipped ${partial} duplicates, 0 failed`));
    assert.equal(await assertComplete({ db }, dir), N);
  } finally {
    if (typeof fs !== 'string') fs.done();
  }
});

const url = process.env.DATABASE_URL;
test('PostgreSQL going away mid-import: a clear zh/en error, only whole reports kept, and the re-run finishes once it is back', { skip: url ? false : 'DATABASE_URL not set' }, async () => {
  const { default: pg } = await import('pg');
  const name = `gongkai_faults_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const u = new URL(url!);
  u.pathname = `/${name}`;
  const env = { ...baseEnv(), DATABASE_URL: u.toString() };
  const N = 40;
  const dir = batch(N);
  try {
    // Create the schema first, so the count below can be polled from the start.
    await (await Store.open({ env })).close();
    const child = spawn(process.execPath, [BIN, 'import', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const probe = new pg.Client({ connectionString: env.DATABASE_URL });
    await probe.connect();
    const t0 = Date.now();
    while (Date.now() - t0 < 60_000 && Number((await probe.query('select count(*) as n from reports')).rows[0].n) < 1) await new Promise((r) => setTimeout(r, 10));
    await probe.end();
    // What a server restart does to its clients: every backend is terminated and, while it is
    // down, no new connection is accepted.
    await admin.query(`alter database "${name}" allow_connections false`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
    const code = await exited;
    assert.equal(code, 2, stderr);
    assert.match(stderr, /与 PostgreSQL 数据库（.*）的连接中断.*请确认数据库服务器已恢复运行.*重新运行同一命令/);
    assert.match(stderr, /The connection to the PostgreSQL database \(.*\) was lost.*Make sure the database server is running again.*re-run the same command/);
    noStack(stderr);

    // The server is back.
    await admin.query(`alter database "${name}" allow_connections true`);
    const partial = await assertComplete({ env }, dir);
    assert.ok(partial > 0 && partial < N, `interrupted part-way (${partial} of ${N} stored)`);
    const again = spawnSync(process.execPath, [BIN, 'import', dir], { encoding: 'utf8', env });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`imported ${N - partial}, skipped ${partial} duplicates, 0 failed`));
    assert.equal(await assertComplete({ env }, dir), N);
  } finally {
    await admin.query(`alter database "${name}" allow_connections true`).catch(() => {});
    await admin.query(`drop database if exists "${name}" with (force)`).catch(() => {});
    await admin.end();
  }
});
