// Shared by the store and server benchmarks: deterministic agency names and timing helpers.
import { builtinDivisions } from '../src/analyze/region.js';

export const SEED = 20240531;
export const DEPTS = ['交通运输局', '自然资源局', '教育局', '财政局', '生态环境局', '市场监督管理局', '卫生健康委员会', '民政局', '水利局', '商务局'];
export const ms = (t0: number) => performance.now() - t0;

/** County names that occur once in the built-in divisions (so the region inference is unambiguous). */
export function counties(n: number): string[] {
  const tree = builtinDivisions();
  const count = new Map<string, number>();
  for (const r of tree.byCode.values()) if (r.level === 'county') count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return [...count].filter(([name, c]) => c === 1 && !/[县区]/.test(name.slice(0, -1))).map(([name]) => name).slice(0, n);
}
