// Shared test helpers. The corpus is referenced in place through ../shared (never copied).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED = resolve(process.cwd(), '../shared');
export const CORPUS = join(SHARED, 'corpus');

export interface CorpusCase {
  id: string;
  dir: string;
  source: string;
  truth: Record<string, any>;
}

export function corpusCases(): CorpusCase[] {
  const out: CorpusCase[] = [];
  if (!existsSync(CORPUS)) return out;
  for (const group of readdirSync(CORPUS).sort()) {
    const g = join(CORPUS, group);
    for (const name of readdirSync(g).sort()) {
      const dir = join(g, name);
      const src = readdirSync(dir).find((f) => f.startsWith('source.'));
      if (!src || !existsSync(join(dir, 'truth.json'))) continue;
      out.push({ id: `${group}/${name}`, dir, source: join(dir, src), truth: JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) });
    }
  }
  return out;
}

/** Compare a canonical object with a truth file the way ../shared/tools/score.mjs does. */
export function scoreAgainst(truth: Record<string, any>, got: Record<string, any>) {
  const t = { scorable: 0, correct: 0, flagged: 0, silent: 0, blankVsZero: 0, missing: 0, wrong: [] as string[] };
  const uncertain = new Set<string>(Array.isArray(got.uncertain) ? got.uncertain : []);
  const same = (a: unknown, b: unknown) => (a === null || b === null ? a === b : typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 1e-9);
  const accepts = (want: unknown, v: unknown) => (Array.isArray(want) ? want.some((w) => same(w, v)) : same(want, v));
  for (const table of ['table2', 'table3', 'table4']) {
    for (const [row, cols] of Object.entries<Record<string, unknown>>(truth[table] ?? {})) {
      for (const [col, want] of Object.entries(cols)) {
        if (want === '?') continue;
        t.scorable++;
        const path = `${table}.${row}.${col}`;
        const v = got[table]?.[row]?.[col];
        if (v !== undefined && accepts(want, v)) t.correct++;
        else if (uncertain.has(path)) t.flagged++;
        else if (v === undefined) t.missing++;
        else if ((v === 0 && accepts(want, null)) || (v === null && accepts(want, 0))) t.blankVsZero++;
        else {
          t.silent++;
          t.wrong.push(`${path}: want ${JSON.stringify(want)} got ${JSON.stringify(v)}`);
        }
      }
    }
  }
  return t;
}

/** Every truth cell is read right or named in `uncertain`; returns the wrong ones (blank ≠ 0). */
export function truthMismatches(report: Record<string, any>, truth: Record<string, any>): string[] {
  const bad: string[] = [];
  for (const t of ['table2', 'table3', 'table4']) {
    for (const [row, cols] of Object.entries<Record<string, unknown>>(truth[t] ?? {})) {
      for (const [col, want] of Object.entries(cols)) {
        if (want === '?') continue;
        const path = `${t}.${row}.${col}`;
        const got = report[t]?.[row]?.[col];
        const ok = Array.isArray(want) ? want.includes(got) : got === want;
        if (!ok && !report.uncertain.includes(path)) bad.push(`${path}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
      }
    }
  }
  return bad;
}
