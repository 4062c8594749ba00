// Accounts and sessions of the web app, kept in the report store's database (same Kysely
// handle) in tables of their own, created with CREATE TABLE IF NOT EXISTS on start.
// Passwords: node:crypto scrypt (memory-hard), a random 16-byte salt per user.
// Sessions: a random token in an HttpOnly cookie; only its sha256 is stored.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

export const ROLES = ['admin', 'reviewer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { viewer: 0, reviewer: 1, admin: 2 };

export function roleAtLeast(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

export interface User {
  id: number;
  name: string;
  role: Role;
  /** The region (regions / built-in division code) the user is limited to; null: everywhere. */
  region: string | null;
  createdAt: string;
}

export interface Session {
  user: User;
  csrf: string;
  expiresAt: string;
}

interface UsersTable {
  id: number;
  name: string;
  password: string;
  role: Role;
  region_code: string | null;
  created_at: string;
}
interface SessionsTable {
  token_hash: string;
  user_id: number;
  csrf: string;
  created_at: string;
  expires_at: string;
}
interface AuthDb {
  gk_users: UsersTable;
  gk_sessions: SessionsTable;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32 };

function scrypt(password: string, salt: Buffer, keylen: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((res, rej) => scryptCb(password.normalize('NFC'), salt, keylen, o, (e, k) => (e ? rej(e) : res(k))));
}

/** "scrypt$N$r$p$salt$hash" (base64 salt and hash). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 128 * SCRYPT.N * SCRYPT.r * 2 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n), R = Number(r), P = Number(p);
  const want = Buffer.from(hash, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), want.length, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return got.length === want.length && timingSafeEqual(got, want);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class UserError extends Error {
  constructor(
    readonly code: 'bad-name' | 'bad-password' | 'bad-role' | 'exists',
    readonly text: { zh: string; en: string },
  ) {
    super(`${text.zh} / ${text.en}`);
  }
}

export function validateName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (!/^[\p{L}\p{N}_.@-]{1,64}$/u.test(n)) throw new UserError('bad-name', { zh: '用户名应为 1–64 个字母、数字或 _.@-。', en: 'A user name is 1–64 letters, digits or _.@-.' });
  return n;
}
export function validatePassword(pw: unknown): string {
  if (typeof pw !== 'string' || [...pw].length < 8 || pw.length > 1024) throw new UserError('bad-password', { zh: '密码至少 8 个字符。', en: 'A password has at least 8 characters.' });
  return pw;
}
export function validateRole(role: unknown): Role {
  if (!ROLES.includes(role as Role)) throw new UserError('bad-role', { zh: `角色应为 ${ROLES.join('、')} 之一。`, en: `The role must be one of ${ROLES.join(', ')}.` });
  return role as Role;
}

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export class Users {
  private readonly db: Kysely<AuthDb>;
  constructor(
    db: Kysely<any>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {
    this.db = db as Kysely<AuthDb>;
  }

  /** Creates the tables when absent (idempotent). */
  async migrate(): Promise<void> {
    const id = this.dialect === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
    await sql`create table if not exists gk_users (
      id ${id},
      name text not null unique,
      password text not null,
      role text not null,
      created_at text not null
    )`.execute(this.db);
    // Added after the first release: older databases get the column here.
    if (this.dialect === 'postgres') await sql`alter table gk_users add column if not exists region_code text`.execute(this.db);
    else {
      const cols = await sql<{ name: string }>`pragma table_info(gk_users)`.execute(this.db);
      if (!cols.rows.some((c) => c.name === 'region_code')) await sql`alter table gk_users add column region_code text`.execute(this.db);
    }
    await sql`create table if not exists gk_sessions (
      token_hash text primary key,
      user_id integer not null references gk_users(id) on delete cascade,
      csrf text not null,
      created_at text not null,
      expires_at text not null
    )`.execute(this.db);
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('gk_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async list(): Promise<User[]> {
    return (await this.db.selectFrom('gk_users').select(['id', 'name', 'role', 'region_code', 'created_at']).orderBy('id').execute()).map(toUser);
  }

  /** `region` is a region code already checked by the caller (see server/scope.ts), or null. */
  async create(name: unknown, password: unknown, role: unknown, region: string | null = null): Promise<User> {
    const n = validateName(name);
    const pw = validatePassword(password);
    const r = validateRole(role);
    const exists = await this.db.selectFrom('gk_users').select('id').where('name', '=', n).executeTakeFirst();
    if (exists) throw new UserError('exists', { zh: `用户 ${n} 已存在。`, en: `User ${n} already exists.` });
    const row = { name: n, password: await hashPassword(pw), role: r, region_code: region, created_at: new Date().toISOString() };
    const ins = await this.db.insertInto('gk_users').values(row as never).returning('id').executeTakeFirstOrThrow();
    return { id: Number(ins.id), name: n, role: r, region, createdAt: row.created_at };
  }

  /** Change a user's role and/or region scope (undefined: unchanged; region null: everywhere). */
  async update(id: number, change: { role?: unknown; region?: string | null }): Promise<User | undefined> {
    const set: Partial<UsersTable> = {};
    if (change.role !== undefined) set.role = validateRole(change.role);
    if (change.region !== undefined) set.region_code = change.region;
    if (Object.keys(set).length) await this.db.updateTable('gk_users').set(set).where('id', '=', id).execute();
    const row = await this.db.selectFrom('gk_users').select(['id', 'name', 'role', 'region_code', 'created_at']).where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async setPassword(name: string, password: unknown): Promise<void> {
    const pw = validatePassword(password);
    await this.db.updateTable('gk_users').set({ password: await hashPassword(pw) }).where('name', '=', name).execute();
  }

  /** The user when the name and password match; a failed look-up costs the same time as a wrong password. */
  async authenticate(name: unknown, password: unknown): Promise<User | undefined> {
    if (typeof name !== 'string' || typeof password !== 'string' || password.length > 1024) return undefined;
    const row = await this.db.selectFrom('gk_users').selectAll().where('name', '=', name.trim()).executeTakeFirst();
    if (!row) {
      await verifyPassword(password, DUMMY_HASH).catch(() => false);
      return undefined;
    }
    return (await verifyPassword(password, row.password)) ? toUser(row) : undefined;
  }

  /** A new session: the cookie token (returned, never stored) and its CSRF token. */
  async startSession(user: User): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = Date.now();
    const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
    await this.db.insertInto('gk_sessions').values({ token_hash: sha256(token), user_id: user.id, csrf, created_at: new Date(now).toISOString(), expires_at: expiresAt }).execute();
    return { token, session: { user, csrf, expiresAt } };
  }

  async session(token: string | undefined): Promise<Session | undefined> {
    if (!token || token.length > 200) return undefined;
    const row = await this.db
      .selectFrom('gk_sessions')
      .innerJoin('gk_users', 'gk_users.id', 'gk_sessions.user_id')
      .select(['gk_users.id', 'gk_users.name', 'gk_users.role', 'gk_users.region_code', 'gk_users.created_at', 'gk_sessions.csrf', 'gk_sessions.expires_at'])
      .where('gk_sessions.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.expires_at < new Date().toISOString()) {
      await this.endSession(token);
      return undefined;
    }
    return { user: toUser(row), csrf: row.csrf, expiresAt: row.expires_at };
  }

  async endSession(token: string | undefined): Promise<void> {
    if (token) await this.db.deleteFrom('gk_sessions').where('token_hash', '=', sha256(token)).execute();
  }
}

const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

function toUser(r: { id: number; name: string; role: string; region_code?: string | null; created_at: string }): User {
  return { id: Number(r.id), name: r.name, role: r.role as Role, region: r.region_code ?? null, createdAt: r.created_at };
}
