/**
 * Applies pending migrations under a lock, all-or-nothing, on either engine.
 *
 * PostgreSQL: Kysely holds an advisory lock and runs the batch in one transaction.
 * SQLite: Kysely's own lock is a no-op (it assumes one process) and it runs DDL outside a
 * transaction, so a failed migration would leave half a schema. We wrap the batch in
 * `BEGIN IMMEDIATE` instead: it takes SQLite's write lock up front (other processes wait up to
 * the busy timeout, then see the migrations applied) and makes the batch atomic, like PostgreSQL.
 */
import { sql, type Kysely, type Migration, type MigrationResult } from 'kysely';
import { dialectOf } from './dialect-of.js';
import { createMigrator } from './migrator.js';
import { MIGRATIONS } from './migrations/index.js';

/** Outcome of {@link migrateToLatest}, shaped like Kysely's `MigrationResultSet`. */
export interface MigrateResult {
  /**
   * Set when the batch failed. The whole batch was then rolled back: results marked `Success`
   * ran but are undone, the `Error` one failed, the `NotExecuted` ones never ran.
   */
  readonly error?: unknown;
  /** One entry per migration this call attempted, in order; empty when already up to date. */
  readonly results: readonly MigrationResult[];
}

/**
 * Applies every pending migration. Never throws: failures come back in `error`.
 *
 * @example
 * ```ts
 * const { error, results } = await migrateToLatest(db);
 * for (const r of results) console.log(r.status, r.migrationName);
 * if (error) process.exitCode = 1;
 * ```
 * @param db - the database from `createDb`
 * @param migrations - migrations by name; the registered list unless a test passes its own
 * @returns what ran and the error, if any
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<MigrateResult> {
  try {
    if (dialectOf(db) === 'postgres') {
      return normalise(await (await createMigrator(db, migrations)).migrateToLatest());
    }
    // Kysely's SQLite driver has one connection; holding it keeps this process's other queries
    // out of our transaction, while BEGIN IMMEDIATE keeps other processes out.
    return await db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      let result: MigrateResult;
      try {
        result = normalise(await (await createMigrator(conn, migrations)).migrateToLatest());
      } catch (e) {
        await sql`rollback`.execute(conn);
        throw e;
      }
      await sql.raw(result.error === undefined ? 'commit' : 'rollback').execute(conn);
      return result;
    });
  } catch (error) {
    return { error, results: [] };
  }
}

function normalise(set: { error?: unknown; results?: MigrationResult[] | undefined }): MigrateResult {
  return set.error === undefined ? { results: set.results ?? [] } : { error: set.error, results: set.results ?? [] };
}
