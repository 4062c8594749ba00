// Gongkai web front end: plain ES modules, no build step. Every piece of report text is put
// into the page with textContent (via h()), never as markup.
import { t, bi, getLang, setLang } from './i18n.js';
import { pageAuthor } from './author.js';
import { gridTable } from './grid.js';

// ---------------------------------------------------------------- DOM helper

/** h('div', { class: 'x', onclick: fn }, 'text', child) — strings become text nodes. */
function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, kids);
  return el;
}
function append(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === undefined || k === null || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}
const $ = (sel, root = document) => root.querySelector(sel);
const view = () => $('#view');
function show(...kids) {
  const v = view();
  v.replaceChildren();
  append(v, kids);
}

// ---------------------------------------------------------------- API

let me = { user: null, csrf: null, publicRead: false, setupNeeded: false };

class ApiError extends Error {
  constructor(status, body) {
    super(bi(body?.error?.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.body = body;
  }
}

async function api(method, url, body) {
  const headers = {};
  let payload;
  if (method !== 'GET' && me.csrf) headers['x-csrf-token'] = me.csrf;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const r = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  const ct = r.headers.get('content-type') ?? '';
  const data = ct.includes('json') ? await r.json() : await r.text();
  if (!r.ok) {
    if (r.status === 401 && !url.startsWith('/api/login')) {
      me.user = null;
      renderHeader();
    }
    throw new ApiError(r.status, data);
  }
  return data;
}

function flash(msg, kind = 'info') {
  const f = $('#flash');
  f.replaceChildren(h('div', { class: `flash ${kind}` }, msg, h('button', { type: 'button', class: 'x', onclick: () => f.replaceChildren(), 'aria-label': 'close' }, '×')));
}
function fail(e) {
  flash(e instanceof Error ? e.message : String(e), 'error');
}

const can = (role) => {
  const rank = { viewer: 0, reviewer: 1, admin: 2 };
  return !!me.user && rank[me.user.role] >= rank[role];
};

// ---------------------------------------------------------------- header

function renderHeader() {
  const nav = $('#nav');
  const links = [
    ['#/', t('nav_upload')],
    ['#/search', t('nav_search')],
    ['#/author', t('nav_author')],
    ['#/dashboard', t('nav_dashboard')],
    ['#/review', t('nav_review')],
    ['#/rules', t('nav_rules')],
  ];
  if (can('admin')) links.push(['#/users', t('nav_users')]);
  const cur = location.hash.split('?')[0] || '#/';
  nav.replaceChildren(...links.map(([href, label]) => h('a', { href, class: cur === href ? 'active' : '' }, label)));
  const who = $('#who');
  who.replaceChildren();
  if (me.user) {
    append(who, [h('span', { class: 'user' }, me.user.name, ' · ', t(`role_${me.user.role}`), me.user.region ? ` · ${me.user.regionName ?? me.user.region}` : ''), ' ', h('button', { type: 'button', class: 'link', onclick: logout }, t('logout'))]);
  } else append(who, [h('a', { href: '#/login' }, t('login'))]);
  $('#lang').textContent = getLang() === 'zh' ? 'EN' : '中文';
}

async function logout() {
  try {
    await api('POST', '/api/logout');
  } catch {}
  me = await api('GET', '/api/me');
  location.hash = '#/login';
  renderHeader();
}

// ---------------------------------------------------------------- router

const routes = [
  [/^#\/?$/, pageUpload],
  [/^#\/login$/, pageLogin],
  [/^#\/setup$/, pageSetup],
  [/^#\/report\/(\d+)$/, (m) => pageReport(Number(m[1]))],
  [/^#\/parsed$/, pageParsed],
  [/^#\/search$/, pageSearch],
  [/^#\/agency\/(.+)$/, (m) => pageAgency(decodeURIComponent(m[1]))],
  [/^#\/dashboard$/, pageDashboard],
  [/^#\/review$/, pageReview],
  [/^#\/rules$/, pageRules],
  [/^#\/users$/, pageUsers],
  [/^#\/compare$/, pageCompare],
  [/^#\/author$/, () => pageAuthor({ h, append, show, api, flash, fail, hashQuery, csrf: () => me.csrf })],
];

function hashQuery() {
  const i = location.hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : location.hash.slice(i + 1));
}

async function route() {
  const path = location.hash.split('?')[0] || '#/';
  renderHeader();
  renderTray();
  $('#flash').replaceChildren();
  if (me.setupNeeded && path !== '#/setup') return void (location.hash = '#/setup');
  if (!me.user && !me.publicRead && !['#/login', '#/setup'].includes(path)) return void (location.hash = '#/login');
  for (const [re, fn] of routes) {
    const m = path.match(re);
    if (m) {
      show(h('p', { class: 'muted' }, t('loading')));
      try {
        await fn(m);
      } catch (e) {
        show(h('p', { class: 'error-text' }, e.message));
      }
      return;
    }
  }
  show(h('p', {}, '404'));
}

// ---------------------------------------------------------------- login / setup

function credForm(title, hint, button, onsubmit) {
  const name = h('input', { name: 'name', autocomplete: 'username', required: true });
  const pw = h('input', { name: 'password', type: 'password', autocomplete: button === t('create') ? 'new-password' : 'current-password', required: true, minlength: '8' });
  const form = h('form', { class: 'card narrow', id: 'login-form', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await onsubmit(name.value, pw.value);
    } catch (e) {
      fail(e);
    }
  } },
    h('h1', {}, title),
    hint ? h('p', { class: 'muted' }, hint) : null,
    h('label', {}, t('name'), name),
    h('label', {}, t('password'), pw),
    h('button', { type: 'submit', class: 'primary' }, button),
  );
  return form;
}

async function pageLogin() {
  show(credForm(t('login'), null, t('login'), async (name, password) => {
    const r = await api('POST', '/api/login', { name, password });
    me = { ...me, user: r.user, csrf: r.csrf };
    location.hash = '#/';
  }));
}

async function pageSetup() {
  if (!me.setupNeeded) return void (location.hash = '#/');
  show(credForm(t('setup_title'), t('setup_hint'), t('create'), async (name, password) => {
    const r = await api('POST', '/api/setup', { name, password });
    me = { ...me, user: r.user, csrf: r.csrf, setupNeeded: false };
    location.hash = '#/';
  }));
}

// ---------------------------------------------------------------- upload

let lastParsed = null;

async function pageUpload() {
  const file = h('input', { type: 'file', id: 'file', name: 'file' });
  const text = h('textarea', { id: 'paste', rows: '8', 'aria-label': t('or_paste'), placeholder: '朝阳市国资委2023年度政府信息公开工作年度报告\n一、总体情况\n…' });
  const body = () => {
    if (file.files && file.files[0]) {
      const fd = new FormData();
      fd.append('file', file.files[0]);
      return fd;
    }
    if (text.value.trim()) return { text: text.value, name: 'pasted.txt' };
    return null;
  };
  const go = async (store) => {
    const b = body();
    if (!b) return flash(t('upload_hint'), 'error');
    try {
      if (store) {
        const r = await api('POST', '/api/reports', b);
        location.hash = `#/report/${r.id}`;
        setTimeout(() => flash(`${r.status === 'duplicate' ? t('duplicate') : t('stored_as')} ${r.id}`), 50);
      } else {
        lastParsed = await api('POST', '/api/parse', b);
        location.hash = '#/parsed';
      }
    } catch (e) {
      fail(e);
    }
  };
  const drop = h('div', { class: 'drop', ondragover: (e) => { e.preventDefault(); drop.classList.add('over'); }, ondragleave: () => drop.classList.remove('over'), ondrop: (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length) file.files = e.dataTransfer.files;
  } }, h('label', { class: 'filelabel' }, t('choose_file'), ' ', file));
  const card = h('section', { class: 'card' },
    h('h1', {}, t('upload_title')),
    h('p', { class: 'muted' }, t('upload_hint')),
    drop,
    h('p', {}, h('label', { for: 'paste' }, t('or_paste'))),
    text,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'btn-parse', onclick: () => go(false) }, t('parse_only')),
      can('reviewer') ? h('button', { type: 'button', class: 'primary', id: 'btn-store', onclick: () => go(true) }, t('parse_store')) : h('span', { class: 'muted' }, t('need_reviewer')),
    ),
  );
  show(card);
  try {
    const st = await api('GET', '/api/stats');
    if (st.reports === 0) append(view(), [emptyState()]);
    else append(view(), [h('section', { class: 'card' }, h('p', {}, `${t('dash_reports')}: ${st.reports} · `, h('a', { href: '#/search' }, t('nav_search')), ' · ', h('a', { href: '#/dashboard' }, t('nav_dashboard'))))]);
  } catch {}
}

function emptyState() {
  const box = h('section', { class: 'card empty', id: 'empty-state' },
    h('h2', {}, t('empty_title')),
    h('p', {}, t('empty_cli')),
    h('pre', {}, 'gongkai import <目录或文件…> --db gongkai.db'),
    h('p', {}, t('empty_upload')),
  );
  if (can('admin')) {
    append(box, [h('button', { type: 'button', class: 'primary', id: 'btn-demo', onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        const r = await api('POST', '/api/demo');
        flash(`${t('demo_done')} ${r.imported}`);
        location.hash = '#/dashboard';
      } catch (e) {
        fail(e);
        ev.target.disabled = false;
      }
    } }, t('demo_button'))]);
  } else append(box, [h('p', { class: 'muted' }, t('demo_admin_only'))]);
  return box;
}

// ---------------------------------------------------------------- report view

async function pageParsed() {
  if (!lastParsed) return void (location.hash = '#/');
  const p = lastParsed;
  showReport({
    stored: false,
    title: p.canonical.title,
    meta: { agency: p.canonical.agency, agencyKey: p.canonical.agencyKey, year: p.canonical.year, template: p.canonical.template, publishedAt: p.canonical.publishedAt, fileName: p.source },
    canonical: p.canonical,
    findings: p.findings,
    provenance: p.provenance,
    grids: p.grids,
    labels: p.labels,
    lines: p.lines,
  });
}

async function pageReport(id) {
  const [r, src] = await Promise.all([api('GET', `/api/reports/${id}`), api('GET', `/api/reports/${id}/source?as=lines`).catch(() => ({ lines: null }))]);
  showReport({
    stored: true,
    id,
    title: r.canonical.title,
    meta: { agency: r.agency, agencyKey: r.agencyKey, year: r.year, template: r.template, publishedAt: r.publishedAt, fileName: r.fileName, region: r.region },
    canonical: r.canonical,
    findings: r.findings,
    provenance: r.provenance,
    grids: r.grids,
    labels: r.labels,
    lines: src.lines,
    siblings: r.siblings,
  });
}

function showReport(d) {
  const byPath = new Map();
  d.findings.forEach((f, i) => f.paths.forEach((p) => {
    if (!byPath.has(p)) byPath.set(p, []);
    byPath.get(p).push(i);
  }));
  const uncertain = new Set(d.canonical.uncertain ?? []);

  // Source with line numbers.
  const source = h('div', { class: 'source', id: 'source' });
  if (d.lines) {
    const ol = h('div', { class: 'lines' });
    d.lines.forEach((line, i) => ol.append(h('div', { class: 'ln', id: `L${i + 1}` }, h('span', { class: 'no' }, String(i + 1)), h('span', { class: 'tx' }, line))));
    source.append(ol);
  } else source.append(h('p', { class: 'muted' }, '—'));

  const gotoLine = (line) => {
    if (!line) return;
    const el = source.querySelector(`#L${line}`);
    if (!el) return;
    source.querySelectorAll('.ln.hit').forEach((x) => x.classList.remove('hit'));
    el.classList.add('hit');
    source.scrollTop = Math.max(0, el.offsetTop - source.clientHeight / 3);
  };

  // Tables from the grid (official layout); value cells carry their path.
  const tables = h('div', { class: 'tables' });
  for (const g of d.grids) {
    const table = gridTable(h, g, (cell, c) => {
      cell.textContent = c.text;
      cell.dataset.path = c.path;
      const prov = d.provenance?.cells?.[c.path];
      const tips = [bi(d.labels?.[c.path]) || c.path];
      if (prov) tips.push(`「${prov.raw}」${prov.place?.line ? ` · ${t('line')} ${prov.place.line}` : ''}`);
      const fs = byPath.get(c.path) ?? [];
      const live = fs.map((i) => d.findings[i]).filter((f) => f.decision?.decision !== 'dismissed');
      if (live.some((f) => f.severity === 'error')) cell.classList.add('cell-error');
      else if (live.some((f) => f.severity === 'warning')) cell.classList.add('cell-warning');
      else if (fs.length) cell.classList.add('cell-dismissed');
      if (uncertain.has(c.path)) {
        cell.classList.add('cell-uncertain');
        tips.push(t('uncertain_cell'));
      }
      for (const f of live) tips.push(bi(f.message));
      cell.title = tips.join('\n');
      cell.addEventListener('click', () => {
        gotoLine(prov?.place?.line);
        if (fs.length) focusFinding(fs[0]);
      });
    });
    tables.append(h('h3', {}, bi(g.title)), table);
  }

  // Findings.
  const list = h('ol', { class: 'findings', id: 'findings' });
  const focusFinding = (i) => {
    list.querySelectorAll('li.focus').forEach((x) => x.classList.remove('focus'));
    const li = list.querySelector(`li[data-i="${i}"]`);
    if (li) {
      li.classList.add('focus');
      list.parentElement.scrollTop = Math.max(0, li.offsetTop - 8);
    }
  };
  const highlight = (f, i) => {
    if (i !== undefined) focusFinding(i);
    tables.querySelectorAll('.cell-focus').forEach((x) => x.classList.remove('cell-focus'));
    let first = null;
    for (const p of f.paths) {
      const el = tables.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (el) {
        el.classList.add('cell-focus');
        first ??= el;
      }
    }
    first?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    gotoLine(f.place?.line);
  };
  d.findings.forEach((f, i) => {
    const li = h('li', { class: `finding sev-${f.severity}${f.decision ? ` decided-${f.decision.decision}` : ''}`, dataset: { i: String(i), rule: f.ruleId } });
    const head = h('div', { class: 'fhead', onclick: () => highlight(f, i) },
      h('span', { class: `badge ${f.severity}` }, t(`sev_${f.severity}`)),
      ' ',
      h('span', { class: 'msg' }, bi(f.message)),
    );
    const meta = h('div', { class: 'fmeta' },
      h('a', { href: `#/rules?id=${encodeURIComponent(f.ruleId)}`, class: 'rule' }, f.ruleId),
      f.pathLabels?.length ? ` · ${f.pathLabels.slice(0, 3).map(bi).join('；')}${f.pathLabels.length > 3 ? ` …(+${f.pathLabels.length - 3})` : ''}` : '',
      f.place?.line ? ` · ${t('line')} ${f.place.line}` : '',
    );
    append(li, [head, meta]);
    if (f.decision) {
      append(li, [h('div', { class: 'decision' }, `${t(f.decision.decision)}`, f.decision.comment ? `：${f.decision.comment}` : '', ` (${f.decision.decidedBy ? `${f.decision.decidedBy} · ` : ''}${f.decision.decidedAt.slice(0, 10)})`)]);
    }
    if (d.stored && can('reviewer') && f.severity !== 'info') {
      const comment = h('input', { class: 'comment', placeholder: t('comment'), 'aria-label': `${t('comment')} · ${f.ruleId}`, maxlength: '2000' });
      const decide = async (decision) => {
        try {
          await api('POST', `/api/reports/${d.id}/decisions`, { ruleId: f.ruleId, path: f.paths[0] ?? '-', decision, comment: comment.value });
          flash(`${t(decision)} · ${f.ruleId}`);
          await pageReport(d.id);
        } catch (e) {
          fail(e);
        }
      };
      append(li, [h('div', { class: 'decide' }, comment,
        h('button', { type: 'button', class: 'confirm', onclick: () => decide('confirmed') }, t('confirm')),
        h('button', { type: 'button', class: 'dismiss', onclick: () => decide('dismissed') }, t('dismiss')))]);
    }
    list.append(li);
  });

  // Header: title, metadata, links.
  const m = d.meta;
  const canonicalLink = d.stored
    ? h('a', { href: `/api/reports/${d.id}/canonical`, target: '_blank', rel: 'noopener', id: 'canonical-link' }, t('canonical_json'))
    : h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(d.canonical, null, 2)], { type: 'application/json' })), download: 'canonical.json' }, t('canonical_json'));
  const header = h('section', { class: 'reporthead' },
    h('h1', { id: 'report-title' }, d.title || m.agency || m.fileName || '—'),
    h('p', { class: 'meta' },
      m.agency ? [t('agency'), '：', m.agencyKey && d.stored ? h('a', { href: `#/agency/${encodeURIComponent(m.agencyKey)}` }, m.agency) : m.agency, ' · '] : '',
      `${t('year')}：${m.year ?? '—'} · ${t('template')}：${m.template} · ${t('published')}：${m.publishedAt ?? '—'} · ${t('file')}：`, h('span', { class: 'fname' }, m.fileName ?? ''),
    ),
    h('p', { class: 'links' },
      d.stored ? '' : h('span', { class: 'tag' }, t('parsed_not_stored')), ' ',
      canonicalLink,
      d.stored ? [' · ', t('render_as'), ' ', ...['html', 'md', 'txt', 'xlsx'].flatMap((f, i) => [i ? ' ' : '', h('a', { href: `/api/reports/${d.id}/render?to=${f}`, target: '_blank', rel: 'noopener' }, f.toUpperCase())]), ' · ', h('a', { href: `/api/reports/${d.id}/source` }, t('source'))] : '',
      d.stored ? [' · ', compareBox({ id: d.id, agency: m.agency, year: m.year }, true)] : '',
      d.stored ? [' · ', h('a', { href: `#/author?from=${d.id}`, id: 'author-next' }, t('author_next'))] : '',
      d.siblings?.length > 1 ? [' · ', t('agency_years'), '：', ...d.siblings.filter((s) => s.id !== d.id).flatMap((s, i) => [i ? '、' : '', h('a', { href: `#/report/${s.id}`, class: 'sib' }, String(s.year ?? s.id))])] : '',
    ),
  );

  const counts = ['error', 'warning', 'info'].map((s) => [s, d.findings.filter((f) => f.severity === s).length]);
  const findingsBox = h('section', { class: 'card findingsbox' },
    h('h2', {}, t('findings'), ' ', h('small', { class: 'muted' }, counts.map(([s, n]) => `${t(`sev_${s}`)} ${n}`).join(' · '))),
    d.findings.length ? list : h('p', { class: 'ok' }, '✔ ', t('no_findings')),
    uncertain.size ? h('p', { class: 'muted' }, h('span', { class: 'swatch cell-uncertain' }, '?'), ` ${t('uncertain')}: ${uncertain.size}`) : '',
  );

  const sections = h('details', { class: 'card' }, h('summary', {}, t('sections')));
  for (const [k, v] of Object.entries(d.canonical.sections ?? {})) {
    if (!v) continue;
    sections.append(h('h4', {}, d.canonical.sectionTitles?.[k] ?? k), ...String(v).split('\n').map((p) => h('p', {}, p)));
  }

  show(header, h('div', { class: 'split' },
    h('div', { class: 'left' }, h('section', { class: 'card' }, tables), sections),
    h('div', { class: 'right' }, findingsBox, h('h2', { class: 'srchead' }, t('source'), ' ', h('small', { class: 'muted' }, d.lines ? `${d.lines.length} ${t('lines')}` : '')), source),
  ));
}

// ---------------------------------------------------------------- search

let rulesCache = null;
async function rules() {
  rulesCache ??= await api('GET', '/api/rules');
  return rulesCache;
}

function reportTable(items) {
  if (!items.length) return h('p', { class: 'muted' }, t('none'));
  return h('table', { class: 'list', id: 'results' },
    h('thead', {}, h('tr', {}, [t('compare'), t('id'), t('agency'), t('year'), t('template'), t('published'), t('errors'), t('warnings'), t('open'), t('file')].map((x) => h('th', {}, x)))),
    h('tbody', {}, items.map((r) => h('tr', {},
      h('td', { class: 'pick' }, compareBox(r)),
      h('td', {}, h('a', { href: `#/report/${r.id}` }, String(r.id))),
      h('td', {}, r.agencyKey ? h('a', { href: `#/agency/${encodeURIComponent(r.agencyKey)}`, class: 'agency' }, r.agency ?? r.agencyKey) : (r.agency ?? '—')),
      h('td', {}, h('a', { href: `#/report/${r.id}` }, String(r.year ?? '—'))),
      h('td', {}, r.template),
      h('td', {}, r.publishedAt ?? ''),
      h('td', { class: r.errors ? 'num bad' : 'num' }, String(r.errors)),
      h('td', { class: 'num' }, String(r.warnings)),
      h('td', { class: 'num' }, String(r.open)),
      h('td', { class: 'fname' }, r.fileName),
    ))),
  );
}

async function pageSearch() {
  const qp = hashQuery();
  const rs = await rules();
  const field = (name, el) => {
    el.name = name;
    if (qp.has(name)) el.value = qp.get(name);
    return el;
  };
  const opt = (v, label) => h('option', { value: v }, label);
  const form = h('form', { class: 'card filters', id: 'search-form', onsubmit: (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) p.set(k, String(v).trim());
    location.hash = `#/search?${p}`;
  } },
    h('h1', {}, t('search_title')),
    h('div', { class: 'row' },
      field('q', h('input', { type: 'search', placeholder: t('q'), 'aria-label': t('q'), class: 'grow' })),
      field('year', h('input', { type: 'number', placeholder: t('year'), 'aria-label': t('year'), min: '2008', max: '2100', class: 'short' })),
      field('template', h('select', { 'aria-label': t('template') }, opt('', `${t('template')}: ${t('any')}`), opt('2021', '2021'), opt('2019', '2019'))),
      field('hasErrors', h('select', { 'aria-label': t('errors') }, opt('', `${t('errors')}: ${t('any')}`), opt('true', t('has_errors')), opt('false', t('no_errors')))),
      field('rule', h('select', { 'aria-label': t('rule') }, opt('', `${t('rule')}: ${t('any')}`), rs.map((r) => opt(r.id, `${r.id} · ${bi(r.title)}`)))),
      field('region', h('input', { placeholder: t('region'), 'aria-label': t('region'), class: 'short' })),
      h('button', { type: 'submit', class: 'primary' }, t('search')),
    ),
  );
  const PAGE = 100;
  const offset = Math.max(0, Number(qp.get('offset')) || 0);
  const params = new URLSearchParams([...qp].filter(([k, v]) => v && k !== 'offset' && k !== 'limit'));
  const res = await api('GET', `/api/reports?${params}&limit=${PAGE}&offset=${offset}`);
  const pageLink = (o, label, rel) => {
    const p = new URLSearchParams(params);
    if (o) p.set('offset', String(o));
    return h('a', { href: `#/search?${p}`, rel, class: 'pager' }, label);
  };
  const pager = h('nav', { class: 'pager', 'aria-label': t('pages') },
    offset > 0 ? pageLink(Math.max(0, offset - PAGE), `‹ ${t('prev')}`, 'prev') : '',
    ' ', res.total ? `${offset + 1}–${offset + res.items.length} / ${res.total}` : '', ' ',
    offset + PAGE < res.total ? pageLink(offset + PAGE, `${t('next')} ›`, 'next') : '',
  );
  show(form, h('section', { class: 'card' }, h('p', { class: 'muted' }, `${res.total} ${t('results')}`), reportTable(res.items), pager));
}

// ---------------------------------------------------------------- agency

async function pageAgency(key) {
  const a = await api('GET', `/api/agencies/${encodeURIComponent(key)}`);
  const diffs = h('div', {});
  for (const d of a.diffs) {
    const cells = d.cells;
    diffs.append(h('h3', {}, `${d.aYear ?? '?'} → ${d.bYear ?? '?'} `, h('a', { href: `#/report/${d.a}` }, `#${d.a}`), ' / ', h('a', { href: `#/report/${d.b}` }, `#${d.b}`)));
    if (!cells.length) diffs.append(h('p', { class: 'muted' }, t('no_diffs')));
    else diffs.append(h('table', { class: 'list diff' },
      h('thead', {}, h('tr', {}, h('th', {}, t('cell')), h('th', {}, String(d.aYear ?? 'a')), h('th', {}, String(d.bYear ?? 'b')), h('th', {}, 'Δ'))),
      h('tbody', {}, cells.slice(0, 300).map((c) => h('tr', {}, h('td', {}, bi(c.label)), h('td', { class: 'num' }, fmt(c.a)), h('td', { class: 'num' }, fmt(c.b)), h('td', { class: 'num' }, typeof c.a === 'number' && typeof c.b === 'number' ? signed(c.b - c.a) : '')))),
    ));
  }
  show(
    h('h1', { id: 'agency-title' }, a.agency ?? key),
    h('section', { class: 'card' }, h('h2', {}, t('agency_years')), reportTable(a.reports)),
    h('section', { class: 'card' }, h('h2', {}, t('agency_diffs')), a.diffs.length ? diffs : h('p', { class: 'muted' }, t('no_diffs'))),
  );
}
const fmt = (v) => (v === null ? '∅' : v === undefined ? '—' : String(v));
const signed = (n) => (n > 0 ? `+${Math.round(n * 100) / 100}` : String(Math.round(n * 100) / 100));

// ---------------------------------------------------------------- compare any two reports

// The reports picked for comparison (at most two, oldest pick dropped), kept across pages.
const PICKS_KEY = 'gk-compare';
function picks() {
  try {
    const v = JSON.parse(sessionStorage.getItem(PICKS_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((p) => Number.isInteger(p?.id)).slice(-2) : [];
  } catch {
    return [];
  }
}
function setPicks(list) {
  sessionStorage.setItem(PICKS_KEY, JSON.stringify(list.slice(-2)));
  renderTray();
  document.querySelectorAll('input.cmp').forEach((el) => (el.checked = list.some((p) => p.id === Number(el.dataset.id))));
}
const pickLabel = (p) => `#${p.id} ${p.agency ?? ''} ${p.year ?? ''}`.trim();

/** A "compare" checkbox for a report (in lists), or a labelled one (on the report page). */
function compareBox(r, labelled = false) {
  const box = h('input', { type: 'checkbox', class: 'cmp', dataset: { id: String(r.id) }, 'aria-label': `${t('compare')} #${r.id}`, checked: picks().some((p) => p.id === r.id), onchange: (ev) => {
    const rest = picks().filter((p) => p.id !== r.id);
    setPicks(ev.target.checked ? [...rest, { id: r.id, agency: r.agency ?? null, year: r.year ?? null }] : rest);
  } });
  return labelled ? h('label', { class: 'cmp-label' }, box, ' ', t('add_compare')) : box;
}

/** The bar under the header listing the picks, with the button that opens the comparison. */
function renderTray() {
  const tray = $('#compare-tray');
  if (!tray) return;
  const ps = picks();
  if (!ps.length || location.hash.startsWith('#/compare')) return void tray.replaceChildren();
  tray.replaceChildren(h('div', { class: 'tray' },
    h('span', {}, `${t('compare_picked')}：`),
    ps.map((p) => h('span', { class: 'pickchip' }, h('a', { href: `#/report/${p.id}` }, pickLabel(p)), h('button', { type: 'button', class: 'x', 'aria-label': `${t('remove')} #${p.id}`, onclick: () => setPicks(ps.filter((x) => x.id !== p.id)) }, '×'))),
    ps.length === 2
      ? h('a', { class: 'button primary', id: 'btn-compare', href: `#/compare?a=${ps[0].id}&b=${ps[1].id}` }, t('compare_go'))
      : h('span', { class: 'muted' }, t('compare_pick_one_more')),
  ));
}

async function pageCompare() {
  const q = hashQuery();
  const a = Number(q.get('a')), b = Number(q.get('b'));
  if (!Number.isInteger(a) || !Number.isInteger(b) || !q.get('a') || !q.get('b')) return show(h('h1', {}, t('compare_title')), h('p', { class: 'muted' }, t('compare_how')));
  const c = await api('GET', `/api/compare?a=${a}&b=${b}`);
  const name = (s) => `${s.agency ?? s.fileName ?? ''} ${s.year ?? ''}`.trim();
  const byPath = new Map(c.cells.map((d) => [d.path, d]));

  // The second report's tables in the official layout; a changed cell shows "old → new".
  const tables = h('div', { class: 'tables', id: 'compare-tables' });
  for (const g of c.grids) {
    const table = gridTable(h, g, (el, cell) => {
      const d = byPath.get(cell.path);
      if (!d) return false;
      el.classList.add('cell-changed');
      el.dataset.path = cell.path;
      el.title = `${bi(d.label)}\n#${c.a.id}: ${fmt(d.a)} → #${c.b.id}: ${fmt(d.b)}`;
      el.append(h('span', { class: 'old' }, fmt(d.a)), h('span', { class: 'arrow' }, '→'), h('span', { class: 'new' }, fmt(d.b)));
    });
    tables.append(h('h3', {}, bi(g.title)), table);
  }

  const cellList = c.cells.length
    ? h('div', { class: 'tablewrap' }, h('table', { class: 'list diff', id: 'compare-cells' },
      h('thead', {}, h('tr', {}, h('th', {}, t('cell')), h('th', {}, `#${c.a.id}`), h('th', {}, `#${c.b.id}`), h('th', {}, 'Δ'))),
      h('tbody', {}, c.cells.slice(0, 500).map((d) => h('tr', {}, h('td', {}, bi(d.label)), h('td', { class: 'num' }, fmt(d.a)), h('td', { class: 'num' }, fmt(d.b)), h('td', { class: 'num' }, typeof d.a === 'number' && typeof d.b === 'number' ? signed(d.b - d.a) : '')))),
    ))
    : h('p', { class: 'muted' }, t('no_diffs'));

  const text = h('div', { id: 'compare-text' });
  if (!c.sections.length) text.append(h('p', { class: 'muted' }, t('no_text_diffs')));
  for (const s of c.sections) {
    text.append(h('h3', {}, s.title), h('div', { class: 'textdiff' }, s.lines.map((l) => h('div', { class: `dl ${l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same'}` }, h('span', { class: 'op', 'aria-hidden': 'true' }, l.op === ' ' ? '' : l.op), h(l.op === '+' ? 'ins' : l.op === '-' ? 'del' : 'span', {}, l.text)))));
  }

  const fieldNames = { template: t('template'), year: t('year'), agency: t('agency'), title: t('title'), publishedAt: t('published') };
  show(
    h('h1', { id: 'compare-title' }, t('compare_title')),
    h('section', { class: 'card comparehead' },
      h('p', {}, h('span', { class: 'tag side-a' }, 'A'), ' ', h('a', { href: `#/report/${c.a.id}`, id: 'compare-a' }, `#${c.a.id} ${name(c.a)}`), c.a.agencyKey ? [' · ', h('a', { href: `#/agency/${encodeURIComponent(c.a.agencyKey)}` }, t('agency_page'))] : ''),
      h('p', {}, h('span', { class: 'tag side-b' }, 'B'), ' ', h('a', { href: `#/report/${c.b.id}`, id: 'compare-b' }, `#${c.b.id} ${name(c.b)}`), c.b.agencyKey ? [' · ', h('a', { href: `#/agency/${encodeURIComponent(c.b.agencyKey)}` }, t('agency_page'))] : ''),
      h('p', { class: 'actions' }, h('a', { class: 'button', href: `#/compare?a=${c.b.id}&b=${c.a.id}` }, t('compare_swap')), ' ', h('span', { class: 'muted' }, `${c.cells.length} ${t('cells_changed')}`)),
      c.fields.length ? h('ul', {}, c.fields.map((f) => h('li', {}, `${fieldNames[f.field] ?? f.field}：${fmt(f.a)} → ${fmt(f.b)}`))) : '',
    ),
    h('div', { class: 'split' },
      h('section', { class: 'card left' }, h('h2', {}, t('compare_tables'), ' ', h('small', { class: 'muted' }, t('compare_tables_hint'))), tables),
      h('div', { class: 'right-flow' },
        h('section', { class: 'card' }, h('h2', {}, t('compare_cells')), cellList),
        h('section', { class: 'card' }, h('h2', {}, t('compare_text')), text),
      ),
    ),
  );
}

// ---------------------------------------------------------------- dashboard

async function pageDashboard() {
  const st = await api('GET', '/api/stats');
  if (st.reports === 0) return show(h('h1', {}, t('dash_title')), emptyState());
  const listBox = h('section', { class: 'card', id: 'behind' }, h('p', { class: 'muted' }, t('chart_click')));
  const listFor = async (params, title) => {
    const r = await api('GET', `/api/reports?${new URLSearchParams(params)}&limit=200`);
    listBox.replaceChildren(h('h2', {}, `${t('reports_behind')}: ${title}`), h('p', { class: 'muted' }, `${r.total} ${t('results')}`), reportTable(r.items));
    listBox.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const c1 = h('div', { class: 'chart', id: 'chart-apps', role: 'img', 'aria-label': t('chart_apps') });
  const c2 = h('div', { class: 'chart', id: 'chart-outcomes', role: 'img', 'aria-label': t('chart_outcomes') });
  const c3 = h('div', { class: 'chart', id: 'chart-errors', role: 'img', 'aria-label': t('chart_errors') });
  show(
    h('h1', {}, t('dash_title'), ' ', h('small', { class: 'muted' }, `${t('dash_reports')}: ${st.reports}`)),
    h('div', { class: 'charts' },
      h('section', { class: 'card' }, h('h2', {}, t('chart_apps')), c1),
      h('section', { class: 'card' }, h('h2', {}, t('chart_outcomes')), c2),
      h('section', { class: 'card' }, h('h2', {}, t('chart_errors')), c3),
    ),
    listBox,
  );
  const years = st.perYear.filter((y) => /^\d+$/.test(y.year));
  const outcomes = st.outcomes.filter((o) => o.total > 0);
  const errs = st.errorRates;
  const ec = window.echarts;
  if (!ec) {
    // No chart library: plain tables, clickable rows.
    c1.append(simpleBars(years.map((y) => [y.year, y.newReceived]), (i) => listFor({ year: years[i].year }, years[i].year)));
    c2.append(simpleBars(outcomes.map((o) => [bi(o.label), o.total]), (i) => listFor({ outcome: outcomes[i].key }, bi(outcomes[i].label))));
    c3.append(simpleBars(errs.map((e) => [e.ruleId, `${(e.rate * 100).toFixed(1)}%`]), (i) => listFor({ rule: errs[i].ruleId, hasErrors: 'true' }, errs[i].ruleId)));
    return;
  }
  const font = { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' };
  const mk = (el, option, onclick) => {
    const chart = ec.init(el, null, { renderer: 'canvas' });
    chart.setOption({ textStyle: font, grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true }, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, ...option });
    // A click anywhere in a category's band (not only on the bar itself) lists its reports.
    const horizontal = option.yAxis?.type === 'category';
    const n = (horizontal ? option.yAxis : option.xAxis).data.length;
    chart.getZr().on('click', (ev) => {
      const pt = [ev.offsetX, ev.offsetY];
      if (!chart.containPixel('grid', pt)) return;
      const [x, y] = chart.convertFromPixel('grid', pt);
      const i = Math.round(horizontal ? y : x);
      if (i >= 0 && i < n) onclick(i);
    });
    new ResizeObserver(() => chart.resize()).observe(el);
  };
  mk(c1, { xAxis: { type: 'category', data: years.map((y) => y.year) }, yAxis: { type: 'value' }, series: [{ type: 'bar', name: t('chart_apps'), data: years.map((y) => y.newReceived), itemStyle: { color: '#2b6cb0' } }] }, (i) => listFor({ year: years[i].year }, years[i].year));
  mk(c2, { xAxis: { type: 'value' }, yAxis: { type: 'category', inverse: true, data: outcomes.map((o) => shortLabel(bi(o.label))), axisLabel: { width: 150, overflow: 'truncate', interval: 0, fontSize: 11 } }, series: [{ type: 'bar', data: outcomes.map((o) => o.total), itemStyle: { color: '#38a169' } }] }, (i) => listFor({ outcome: outcomes[i].key }, bi(outcomes[i].label)));
  mk(c3, { xAxis: { type: 'value', max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } }, yAxis: { type: 'category', inverse: true, data: errs.map((e) => e.ruleId) }, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${(v * 100).toFixed(1)}%` }, series: [{ type: 'bar', data: errs.map((e) => e.rate), itemStyle: { color: '#c53030' } }] }, (i) => listFor({ rule: errs[i].ruleId, hasErrors: 'true' }, errs[i].ruleId));
}
const shortLabel = (s) => s.replace(/^（[一二三四五六七]）/, '').slice(0, 18);
function simpleBars(rows, onclick) {
  return h('table', { class: 'list' }, h('tbody', {}, rows.map(([k, v], i) => h('tr', { class: 'clickable', onclick: () => onclick(i) }, h('td', {}, k), h('td', { class: 'num' }, String(v))))));
}

// ---------------------------------------------------------------- review, rules, users

async function pageReview() {
  const r = await api('GET', '/api/reports?open=true&limit=200');
  const region = h('input', { id: 'rect-region', name: 'region', class: 'short', placeholder: t('region') });
  const year = h('input', { id: 'rect-year', name: 'year', type: 'number', min: '2008', max: '2100', class: 'short', placeholder: t('year') });
  const link = h('a', { id: 'rectification-link', href: '/api/rectification.xlsx', download: '' }, t('rect_download'));
  const update = () => {
    const p = new URLSearchParams();
    if (region.value.trim()) p.set('region', region.value.trim());
    if (/^\d{4}$/.test(year.value.trim())) p.set('year', year.value.trim());
    link.href = `/api/rectification.xlsx${p.size ? `?${p}` : ''}`;
  };
  region.addEventListener('input', update);
  year.addEventListener('input', update);
  show(
    h('h1', {}, t('review_title')),
    h('p', { class: 'muted' }, t('review_hint')),
    h('section', { class: 'card', id: 'rectification' },
      h('h2', {}, t('rect_title')),
      h('p', { class: 'muted' }, t('rect_hint')),
      h('div', { class: 'row' }, h('label', { for: 'rect-region' }, t('region')), ' ', region, ' ', h('label', { for: 'rect-year' }, t('year')), ' ', year, ' ', link),
    ),
    h('section', { class: 'card' }, h('p', { class: 'muted' }, `${r.total} ${t('results')}`), r.items.length ? reportTable(r.items) : h('p', {}, t('review_none'))),
  );
}

async function pageRules() {
  const rs = await rules();
  const focus = hashQuery().get('id');
  show(h('h1', {}, t('rules_title')), h('div', {}, rs.map((r) => h('section', { class: `card rule${r.id === focus ? ' focus' : ''}`, id: `rule-${r.id}` },
    h('h2', {}, h('code', {}, r.id), ' ', h('span', { class: `badge ${r.severity}` }, t(`sev_${r.severity}`)), ' ', bi(r.title)),
    h('p', {}, bi(r.doc)),
  ))));
  if (focus) document.getElementById(`rule-${focus}`)?.scrollIntoView({ block: 'start' });
}

async function pageUsers() {
  if (!can('admin')) return show(h('p', {}, t('sign_in_needed')));
  const us = await api('GET', '/api/users');
  const name = h('input', { placeholder: t('name'), 'aria-label': t('name'), required: true });
  const pw = h('input', { type: 'password', placeholder: t('password'), 'aria-label': t('password'), required: true, minlength: '8', autocomplete: 'new-password' });
  const roleSelect = (value, label) => h('select', { 'aria-label': label }, ['viewer', 'reviewer', 'admin'].map((r) => h('option', { value: r, selected: r === value }, t(`role_${r}`))));
  const role = roleSelect('viewer', t('role'));
  const region = h('input', { placeholder: t('region_scope'), 'aria-label': t('region_scope'), class: 'short', id: 'new-user-region' });
  const submit = async (fn) => {
    try {
      await fn();
      await pageUsers();
    } catch (e) {
      fail(e);
    }
  };
  // Each row edits the user's role and region scope in place (PATCH /api/users/:id).
  const row = (u) => {
    const r = roleSelect(u.role, `${t('role')} · ${u.name}`);
    const reg = h('input', { class: 'short', value: u.region ?? '', placeholder: t('region_all'), 'aria-label': `${t('region_scope')} · ${u.name}` });
    return h('tr', { dataset: { user: u.name } },
      h('td', {}, u.name),
      h('td', {}, r),
      h('td', {}, reg, ' ', h('span', { class: 'muted' }, u.regionName ?? (u.region ? '' : t('region_all')))),
      h('td', {}, (u.createdAt ?? '').slice(0, 10)),
      h('td', {}, h('button', { type: 'button', onclick: () => submit(() => api('PATCH', `/api/users/${u.id}`, { role: r.value, region: reg.value.trim() })) }, t('save'))),
    );
  };
  show(
    h('h1', {}, t('users_title')),
    h('section', { class: 'card' }, h('div', { class: 'tablewrap' }, h('table', { class: 'list', id: 'users' },
      h('thead', {}, h('tr', {}, [t('name'), t('role'), t('region_scope'), '', ''].map((x) => h('th', {}, x)))),
      h('tbody', {}, us.map(row)))),
      h('p', { class: 'muted' }, t('region_hint'))),
    h('form', { class: 'card row', onsubmit: (ev) => {
      ev.preventDefault();
      submit(() => api('POST', '/api/users', { name: name.value, password: pw.value, role: role.value, region: region.value.trim() }));
    } }, h('h2', {}, t('add_user')), name, pw, role, region, h('button', { type: 'submit', class: 'primary' }, t('create'))),
  );
}

// ---------------------------------------------------------------- start

$('#lang').addEventListener('click', () => {
  setLang(getLang() === 'zh' ? 'en' : 'zh');
  route();
});
window.addEventListener('hashchange', route);
setLang(getLang());
api('GET', '/api/me').then(
  (m) => {
    me = m;
    route();
  },
  (e) => show(h('p', { class: 'error-text' }, e.message)),
);
