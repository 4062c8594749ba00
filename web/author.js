// The authoring page (#/author): the fill-in form of a report in the official layout of its
// template, with live 勾稽 feedback. The layout (rows, columns, merges, labels, sections) comes
// from /api/author/template, never from this file; the server completes totals and checks
// (/api/author/check, authoritative), drafts the narrative and renders the downloads. The form
// is kept in sessionStorage, so a reload does not lose work. All report text goes into the page
// as text (h() / .value), never as markup.
import { t, bi } from './i18n.js';
import { gridTable } from './grid.js';

const STORE_KEY = 'gk-author';
const FORMATS = [['docx', 'DOCX'], ['pdf', 'PDF'], ['html', 'HTML'], ['md', 'Markdown'], ['xlsx', 'XLSX'], ['json', 'JSON']];
const models = new Map();

/** ui: { h, append, show, api, flash, fail, hashQuery, csrf } from app.js. */
export async function pageAuthor(ui) {
  const { h, show, api, fail } = ui;
  const from = ui.hashQuery().get('from');
  if (from) {
    try {
      const b = await api('GET', `/api/author/blank?from=${encodeURIComponent(from)}`);
      models.set(b.model.template, b.model);
      save({ report: b.report, notes: b.notes });
    } catch (e) {
      fail(e);
    }
    // The form is in sessionStorage now: a reload must not start it over.
    history.replaceState(null, '', '#/author');
  }
  const state = load();
  const start = startCard(ui, !!state);
  if (!state) return show(h('h1', {}, t('author_title')), h('p', { class: 'muted' }, t('author_hint')), start);
  let model = models.get(state.report.template);
  if (!model) {
    model = await api('GET', `/api/author/template?template=${encodeURIComponent(state.report.template)}`);
    models.set(model.template, model);
  }
  editor(ui, state, model, start);
}

function load() {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null');
    return s && typeof s.report === 'object' && s.report ? s : null;
  } catch {
    return null;
  }
}
function save(state) {
  sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
}

/** Choosing a template, year and agency, or last year's stored report. */
function startCard(ui, open) {
  const { h, api, fail } = ui;
  const template = h('select', { id: 'author-template' }, h('option', { value: '2021' }, t('author_t2021')), h('option', { value: '2019' }, t('author_t2019')));
  const year = h('input', { id: 'author-year', type: 'number', min: '2019', max: '2100', class: 'short', value: String(new Date().getFullYear() - 1) });
  const agency = h('input', { id: 'author-agency', class: 'grow', placeholder: '临江市财政局' });
  const fromId = h('input', { id: 'author-from', type: 'number', min: '1', class: 'short' });
  // The template follows the year (2019 format for 2019–2020) until the user picks one.
  let picked = false;
  template.addEventListener('change', () => (picked = true));
  const follow = () => {
    if (!picked && /^\d{4}$/.test(year.value)) template.value = Number(year.value) <= 2020 ? '2019' : '2021';
  };
  year.addEventListener('input', follow);
  follow();
  const begin = async (url) => {
    try {
      const b = await api('GET', url);
      models.set(b.model.template, b.model);
      save({ report: b.report, notes: b.notes });
      await pageAuthor(ui);
    } catch (e) {
      fail(e);
    }
  };
  const body = [
    h('div', { class: 'row' },
      h('label', { for: 'author-template' }, t('template')), template,
      h('label', { for: 'author-year' }, t('year')), year,
      h('label', { for: 'author-agency' }, t('agency')), agency,
      h('button', { type: 'button', class: 'primary', id: 'btn-author-new', onclick: () => begin(`/api/author/blank?${new URLSearchParams({ template: template.value, year: year.value, agency: agency.value.trim() })}`) }, t('author_new')),
    ),
    h('div', { class: 'row' },
      h('label', { for: 'author-from' }, t('author_from')), fromId,
      h('button', { type: 'button', id: 'btn-author-from', onclick: () => (fromId.value ? begin(`/api/author/blank?from=${encodeURIComponent(fromId.value)}`) : fromId.focus()) }, t('author_from_go')),
      h('span', { class: 'muted' }, t('author_from_hint')),
    ),
  ];
  if (!open) return h('section', { class: 'card', id: 'author-start' }, h('h2', {}, t('author_start')), body);
  return h('details', { class: 'card', id: 'author-start' }, h('summary', {}, t('author_other')),
    body,
    h('p', {}, h('button', { type: 'button', id: 'btn-author-discard', onclick: () => {
      sessionStorage.removeItem(STORE_KEY);
      pageAuthor(ui);
    } }, t('author_discard')), ' ', h('span', { class: 'muted' }, t('author_discard_hint'))));
}

const cellOf = (report, path) => {
  const [table, ...rest] = path.split('.');
  const col = rest.pop();
  return report[table]?.[rest.join('.')]?.[col] ?? null;
};
const setCellOf = (report, path, v) => {
  const [table, ...rest] = path.split('.');
  const col = rest.pop();
  const row = rest.join('.');
  report[table] ??= {};
  report[table][row] ??= {};
  report[table][row][col] = v;
};

function editor(ui, state, model, start) {
  const { h, show, api, flash, fail } = ui;
  const r = state.report;
  const inputs = new Map(); // path → input
  const persist = () => save(state);

  // ------------------------------------------------------------ live check (debounced)
  let timer = null;
  let seq = 0;
  const statusLine = h('p', { id: 'author-status', class: 'muted', role: 'status' }, t('loading'));
  const problemList = h('ol', { class: 'findings', id: 'author-findings' });
  const fillBtn = h('button', { type: 'button', id: 'btn-fill-totals', disabled: true }, t('author_fill_totals'));
  let computed = {};
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(runCheck, 350);
  };
  const focusCell = (path) => {
    const el = inputs.get(path);
    if (!el) return;
    el.scrollIntoView({ block: 'center', inline: 'nearest' });
    el.focus();
  };
  const mark = (path, cls, message) => {
    const el = inputs.get(path);
    if (!el) return;
    const td = el.parentElement;
    if (cls === 'cell-error' || !td.classList.contains('cell-error')) td.classList.add(cls);
    if (cls === 'cell-error') el.setAttribute('aria-invalid', 'true');
    if (message) td.title = td.title ? `${td.title}\n${message}` : message;
  };
  /** errors: what stops rendering (listed, cells marked); findings: check findings (error cells marked, warnings listed). */
  const showProblems = (errors, findings) => {
    for (const el of inputs.values()) {
      el.parentElement.classList.remove('cell-error', 'cell-warning', 'cell-suggest');
      el.parentElement.title = bi(model.labels[el.dataset.path]);
      el.removeAttribute('aria-invalid');
      el.placeholder = '';
    }
    problemList.replaceChildren();
    const item = (sev, message, paths, labels) => h('li', { class: `finding sev-${sev}`, dataset: { path: paths[0] ?? '' } },
      h('div', { class: 'fhead', onclick: () => paths[0] && focusCell(paths[0]) }, h('span', { class: `badge ${sev}` }, t(`sev_${sev}`)), ' ', h('span', { class: 'msg' }, bi(message))),
      labels.length ? h('div', { class: 'fmeta' }, labels.slice(0, 3).map(bi).join('；')) : '');
    for (const e of errors) {
      if (e.path) mark(e.path, 'cell-error', bi(e.message));
      problemList.append(item('error', e.message, e.path ? [e.path] : [], e.label ? [e.label] : []));
    }
    // An error finding is listed above by its first cell; all of its cells are marked.
    for (const f of findings.filter((x) => x.severity === 'error')) for (const p of f.paths.slice(1)) mark(p, 'cell-error', bi(f.message));
    for (const f of findings.filter((x) => x.severity === 'warning')) {
      for (const p of f.paths) mark(p, 'cell-warning', bi(f.message));
      problemList.append(item('warning', f.message, f.paths, f.pathLabels ?? []));
    }
  };
  async function runCheck() {
    const mine = ++seq;
    let res;
    try {
      res = await api('POST', '/api/author/check', r);
    } catch (e) {
      if (mine === seq) fail(e);
      return;
    }
    if (mine !== seq) return; // a newer edit is being checked
    showProblems(res.errors, res.findings);
    computed = res.computed;
    let n = 0;
    for (const [path, v] of Object.entries(computed)) {
      const el = inputs.get(path);
      if (!el || el.value.trim()) continue;
      el.placeholder = String(v);
      el.parentElement.classList.add('cell-suggest');
      el.parentElement.title += `\n${t('author_computed')}${v}`;
      n++;
    }
    fillBtn.disabled = n === 0;
    const warnings = res.findings.filter((f) => f.severity === 'warning').length;
    statusLine.className = res.errors.length ? 'error-text' : 'ok';
    statusLine.textContent = `${res.errors.length ? `✖ ${res.errors.length} ${t('errors')}` : `✔ ${t('author_no_errors')}`} · ${warnings} ${t('warnings')} · ${n} ${t('author_n_computed')}`;
  }

  // ------------------------------------------------------------ cells, paste
  const setValue = (path, raw) => {
    const v = String(raw).trim();
    setCellOf(r, path, v === '' ? null : v);
  };
  const onPaste = (ev) => {
    const text = ev.clipboardData?.getData('text/plain') ?? '';
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ''))) return; // a single value: the browser pastes it
    ev.preventDefault();
    // As Excel copies: rows by line, cells by tab. The first value goes into this cell, the
    // rest into the following cells of its row, further lines into the rows below.
    const lines = text.replace(/\r/g, '').replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
    const table = ev.target.closest('table');
    const rows = [...table.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('input.cellin')]).filter((x) => x.length);
    const ri = rows.findIndex((x) => x.includes(ev.target));
    const ci = rows[ri].indexOf(ev.target);
    let n = 0;
    let skipped = 0;
    lines.forEach((vals, i) => vals.forEach((v, j) => {
      const el = rows[ri + i]?.[ci + j];
      if (!el) return void skipped++;
      el.value = v.trim();
      setValue(el.dataset.path, el.value);
      n++;
    }));
    persist();
    schedule();
    flash(`${t('author_pasted')} ${n}${skipped ? ` · ${t('author_paste_skipped')} ${skipped}` : ''}`, skipped ? 'error' : 'info');
  };
  const formTable = (g) =>
    gridTable(
      h,
      g,
      (cell, c) => {
        const v = cellOf(r, c.path);
        const input = h('input', { class: 'cellin', inputmode: 'decimal', autocomplete: 'off', 'aria-label': bi(model.labels[c.path]) || c.path, dataset: { path: c.path }, value: v === null ? '' : String(v) });
        input.addEventListener('input', () => {
          setValue(c.path, input.value);
          persist();
          schedule();
        });
        input.addEventListener('paste', onPaste);
        inputs.set(c.path, input);
        cell.title = bi(model.labels[c.path]);
        cell.append(input);
      },
      'authoring',
    );

  // ------------------------------------------------------------ sections, meta
  const areas = new Map();
  const sectionBlocks = model.sections.map((s) => {
    const id = `sec-${s.key}`;
    const area = h('textarea', { id, rows: s.key === 'requests' || s.key === 'reviewLitigation' ? '3' : '4' });
    area.value = r.sections?.[s.key] ?? '';
    area.addEventListener('input', () => {
      r.sections[s.key] = area.value;
      persist();
      schedule();
    });
    areas.set(s.key, area);
    const grid = model.grids.find((g) => g.section === s.key);
    return h('section', { class: 'card authorsec' },
      h('h2', {}, h('label', { for: id }, r.sectionTitles?.[s.key] || bi(s.title))),
      area,
      grid ? [h('h3', {}, bi(grid.title)), formTable(grid)] : '',
    );
  });
  const metaInput = (key, label, props = {}) => {
    const el = h('input', { id: `meta-${key}`, ...props });
    el.value = r[key] === null || r[key] === undefined ? '' : String(r[key]);
    el.addEventListener('input', () => {
      const v = el.value.trim();
      r[key] = key === 'year' ? (/^\d{4}$/.test(v) ? Number(v) : null) : v || null;
      persist();
      schedule();
    });
    return [h('label', { for: `meta-${key}` }, label), el];
  };

  // ------------------------------------------------------------ actions
  const draftBtn = h('button', { type: 'button', id: 'btn-draft', onclick: async () => {
    try {
      const d = await api('POST', '/api/author/draft', r);
      const before = { requests: r.sections.requests, reviewLitigation: r.sections.reviewLitigation };
      for (const k of ['requests', 'reviewLitigation']) {
        r.sections[k] = d[k];
        areas.get(k).value = d[k];
      }
      persist();
      schedule();
      const note = d.emptyCells.length ? ` ${t('author_draft_empty')} ${d.emptyCells.length}` : '';
      flash([`${t('author_drafted')}${note} `, h('button', { type: 'button', id: 'btn-undo-draft', onclick: () => {
        for (const k of ['requests', 'reviewLitigation']) {
          r.sections[k] = before[k] ?? '';
          areas.get(k).value = before[k] ?? '';
        }
        persist();
        schedule();
        ui.flash(t('author_undone'));
      } }, t('author_undo'))]);
    } catch (e) {
      if (e.body?.problems) showProblems(e.body.problems, []);
      fail(e);
    }
  } }, t('author_draft'));
  fillBtn.addEventListener('click', () => {
    for (const [path, v] of Object.entries(computed)) {
      const el = inputs.get(path);
      if (el && !el.value.trim()) {
        el.value = String(v);
        setValue(path, el.value);
      }
    }
    persist();
    schedule();
  });
  const download = async (to) => {
    try {
      const res = await fetch(`/api/author/render?to=${to}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(ui.csrf() ? { 'x-csrf-token': ui.csrf() } : {}) }, body: JSON.stringify(r), credentials: 'same-origin' });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        if (body?.problems) showProblems(body.problems, []);
        throw new Error(bi(body?.error?.message) || `HTTP ${res.status}`);
      }
      const cd = res.headers.get('content-disposition') ?? '';
      const m = cd.match(/filename\*=UTF-8''([^;]+)/);
      const name = m ? decodeURIComponent(m[1]) : `report.${to}`;
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      fail(e);
    }
  };
  const downloads = h('div', { class: 'actions', id: 'author-downloads' }, FORMATS.map(([f, name]) => h('button', { type: 'button', id: `dl-${f}`, onclick: () => download(f) }, name)));

  show(
    h('h1', { id: 'author-heading' }, t('author_title'), ' ', h('small', { class: 'muted' }, `${t('template')} ${model.template}`)),
    start,
    h('div', { class: 'split' },
      h('div', { class: 'left' },
        h('section', { class: 'card' },
          h('div', { class: 'row' }, metaInput('agency', t('agency'), { class: 'grow' }), metaInput('year', t('year'), { type: 'number', min: '2019', max: '2100', class: 'short' }), metaInput('publishedAt', t('published'), { type: 'date' })),
          h('div', { class: 'row' }, metaInput('title', t('title'), { class: 'grow' })),
          state.notes?.length ? h('ul', { class: 'notes' }, state.notes.map((n) => h('li', { class: 'muted' }, n))) : '',
          h('p', { class: 'muted' }, t('author_cells_hint')),
        ),
        sectionBlocks,
      ),
      h('div', { class: 'right' },
        h('section', { class: 'card findingsbox', id: 'author-panel' },
          h('h2', {}, t('author_check')), statusLine,
          h('div', { class: 'actions' }, fillBtn, draftBtn),
          problemList,
        ),
        h('section', { class: 'card' }, h('h2', {}, t('author_download')), h('p', { class: 'muted' }, t('author_download_hint')), downloads),
      ),
    ),
  );
  runCheck();
}
