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
