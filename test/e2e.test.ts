// The web app in a real Chromium (playwright-core, Debian's /usr/bin/chromium): sign in, upload
// a report with an arithmetic error, see it highlighted, dismiss a finding, search, agency page.
// Skipped when /usr/bin/chromium is absent. Screenshots go to a temp dir (printed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../src/server/app.js';
import { CORPUS } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SEED1 = join(CORPUS, 'seeds', '001_6924ad0fa9f0fb17', 'source.txt');
const skip = !existsSync(CHROMIUM) ? 'no Chromium at /usr/bin/chromium' : !existsSync(SEED1) ? 'corpus seed missing' : false;

const dir = mkdtempSync(join(tmpdir(), 'gongkai-e2e-'));
const shots = join(dir, 'screenshots');
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base = '';

before(async () => {
  if (skip) return;
  app = await buildApp({ db: join(dir, 'e2e.db') });
  await app.users.create('admin', 'e2e password 1', 'admin');
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.setDefaultTimeout(15_000);
  process.stderr.write(`e2e screenshots: ${shots}\n`);
});

after(async () => {
  await browser?.close().catch(() => {});
  await app?.close().catch(() => {});
  if (!process.env.GONGKAI_KEEP_E2E) rmSync(join(dir, 'e2e.db'), { force: true });
});

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });

/**
 * Accessibility smoke check of the current page: a lang attribute, exactly one h1, every form
 * control named (label, aria-label or aria-labelledby), images with alt, buttons with a name.
 */
async function a11y(where: string): Promise<void> {
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  const problems = (await page.evaluate(A11Y_CHECK)) as string[];
  assert.deepEqual(problems, [], `accessibility problems on the ${where} page`);
}

const A11Y_CHECK = String.raw`(() => {
    const out = [];
    const text = (el) => ((el && el.textContent) || '').replace(/\s+/g, ' ').trim();
    const named = (el) => {
      if ((el.getAttribute('aria-label') || '').trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\s+/).some((id) => text(document.getElementById(id)))) return true;
      if (el.id && [...document.querySelectorAll('label')].some((l) => l.htmlFor === el.id && text(l))) return true;
      const wrap = el.closest('label');
      return !!wrap && text(wrap) !== '';
    };
    if (!document.documentElement.lang) out.push('no lang on <html>');
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(h1 + ' h1 elements');
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) if (!named(el)) out.push('unnamed control ' + el.outerHTML.slice(0, 120));
    for (const el of document.querySelectorAll('img')) if (!el.hasAttribute('alt')) out.push('img without alt ' + el.outerHTML.slice(0, 120));
    for (const el of document.querySelectorAll('[role=img]')) if (!(el.getAttribute('aria-label') || '').trim() && !el.getAttribute('aria-labelledby')) out.push('role=img without a name ' + el.outerHTML.slice(0, 120));
    for (const el of document.querySelectorAll('button, [role=button]')) if (!text(el) && !(el.getAttribute('aria-label') || '').trim()) out.push('button without text ' + el.outerHTML.slice(0, 120));
    return out;
  })()`;

test('sign in, upload with an arithmetic error, highlight, dismiss, search, agency page', { skip, timeout: 60_000 }, async () => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });

  // Anonymous → login page.
  await page.goto(base);
  await page.waitForSelector('#login-form');
  await page.fill('#login-form input[name=name]', 'admin');
  await page.fill('#login-form input[name=password]', 'e2e password 1');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#empty-state');
  await shot('01-empty');
  await a11y('upload');

  // A modified copy of a corpus report: 本年新收 natural persons 5, total 7 (should be 5).
  const text = readFileSync(SEED1, 'utf8').replace(/^(一、本年新收政府信息公开申请数量 \| )0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0/m, '$15 | 0 | 0 | 0 | 0 | 0 | 7');
  assert.notEqual(text, readFileSync(SEED1, 'utf8'));
  const file = join(dir, '朝阳市国资委2023-modified.txt');
  writeFileSync(file, text);
  await page.setInputFiles('#file', file);
  await page.click('#btn-store');
  await page.waitForSelector('#findings');
  assert.match(await page.textContent('#report-title') ?? '', /朝阳市国资委2023年度/);
  const errCell = page.locator('td.cell-error[data-path="table3.newReceived.total"]');
  assert.equal(await errCell.count(), 1);
  assert.equal((await errCell.textContent())?.trim(), '7');
  // Clicking the finding highlights its cells and the source line.
  const rowTotal = page.locator('li.finding[data-rule="table3-row-total"]').first();
  await rowTotal.locator('.fhead').click();
  await page.waitForSelector('td.cell-focus');
  await page.waitForSelector('.ln.hit');
  await shot('02-report');
  await a11y('report');

  // Dismiss it with a comment.
  const before = await page.locator('li.finding.decided-dismissed').count();
  await rowTotal.locator('input.comment').fill('e2e：原件如此');
  await rowTotal.locator('button.dismiss').click();
  await page.waitForFunction((n) => document.querySelectorAll('li.finding.decided-dismissed').length > n, before);
  assert.match((await page.locator('li.finding.decided-dismissed .decision').first().textContent()) ?? '', /原件如此/);
  assert.match((await page.locator('li.finding.decided-dismissed .decision').first().textContent()) ?? '', /admin/, 'the decision shows who made it');
  await shot('03-dismissed');

  // Search.
  await page.goto(`${base}/#/search`);
  await page.waitForSelector('#search-form');
  await page.fill('#search-form input[name=q]', '国资委');
  await page.click('#search-form button[type=submit]');
  await page.waitForSelector('#results a.agency');
  assert.match((await page.textContent('#results')) ?? '', /朝阳市国资委/);
  await shot('04-search');
  await a11y('search');

  // Agency page.
  await page.click('#results a.agency');
  await page.waitForSelector('#agency-title');
  assert.equal((await page.textContent('#agency-title'))?.trim(), '朝阳市国资委');
  await shot('05-agency');

  // Dashboard: charts drawn, clicking lists reports.
  await page.goto(`${base}/#/dashboard`);
  await page.waitForSelector('#chart-apps canvas');
  await shot('06-dashboard');
  await a11y('dashboard');

  // Review page: the rectification list link follows the region and year typed.
  await page.goto(`${base}/#/review`);
  await page.waitForSelector('#rectification-link');
  await page.fill('#rect-year', '2023');
  assert.match((await page.getAttribute('#rectification-link', 'href')) ?? '', /^\/api\/rectification\.xlsx\?year=2023$/);
  const xlsx = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength };
  }, (await page.getAttribute('#rectification-link', 'href'))!);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.type ?? '', /spreadsheetml/);
  await a11y('review');

  // English switch.
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#nav')?.textContent?.includes('Search'));

  assert.deepEqual(errors, []);
});
