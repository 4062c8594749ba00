// Schema migrations, one list for both dialects (the few type differences are chosen here).
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function migrations(dialect: Dialect): Record<string, Migration> {
  const pg = dialect === 'postgres';
  return {
    '0001_init': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('sources')
          .ifNotExists()
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('bytes', pg ? 'bytea' : 'blob', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('reports')
          .ifNotExists()
          .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('hash', 'text', (c) => c.notNull().unique().references('sources.hash'))
          .addColumn('file_name', 'text', (c) => c.notNull())
          .addColumn('canonical', 'text', (c) => c.notNull())
          .addColumn('findings', 'text', (c) => c.notNull())
          .addColumn('provenance', 'text', (c) => c.notNull())
          .addColumn('parser_version', 'text', (c) => c.notNull())
          .addColumn('agency', 'text')
          .addColumn('agency_key', 'text')
          .addColumn('year', 'integer')
          .addColumn('template', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text')
          .addColumn('region', 'text')
          .addColumn('imported_at', 'text', (c) => c.notNull())
          .addColumn('parsed_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('reports_agency_year').ifNotExists().on('reports').columns(['agency_key', 'year']).execute();
        await db.schema.createIndex('reports_year').ifNotExists().on('reports').column('year').execute();
        await db.schema
          .createTable('decisions')
          .ifNotExists()
          .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('agency_key', 'text', (c) => c.notNull())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('confirmed', 'dismissed')`))
          .addColumn('comment', 'text')
          .addColumn('report_id', 'integer')
          .addColumn('decided_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('decisions_key', ['agency_key', 'year', 'rule_id', 'path'])
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('decisions').ifExists().execute();
        await db.schema.dropTable('reports').ifExists().execute();
        await db.schema.dropTable('sources').ifExists().execute();
      },
    },
    // Regions, cross-report checks and precomputed sums. The new report columns are filled
    // for existing rows by Store.open (they are derived from the canonical JSON).
    '0002_regions_cross': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('regions')
          .ifNotExists()
          .addColumn('code', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('parent_code', 'text')
          .addColumn('level', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('regions_name').ifNotExists().on('regions').column('name').execute();
        await db.schema.createIndex('regions_parent').ifNotExists().on('regions').column('parent_code').execute();
        // One row: changes whenever the regions change, so open stores know to reload them.
        await db.schema.createTable('regions_version').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('version', 'text', (c) => c.notNull()).execute();
        for (const col of ['region_code', 'division_code', 'tables_hash', 'totals', 'aliases']) {
          await db.schema.alterTable('reports').addColumn(col, 'text').execute();
        }
        await db.schema.createIndex('reports_tables_hash').ifNotExists().on('reports').column('tables_hash').execute();
        await db.schema.createIndex('reports_region_code').ifNotExists().on('reports').column('region_code').execute();
        // Covering indexes for `sum` (and `regions list`): SQLite scans them instead of the wide
        // report rows (canonical JSON, findings, provenance), which is what makes a sum over
        // 100,000 reports take well under a second.
        await db.schema.createIndex('reports_sum_year').ifNotExists().on('reports').columns(['year', 'totals']).execute();
        await db.schema
          .createIndex('reports_sum_all')
          .ifNotExists()
          .on('reports')
          .columns(['year', 'agency', 'agency_key', 'region', 'region_code', 'division_code', 'totals'])
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('reports_sum_all').ifExists().execute();
        await db.schema.dropIndex('reports_sum_year').ifExists().execute();
        await db.schema.dropIndex('reports_region_code').ifExists().execute();
        await db.schema.dropIndex('reports_tables_hash').ifExists().execute();
        for (const col of ['region_code', 'division_code', 'tables_hash', 'totals', 'aliases']) {
          await db.schema.alterTable('reports').dropColumn(col).execute();
        }
        await db.schema.dropTable('regions_version').ifExists().execute();
        await db.schema.dropTable('regions').ifExists().execute();
      },
    },
    // Search and review summary columns (filled for existing rows by Store.open), a covering
    // index for search and the dashboard, and who made each decision.
    '0003_search_review': {
      async up(db: Kysely<any>) {
        for (const col of ['title', 'live_rules', 'error_rules', 't3_rows']) await db.schema.alterTable('reports').addColumn(col, 'text').execute();
        for (const col of ['n_errors', 'n_warnings', 'n_open']) await db.schema.alterTable('reports').addColumn(col, 'integer').execute();
        await db.schema.alterTable('reports').addColumn('new_received', pg ? 'double precision' : 'real').execute();
        await db.schema.alterTable('decisions').addColumn('decided_by', 'text').execute();
        // Search filters and the dashboard's counts read only these columns: SQLite scans this
        // index instead of the wide report rows.
        await db.schema
          .createIndex('reports_search')
          .ifNotExists()
          .on('reports')
          .columns(['year', 'template', 'region', 'n_errors', 'n_warnings', 'n_open', 'agency_key', 'agency', 'title', 'file_name', 'live_rules', 'error_rules', 't3_rows', 'new_received', 'hash'])
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('reports_search').ifExists().execute();
        await db.schema.alterTable('decisions').dropColumn('decided_by').execute();
        for (const col of ['title', 'live_rules', 'error_rules', 't3_rows', 'n_errors', 'n_warnings', 'n_open', 'new_received']) await db.schema.alterTable('reports').dropColumn(col).execute();
      },
    },
    // The editable agency alias list (src/store/aliases.ts): an alias key stands for a canonical
    // key. reports.agency_key becomes the resolved key and own_agency_key keeps the parser's own,
    // so removing an alias can restore it; before this migration no alias existed, so they are equal.
    '0004_agency_aliases': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('agency_aliases')
          .ifNotExists()
          .addColumn('alias_key', 'text', (c) => c.primaryKey())
          .addColumn('alias_name', 'text', (c) => c.notNull())
          .addColumn('canonical_key', 'text', (c) => c.notNull())
          .addColumn('canonical_name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addCheckConstraint('agency_aliases_not_self', sql`alias_key <> canonical_key`)
          .execute();
        await db.schema.alterTable('reports').addColumn('own_agency_key', 'text').execute();
        await sql`update reports set own_agency_key = agency_key`.execute(db);
        await db.schema.createIndex('reports_own_agency_key').ifNotExists().on('reports').column('own_agency_key').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('reports_own_agency_key').ifExists().execute();
        await sql`update reports set agency_key = own_agency_key`.execute(db);
        await db.schema.alterTable('reports').dropColumn('own_agency_key').execute();
        await db.schema.dropTable('agency_aliases').ifExists().execute();
      },
    },
    // The text-search index (src/store/search-index.ts). Triggers queue every report whose
    // search fields change in search_pending, whichever code path wrote it; existing reports
    // are queued here and indexed by Store.open.
    '0005_search_index': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('search_grams')
          .ifNotExists()
          .addColumn('gram', pg ? 'bigint' : 'integer', (c) => c.notNull())
          .addColumn('id', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('search_grams_pk', ['gram', 'id'])
          // SQLite: the primary key is the table, so a posting list is one contiguous range.
          .$call((b) => (pg ? b : b.modifyEnd(sql`without rowid`)))
          .execute();
        await db.schema.createTable('search_docs').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('text', 'text', (c) => c.notNull()).execute();
        await db.schema.createTable('search_pending').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).execute();
        // Search results are paged newest year first, then agency, then id: walking this index
        // finds the first pages of a very common term without sorting every match.
        await db.schema.createIndex('reports_page_order').ifNotExists().on('reports').columns(['year desc', 'agency', 'id']).execute();
        const fields = ['agency', 'agency_key', 'title', 'file_name'];
        const changed = fields.map((f) => `old.${f} is distinct from new.${f}`).join(' or ');
        if (pg) {
          await sql`create or replace function gongkai_search_queue() returns trigger language plpgsql as $$
            begin
              insert into search_pending (id) values (case when tg_op = 'DELETE' then old.id else new.id end) on conflict do nothing;
              return null;
            end $$`.execute(db);
          await sql.raw(`create trigger search_queue_ins after insert on reports for each row execute function gongkai_search_queue()`).execute(db);
          await sql.raw(`create trigger search_queue_del after delete on reports for each row execute function gongkai_search_queue()`).execute(db);
          await sql.raw(`create trigger search_queue_upd after update of ${fields.join(', ')} on reports for each row when (${changed}) execute function gongkai_search_queue()`).execute(db);
        } else {
          const queue = (row: string) => `begin insert or ignore into search_pending (id) values (${row}.id); end`;
          await sql.raw(`create trigger if not exists search_queue_ins after insert on reports ${queue('new')}`).execute(db);
          await sql.raw(`create trigger if not exists search_queue_del after delete on reports ${queue('old')}`).execute(db);
          await sql.raw(`create trigger if not exists search_queue_upd after update of ${fields.join(', ')} on reports when ${changed.replace(/is distinct from/g, 'is not')} ${queue('new')}`).execute(db);
        }
        await sql`insert into search_pending (id) select id from reports`.execute(db);
      },
      async down(db: Kysely<any>) {
        for (const t of ['search_queue_ins', 'search_queue_del', 'search_queue_upd']) await sql.raw(pg ? `drop trigger if exists ${t} on reports` : `drop trigger if exists ${t}`).execute(db);
        if (pg) await sql`drop function if exists gongkai_search_queue()`.execute(db);
        await db.schema.dropIndex('reports_page_order').ifExists().execute();
        for (const t of ['search_pending', 'search_docs', 'search_grams']) await db.schema.dropTable(t).ifExists().execute();
      },
    },
  };
}

export function migrator(db: Kysely<any>, dialect: Dialect): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  return new Migrator({ db, provider, migrationTableName: 'gongkai_migration', migrationLockTableName: 'gongkai_migration_lock' });
}
