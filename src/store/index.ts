// The report store: embedded SQLite by default (one file, ./gongkai.db), PostgreSQL when
// DATABASE_URL is set (or --db is a postgres:// URL). One schema, migrated on open; one
// transaction per report, so an interrupted import keeps everything it committed.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { SqliteDialectKeepingCause } from './sqlite-dialect.js';
import { parseBytes, PARSER_VERSION } from '../index.js';
import { parseMany, provenanceJson, readInput } from '../parse-pool.js';
import { check, type Finding } from '../check/index.js';
import { canonical } from '../model/canonical.js';
import type { ParseResult, Provenance, Report } from '../model/report.js';
import { GongkaiError, toGongkaiError, type Bilingual } from '../errors.js';
import { withDuplicates, withPreviousYear } from '../analyze/cross-rules.js';
import { builtinDivisions, NOT_A_REGION, regionOf, RegionTree, type RegionLevel, type RegionRow } from '../analyze/region.js';
import { sparseTotals, type CoverageInput, type SumInput } from '../analyze/aggregate.js';
import { migrator, type Dialect } from './migrations.js';
import { StoreError } from './store-error.js';
import { addAliases, listAgencies, listAliases, loadAliasMap, readAliasFile, removeAlias, resolveAlias, resolveAliasKey, type AgencyAlias, type AgencyEntry, type AliasChange, type RekeyHooks } from './aliases.js';
import { normaliseQuery, planTextSearch, RARE_LIMIT, searchIndexPending, syncSearchIndex } from './search-index.js';
import type { Database, ReportsTable } from './schema.js';
import { applyDecisions, decisionKeyOf, type Decision, type ReviewedFinding, type StoredReport } from './types.js';

export * from './types.js';
export type { AgencyAlias, AgencyEntry, AliasChange } from './aliases.js';
export const DEFAULT_DB_FILE = 'gongkai.db';

export { StoreError, type StoreErrorCode } from './store-error.js';

export interface OpenOptions {
  /** SQLite file (or a postgres:// URL). Wins over DATABASE_URL when given. */
  db?: string;
  /** Environment to read DATABASE_URL from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for a locked SQLite file, ms (default 5000, or GONGKAI_DB_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface Target {
  dialect: Dialect;
  /** Absolute file path, or the URL with any password masked. */
  location: string;
  file?: string;
  url?: string;
}

export function resolveTarget(o: OpenOptions = {}): Target {
  const env = o.env ?? process.env;
  const isUrl = (s: string) => /^postgres(?:ql)?:\/\//i.test(s);
  if (o.db && isUrl(o.db)) return { dialect: 'postgres', url: o.db, location: maskUrl(o.db) };
  if (o.db) return { dialect: 'sqlite', file: resolve(o.db), location: resolve(o.db) };
  if (env.DATABASE_URL) return { dialect: 'postgres', url: env.DATABASE_URL, location: maskUrl(env.DATABASE_URL) };
  const file = resolve(DEFAULT_DB_FILE);
  return { dialect: 'sqlite', file, location: file };
}

function maskUrl(u: string): string {
  return u.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** Maps driver errors to StoreError (corrupt, locked, unreachable …). */
export function toStoreError(e: unknown, location: string): StoreError | GongkaiError {
  if (e instanceof StoreError || e instanceof GongkaiError) return e;
  const err = e as { code?: string; message?: string };
  const code = String(err?.code ?? '');
  const msg = String(err?.message ?? e);
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(code) || /file is not a database|malformed/i.test(msg)) {
    return new StoreError('db-corrupt', {
      zh: `数据库文件已损坏或不是 Gongkai 数据库：${location}。请换一个文件（--db），或从备份恢复。`,
      en: `The database file is corrupt or not a Gongkai database: ${location}. Use another file (--db) or restore a backup.`,
    });
  }
  if (/^SQLITE_FULL/.test(code) || /database or disk is full|ENOSPC|no space left/i.test(code + msg)) {
    return new StoreError('db-full', {
      zh: `磁盘已满，无法写入数据库文件：${location}。正在写入的那一份报告已整体回滚，之前导入的报告完整保留。请释放磁盘空间（或用 --db 换到有空间的位置）后重新运行同一命令，已导入的报告会被跳过。`,
      en: `The disk is full: cannot write the database file ${location}. The report being written was rolled back as a whole; those imported before are kept complete. Free disk space (or use --db for a place with room) and re-run the same command; reports already imported are skipped.`,
    });
  }
  if (code === '53100') {
    return new StoreError('db-full', {
      zh: `PostgreSQL 服务器磁盘已满（${location}）：${msg}。正在写入的那一份报告已回滚。请在服务器上释放空间后重新运行同一命令，已导入的报告会被跳过。`,
      en: `The PostgreSQL server's disk is full (${location}): ${msg}. The report being written was rolled back. Free space on the server and re-run the same command; reports already imported are skipped.`,
    });
  }
  // The server went away after the connection was made (restart, crash, terminated backend):
  // a reset socket is one too — the pool's connection was dropped by the server, which is what
  // a terminated backend looks like when the next query is sent on it.
  if (/^(57P0[123]|08)/.test(code) || /ECONNRESET/.test(code + msg) || /Connection terminated|terminating connection|not queryable|server closed the connection|not currently accepting connections|the database system is (?:shutting down|starting up|in recovery mode)/i.test(msg)) {
    return new StoreError('db-lost', {
      zh: `与 PostgreSQL 数据库（${location}）的连接中断：${msg}。正在写入的报告（如有）已回滚，之前导入的报告完整保留。请确认数据库服务器已恢复运行，然后重新运行同一命令，已导入的报告会被跳过。`,
      en: `The connection to the PostgreSQL database (${location}) was lost: ${msg}. The report being written, if any, was rolled back; those imported before are kept complete. Make sure the database server is running again, then re-run the same command; reports already imported are skipped.`,
    });
  }
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || /database is locked/i.test(msg)) {
    return new StoreError('db-locked', {
      zh: `数据库文件被另一个进程锁定：${location}。请等待另一个导入结束后重试。`,
      en: `The database file is locked by another process: ${location}. Wait for the other import to finish and retry.`,
    });
  }
  if (/^SQLITE_READONLY/.test(code)) {
    return new StoreError('db-readonly', { zh: `数据库文件只读，无法写入：${location}。`, en: `The database file is read-only: ${location}.` });
  }
  if (/^SQLITE_CANTOPEN/.test(code) || /unable to open database|directory does not exist/i.test(msg)) {
    return new StoreError('db-open', {
      zh: `无法打开数据库文件：${location}。请检查目录是否存在、是否有写权限。`,
      en: `Cannot open the database file: ${location}. Check that the folder exists and is writable.`,
    });
  }
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT/.test(code + msg) || /^(28|3D)/.test(code)) {
    return new StoreError('db-connect', {
      zh: `无法连接 PostgreSQL 数据库（${location}）：${msg}。请检查 DATABASE_URL。`,
      en: `Cannot connect to the PostgreSQL database (${location}): ${msg}. Check DATABASE_URL.`,
    });
  }
  return new StoreError('db-error', { zh: `数据库操作失败（${location}）：${msg}`, en: `Database operation failed (${location}): ${msg}` });
}

export type ImportOutcome =
  | { status: 'imported'; id: number; hash: string; source: string }
  | { status: 'duplicate'; id: number; hash: string; source: string }
  | { status: 'failed'; source: string; error: GongkaiError };

export interface ListFilter {
  year?: number;
  agencyKey?: string;
}

export interface SearchFilter extends ListFilter {
  /** Text in the agency, title, file name or agency key (case-insensitive). */
  q?: string;
  template?: string;
  region?: string;
  /** Reports with a live (not dismissed) error or warning of this rule. */
  rule?: string;
  /** Reports with a live error of this rule. */
  errorRule?: string;
  /** Reports with / without live errors. */
  hasErrors?: boolean;
  /** Reports with / without undecided errors or warnings. */
  open?: boolean;
  /** Reports whose table-3 row (e.g. granted) total is above 0. */
  outcome?: string;
  /** Reports linked to one of these regions (a region-limited account's subtree). */
  within?: { column: 'region_code' | 'division_code'; codes: readonly string[] };
  limit?: number;
  offset?: number;
}

/** One search hit: the report's summary, without its JSON. */
export type SearchRow = Pick<StoredReport, 'id' | 'agency' | 'agencyKey' | 'year' | 'template' | 'publishedAt' | 'region' | 'fileName'> & {
  title: string | null;
  errors: number;
  warnings: number;
  open: number;
  rules: string[];
  newReceived: number | null;
};

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

type Row = Omit<ReportsTable, 'id'> & { id: number };
const LIST_COLUMNS = ['id', 'hash', 'file_name', 'canonical', 'findings', 'parser_version', 'agency', 'agency_key', 'year', 'template', 'published_at', 'region', 'imported_at', 'region_code', 'division_code', 'aliases'] as const;

function toStored(r: Pick<Row, (typeof LIST_COLUMNS)[number]>): StoredReport {
  return {
    id: Number(r.id),
    hash: r.hash,
    fileName: r.file_name,
    report: JSON.parse(r.canonical) as Report,
    findings: JSON.parse(r.findings) as Finding[],
    parserVersion: r.parser_version,
    agency: r.agency,
    agencyKey: r.agency_key,
    year: r.year === null ? null : Number(r.year),
    template: r.template,
    publishedAt: r.published_at,
    region: r.region,
    importedAt: r.imported_at,
    regionCode: r.region_code,
    divisionCode: r.division_code,
    aliases: r.aliases ? (JSON.parse(r.aliases) as string[]) : [],
  };
}

export class Store {
  /** The imported region hierarchy (null when none is imported); loaded on first use. */
  private regionCache: { version: string; tree: RegionTree | null } | undefined;
  /** Posting-list length from which a search gram counts as common (search-index.ts); tests lower it to reach that path with few reports. */
  searchRareLimit = RARE_LIMIT;
  /** The better-sqlite3 handle (SQLite only), for the few reads where Kysely's row mapping costs too much. */
  private sqlite?: import('better-sqlite3').Database;
  /** Reports stored since the search index was last brought up to date (see storeParsed). */
  private unindexed = 0;

  private constructor(
    readonly db: Kysely<Database>,
    readonly target: Target,
  ) {}

  get dialect(): Dialect {
    return this.target.dialect;
  }
  get location(): string {
    return this.target.location;
  }

  /** Opens (creating when absent) and migrates the store. */
  static async open(o: OpenOptions = {}): Promise<Store> {
    const target = resolveTarget(o);
    let db: Kysely<Database> | undefined;
    let sqliteHandle: import('better-sqlite3').Database | undefined;
    try {
      if (target.dialect === 'sqlite') {
        const { default: SQLite } = await import('better-sqlite3');
        const timeout = o.timeoutMs ?? (Number((o.env ?? process.env).GONGKAI_DB_TIMEOUT_MS) || 5000);
        const handle = new SQLite(target.file!, { timeout });
        try {
          handle.pragma('journal_mode = WAL');
          handle.pragma('synchronous = NORMAL');
          handle.pragma('foreign_keys = ON');
          // GONGKAI_SQLITE_MAX_PAGES caps the file (pages of 4 KiB): writes beyond it fail as a full
          // disk does (SQLITE_FULL). A quota for a shared machine, and how the full-disk path is tested
          // where no small filesystem can be mounted.
          const maxPages = Number((o.env ?? process.env).GONGKAI_SQLITE_MAX_PAGES);
          if (maxPages > 0) handle.pragma(`max_page_count = ${Math.floor(maxPages)}`);
          handle.prepare('select count(*) from sqlite_master').get();
        } catch (e) {
          handle.close();
          throw e;
        }
        db = new Kysely<Database>({ dialect: new SqliteDialectKeepingCause({ database: handle }) });
        sqliteHandle = handle;
      } else {
        const { default: pg } = await import('pg');
        const types = {
          getTypeParser: (oid: number, format?: string) =>
            oid === 20 || oid === 1700 ? (v: string) => Number(v) : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format),
        };
        const pool = new pg.Pool({ connectionString: target.url, max: 4, types: types as never, connectionTimeoutMillis: 10_000 });
        pool.on('error', () => {}); // an idle client dropping is reported by the next query
        // A checked-out client whose server goes away between two queries (a transaction in
        // progress) emits 'error' too; without a listener that kills the process with a stack
        // trace. Its next query fails instead ("not queryable"), which is reported as db-lost.
        pool.on('connect', (client) => client.on('error', () => {}));
        db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      }
      const { error } = await migrator(db, target.dialect).migrateToLatest();
      if (error) throw error;
      const store = new Store(db, target);
      store.sqlite = sqliteHandle;
      await store.backfill();
      return store;
    } catch (e) {
      await db?.destroy().catch(() => {});
      throw toStoreError(e, target.location);
    }
  }

  async close(): Promise<void> {
    // Best effort: whatever stays queued is indexed by the next search or open.
    if (this.unindexed > 0) await this.flushSearchIndex().catch(() => {});
    await this.db.destroy();
  }

  /** Runs a store operation, mapping driver failures to StoreError. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toStoreError(e, this.location);
    }
  }

  async count(): Promise<number> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    });
  }

  async idOfHash(hash: string): Promise<number | undefined> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('reports').select('id').where('hash', '=', hash).executeTakeFirst();
      return r ? Number(r.id) : undefined;
    });
  }

  /** The latest stored report of a body for a year (the one continuity compares against). */
  async latestOf(agencyKey: string | null | undefined, year: number | null | undefined, exceptId?: number): Promise<StoredReport | undefined> {
    if (!agencyKey || year === null || year === undefined) return undefined;
    return this.guard(async () => {
      let q = this.db.selectFrom('reports').select(LIST_COLUMNS).where('agency_key', '=', agencyKey).where('year', '=', year);
      if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
      const r = await q.orderBy('id', 'desc').limit(1).executeTakeFirst();
      return r ? toStored(r) : undefined;
    });
  }

  /** Parse, check and store one file. Never throws for a bad report: that is a "failed" outcome. */
  async importFile(path: string): Promise<ImportOutcome> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      return { status: 'failed', source: path, error: toGongkaiError(e, path) };
    }
    return this.importBytes(bytes, path);
  }

  async importBytes(bytes: Uint8Array, source: string): Promise<ImportOutcome> {
    const { hash, duplicate } = await this.findDuplicate(bytes, source);
    if (duplicate) return duplicate;
    let result: ParseResult;
    try {
      result = await parseBytes(bytes, source);
    } catch (e) {
      return { status: 'failed', source, error: toGongkaiError(e, source) };
    }
    return this.storeParsed(bytes, hash, source, result);
  }

  /** These bytes stored already (by content)? Then the file name is remembered and nothing is parsed. */
  private async findDuplicate(bytes: Uint8Array, source: string): Promise<{ hash: string; duplicate?: ImportOutcome }> {
    const hash = sha256(bytes);
    const known = await this.idOfHash(hash);
    if (known === undefined) return { hash };
    await this.noteAlias(known, source);
    return { hash, duplicate: { status: 'duplicate', id: known, hash, source } };
  }

  /**
   * Imports inputs in order, parsing on `jobs` worker threads (see parseMany), and yields each
   * outcome once it is stored: the ids and the stored rows are the same as one by one. A bad file
   * is a "failed" outcome; a database failure is thrown, and what was stored before it stays.
   */
  async *importFiles(inputs: readonly string[], opts: { jobs?: number; read?: (input: string) => Promise<Uint8Array> } = {}): AsyncGenerator<ImportOutcome> {
    const read = opts.read ?? readInput;
    type Prepared = { bytes: Uint8Array; hash: string };
    const batch = parseMany<Prepared | ImportOutcome>(inputs, {
      jobs: opts.jobs,
      prepare: async (input) => {
        const bytes = await read(input);
        const { hash, duplicate } = await this.findDuplicate(bytes, input);
        return duplicate ? { skip: duplicate } : { bytes, prepared: { bytes, hash } };
      },
    });
    for await (const p of batch) {
      if ('skipped' in p) yield p.skipped as ImportOutcome;
      else if (p.result instanceof GongkaiError) yield { status: 'failed', source: p.input, error: p.result };
      else {
        const { bytes, hash } = p.prepared as Prepared;
        const out = await this.storeParsed(bytes, hash, p.input, p.result);
        // The same bytes twice in one batch: the second was parsed before the first was stored.
        if (out.status === 'duplicate') await this.noteAlias(out.id, p.input);
        yield out;
      }
    }
  }

  /** Store an already parsed result (e.g. from parseText) with its source bytes. */
  async storeParsed(bytes: Uint8Array, hash: string, source: string, result: ParseResult): Promise<ImportOutcome> {
    const report = result.report;
    const key = await this.guard(() => resolveAliasKey(this.db, report.agencyKey ?? null));
    const prev = await this.latestOf(key, report.year === null ? null : report.year - 1);
    const findings = findingsFor(result, prev?.report);
    const regions = await this.regionTree();
    const now = new Date().toISOString();
    const decisions = await this.decisionsFor({ agencyKey: key, agency: report.agency, hash, year: report.year });
    const review = reviewColumns(findings, decisions);
    return this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        await trx.insertInto('sources').values({ hash, bytes: Buffer.from(bytes), size: bytes.length }).onConflict((oc) => oc.column('hash').doNothing()).execute();
        const ins = await trx
          .insertInto('reports')
          .values({ hash, file_name: source, ...reportColumns(result, findings, regions, key), ...review, imported_at: now, parsed_at: now })
          .onConflict((oc) => oc.column('hash').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!ins) {
          const r = await trx.selectFrom('reports').select('id').where('hash', '=', hash).executeTakeFirstOrThrow();
          return { status: 'duplicate' as const, id: Number(r.id), hash, source };
        }
        await refreshAround(trx, Number(ins.id));
        return { status: 'imported' as const, id: Number(ins.id), hash, source };
      }),
    ).then(async (out) => {
      // The search index is brought up to date in batches rather than inside each report's
      // transaction: a few hundred reports' grams share index pages, one report's do not (this
      // kept a 10,000-file import within its minute). The trigger has queued the report, and
      // search() indexes whatever is still queued before it answers, so no search misses it.
      if (out.status === 'imported' && ++this.unindexed >= 256) await this.flushSearchIndex();
      return out;
    });
  }

  /** Index the reports queued for the text search (see storeParsed); close() calls it too. */
  async flushSearchIndex(): Promise<void> {
    this.unindexed = 0;
    await this.guard(async () => {
      while (await searchIndexPending(this.db)) await this.db.transaction().execute((trx) => syncSearchIndex(trx, 10, this.sqlite));
    });
  }

  /** Re-parse stored sources whose parser version differs (or all with `all`). */
  async reparse(opts: { all?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<{ reparsed: number; failed: { id: number; source: string; error: GongkaiError }[] }> {
    const stale = await this.guard(async () => {
      let q = this.db.selectFrom('reports').select(['id', 'hash', 'file_name', 'year']);
      if (!opts.all) q = q.where('parser_version', '!=', PARSER_VERSION);
      return q.execute();
    });
    // Oldest year first, so each report's predecessor is current when it is compared.
    stale.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || Number(a.id) - Number(b.id));
    const failed: { id: number; source: string; error: GongkaiError }[] = [];
    let reparsed = 0;
    for (let i = 0; i < stale.length; i++) {
      const s = stale[i];
      const id = Number(s.id);
      const src = await this.guard(() => this.db.selectFrom('sources').select('bytes').where('hash', '=', s.hash).executeTakeFirst());
      if (!src) {
        failed.push({ id, source: s.file_name, error: new GongkaiError('io-error', s.file_name, { zh: '数据库中缺少源文件内容。', en: 'The source bytes are missing from the database.' }) });
        continue;
      }
      let result: ParseResult;
      try {
        result = await parseBytes(new Uint8Array(src.bytes), s.file_name);
      } catch (e) {
        failed.push({ id, source: s.file_name, error: toGongkaiError(e, s.file_name) });
        continue;
      }
      const report = result.report;
      const key = await this.guard(() => resolveAliasKey(this.db, report.agencyKey ?? null));
      const prev = await this.latestOf(key, report.year === null ? null : report.year - 1, id);
      const findings = findingsFor(result, prev?.report);
      const regions = await this.regionTree();
      await this.guard(() =>
        this.db.transaction().execute(async (trx) => {
          const old = await trx.selectFrom('reports').select(['tables_hash', 'agency_key', 'year']).where('id', '=', id).executeTakeFirst();
          await trx.updateTable('reports').set({ ...reportColumns(result, findings, regions, key), parsed_at: new Date().toISOString() }).where('id', '=', id).execute();
          await refreshReview(trx, id);
          await refreshAround(trx, id, old ?? undefined);
          await syncSearchIndex(trx, Infinity, this.sqlite);
        }),
      );
      reparsed++;
      opts.onProgress?.(i + 1, stale.length);
    }
    return { reparsed, failed };
  }

  async list(f: ListFilter = {}): Promise<StoredReport[]> {
    return this.guard(async () => {
      let q = this.db.selectFrom('reports').select(LIST_COLUMNS);
      if (f.year !== undefined) q = q.where('year', '=', f.year);
      if (f.agencyKey !== undefined) q = q.where('agency_key', '=', f.agencyKey);
      return (await q.orderBy('id').execute()).map(toStored);
    });
  }

  /**
   * Search stored reports in SQL (parameterised), newest year first, then agency and id; one
   * page of light rows (the review summary columns, not the report JSON) and the total.
   */
  async search(f: SearchFilter = {}): Promise<{ total: number; items: SearchRow[] }> {
    const limit = Math.max(0, Math.min(f.limit ?? 50, 1000));
    const offset = Math.max(0, f.offset ?? 0);
    return this.guard(async () => {
      const pos = this.dialect === 'postgres' ? 'strpos' : 'instr';
      const contains = (col: string, needle: string) => sql<boolean>`${sql.raw(pos)}(${sql.ref(col)}, ${needle}) > 0`;
      const text = normaliseQuery(f.q);
      // Reports written by a path that did not index them (see search-index.ts) are indexed first.
      if (text && (await searchIndexPending(this.db))) await this.db.transaction().execute((trx) => syncSearchIndex(trx, Infinity, this.sqlite));
      const plan = text ? await planTextSearch(this.db, text, this.searchRareLimit) : undefined;
      if (plan?.kind === 'none') return { total: 0, items: [] };
      let q = this.db.selectFrom('reports');
      if (f.year !== undefined) q = q.where('year', '=', f.year);
      if (f.template) q = q.where('template', '=', f.template);
      if (f.region) q = q.where('region', '=', f.region);
      if (f.agencyKey) q = q.where('agency_key', '=', f.agencyKey);
      if (f.hasErrors !== undefined) q = q.where('n_errors', f.hasErrors ? '>' : '=', 0);
      if (f.open !== undefined) q = q.where('n_open', f.open ? '>' : '=', 0);
      if (f.rule) q = q.where(contains('live_rules', `|${f.rule}|`));
      if (f.errorRule) q = q.where(contains('error_rules', `|${f.errorRule}|`));
      if (f.outcome) q = q.where(contains('t3_rows', `|${f.outcome}|`));
      if (f.within) {
        if (!f.within.codes.length) return { total: 0, items: [] };
        q = q.where(f.within.column, 'in', [...f.within.codes]);
      }
      const onlyText = f.year === undefined && !f.template && !f.region && !f.agencyKey && f.hasErrors === undefined && f.open === undefined && !f.rule && !f.errorRule && !f.outcome && !f.within;
      if (plan) {
        // A rare gram's posting list drives the search; a common one is probed per report.
        q = q.where(plan.rare ? sql<boolean>`reports.id in (select id from search_grams where gram = ${plan.gram})` : sql<boolean>`exists (select 1 from search_grams g where g.gram = ${plan.gram} and g.id = reports.id)`);
        if (plan.verify !== null) q = q.where(sql<boolean>`exists (select 1 from search_docs d where d.id = reports.id and ${sql.raw(pos)}(d.text, ${plan.verify}) > 0)`);
      }
      const countAll = async () => {
        if (plan && !plan.rare && onlyText) {
          // A common term alone: counted in the index tables, without touching the report rows.
          const c = plan.verify === null ? sql<{ n: number }>`select count(*) as n from search_grams where gram = ${plan.gram}` : sql<{ n: number }>`select count(*) as n from search_docs where ${sql.raw(pos)}(text, ${plan.verify}) > 0`;
          return Number((await c.execute(this.db)).rows[0].n);
        }
        return Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      };
      // Many matches and no filter beyond the text and year: walk the page-order index and stop
      // at the page. Otherwise the matches are few or filtered on columns that index lacks: sort
      // them (in SQLite unary + keeps the planner off that index) and take the total from the
      // same pass (a window count) instead of scanning twice.
      const walk = !plan?.rare && (onlyText || (f.year !== undefined && Object.entries(f).every(([k, v]) => v === undefined || ['year', 'q', 'limit', 'offset'].includes(k))));
      let total = walk ? await countAll() : -1;
      let page: { id: number }[];
      // A walk reads about (offset + limit) · reports / matches index entries, probing each: when
      // a long query made of common bigrams has few matches (measured at 100,000 reports: 111
      // matches walked 118 ms, found by the substring test over the stored texts and sorted
      // 57 ms; 1,111 matches 37 ms walked, 73 ms sorted), they are found and sorted instead.
      const few = walk && !!plan?.verify && onlyText && total < (offset + limit) * 10;
      if (few) q = q.where(sql<boolean>`reports.id in (select id from search_docs where ${sql.raw(pos)}(text, ${plan!.verify}) > 0)`);
      if (walk && !few) {
        page = await q.select('id').orderBy('year', 'desc').orderBy('agency').orderBy('id').limit(limit).offset(offset).execute();
      } else {
        const lite = this.dialect === 'sqlite';
        const rows = await q
          .select(['id', sql<number>`count(*) over ()`.as('n')])
          .orderBy(lite ? sql`+year` : 'year', 'desc')
          .orderBy(lite ? sql`+agency` : 'agency')
          .orderBy(lite ? sql`+id` : 'id')
          .limit(limit)
          .offset(offset)
          .execute();
        if (total < 0) total = rows.length ? Number(rows[0].n) : offset > 0 ? await countAll() : 0;
        page = rows;
      }
      if (!page.length) return { total, items: [] };
      const ids = page.map((r) => Number(r.id));
      const rows = await this.db
        .selectFrom('reports')
        .select(['id', 'agency', 'agency_key', 'year', 'template', 'published_at', 'region', 'title', 'file_name', 'n_errors', 'n_warnings', 'n_open', 'live_rules', 'new_received'])
        .where('id', 'in', ids)
        .execute();
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      const items = ids.map((id) => byId.get(id)!).filter(Boolean).map((r) => ({
        id: Number(r.id),
        agency: r.agency,
        agencyKey: r.agency_key,
        year: r.year === null ? null : Number(r.year),
        template: r.template,
        publishedAt: r.published_at,
        region: r.region,
        title: r.title,
        fileName: r.file_name,
        errors: Number(r.n_errors ?? 0),
        warnings: Number(r.n_warnings ?? 0),
        open: Number(r.n_open ?? 0),
        rules: (r.live_rules ?? '').split('|').filter(Boolean),
        newReceived: r.new_received === null ? null : Number(r.new_received),
      }));
      return { total, items };
    });
  }

  /** Counts for the dashboard straight from the summary columns (no report JSON is read). */
  async overview(top = 10, within?: SearchFilter['within']): Promise<{
    reports: number;
    byYear: { year: number | null; template: string; reports: number }[];
    errorRules: { ruleId: string; reports: number }[];
    agencies: { key: string; agency: string | null; agencyKey: string | null; reports: number; newReceived: number }[];
  }> {
    return this.guard(async () => {
      // A region-limited account's dashboard: the same counts over its subtree only.
      const reports = () => (within ? this.db.selectFrom('reports').where(within.column, 'in', within.codes.length ? [...within.codes] : [null as unknown as string]) : this.db.selectFrom('reports'));
      const byYear = (await reports().select(['year', 'template', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['year', 'template']).execute()).map((r) => ({
        year: r.year === null ? null : Number(r.year),
        template: r.template,
        reports: Number(r.n),
      }));
      // Grouped by the set of rules (few distinct sets), then counted per rule.
      const perRule = new Map<string, number>();
      for (const r of await reports().select(['error_rules', (eb) => eb.fn.countAll<number>().as('n')]).where('n_errors', '>', 0).groupBy('error_rules').execute()) {
        for (const id of (r.error_rules ?? '').split('|').filter(Boolean)) perRule.set(id, (perRule.get(id) ?? 0) + Number(r.n));
      }
      const errorRules = [...perRule].map(([ruleId, reports]) => ({ ruleId, reports }));
      const key = sql<string>`coalesce(agency_key, agency, '#' || hash)`;
      const agencies = (
        await reports()
          .select([key.as('k'), (eb) => eb.fn.min('agency').as('agency'), (eb) => eb.fn.min('agency_key').as('agency_key'), (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>(sql`coalesce(new_received, 0)`).as('nr')])
          .groupBy(key)
          .orderBy('nr', 'desc')
          .orderBy('agency')
          .limit(top)
          .execute()
      ).map((r) => ({ key: r.k, agency: r.agency as string | null, agencyKey: r.agency_key as string | null, reports: Number(r.n), newReceived: Number(r.nr ?? 0) }));
      return { reports: byYear.reduce((s, r) => s + r.reports, 0), byYear, errorRules, agencies };
    });
  }

  /** Changes whenever reports or decisions are added, removed or re-decided (for caches). */
  async dataVersion(): Promise<string> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('reports').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('id').as('m')]).executeTakeFirstOrThrow();
      const d = await this.db.selectFrom('decisions').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('decided_at').as('m')]).executeTakeFirstOrThrow();
      return `${r.n}:${r.m}:${d.n}:${d.m}`;
    });
  }

  /**
   * Unresolved (not dismissed) error findings of the reports of a region (the `region` column,
   * or the imported/built-in region code prefix) and year, for a rectification list.
   */
  async unresolvedErrors(f: { region?: string; year?: number }): Promise<{ report: StoredReport; findings: ReviewedFinding[] }[]> {
    const rows = await this.guard(async () => {
      let q = this.db.selectFrom('reports').select(LIST_COLUMNS).where('n_errors', '>', 0);
      if (f.year !== undefined) q = q.where('year', '=', f.year);
      if (f.region) q = q.where('region', '=', f.region);
      return (await q.orderBy('agency').orderBy('year').orderBy('id').execute()).map(toStored);
    });
    const out: { report: StoredReport; findings: ReviewedFinding[] }[] = [];
    for (const r of rows) {
      const fs = applyDecisions(r.findings, await this.decisionsFor(r)).filter((x) => x.severity === 'error' && x.decision?.decision !== 'dismissed');
      if (fs.length) out.push({ report: r, findings: fs });
    }
    return out;
  }

  async get(id: number): Promise<(StoredReport & { provenance: Provenance }) | undefined> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('reports').select([...LIST_COLUMNS, 'provenance']).where('id', '=', id).executeTakeFirst();
      return r ? { ...toStored(r), provenance: JSON.parse(r.provenance) as Provenance } : undefined;
    });
  }

  async source(id: number): Promise<Uint8Array | undefined> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('reports').innerJoin('sources', 'sources.hash', 'reports.hash').select('sources.bytes').where('reports.id', '=', id).executeTakeFirst();
      return r ? new Uint8Array(r.bytes) : undefined;
    });
  }

  async allDecisions(): Promise<Decision[]> {
    return this.guard(async () => (await this.db.selectFrom('decisions').selectAll().orderBy('id').execute()).map(toDecision));
  }

  async decisionsFor(r: Pick<StoredReport, 'agencyKey' | 'agency' | 'hash' | 'year'>): Promise<Decision[]> {
    const k = decisionKeyOf(r);
    return this.guard(async () =>
      (await this.db.selectFrom('decisions').selectAll().where('agency_key', '=', k.agencyKey).where('year', '=', k.year).orderBy('id').execute()).map(toDecision),
    );
  }

  /** A stored report's findings with reviewer decisions attached. */
  async reviewedFindings(id: number): Promise<{ report: StoredReport; findings: ReviewedFinding[] }> {
    const r = await this.get(id);
    if (!r) throw notFound(id);
    return { report: r, findings: applyDecisions(r.findings, await this.decisionsFor(r)) };
  }

  /**
   * Record a reviewer decision on a finding of a stored report, keyed by (agencyKey, year,
   * ruleId, path) so it holds across re-parses. `path` "-" means the rule as a whole.
   */
  async decide(reportId: number, ruleId: string, path: string, decision: 'confirmed' | 'dismissed', comment?: string | null, by?: string | null): Promise<Decision> {
    const r = await this.get(reportId);
    if (!r) throw notFound(reportId);
    const matching = r.findings.filter((f) => f.ruleId === ruleId && (path === '-' || f.paths.includes(path)));
    if (!matching.length) {
      throw new StoreError('bad-argument', {
        zh: `报告 ${reportId} 没有规则 ${ruleId}${path === '-' ? '' : `、单元格 ${path}`} 的核查结果。`,
        en: `Report ${reportId} has no finding of rule ${ruleId}${path === '-' ? '' : ` on cell ${path}`}.`,
      });
    }
    const k = decisionKeyOf(r);
    const row = { agency_key: k.agencyKey, year: k.year, rule_id: ruleId, path, decision, comment: comment ?? null, report_id: reportId, decided_at: new Date().toISOString(), decided_by: by ?? null };
    await this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('decisions')
          .values(row)
          .onConflict((oc) => oc.columns(['agency_key', 'year', 'rule_id', 'path']).doUpdateSet({ decision, comment: row.comment, report_id: reportId, decided_at: row.decided_at, decided_by: row.decided_by }))
          .execute();
        // Every stored report under this key gets its review summary refreshed.
        let q = trx.selectFrom('reports').select(['id', 'agency_key', 'agency', 'hash', 'year']);
        q = k.year === 0 ? q.where((eb) => eb.or([eb('year', 'is', null), eb('year', '=', 0)])) : q.where('year', '=', k.year);
        const hash = k.agencyKey.startsWith('#') ? k.agencyKey.slice(1) : k.agencyKey;
        const rows = await q.where((eb) => eb.or([eb('agency_key', '=', k.agencyKey), eb('agency', '=', k.agencyKey), eb('hash', '=', hash)])).execute();
        for (const x of rows) {
          const kx = decisionKeyOf({ agencyKey: x.agency_key, agency: x.agency, hash: x.hash, year: x.year === null ? null : Number(x.year) });
          if (kx.agencyKey === k.agencyKey && kx.year === k.year) await refreshReview(trx, Number(x.id));
        }
      }),
    );
    return toDecision(row);
  }

  /** Same bytes imported under another file name: remember the name (a duplicate-report finding). */
  private async noteAlias(id: number, source: string): Promise<void> {
    if (source === '-') return;
    await this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        const r = await trx.selectFrom('reports').select(['file_name', 'aliases']).where('id', '=', id).executeTakeFirst();
        if (!r) return;
        const aliases: string[] = r.aliases ? JSON.parse(r.aliases) : [];
        if (basename(source) === basename(r.file_name) || aliases.some((a) => basename(a) === basename(source))) return;
        aliases.push(source);
        await trx.updateTable('reports').set({ aliases: JSON.stringify(aliases) }).where('id', '=', id).execute();
        await refreshOne(trx, id);
      }),
    );
  }

  /**
   * Re-run the cross-report checks (carry-over, table2-stock, narrative-repetition,
   * duplicate-report) and the region links of every stored report, oldest year first.
   */
  async recheck(opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<{ checked: number; changed: number }> {
    await this.relinkRegions();
    const ids = await this.guard(() => this.db.selectFrom('reports').select(['id', 'year']).execute());
    ids.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || Number(a.id) - Number(b.id));
    let changed = 0;
    const chunk = 200;
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk);
      changed += await this.guard(() =>
        this.db.transaction().execute(async (trx) => {
          let n = 0;
          for (const r of part) if (await refreshOne(trx, Number(r.id))) n++;
          return n;
        }),
      );
      opts.onProgress?.(Math.min(ids.length, i + chunk), ids.length);
    }
    return { checked: ids.length, changed };
  }

  // ---------------------------------------------------------------- agency aliases (aliases.ts)

  private readonly rekeyHooks: RekeyHooks = { refreshReview, refreshAround };

  async agencyAliases(): Promise<AgencyAlias[]> {
    return this.guard(() => listAliases(this.db));
  }

  /** Stored bodies by resolved key, with their names, years and aliases. */
  async agencies(): Promise<AgencyEntry[]> {
    return this.guard(() => listAgencies(this.db));
  }

  /** Say that `alias` is the body `canonical`; stored reports and decisions follow at once. */
  async addAgencyAliases(pairs: { alias: string; canonical: string }[]): Promise<AliasChange & { added: number }> {
    return this.guard(() => addAliases(this.db, pairs, this.rekeyHooks));
  }

  async removeAgencyAlias(alias: string): Promise<AliasChange> {
    return this.guard(() => removeAlias(this.db, alias, this.rekeyHooks));
  }

  /** Aliases from a two-column CSV or XLSX file (alias name, canonical name), in one transaction. */
  async importAgencyAliases(file: string): Promise<AliasChange & { added: number }> {
    return this.addAgencyAliases(await readAliasFile(file));
  }

  // ---------------------------------------------------------------- regions

  /** The imported region hierarchy, or null when none has been imported. */
  async regionTree(): Promise<RegionTree | null> {
    // Another process may have imported regions since: a one-row version says when to reload.
    const v = await this.guard(() => this.db.selectFrom('regions_version').select('version').where('id', '=', 1).executeTakeFirst());
    const version = v?.version ?? '';
    if (this.regionCache?.version === version) return this.regionCache.tree;
    const rows = await this.regions();
    const tree = rows.length ? new RegionTree(rows) : null;
    this.regionCache = { version, tree };
    return tree;
  }

  async regions(): Promise<RegionRow[]> {
    return this.guard(async () =>
      (await this.db.selectFrom('regions').selectAll().orderBy('code').execute()).map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, level: r.level as RegionLevel })),
    );
  }

  /**
   * Store a region hierarchy (upsert by code; `replace` drops the old one first), then link
   * every stored report to the region its agency name starts with.
   */
  async importRegions(rows: RegionRow[], opts: { replace?: boolean } = {}): Promise<{ regions: number; linked: number; reports: number }> {
    await this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        if (opts.replace) await trx.deleteFrom('regions').execute();
        const version = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        await trx.insertInto('regions_version').values({ id: 1, version }).onConflict((oc) => oc.column('id').doUpdateSet({ version })).execute();
        for (let i = 0; i < rows.length; i += 500) {
          const values = rows.slice(i, i + 500).map((r) => ({ code: r.code, name: r.name, parent_code: r.parentCode, level: r.level }));
          await trx
            .insertInto('regions')
            .values(values)
            .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), parent_code: eb.ref('excluded.parent_code'), level: eb.ref('excluded.level') })))
            .execute();
        }
      }),
    );
    this.regionCache = undefined;
    const { linked, reports } = await this.relinkRegions();
    return { regions: (await this.regionTree())?.size ?? 0, linked, reports };
  }

  /** Re-match every report's agency against the imported hierarchy (region_code). */
  async relinkRegions(): Promise<{ linked: number; reports: number }> {
    const tree = await this.regionTree();
    const rows = await this.guard(() => this.db.selectFrom('reports').select(['id', 'agency', 'region_code']).execute());
    let linked = 0;
    const updates: { id: number; code: string | null }[] = [];
    for (const r of rows) {
      const code = tree?.match(r.agency)?.code ?? null;
      if (code) linked++;
      if (code !== r.region_code) updates.push({ id: Number(r.id), code });
    }
    for (let i = 0; i < updates.length; i += 500) {
      const part = updates.slice(i, i + 500);
      await this.guard(() =>
        this.db.transaction().execute(async (trx) => {
          for (const u of part) await trx.updateTable('reports').set({ region_code: u.code }).where('id', '=', u.id).execute();
        }),
      );
    }
    return { linked, reports: rows.length };
  }

  // ---------------------------------------------------------------- fast reads for sums

  /** What `sum` needs per report (precomputed totals, no JSON of the whole report). */
  async sumInputs(f: ListFilter & { yearOnly?: boolean } = {}): Promise<SumInput[]> {
    return this.guard(async () => {
      if (f.yearOnly && this.sqlite && f.agencyKey === undefined) {
        // `sum --by year` on SQLite: straight from the covering index, rows as arrays.
        const stmt = this.sqlite.prepare(`select id, year, totals from reports where totals is not null${f.year !== undefined ? ' and year = ?' : ''}`).raw();
        const rows = (f.year !== undefined ? stmt.all(f.year) : stmt.all()) as [number, number | null, string][];
        return rows.map(([id, year, totals]) => ({ id, year, agency: null, agencyKey: null, region: null, totals: JSON.parse(totals) as number[] }));
      }
      if (f.yearOnly) {
        // `sum --by year`: only the year and the totals are read.
        let q = this.db.selectFrom('reports').select(['id', 'year', 'totals']);
        if (f.year !== undefined) q = q.where('year', '=', f.year);
        if (f.agencyKey !== undefined) q = q.where('agency_key', '=', f.agencyKey);
        const rows = await q.where('totals', 'is not', null).execute();
        return rows.map((r) => ({ id: Number(r.id), year: r.year === null ? null : Number(r.year), agency: null, agencyKey: null, region: null, totals: JSON.parse(r.totals!) as number[] }));
      }
      let q = this.db.selectFrom('reports').select(['id', 'year', 'agency', 'agency_key', 'region', 'region_code', 'division_code', 'totals']);
      if (f.year !== undefined) q = q.where('year', '=', f.year);
      if (f.agencyKey !== undefined) q = q.where('agency_key', '=', f.agencyKey);
      // No ORDER BY in SQL: that would read the wide table instead of the covering index.
      const rows = (await q.where('totals', 'is not', null).execute()).sort((a, b) => Number(a.id) - Number(b.id));
      return rows.map((r) => ({
        id: Number(r.id),
        year: r.year === null ? null : Number(r.year),
        agency: r.agency,
        agencyKey: r.agency_key,
        region: r.region,
        regionCode: r.region_code,
        divisionCode: r.division_code,
        totals: JSON.parse(r.totals!) as number[],
      }));
    });
  }

  /** What `coverage` needs per report of a year. */
  async coverageInputs(year: number): Promise<CoverageInput[]> {
    return this.guard(async () =>
      (await this.db.selectFrom('reports').select(['id', 'year', 'agency', 'agency_key', 'published_at']).where('year', '=', year).orderBy('id').execute()).map((r) => ({
        id: Number(r.id),
        year: r.year === null ? null : Number(r.year),
        agency: r.agency,
        agencyKey: r.agency_key,
        publishedAt: r.published_at,
      })),
    );
  }

  /**
   * Store canonical reports directly (no source document: the canonical JSON is kept as the
   * source bytes), in batches, one transaction per batch. Table checks run unless `check` is
   * false; the cross-report checks do not (run `recheck` afterwards). For bulk loads and benchmarks.
   */
  async insertCanonical(items: { report: Report; fileName: string }[], opts: { batch?: number; check?: boolean } = {}): Promise<number> {
    const regions = await this.regionTree();
    const aliases = await this.guard(() => loadAliasMap(this.db));
    const batch = opts.batch ?? 200;
    let inserted = 0;
    const byKey = new Map<string, Decision[]>();
    for (const d of await this.allDecisions()) {
      const k = `${d.agencyKey}\u0000${d.year}`;
      byKey.set(k, [...(byKey.get(k) ?? []), d]);
    }
    for (let i = 0; i < items.length; i += batch) {
      const now = new Date().toISOString();
      const part = items.slice(i, i + batch).map((it) => {
        const bytes = Buffer.from(JSON.stringify(canonical(it.report)));
        const result: ParseResult = { report: it.report, provenance: { cells: {}, sections: {} }, preamble: '', found: { table2: true, table3: true, table4: true }, info: { format: 'json' } };
        const hash = sha256(bytes);
        const findings = opts.check === false ? [] : check(result);
        const key = resolveAlias(aliases, it.report.agencyKey ?? null);
        const k = decisionKeyOf({ agencyKey: key, agency: it.report.agency, hash, year: it.report.year });
        const review = reviewColumns(findings, byKey.get(`${k.agencyKey}\u0000${k.year}`) ?? []);
        return { source: { hash, bytes, size: bytes.length }, row: { hash, file_name: it.fileName, ...reportColumns(result, findings, regions, key), ...review, imported_at: now, parsed_at: now } };
      });
      inserted += await this.guard(() =>
        this.db.transaction().execute(async (trx) => {
          await trx.insertInto('sources').values(part.map((p) => p.source)).onConflict((oc) => oc.column('hash').doNothing()).execute();
          const r = await trx.insertInto('reports').values(part.map((p) => p.row)).onConflict((oc) => oc.column('hash').doNothing()).returning('id').execute();
          await syncSearchIndex(trx, Infinity, this.sqlite);
          return r.length;
        }),
      );
    }
    return inserted;
  }

  /** Fill the derived columns of rows stored before they existed (migration 0002). */
  private async backfill(): Promise<void> {
    await this.backfillSearch();
    // Reports stored before the search index (migration 0005) queued themselves: index them,
    // a few thousand per transaction.
    while (await searchIndexPending(this.db)) await this.db.transaction().execute((trx) => syncSearchIndex(trx, 10, this.sqlite));
    const rows = await this.db.selectFrom('reports').select(['id', 'canonical']).where('totals', 'is', null).execute();
    if (!rows.length) return;
    for (let i = 0; i < rows.length; i += 200) {
      await this.db.transaction().execute(async (trx) => {
        for (const r of rows.slice(i, i + 200)) {
          const report = JSON.parse(r.canonical) as Report;
          const d = derivedColumns(report);
          await trx.updateTable('reports').set({ totals: d.totals, tables_hash: d.tables_hash, division_code: d.division_code }).where('id', '=', r.id).execute();
        }
      });
    }
  }

  /** Fill the search and review columns of rows stored before they existed (migration 0003). */
  private async backfillSearch(): Promise<void> {
    const ids = await this.db.selectFrom('reports').select('id').where((eb) => eb.or([eb('n_errors', 'is', null), eb('t3_rows', 'is', null)])).execute();
    for (let i = 0; i < ids.length; i += 200) {
      await this.db.transaction().execute(async (trx) => {
        for (const { id } of ids.slice(i, i + 200)) {
          const r = await trx.selectFrom('reports').select('canonical').where('id', '=', id).executeTakeFirstOrThrow();
          const d = derivedColumns(JSON.parse(r.canonical) as Report);
          await trx.updateTable('reports').set({ title: d.title, t3_rows: d.t3_rows, new_received: d.new_received }).where('id', '=', id).execute();
          await refreshReview(trx, Number(id));
        }
      });
    }
  }

  /** For tests and maintenance: raw SQL access in the store's dialect. */
  async execute(query: string): Promise<void> {
    await this.guard(() => sql.raw(query).execute(this.db));
  }
}

function notFound(id: number): StoreError {
  return new StoreError('not-found', { zh: `数据库中没有编号为 ${id} 的报告。`, en: `No stored report has id ${id}.` });
}

function toDecision(d: { agency_key: string; year: number; rule_id: string; path: string; decision: 'confirmed' | 'dismissed'; comment: string | null; report_id: number | null; decided_at: string; decided_by?: string | null }): Decision {
  return { agencyKey: d.agency_key, year: Number(d.year), ruleId: d.rule_id, path: d.path, decision: d.decision, comment: d.comment, reportId: d.report_id === null ? null : Number(d.report_id), decidedAt: d.decided_at, decidedBy: d.decided_by ?? null };
}

/** The decisions stored under a decision key. */
async function decisionsOfKey(db: Kysely<Database>, k: { agencyKey: string; year: number }): Promise<Decision[]> {
  return (await db.selectFrom('decisions').selectAll().where('agency_key', '=', k.agencyKey).where('year', '=', k.year).orderBy('id').execute()).map(toDecision);
}

const bars = (xs: string[]) => (xs.length ? `|${[...new Set(xs)].join('|')}|` : '');

/** The review summary columns of a report: its findings under the decisions of its key. */
export function reviewColumns(findings: Finding[], decisions: Decision[]) {
  const fs = applyDecisions(findings, decisions);
  const live = fs.filter((f) => f.decision?.decision !== 'dismissed');
  return {
    n_errors: live.filter((f) => f.severity === 'error').length,
    n_warnings: live.filter((f) => f.severity === 'warning').length,
    n_open: fs.filter((f) => f.severity !== 'info' && !f.decision).length,
    live_rules: bars(live.filter((f) => f.severity !== 'info').map((f) => f.ruleId)),
    error_rules: bars(live.filter((f) => f.severity === 'error').map((f) => f.ruleId)),
  };
}

/** Recompute the review columns of one stored report (inside the caller's transaction). */
async function refreshReview(db: Kysely<Database>, id: number): Promise<void> {
  const r = await db.selectFrom('reports').select(['findings', 'agency_key', 'agency', 'hash', 'year']).where('id', '=', id).executeTakeFirst();
  if (!r) return;
  const k = decisionKeyOf({ agencyKey: r.agency_key, agency: r.agency, hash: r.hash, year: r.year === null ? null : Number(r.year) });
  await db.updateTable('reports').set(reviewColumns(JSON.parse(r.findings) as Finding[], await decisionsOfKey(db, k))).where('id', '=', id).execute();
}

function findingsFor(result: ParseResult, previous: Report | undefined): Finding[] {
  return withPreviousYear(check(result, previous ? { previous } : {}), result.report, previous);
}

/** Columns derived from the canonical report alone. */
function derivedColumns(r: Report) {
  const hasTables = [r.table2, r.table3, r.table4].some((t) => Object.values(t ?? {}).some((row) => Object.values(row ?? {}).some((v) => typeof v === 'number')));
  const body = r.agencyKey ?? r.agency;
  return {
    totals: JSON.stringify(sparseTotals(r)),
    tables_hash: body && r.year !== null && hasTables ? sha256(Buffer.from(JSON.stringify([body, r.year, r.table2, r.table3, r.table4]))) : null,
    division_code: divisionCodeOf(r.agency),
    title: r.title ?? null,
    t3_rows: bars(Object.entries(r.table3 ?? {}).filter(([, row]) => typeof row?.total === 'number' && row.total > 0).map(([k]) => k)),
    new_received: r.table3?.newReceived?.total ?? null,
  };
}

/** The region links a report of this agency is stored with (the imported hierarchy's, the built-in division's). */
export function regionLinksOf(agency: string | null, regions: RegionTree | null): { regionCode: string | null; divisionCode: string | null } {
  return { regionCode: regions?.match(agency)?.code ?? null, divisionCode: divisionCodeOf(agency) };
}

function divisionCodeOf(agency: string | null): string | null {
  if (!agency || NOT_A_REGION.test(agency.replace(/\s+/g, ''))) return null;
  return builtinDivisions().match(agency)?.code ?? null;
}

/** `agencyKey`: the report's own key resolved through the alias list. */
function reportColumns(result: ParseResult, findings: Finding[], regions: RegionTree | null, agencyKey: string | null) {
  const r = result.report;
  return {
    canonical: JSON.stringify(canonical(r)),
    findings: JSON.stringify(findings),
    provenance: provenanceJson(result),
    parser_version: PARSER_VERSION,
    agency: r.agency,
    agency_key: agencyKey,
    own_agency_key: r.agencyKey ?? null,
    year: r.year,
    template: r.template,
    published_at: r.publishedAt,
    region: regionOf(r.agency),
    region_code: regionLinksOf(r.agency, regions).regionCode,
    ...derivedColumns(r),
  };
}

/**
 * Re-derive a stored report's cross-report findings from what is stored now: the previous
 * year's checks against the same body's latest report of year − 1, and duplicate-report
 * against reports with the same tables hash and the file's other names. True when they changed.
 */
async function refreshOne(trx: Kysely<Database>, id: number): Promise<boolean> {
  const row = await trx.selectFrom('reports').select(['id', 'canonical', 'findings', 'agency_key', 'year', 'tables_hash', 'aliases']).where('id', '=', id).executeTakeFirst();
  if (!row) return false;
  const report = JSON.parse(row.canonical) as Report;
  let previous: Report | undefined;
  if (row.agency_key && row.year !== null) {
    const p = await trx.selectFrom('reports').select('canonical').where('agency_key', '=', row.agency_key).where('year', '=', Number(row.year) - 1).where('id', '!=', id).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (p) previous = JSON.parse(p.canonical) as Report;
  }
  const others = row.tables_hash ? await trx.selectFrom('reports').select(['id', 'file_name']).where('tables_hash', '=', row.tables_hash).where('id', '!=', id).orderBy('id').execute() : [];
  const aliases: string[] = row.aliases ? JSON.parse(row.aliases) : [];
  const findings = withDuplicates(
    withPreviousYear(JSON.parse(row.findings) as Finding[], report, previous),
    others.map((o) => ({ id: Number(o.id), fileName: o.file_name })),
    aliases,
  );
  const text = JSON.stringify(findings);
  if (text === row.findings) return false;
  await trx.updateTable('reports').set({ findings: text }).where('id', '=', id).execute();
  await refreshReview(trx, id);
  return true;
}

/**
 * After storing (or re-parsing) report `id`: refresh it, the same body's next-year reports and
 * the reports sharing its tables hash (and, after a re-parse, those of its old key and hash).
 */
async function refreshAround(trx: Kysely<Database>, id: number, old?: { tables_hash: string | null; agency_key: string | null; year: number | null }): Promise<void> {
  const me = await trx.selectFrom('reports').select(['agency_key', 'year', 'tables_hash']).where('id', '=', id).executeTakeFirst();
  if (!me) return;
  const ids = new Set<number>([id]);
  for (const k of [me, old]) {
    if (!k) continue;
    if (k.agency_key && k.year !== null) {
      for (const n of await trx.selectFrom('reports').select('id').where('agency_key', '=', k.agency_key).where('year', '=', Number(k.year) + 1).execute()) ids.add(Number(n.id));
    }
    if (k.tables_hash) for (const n of await trx.selectFrom('reports').select('id').where('tables_hash', '=', k.tables_hash).execute()) ids.add(Number(n.id));
  }
  for (const i of ids) await refreshOne(trx, i);
}

/** Open a store, run `fn`, close it; every failure comes out as a StoreError or GongkaiError. */
export async function withStore<T>(o: OpenOptions, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await Store.open(o);
  try {
    return await fn(s);
  } catch (e) {
    throw toStoreError(e, s.location);
  } finally {
    await s.close().catch(() => {});
  }
}

export { sha256 as contentHash };
