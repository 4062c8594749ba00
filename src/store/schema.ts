// Table shapes of the report store (SQLite and PostgreSQL share one schema).
import type { Generated } from 'kysely';

export interface SourcesTable {
  /** sha256 of the source bytes, hex. */
  hash: string;
  bytes: Uint8Array;
  size: number;
}

export interface ReportsTable {
  id: Generated<number>;
  hash: string;
  file_name: string;
  canonical: string;
  findings: string;
  provenance: string;
  parser_version: string;
  agency: string | null;
  agency_key: string | null;
  year: number | null;
  template: string;
  published_at: string | null;
  region: string | null;
  imported_at: string;
  parsed_at: string;
}

export interface DecisionsTable {
  id: Generated<number>;
  /** agencyKey of the report (or its agency, or "#" + hash when neither is known). */
  agency_key: string;
  /** Report year, 0 when unknown. */
  year: number;
  rule_id: string;
  /** A cell path, or "-" for the rule as a whole. */
  path: string;
  decision: 'confirmed' | 'dismissed';
  comment: string | null;
  report_id: number | null;
  decided_at: string;
}

export interface Database {
  sources: SourcesTable;
  reports: ReportsTable;
  decisions: DecisionsTable;
}
