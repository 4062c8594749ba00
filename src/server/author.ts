// Authoring in the web app: the same library calls as `gongkai new` / `gongkai render`
// (src/author, src/render, src/check), exposed as JSON endpoints for the fill-in form at
// #/author. Nothing here is stored: a form lives in the browser until it is rendered and
// downloaded, so these endpoints need reading rights only.
//
//   GET  /api/author/template?template=     the form model: table grids, sections, total relations, cell labels
//   GET  /api/author/blank?template=&year=&agency=&from=   a blank report (or next year's form from stored report `from`)
//   POST /api/author/check                  the report as typed → totals computed, input problems, findings
//   POST /api/author/draft                  → the standard sentences of sections 三 and 四 (draftNarrative)
//   POST /api/author/render?to=             → the file; refused (422, problems named) while errors remain
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { blankReport, draftNarrative, formFromPrevious, prepare, totalRelations, type Prepared } from '../author/index.js';
import { canonical } from '../model/canonical.js';
import { pathLabel } from '../model/labels.js';
import { cellPaths, getCell, type Report } from '../model/report.js';
import { expectedTemplate, SECTIONS, TEMPLATES, type TemplateId } from '../model/template.js';
import { render, type GridTable, type RenderFormat } from '../render/index.js';
import { attachment, cellLabel, cellLabels, CONTENT_TYPES, DOWNLOAD_FORMATS, grids, withLabels, type DownloadFormat } from './present.js';

type Bi = { zh: string; en: string };

/** What the author routes need from the app: its access checks, error type and limiter. */
export interface AuthorDeps {
  requireRead: (req: FastifyRequest) => void;
  /** CSRF check of a signed-in request (POSTs from a session must carry the token). */
  checkCsrf: (req: FastifyRequest) => void;
  /** Per-IP limit for rendering (PDF starts LibreOffice); throws when exceeded. */
  limitRender: (req: FastifyRequest) => void;
  /** Per-IP limit for the live check, which the form calls as the user types. */
  limitCheck: (req: FastifyRequest) => void;
  bad: (zh: string, en: string) => Error;
  /** A stored report the reader may see (404 otherwise). */
  storedReport: (req: FastifyRequest, id: number) => Promise<Report>;
}

export const AUTHOR_FORMATS = DOWNLOAD_FORMATS;
type AuthorFormat = DownloadFormat;

const label = cellLabel;

export interface FormModel {
  template: TemplateId;
  grids: (GridTable & { title: Bi; section: string })[];
  sections: { key: string; numeral: string; title: Bi }[];
  relations: { total: string; parts: string[] }[];
  labels: Record<string, Bi>;
}

/** The form model of a template: everything the browser needs to lay out the fill-in form. */
export function formModel(template: TemplateId): FormModel {
  const blank = blankReport({ template, year: 0, agency: '' });
  const gs = grids(blank);
  const labels = cellLabels(blank, gs);
  return {
    template,
    grids: gs,
    sections: SECTIONS.map((s) => ({ key: s.key, numeral: s.numeral, title: s.title })),
    // Which cells are totals of which parts (completed by the server when left empty).
    relations: totalRelations(template) as { total: string; parts: string[] }[],
    labels,
  };
}

/** The report the browser sends: its bytes for prepare(), which reads a JSON form exactly as the CLI does. */
function formBytes(body: unknown): Uint8Array {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return new TextEncoder().encode('null');
  return new TextEncoder().encode(JSON.stringify(body));
}

/** Completes totals and checks, as `gongkai render` does before writing. */
async function prepared(body: unknown): Promise<Prepared> {
  return prepare('form.json', formBytes(body));
}

function problemsOut(p: Prepared) {
  const t = p.report.template;
  return p.errors.map((e) => ({ path: e.path ?? null, message: e.message, label: e.path ? label(e.path, t) : null }));
}

function refuse(reply: FastifyReply, p: Prepared): FastifyReply {
  const n = p.errors.length;
  return reply.status(422).send({
    error: {
      code: 'author-errors',
      message: { zh: `报告有 ${n} 个错误，请改正后再输出。`, en: `The report has ${n} error(s); correct them before rendering.` },
    },
    problems: problemsOut(p),
  });
}

/** Totals that stay empty although some of their parts are filled: their value is not known. */
function incompleteTotals(r: Report): { path: string; message: Bi }[] {
  const t = r.template;
  return totalRelations(t)
    .filter((rel) => getCell(r, rel.total) === null && rel.parts.some((x) => getCell(r, x) !== null))
    .map((rel) => ({
      path: rel.total,
      message: {
        zh: `${pathLabel(rel.total, 'zh', t)}无法计算：分项尚未填写完整（没有发生的请填 0）。`,
        en: `${pathLabel(rel.total, 'en', t)} cannot be computed: its parts are not all filled in (enter 0 where nothing happened).`,
      },
    }));
}

export function registerAuthorRoutes(app: FastifyInstance, d: AuthorDeps): void {
  const templateParam = (v: unknown): TemplateId | undefined => {
    if (v === undefined || v === '') return undefined;
    if (!TEMPLATES.includes(v as TemplateId)) throw d.bad('template 应为 2019 或 2021。', 'template must be 2019 or 2021.');
    return v as TemplateId;
  };
  const yearParam = (v: unknown): number | undefined => {
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string' || !/^\d{4}$/.test(v)) throw d.bad('年度应为四位数字。', 'year must have four digits.');
    return Number(v);
  };
  const agencyParam = (v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length > 200) throw d.bad('机关名称无效。', 'agency is invalid.');
    return v.trim();
  };
  /** POSTs of a signed-in user carry the CSRF token, as /api/parse does. */
  const readPost = (req: FastifyRequest) => {
    d.requireRead(req);
    if (req.session) d.checkCsrf(req);
  };

  app.get('/api/author/template', async (req) => {
    d.requireRead(req);
    const t = templateParam((req.query as { template?: string }).template);
    if (!t) throw d.bad('缺少 template（2019 或 2021）。', 'template (2019 or 2021) is required.');
    return formModel(t);
  });

  app.get('/api/author/blank', async (req) => {
    d.requireRead(req);
    const q = req.query as { template?: string; year?: string; agency?: string; from?: string };
    const template = templateParam(q.template);
    const year = yearParam(q.year);
    const agency = agencyParam(q.agency);
    let report: Report;
    let notes: string[] = [];
    if (q.from !== undefined && q.from !== '') {
      if (!/^\d{1,9}$/.test(q.from)) throw d.bad('from 应为报告编号。', 'from must be a report id.');
      const prev = await d.storedReport(req, Number(q.from));
      if (prev.year === null && year === undefined) throw d.bad('上一年度报告中没有年度，请指定 year。', 'Last year’s report states no year; give year.');
      ({ report, notes } = formFromPrevious(prev, { year, agency: agency || undefined, template }));
    } else {
      if (year === undefined) throw d.bad('缺少年度 year。', 'year is required.');
      const t = template ?? expectedTemplate(year);
      if (!t) throw d.bad(`${year} 年早于统一格式（2019 年起），请指定 template。`, `${year} predates the unified format (from 2019); give template.`);
      report = blankReport({ template: t, year, agency: agency ?? '' });
    }
    return { report: canonical(report), notes, model: formModel(report.template) };
  });

  app.post('/api/author/check', async (req) => {
    readPost(req);
    d.limitCheck(req);
    const p = await prepared(req.body);
    const t = p.report.template;
    return {
      // The completed report: totals the server computed are filled in.
      canonical: canonical(p.report),
      computed: Object.fromEntries(p.filled.map((path) => [path, getCell(p.report, path) ?? null])),
      errors: problemsOut(p),
      findings: withLabels(p.findings, t),
    };
  });

  app.post('/api/author/draft', async (req, reply) => {
    readPost(req);
    d.limitCheck(req);
    const p = await prepared(req.body);
    // Sentences from numbers that are not settled (text in a cell, a total that disagrees
    // with its parts) would state a wrong number: refused until the input problems are fixed.
    if (p.problems.length) return refuse(reply, { ...p, errors: p.problems });
    // The library counts an empty cell as 0. For a total whose row is partly filled that would
    // state a number nobody typed (3 typed for 自然人, the rest empty: "未收到申请"), so such a
    // total is refused by name; a row left entirely empty is listed in emptyCells instead.
    const unknown = incompleteTotals(p.report);
    if (unknown.length) return refuse(reply, { ...p, errors: unknown });
    const draft = draftNarrative(p.report);
    // The draft counts an empty cell as 0; the form says how many cells that concerns.
    const empty = cellPaths(p.report.template).filter((path) => /^table[34]\./.test(path) && getCell(p.report, path) === null);
    return { ...draft, emptyCells: empty };
  });

  app.post('/api/author/render', async (req, reply) => {
    readPost(req);
    const to = ((req.query as { to?: string }).to ?? '') as AuthorFormat;
    if (!AUTHOR_FORMATS.includes(to)) throw d.bad(`格式应为 ${AUTHOR_FORMATS.join('、')} 之一。`, `The format must be one of ${AUTHOR_FORMATS.join(', ')}.`);
    d.limitRender(req);
    const p = await prepared(req.body);
    if (p.errors.length) return refuse(reply, p);
    const r = p.report;
    const out: string | Uint8Array = to === 'json' ? JSON.stringify(canonical(r), null, 2) + '\n' : await render(r, to as RenderFormat);
    const base = (r.title || `${r.agency ?? ''}${r.year ?? ''}年政府信息公开工作年度报告`).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 120) || 'report';
    reply.header('content-disposition', attachment(`${base}.${to}`));
    // A downloaded HTML file must not run in this origin (the writer escapes report text anyway).
    if (to === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    return reply.type(CONTENT_TYPES[to]).send(typeof out === 'string' ? out : Buffer.from(out));
  });
}
