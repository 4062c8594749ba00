// The Gongkai web app: a Fastify server over the same library the CLI uses (parse, check,
// store, analyze, render) plus accounts, and the static front end in web/.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { timingSafeEqual } from 'node:crypto';
import { parseBytes, PARSER_VERSION } from '../index.js';
import { check, RULES } from '../check/index.js';
import { canonical } from '../model/canonical.js';
import type { ParseResult, Report } from '../model/report.js';
import { pathLabel } from '../model/labels.js';
import { TABLE3_ROWS, type TemplateId } from '../model/template.js';
import { GongkaiError, toGongkaiError } from '../errors.js';
import { detectFormat } from '../read/index.js';
import { decodeText } from '../read/decode.js';
import { Store, StoreError, applyDecisions, contentHash, decisionKeyOf, type Decision, type StoredReport, type ReviewedFinding } from '../store/index.js';
import { coverage, sumBy, type SumBy } from '../analyze/aggregate.js';
import { builtinDivisions } from '../analyze/region.js';
import { compareReports } from '../analyze/compare.js';
import { render, RENDER_FORMATS, type RenderFormat } from '../render/index.js';
import { Users, UserError, roleAtLeast, SESSION_TTL_MS, type Role, type Session } from './users.js';
import { openApiDocument } from './openapi.js';
import { idsInScope, inScope, linksOfAgency, resolveRegion, scopeOf, searchInScope, searchWithin, withinOf, type RegionLinks } from './scope.js';
import type { RegionScope } from '../analyze/aggregate.js';
import { importDemo } from './demo.js';
import { registerAuthorRoutes } from './author.js';
import { attachment, cellLabel, cellLabels, CONTENT_TYPES, grids, withLabels } from './present.js';

export interface RateLimitOptions {
  /** Requests allowed per window per client IP. */
  max: number;
  windowMs: number;
}

export interface AppOptions {
  /** SQLite file or postgres:// URL. */
  db?: string;
  /** PostgreSQL URL (used when db is not given). */
  databaseUrl?: string;
  /** Reading needs no sign-in (writes always do). */
  publicRead?: boolean;
  /** Folder of the default database file (gongkai.db) when neither db nor databaseUrl is given. */
  dataDir?: string;
  /** Largest upload, bytes (default 20 MB). */
  maxUploadBytes?: number;
  rateLimit?: { login?: RateLimitOptions; write?: RateLimitOptions; authorCheck?: RateLimitOptions };
  /** Mark the session cookie Secure (behind HTTPS). */
  secureCookie?: boolean;
  logger?: boolean;
  /** Static front end folder (default ../../web from this module). */
  webDir?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    users: Users;
  }
  interface FastifyRequest {
    session?: Session;
  }
}

export const SESSION_COOKIE = 'gk_session';
export const CSRF_HEADER = 'x-csrf-token';
const DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024;

type Bi = { zh: string; en: string };

/** An error with an HTTP status and a bilingual message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly text: Bi,
  ) {
    super(text.en);
  }
}

const E = {
  signIn: () => new HttpError(401, 'unauthenticated', { zh: '请先登录。', en: 'Please sign in.' }),
  role: (need: Role) => new HttpError(403, 'forbidden', { zh: `此操作需要“${need === 'admin' ? '管理员' : '审核员'}”或更高权限。`, en: `This needs the ${need} role or higher.` }),
  csrf: () => new HttpError(403, 'csrf', { zh: '缺少或错误的 CSRF 令牌，请刷新页面后重试。', en: 'Missing or wrong CSRF token; reload the page and retry.' }),
  bad: (zh: string, en: string) => new HttpError(400, 'bad-request', { zh, en }),
  notFound: (id: unknown) => new HttpError(404, 'not-found', { zh: `没有编号为 ${String(id)} 的报告。`, en: `No report has id ${String(id)}.` }),
  tooLarge: (max: number) => new HttpError(413, 'too-large', { zh: `上传文件过大（上限 ${Math.round(max / 1048576)} MB）。`, en: `The upload is too large (limit ${Math.round(max / 1048576)} MB).` }),
  tooMany: () => new HttpError(429, 'rate-limited', { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests; try again later.' }),
  outOfScope: (region: string) => new HttpError(403, 'out-of-scope', { zh: `您的账号仅限地区 ${region} 及其下级，此报告不在其中。`, en: `Your account is limited to region ${region} and below; this report is outside it.` }),
  scopedAdmin: () => new HttpError(403, 'forbidden', { zh: '限定地区的管理员不能管理用户或导入演示数据。', en: 'An admin limited to a region cannot manage users or import the demo data.' }),
};

/** Fixed-window counter per client IP and bucket. */
class RateLimiter {
  private hits = new Map<string, { start: number; n: number }>();
  constructor(private readonly o: RateLimitOptions) {}
  hit(ip: string): boolean {
    const now = Date.now();
    const h = this.hits.get(ip);
    if (!h || now - h.start >= this.o.windowMs) {
      if (this.hits.size > 10_000) this.hits.clear();
      this.hits.set(ip, { start: now, n: 1 });
      return true;
    }
    h.n++;
    return h.n <= this.o.max;
  }
}

const here = dirname(fileURLToPath(import.meta.url));

function defaultWebDir(): string {
  return join(here, '..', '..', 'web');
}

export async function buildApp(opts: AppOptions = {}): Promise<FastifyInstance> {
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: maxUpload + 64 * 1024, trustProxy: false });
  const dbSpec = opts.db ?? opts.databaseUrl ?? join(opts.dataDir ?? '.', 'gongkai.db');
  const store = await Store.open({ db: dbSpec, env: {} });
  const users = new Users(store.db, store.dialect);
  try {
    await users.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  app.decorate('store', store);
  app.decorate('users', users);
  app.addHook('onClose', async () => {
    await store.close();
  });

  const loginLimit = new RateLimiter(opts.rateLimit?.login ?? { max: 10, windowMs: 60_000 });
  const writeLimit = new RateLimiter(opts.rateLimit?.write ?? { max: 120, windowMs: 60_000 });
  // The authoring form checks as the user types (debounced): a limit of its own, above the write limit.
  const authorCheckLimit = new RateLimiter(opts.rateLimit?.authorCheck ?? { max: 600, windowMs: 60_000 });

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: maxUpload, files: 1, fields: 10, fieldSize: maxUpload } });

  // ---------------------------------------------------------------- security headers, sessions

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }
    return payload;
  });

  app.addHook('onRequest', async (req) => {
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) req.session = await users.session(token);
  });

  const requireRead = (req: FastifyRequest) => {
    if (!opts.publicRead && !req.session) throw E.signIn();
  };
  const checkCsrf = (req: FastifyRequest) => {
    const got = req.headers[CSRF_HEADER];
    const want = req.session?.csrf;
    if (!want || typeof got !== 'string' || got.length !== want.length || !timingSafeEqual(Buffer.from(got), Buffer.from(want))) throw E.csrf();
  };
  /** Every write: a signed-in user of the role, the CSRF header, and the per-IP limit. */
  const requireWrite = (req: FastifyRequest, role: Role) => {
    if (!writeLimit.hit(req.ip)) throw E.tooMany();
    if (!req.session) throw E.signIn();
    checkCsrf(req);
    if (!roleAtLeast(req.session.user.role, role)) throw E.role(role);
  };
  /** Managing accounts and the demo data set: an admin not limited to a region. */
  const requireFullAdmin = (req: FastifyRequest) => {
    requireWrite(req, 'admin');
    if (req.session!.user.region) throw E.scopedAdmin();
  };

  // ---------------------------------------------------------------- region scopes (scope.ts)

  /** The region scope of the signed-in user's writes; undefined when not limited. */
  const writeScope = async (req: FastifyRequest): Promise<RegionScope | null | undefined> => {
    const code = req.session?.user.region;
    return code ? scopeOf(store, code) : undefined;
  };
  /** What reads are limited to: nothing on a public server or for an unlimited user. */
  const readLimit = async (req: FastifyRequest): Promise<{ code: string; scope: RegionScope | null } | undefined> => {
    const code = req.session?.user.region;
    if (opts.publicRead || !code) return undefined;
    return { code, scope: await scopeOf(store, code) };
  };
  const assertWritable = async (req: FastifyRequest, r: RegionLinks) => {
    const scope = await writeScope(req);
    if (scope !== undefined && !inScope(scope, r)) throw E.outOfScope(req.session!.user.region!);
  };
  /** A report outside the reader's scope is answered like a missing one. */
  const readable = async <R extends RegionLinks & { id: number }>(req: FastifyRequest, r: R | undefined, id: number): Promise<R> => {
    if (!r) throw E.notFound(id);
    const lim = await readLimit(req);
    if (lim && !inScope(lim.scope, r)) throw E.notFound(id);
    return r;
  };
  /** The region code a request names (code or name), checked against the hierarchy; null to clear. */
  const regionParam = async (v: unknown): Promise<string | null> => {
    if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) return null;
    if (typeof v !== 'string' || v.length > 100) throw E.bad('地区应为代码或名称。', 'region must be a code or a name.');
    const r = await resolveRegion(store, v);
    if ('region' in r) return r.region.code;
    if (r.error === 'ambiguous') {
      const list = r.candidates.slice(0, 8).map((c) => `${c.code} ${c.name}`).join('、');
      throw E.bad(`有多个地区名为“${v}”，请改用代码：${list}`, `Several regions are called "${v}"; give a code: ${list}`);
    }
    throw E.bad(`没有名为或代码为“${v}”的地区。`, `No region has the name or code "${v}".`);
  };
  const regionName = async (code: string | null) => (code ? ((await store.regionTree())?.get(code) ?? builtinDivisions().get(code))?.name ?? null : null);
  const userOut = async (u: { id: number; name: string; role: Role; region: string | null; createdAt?: string }) => ({ id: u.id, name: u.name, role: u.role, region: u.region, regionName: await regionName(u.region), ...(u.createdAt ? { createdAt: u.createdAt } : {}) });

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: !!opts.secureCookie, maxAge: Math.floor(SESSION_TTL_MS / 1000) });

  app.setErrorHandler((e: unknown, req, reply) => {
    const send = (status: number, code: string, message: Bi) => reply.status(status).send({ error: { code, message } });
    if (e instanceof HttpError) return send(e.statusCode, e.code, e.text);
    if (e instanceof UserError) return send(e.code === 'exists' ? 409 : 400, e.code, e.text);
    if (e instanceof StoreError) {
      const status = e.code === 'not-found' ? 404 : e.code === 'bad-argument' ? 400 : e.code === 'db-locked' ? 503 : 500;
      return send(status, e.code, e.text);
    }
    if (e instanceof GongkaiError) return send(e.code === 'too-large' ? 413 : 422, e.code, e.text);
    const fe = e as { statusCode?: number; code?: string; message?: string };
    if (fe.statusCode === 413) return send(413, 'too-large', E.tooLarge(maxUpload).text);
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return send(fe.statusCode, fe.code ?? 'bad-request', { zh: `请求有误：${fe.message ?? ''}`, en: `Bad request: ${fe.message ?? ''}` });
    req.log.error(e);
    return send(500, 'internal', { zh: '服务器内部错误。', en: 'Internal server error.' });
  });

  // ---------------------------------------------------------------- input

  /** The uploaded bytes: multipart field "file", or JSON { text, name }. */
  async function readUpload(req: FastifyRequest): Promise<{ bytes: Uint8Array; name: string }> {
    if (req.isMultipart()) {
      let part;
      try {
        part = await req.file();
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 413) throw E.tooLarge(maxUpload);
        throw e;
      }
      if (!part) throw E.bad('缺少上传文件（字段 file）。', 'No file uploaded (field "file").');
      if (part.fieldname !== 'file') throw E.bad('上传字段应为 file。', 'The upload field must be "file".');
      let buf: Buffer;
      try {
        buf = await part.toBuffer();
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 413) throw E.tooLarge(maxUpload);
        throw e;
      }
      if (part.file.truncated) throw E.tooLarge(maxUpload);
      return { bytes: new Uint8Array(buf), name: safeName(part.filename || 'upload') };
    }
    const body = req.body as { text?: unknown; name?: unknown } | undefined;
    if (!body || typeof body.text !== 'string' || !body.text.trim()) throw E.bad('请上传文件或粘贴报告全文。', 'Upload a file or paste the report text.');
    const bytes = new TextEncoder().encode(body.text);
    if (bytes.length > maxUpload) throw E.tooLarge(maxUpload);
    return { bytes, name: safeName(typeof body.name === 'string' && body.name.trim() ? body.name : 'pasted.txt') };
  }

  // ---------------------------------------------------------------- accounts

  app.get('/api/me', async (req) => {
    const s = req.session;
    return {
      user: s ? await userOut(s.user) : null,
      csrf: s?.csrf ?? null,
      publicRead: !!opts.publicRead,
      setupNeeded: (await users.count()) === 0,
      version: PARSER_VERSION,
      maxUploadBytes: maxUpload,
    };
  });

  app.post('/api/setup', async (req, reply) => {
    if (!loginLimit.hit(req.ip)) throw E.tooMany();
    if ((await users.count()) > 0) throw new HttpError(409, 'already-set-up', { zh: '已有用户，不能再次初始化；请登录。', en: 'Users exist already; sign in instead.' });
    const b = (req.body ?? {}) as { name?: unknown; password?: unknown };
    const user = await users.create(b.name, b.password, 'admin');
    const { token, session } = await users.startSession(user);
    setSessionCookie(reply, token);
    return { user: await userOut(user), csrf: session.csrf };
  });

  app.post('/api/login', async (req, reply) => {
    if (!loginLimit.hit(req.ip)) throw E.tooMany();
    const b = (req.body ?? {}) as { name?: unknown; password?: unknown };
    const user = await users.authenticate(b.name, b.password);
    if (!user) throw new HttpError(401, 'bad-credentials', { zh: '用户名或密码错误。', en: 'Wrong user name or password.' });
    const old = req.cookies?.[SESSION_COOKIE];
    if (old) await users.endSession(old);
    const { token, session } = await users.startSession(user);
    setSessionCookie(reply, token);
    return { user: await userOut(user), csrf: session.csrf };
  });

  app.post('/api/logout', async (req, reply) => {
    if (req.session) checkCsrf(req);
    await users.endSession(req.cookies?.[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/users', async (req) => {
    if (!req.session) throw E.signIn();
    if (!roleAtLeast(req.session.user.role, 'admin')) throw E.role('admin');
    if (req.session.user.region) throw E.scopedAdmin();
    return Promise.all((await users.list()).map(userOut));
  });

  app.post('/api/users', async (req) => {
    requireFullAdmin(req);
    const b = (req.body ?? {}) as { name?: unknown; password?: unknown; role?: unknown; region?: unknown };
    const region = await regionParam(b.region);
    return userOut(await users.create(b.name, b.password, b.role ?? 'viewer', region));
  });

  // Role and region scope of an existing user ("region": code or name; "" or null: everywhere).
  app.patch('/api/users/:id', async (req) => {
    requireFullAdmin(req);
    const raw = (req.params as { id: string }).id;
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw E.bad('请求体应为 JSON 对象。', 'The request body must be a JSON object.');
    const b = req.body as { role?: unknown; region?: unknown };
    const change: { role?: unknown; region?: string | null } = {};
    if (b.role !== undefined) change.role = b.role;
    if ('region' in b) change.region = await regionParam(b.region);
    const self = Number(raw) === req.session!.user.id;
    if (self && change.role !== undefined && change.role !== 'admin') throw E.bad('不能降低自己的角色。', 'You cannot lower your own role.');
    // A limited admin can no longer manage users: limiting oneself could leave nobody who can.
    if (self && change.region) throw E.bad('不能限定自己的地区范围。', 'You cannot limit your own account to a region.');
    const u = /^\d{1,9}$/.test(raw) ? await users.update(Number(raw), change) : undefined;
    if (!u) throw new HttpError(404, 'not-found', { zh: `没有编号为 ${raw} 的用户。`, en: `No user has id ${raw}.` });
    return userOut(u);
  });

  // ---------------------------------------------------------------- parse & store

  app.post('/api/parse', async (req) => {
    requireRead(req);
    if (req.session) checkCsrf(req);
    if (!writeLimit.hit(req.ip)) throw E.tooMany();
    const { bytes, name } = await readUpload(req);
    let result: ParseResult;
    try {
      result = await parseBytes(bytes, name);
    } catch (e) {
      throw toGongkaiError(e, name);
    }
    const findings = check(result);
    return {
      source: name,
      hash: contentHash(bytes),
      canonical: canonical(result.report),
      findings: withLabels(findings, result.report.template),
      provenance: result.provenance,
      found: result.found,
      info: result.info,
      grids: grids(result.report),
      labels: cellLabels(result.report),
      lines: sourceLines(bytes),
    };
  });

  app.post('/api/reports', async (req) => {
    requireWrite(req, 'reviewer');
    const { bytes, name } = await readUpload(req);
    const r = (await writeScope(req)) === undefined ? await store.importBytes(bytes, name) : await importWithinScope(req, bytes, name);
    if (r.status === 'failed') throw r.error;
    const stored = await store.get(r.id);
    return { status: r.status, id: r.id, hash: r.hash, agency: stored?.agency ?? null, year: stored?.year ?? null, findings: stored?.findings.length ?? 0 };
  });

  /** A limited user's upload: parsed first, stored only when its agency lies inside the scope. */
  async function importWithinScope(req: FastifyRequest, bytes: Uint8Array, name: string) {
    const known = await store.idOfHash(contentHash(bytes));
    if (known !== undefined) {
      await assertWritable(req, (await store.get(known))!);
      return store.importBytes(bytes, name);
    }
    let result: ParseResult;
    try {
      result = await parseBytes(bytes, name);
    } catch (e) {
      throw toGongkaiError(e, name);
    }
    await assertWritable(req, await linksOfAgency(store, result.report.agency));
    return store.storeParsed(bytes, contentHash(bytes), name, result);
  }

  // ---------------------------------------------------------------- read

  const reviewed = (r: StoredReport, decisions: Decision[]) => {
    const k = decisionKeyOf(r);
    return applyDecisions(r.findings, decisions.filter((d) => d.agencyKey === k.agencyKey && d.year === k.year));
  };
  const brief = (r: StoredReport, fs: ReviewedFinding[]) => {
    const live = fs.filter((f) => f.decision?.decision !== 'dismissed');
    return {
      id: r.id,
      agency: r.agency,
      agencyKey: r.agencyKey,
      year: r.year,
      template: r.template,
      publishedAt: r.publishedAt,
      region: r.region,
      title: r.report.title,
      fileName: r.fileName,
      errors: live.filter((f) => f.severity === 'error').length,
      warnings: live.filter((f) => f.severity === 'warning').length,
      open: fs.filter((f) => f.severity !== 'info' && !f.decision).length,
      rules: [...new Set(live.filter((f) => f.severity !== 'info').map((f) => f.ruleId))],
      newReceived: r.report.table3?.newReceived?.total ?? null,
    };
  };

  // Search runs in SQL (parameterised) over the summary columns, one page at a time.
  app.get('/api/reports', async (req, reply) => {
    requireRead(req);
    const p = req.query as Record<string, string | undefined>;
    const str = (v: unknown, what: string, max = 200): string | undefined => {
      if (v === undefined || v === '') return undefined;
      if (typeof v !== 'string' || v.length > max) throw E.bad(`${what} 无效。`, `${what} is invalid.`);
      return v;
    };
    const bool = (v: unknown, what: string): boolean | undefined => {
      const x = str(v, what, 8);
      if (x === undefined) return undefined;
      if (/^(1|true|yes)$/i.test(x)) return true;
      if (/^(0|false|no)$/i.test(x)) return false;
      throw E.bad(`${what} 应为 true 或 false。`, `${what} must be true or false.`);
    };
    const year = optInt(p.year, 'year');
    const limit = Math.min(optInt(p.limit, 'limit') ?? 50, 500);
    const offset = optInt(p.offset, 'offset') ?? 0;
    const filter = {
      q: str(p.q, 'q'),
      year,
      template: str(p.template, 'template', 20),
      region: str(p.region, 'region'),
      agencyKey: str(p.agencyKey, 'agencyKey'),
      outcome: str(p.outcome, 'outcome', 60),
      rule: str(p.rule, 'rule', 80),
      hasErrors: bool(p.hasErrors, 'hasErrors'),
      open: bool(p.open, 'open'),
    };
    // The same search (e.g. paging back and forth) is answered from the cache until the data change.
    const lim = await readLimit(req);
    return cached(reply, `reports:${lim?.code ?? ''}:${JSON.stringify([filter, limit, offset])}`, async () => {
      const r = lim ? await searchInScope(store, lim.scope, filter, limit, offset) : await store.search({ ...filter, limit, offset });
      return { total: r.total, offset, limit, items: r.items };
    });
  });

  const reportId = (req: FastifyRequest) => {
    const raw = (req.params as { id: string }).id;
    if (!/^\d{1,9}$/.test(raw)) throw E.notFound(raw);
    return Number(raw);
  };

  app.get('/api/reports/:id', async (req) => {
    requireRead(req);
    const id = reportId(req);
    const r = await readable(req, await store.get(id), id);
    const fs = applyDecisions(r.findings, await store.decisionsFor(r));
    const lim = await readLimit(req);
    const siblings = r.agencyKey ? (await store.list({ agencyKey: r.agencyKey })).filter((s) => !lim || inScope(lim.scope, s)).map((s) => ({ id: s.id, year: s.year })) : [];
    return {
      ...brief(r, fs),
      hash: r.hash,
      importedAt: r.importedAt,
      parserVersion: r.parserVersion,
      canonical: canonical(r.report),
      findings: withLabels(fs, r.report.template),
      provenance: r.provenance,
      grids: grids(r.report),
      labels: cellLabels(r.report),
      siblings,
    };
  });

  app.get('/api/reports/:id/canonical', async (req) => {
    requireRead(req);
    const id = reportId(req);
    const r = await readable(req, await store.get(id), id);
    return canonical(r.report);
  });

  app.get('/api/reports/:id/source', async (req, reply) => {
    requireRead(req);
    const id = reportId(req);
    const r = await readable(req, await store.get(id), id);
    const bytes = await store.source(id);
    if (!bytes) throw E.notFound(id);
    if ((req.query as { as?: string }).as === 'lines') return { format: detectFormat(bytes), lines: sourceLines(bytes) };
    // Never inline: an uploaded HTML file must not run in this origin.
    reply.header('content-disposition', attachment(r.fileName));
    reply.header('content-security-policy', "default-src 'none'; sandbox");
    return reply.type('application/octet-stream').send(Buffer.from(bytes));
  });

  app.get('/api/reports/:id/render', async (req, reply) => {
    requireRead(req);
    const id = reportId(req);
    const to = ((req.query as { to?: string }).to ?? 'html') as RenderFormat;
    if (!RENDER_FORMATS.includes(to)) throw E.bad(`格式应为 ${RENDER_FORMATS.join('、')} 之一。`, `The format must be one of ${RENDER_FORMATS.join(', ')}.`);
    const r = await readable(req, await store.get(id), id);
    // A PDF starts LibreOffice: limited like a write.
    if (to === 'pdf' && !writeLimit.hit(req.ip)) throw E.tooMany();
    const out = await render(r.report, to);
    if (to === 'html') {
      // The writer escapes all report text; the policy forbids scripts anyway.
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      return reply.type(CONTENT_TYPES.html).send(out);
    }
    if (typeof out !== 'string') reply.header('content-disposition', attachment(`report-${id}.${to}`));
    return reply.type(CONTENT_TYPES[to]).send(typeof out === 'string' ? out : Buffer.from(out));
  });

  app.post('/api/reports/:id/decisions', async (req) => {
    requireWrite(req, 'reviewer');
    const id = reportId(req);
    const b = (req.body ?? {}) as { ruleId?: unknown; path?: unknown; decision?: unknown; comment?: unknown };
    if (typeof b.ruleId !== 'string' || !b.ruleId) throw E.bad('缺少规则编号 ruleId。', 'ruleId is required.');
    if (b.decision !== 'confirmed' && b.decision !== 'dismissed') throw E.bad('decision 应为 confirmed 或 dismissed。', 'decision must be confirmed or dismissed.');
    const path = typeof b.path === 'string' && b.path ? b.path : '-';
    const comment = typeof b.comment === 'string' ? b.comment.slice(0, 2000) : null;
    const who = req.session!.user.name;
    // Read access first: a region-limited user gets the same 404 for a report outside their
    // region as for a missing one, so ids outside it are not revealed.
    const target = await readable(req, await store.get(id), id);
    await assertWritable(req, target);
    const d = await store.decide(id, b.ruleId, path, b.decision, comment ? `${comment}` : null, who);
    return { ...d, by: who };
  });

  app.get('/api/agencies/:key', async (req) => {
    requireRead(req);
    const key = (req.params as { key: string }).key;
    const decisions = await store.allDecisions();
    const lim = await readLimit(req);
    const rows = (await store.list({ agencyKey: key })).filter((r) => !lim || inScope(lim.scope, r)).sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || a.id - b.id);
    const diffs = [];
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1], b = rows[i];
      const c = compareReports(a.report, b.report);
      diffs.push({ a: a.id, b: b.id, aYear: a.year, bYear: b.year, fields: c.fields, cells: c.cells.map((d) => ({ ...d, label: cellLabel(d.path, b.template as TemplateId) })) });
    }
    return { agencyKey: key, agency: rows.at(-1)?.agency ?? null, reports: rows.map((r) => brief(r, reviewed(r, decisions))), diffs };
  });

  // Aggregate reads are cached briefly, keyed by the store's data version (a cheap count of
  // reports and decisions), so a dashboard under load reads the store once per change.
  const cache = new Map<string, { version: string; at: number; value: Promise<string> }>();
  let versionMemo: { at: number; value: Promise<string> } | undefined;
  const dataVersion = () => {
    const now = Date.now();
    if (!versionMemo || now - versionMemo.at > 1000) versionMemo = { at: now, value: store.dataVersion() };
    return versionMemo.value;
  };
  /** The JSON of fn(), computed once per data version (and at most 30 s old), sent as is. */
  const cached = async (reply: FastifyReply, key: string, fn: () => Promise<unknown>, ttlMs = 30_000): Promise<FastifyReply> => {
    const version = await dataVersion();
    let hit = cache.get(key);
    if (!hit || hit.version !== version || Date.now() - hit.at >= ttlMs) {
      if (cache.size > 500) cache.clear();
      const value = fn().then((v) => JSON.stringify(v));
      hit = { version, at: Date.now(), value };
      cache.set(key, hit);
      value.catch(() => cache.delete(key));
    }
    return reply.type('application/json; charset=utf-8').send(await hit.value);
  };
  const forgetCaches = () => {
    cache.clear();
    versionMemo = undefined;
  };
  app.addHook('onResponse', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') forgetCaches();
  });

  const statsNow = async (lim?: { scope: RegionScope | null }) => {
    const within = lim && withinOf(lim.scope);
    const o = !lim ? await store.overview(10) : within ? await store.overview(10, within) : await overviewWithin(await idsInScope(store, lim.scope));
    const byYear: Record<string, number> = {};
    const byTemplate: Record<string, number> = {};
    for (const r of o.byYear) {
      const y = r.year === null ? 'unknown' : String(r.year);
      byYear[y] = (byYear[y] ?? 0) + r.reports;
      byTemplate[r.template] = (byTemplate[r.template] ?? 0) + r.reports;
    }
    const sortKeys = <T>(x: Record<string, T>) => Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)));
    const n = o.reports;
    const errorRates = o.errorRules
      .map((e) => ({ ruleId: e.ruleId, reports: e.reports, rate: n ? Math.round((e.reports / n) * 10000) / 10000 : 0 }))
      .sort((a, b) => b.reports - a.reports || a.ruleId.localeCompare(b.ruleId));
    const topAgencies = o.agencies.map((a) => ({ agency: a.agency ?? '(unknown)', agencyKey: a.agencyKey, reports: a.reports, newReceived: a.newReceived }));
    // Per-year and outcome totals from the precomputed sums (covering index, no report JSON).
    const inputs = lim ? (await store.sumInputs({})).filter((r) => inScope(lim.scope, r)) : await store.sumInputs({ yearOnly: true });
    const groups = sumBy(inputs, 'year').groups;
    const perYear = groups.map((g) => ({ year: g.key, reports: g.reports, newReceived: g.table3.newReceived?.total ?? 0, totalHandled: g.table3.totalHandled?.total ?? 0 }));
    const outcomes = TABLE3_ROWS.filter((r) => r.group === 'outcome').map((row) => ({
      key: row.key,
      label: row.label,
      total: Math.round(groups.reduce((s, g) => s + (g.table3[row.key]?.total ?? 0), 0) * 1e6) / 1e6,
    }));
    const rules = Object.fromEntries(RULES.map((r) => [r.id, r.title]));
    return { reports: n, byYear: sortKeys(byYear), byTemplate: sortKeys(byTemplate), errorRates, topAgencies, perYear, outcomes, ruleTitles: rules };
  };

  /**
   * store.overview() for the reports of an id set, from their search rows: only for a subtree too
   * large for the store's SQL filter (withinOf). Error rates count a report's live rules whose
   * catalogue severity is error, which over-counts a rule that also warns.
   */
  const overviewWithin = async (ids: Set<number>): Promise<Awaited<ReturnType<Store['overview']>>> => {
    const rows = (await searchWithin(store, ids, {}, Number.MAX_SAFE_INTEGER, 0)).items;
    const byYear = new Map<string, { year: number | null; template: string; reports: number }>();
    const perRule = new Map<string, number>();
    const agencies = new Map<string, { key: string; agency: string | null; agencyKey: string | null; reports: number; newReceived: number }>();
    const errorRule = new Set(RULES.filter((r) => r.severity === 'error').map((r) => r.id));
    for (const r of rows) {
      const k = `${r.year}|${r.template}`;
      const y = byYear.get(k) ?? { year: r.year, template: r.template, reports: 0 };
      y.reports++;
      byYear.set(k, y);
      // Live rules hold errors and warnings; a rule's severity says which one it is.
      if (r.errors > 0) for (const id of r.rules) if (errorRule.has(id)) perRule.set(id, (perRule.get(id) ?? 0) + 1);
      const ak = r.agencyKey ?? r.agency ?? `#${r.id}`;
      const a = agencies.get(ak) ?? { key: ak, agency: r.agency, agencyKey: r.agencyKey, reports: 0, newReceived: 0 };
      a.reports++;
      a.newReceived += r.newReceived ?? 0;
      agencies.set(ak, a);
    }
    const top = [...agencies.values()].sort((a, b) => b.newReceived - a.newReceived || (a.agency ?? '').localeCompare(b.agency ?? '')).slice(0, 10);
    return { reports: rows.length, byYear: [...byYear.values()], errorRules: [...perRule].map(([ruleId, reports]) => ({ ruleId, reports })), agencies: top };
  };

  app.get('/api/stats', async (req, reply) => {
    requireRead(req);
    const lim = await readLimit(req);
    return cached(reply, `stats:${lim?.code ?? ''}`, () => statsNow(lim));
  });

  app.get('/api/sum', async (req, reply) => {
    requireRead(req);
    const p = req.query as { by?: string; year?: string };
    const by = (p.by ?? 'year') as SumBy;
    if (!['year', 'region', 'agency'].includes(by)) throw E.bad('by 应为 year、region 或 agency。', 'by must be year, region or agency.');
    const year = optInt(p.year, 'year');
    const lim = await readLimit(req);
    const inputs = async () => (lim ? (await store.sumInputs({ year })).filter((r) => inScope(lim.scope, r)) : store.sumInputs({ year, yearOnly: by === 'year' }));
    return cached(reply, `sum:${lim?.code ?? ''}:${by}:${year ?? ''}`, async () => ({ by, year: year ?? null, groups: sumBy(await inputs(), by).groups }));
  });

  app.get('/api/coverage', async (req, reply) => {
    requireRead(req);
    const year = optInt((req.query as { year?: string }).year, 'year');
    if (year === undefined) throw E.bad('缺少年度 year。', 'year is required.');
    const lim = await readLimit(req);
    return cached(reply, `coverage:${lim?.code ?? ''}:${year}`, async () => {
      const ids = lim && (await idsInScope(store, lim.scope));
      return coverage((await store.coverageInputs(year)).filter((r) => !ids || ids.has(r.id)), year);
    });
  });

  // A rectification list for the supervising office: one row per unresolved error finding.
  app.get('/api/rectification.xlsx', async (req, reply) => {
    requireRead(req);
    const p = req.query as { region?: string; year?: string };
    const year = optInt(p.year, 'year');
    const region = typeof p.region === 'string' && p.region.trim() ? p.region.trim().slice(0, 200) : undefined;
    const lim = await readLimit(req);
    const rows = (await store.unresolvedErrors({ region, year })).filter((x) => !lim || inScope(lim.scope, x.report));
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Gongkai';
    const ws = wb.addWorksheet('整改清单');
    ws.columns = [
      { header: '序号', key: 'n', width: 6 },
      { header: '机关', key: 'agency', width: 30 },
      { header: '地区', key: 'region', width: 12 },
      { header: '年度', key: 'year', width: 8 },
      { header: '报告编号', key: 'id', width: 10 },
      { header: '规则', key: 'rule', width: 24 },
      { header: '问题说明', key: 'message', width: 60 },
      { header: '单元格', key: 'cells', width: 40 },
      { header: '审核状态', key: 'status', width: 10 },
    ];
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    let n = 0;
    for (const { report: r, findings } of rows) {
      const tpl = r.template as TemplateId;
      for (const f of findings) {
        ws.addRow({
          n: ++n,
          agency: r.agency ?? r.agencyKey ?? r.fileName,
          region: r.region ?? '',
          year: r.year ?? '',
          id: r.id,
          rule: f.ruleId,
          message: f.message.zh,
          cells: f.paths.map((x) => pathLabel(x, 'zh', tpl)).join('；'),
          status: f.decision?.decision === 'confirmed' ? '已确认' : '待审核',
        });
      }
    }
    ws.getColumn('message').alignment = { wrapText: true, vertical: 'top' };
    ws.getColumn('cells').alignment = { wrapText: true, vertical: 'top' };
    const buf = await wb.xlsx.writeBuffer();
    const name = `整改清单${region ? `-${region}` : ''}${year !== undefined ? `-${year}` : ''}.xlsx`;
    reply.header('content-disposition', attachment(name));
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(Buffer.from(buf as ArrayBuffer));
  });

  app.get('/api/compare', async (req) => {
    requireRead(req);
    const p = req.query as { a?: string; b?: string };
    const a = optInt(p.a, 'a'), b = optInt(p.b, 'b');
    if (a === undefined || b === undefined) throw E.bad('需要 a 和 b 两个报告编号。', 'Both a and b report ids are required.');
    const A = await readable(req, await store.get(a), a);
    const B = await readable(req, await store.get(b), b);
    const c = compareReports(A.report, B.report);
    const side = (r: StoredReport) => ({ id: r.id, agency: r.agency, agencyKey: r.agencyKey, year: r.year, template: r.template, title: r.report.title, fileName: r.fileName });
    // grids: the second report's tables in the official layout, for showing the differences in place.
    return { a: side(A), b: side(B), grids: grids(B.report), ...c, cells: c.cells.map((d) => ({ ...d, label: cellLabel(d.path, B.template as TemplateId) })) };
  });

  registerAuthorRoutes(app, {
    requireRead,
    checkCsrf,
    limitRender: (req) => {
      if (!writeLimit.hit(req.ip)) throw E.tooMany();
    },
    limitCheck: (req) => {
      if (!authorCheckLimit.hit(req.ip)) throw E.tooMany();
    },
    bad: E.bad,
    storedReport: async (req, id) => (await readable(req, await store.get(id), id)).report,
  });

  app.get('/api/rules', async () => RULES.map((r) => ({ id: r.id, severity: r.severity, title: r.title, doc: r.doc })));

  app.get('/api/openapi.json', async () => openApiDocument());

  app.post('/api/demo', async (req) => {
    requireFullAdmin(req);
    const out = await importDemo(store);
    return {
      imported: out.filter((o) => o.status === 'imported').length,
      duplicates: out.filter((o) => o.status === 'duplicate').length,
      failed: out.filter((o) => o.status === 'failed').map((o) => ({ source: o.source, error: o.status === 'failed' ? o.error.text : null })),
    };
  });

  app.all('/api/*', async () => {
    throw new HttpError(404, 'no-route', { zh: '没有这个接口。', en: 'No such API route.' });
  });

  // ---------------------------------------------------------------- static front end

  const webDir = opts.webDir ?? defaultWebDir();
  if (existsSync(webDir)) await app.register(fastifyStatic, { root: webDir, prefix: '/', index: ['index.html'] });
  try {
    const echarts = dirname(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'));
    await app.register(fastifyStatic, { root: echarts, prefix: '/vendor/echarts/', decorateReply: false, allowedPath: (p) => p === '/echarts.min.js' });
  } catch {
    // ECharts missing: the dashboard shows tables only.
  }

  return app;
}

// ---------------------------------------------------------------- helpers

function optInt(v: string | undefined, what: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v)) throw E.bad(`${what} 应为非负整数。`, `${what} must be a non-negative integer.`);
  return Number(v);
}

function safeName(n: string): string {
  const base = n.split(/[\\/]/).pop() ?? 'upload';
  return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'upload';
}

/** The text lines of a text-like source (plain text, Markdown, CSV, HTML); null for binary formats. */
function sourceLines(bytes: Uint8Array): string[] | null {
  const f = detectFormat(bytes);
  if (f !== 'text' && f !== 'html') return null;
  const lines = decodeText(bytes).text.split(/\r\n|\r|\n/);
  return lines.length > 20_000 ? lines.slice(0, 20_000) : lines;
}
