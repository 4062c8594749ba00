// What the store hands out: one stored report with its parsed JSON columns.
import type { Finding } from '../check/index.js';
import type { Report } from '../model/report.js';

export interface Decision {
  agencyKey: string;
  year: number;
  ruleId: string;
  /** A cell path, or "-" for the rule as a whole. */
  path: string;
  decision: 'confirmed' | 'dismissed';
  comment: string | null;
  reportId: number | null;
  decidedAt: string;
  /** The user who made it; null when unknown (CLI, older rows). */
  decidedBy?: string | null;
}

export interface StoredReport {
  id: number;
  hash: string;
  fileName: string;
  report: Report;
  findings: Finding[];
  parserVersion: string;
  agency: string | null;
  agencyKey: string | null;
  year: number | null;
  template: string;
  publishedAt: string | null;
  region: string | null;
  importedAt: string;
  /** The region of the imported hierarchy the agency matched (regions.code). */
  regionCode: string | null;
  /** The built-in division inferred from the agency name (国家统计局 code). */
  divisionCode: string | null;
  /** Other file names the same bytes were imported under. */
  aliases: string[];
}

/** A finding with the reviewer's decision on it, when there is one. */
export type ReviewedFinding = Finding & { decision?: Pick<Decision, 'decision' | 'comment' | 'decidedAt' | 'path' | 'decidedBy'> };

/** The key decisions are stored under: stable across re-parses of the same body and year. */
export function decisionKeyOf(r: Pick<StoredReport, 'agencyKey' | 'agency' | 'hash' | 'year'>): { agencyKey: string; year: number } {
  return { agencyKey: r.agencyKey ?? r.agency ?? `#${r.hash}`, year: r.year ?? 0 };
}

/** Attach decisions to findings: an exact path decision wins over a whole-rule ("-") one. */
export function applyDecisions(findings: Finding[], decisions: Decision[]): ReviewedFinding[] {
  return findings.map((f) => {
    const mine = decisions.filter((d) => d.ruleId === f.ruleId);
    const exact = mine.find((d) => d.path !== '-' && f.paths.includes(d.path));
    const whole = mine.find((d) => d.path === '-');
    const d = exact ?? whole;
    return d ? { ...f, decision: { decision: d.decision, comment: d.comment, decidedAt: d.decidedAt, path: d.path, ...(d.decidedBy ? { decidedBy: d.decidedBy } : {}) } } : { ...f };
  });
}
