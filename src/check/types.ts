// The rule catalogue's shapes (after ESLint's rule modules and vfile messages).
import type { Place } from '../read/document.js';
import type { ParseResult, Report } from '../model/report.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: { zh: string; en: string };
  /** Canonical cell paths the finding is about (may be empty for whole-report findings). */
  paths: string[];
  /** Where in the source: from the provenance of the first path, or of the section. */
  place?: Place;
}

/** What a rule returns; the catalogue adds the rule id, default severity and source place. */
export interface Issue {
  message: { zh: string; en: string };
  paths: string[];
  severity?: Severity;
  place?: Place;
}

export interface RuleContext {
  result: ParseResult;
  report: Report;
  /** The same agency's report for the previous year, when the caller has one (continuity rules). */
  previous?: Report;
}

export interface Rule {
  id: string;
  severity: Severity;
  title: { zh: string; en: string };
  /** One paragraph: what the rule checks and why, in Chinese and English. */
  doc: { zh: string; en: string };
  check(ctx: RuleContext): Issue[];
}
