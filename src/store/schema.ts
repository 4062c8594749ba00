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
  /** The region of the imported hierarchy (regions.code) the agency name matched; null when none. */
  region_code: string | null;
  /** The built-in division (国家统计局 code) inferred from the agency name; null when none. */
  division_code: string | null;
  /** sha256 of body + year + tables 2–4: equal for the same report stored from two files. */
  tables_hash: string | null;
  /** Tables 3 and 4 as a JSON number array in SUM_CELLS order (src/analyze/aggregate.ts). */
  totals: string | null;
  /** JSON array of other file names the same bytes were imported under; null when none. */
  aliases: string | null;
  /** The report title (for search). */
  title: string | null;
  /** Review summary under the current decisions (refreshed when findings or decisions change); null until computed. */
  n_errors: number | null;
  n_warnings: number | null;
  n_open: number | null;
  /** "|rule|rule|": rules with a live (not dismissed) error or warning; "" when none. */
  live_rules: string | null;
  /** "|rule|rule|": rules with a live error. */
  error_rules: string | null;
  /** "|row|row|": table-3 rows whose total is above 0. */
  t3_rows: string | null;
  /** Table 3 本年新收 total. */
  new_received: number | null;
  /** The agency key the parser gave (agency_key is it resolved through the alias list). */
  own_agency_key: string | null;
}

export interface AgencyAliasesTable {
  /** agencyKey() of the alias name. */
  alias_key: string;
  alias_name: string;
  /** agencyKey() of the name it stands for (itself possibly an alias: resolved transitively). */
  canonical_key: string;
  canonical_name: string;
  created_at: string;
}

export interface RegionsTable {
  code: string;
  name: string;
  parent_code: string | null;
  /** province, city, county, township, department or other. */
  level: string;
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
  /** The user who made the decision (null for the CLI and older rows). */
  decided_by: string | null;
}

/** The text-search index (src/store/search-index.ts): one row per (gram, report). */
export interface SearchGramsTable {
  gram: number;
  id: number;
}

/** Each indexed report's normalised search text (what the grams were computed from). */
export interface SearchDocsTable {
  id: number;
  text: string;
}

export interface Database {
  sources: SourcesTable;
  reports: ReportsTable;
  decisions: DecisionsTable;
  regions: RegionsTable;
  regions_version: { id: number; version: string };
  agency_aliases: AgencyAliasesTable;
  search_grams: SearchGramsTable;
  search_docs: SearchDocsTable;
  /** Reports inserted, deleted or changed in their search fields since last indexed (filled by triggers). */
  search_pending: { id: number };
}
