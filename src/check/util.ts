// Helpers shared by rules: reading cells leniently (blank = 0) and skipping uncertain operands.
import { getCell } from '../model/report.js';
import type { RuleContext } from './types.js';

/** Value for arithmetic: blank counts as 0; undefined when the cell is uncertain or absent. */
export function num(ctx: RuleContext, path: string): number | undefined {
  if (ctx.report.uncertain.includes(path)) return undefined;
  const v = getCell(ctx.report, path);
  if (v === undefined) return undefined;
  return v ?? 0;
}

export function show(ctx: RuleContext, path: string): string {
  const v = getCell(ctx.report, path);
  return v === null || v === undefined ? '空' : String(v);
}

export function showEn(ctx: RuleContext, path: string): string {
  const v = getCell(ctx.report, path);
  return v === null || v === undefined ? 'blank' : String(v);
}

export const EPS = 1e-6;
