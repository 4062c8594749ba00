// Kysely's SQLite dialect, except that a rollback SQLite has already done is not an error.
// On SQLITE_FULL (and IOERR, NOMEM) SQLite rolls the transaction back itself; Kysely then issues
// ROLLBACK, which fails with "cannot rollback - no transaction is active" and would replace the
// real cause (a full disk) in the error the user sees.
import { SqliteDialect, type DatabaseConnection, type Driver } from 'kysely';

export class SqliteDialectKeepingCause extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      try {
        await rollback(connection);
      } catch (e) {
        if (!/no transaction is active/i.test(String((e as Error)?.message))) throw e;
      }
    };
    return driver;
  }
}
