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
  };
}

export function migrator(db: Kysely<any>, dialect: Dialect): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  return new Migrator({ db, provider, migrationTableName: 'gongkai_migration', migrationLockTableName: 'gongkai_migration_lock' });
}
