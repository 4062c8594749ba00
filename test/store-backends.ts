// Where the store tests run: a fresh SQLite file, or a fresh PostgreSQL database on the server
// DATABASE_URL points at; each target says how the library opens it and how the CLI selects it.
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenOptions } from '../src/store/index.js';

export interface Target {
  /** How the library opens it. */
  open: OpenOptions;
  /** Extra CLI arguments and environment that select it. */
  args: string[];
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}
export interface Backend {
  name: string;
  fresh(): Promise<Target>;
}

export function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gongkai-store-'));
}

export function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  return env;
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  async fresh() {
    const d = tmp();
    const file = join(d, 'g.db');
    return { open: { db: file }, args: ['--db', file], env: baseEnv(), cleanup: async () => rmSync(d, { recursive: true, force: true }) };
  },
};

/** A fresh PostgreSQL database per target, created on the server DATABASE_URL points at. */
export function pgBackend(url: string): Backend {
  let n = 0;
  return {
    name: 'postgres',
    async fresh() {
      const { default: pg } = await import('pg');
      const name = `gongkai_test_${process.pid}_${Date.now()}_${n++}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database "${name}"`);
      await admin.end();
      const u = new URL(url);
      u.pathname = `/${name}`;
      const dbUrl = u.toString();
      return {
        open: { env: { DATABASE_URL: dbUrl } },
        args: [],
        env: { ...baseEnv(), DATABASE_URL: dbUrl },
        cleanup: async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`drop database if exists "${name}" with (force)`);
          await c.end();
        },
      };
    },
  };
}
