/**
 * Opens the VaxPass database on SQLite or PostgreSQL from the `DbConfig` and hands back one
 * typed Kysely instance; callers never see which driver sits underneath.
 */
import { Kysely, SqliteDialect } from 'kysely';
import type { DbConfig } from '../config/index.js';
import type { Database } from './database.js';
import type { DbDialect } from './dialect-of.js';
import { createPgPool } from './pg-pool.js';
import { ScopedPostgresDialect } from './scoped-postgres-dialect.js';
import { openSqliteDatabase, registerSqliteHandle } from './sqlite-database.js';

/** An open database: the query builder, which engine it runs on, and how to close it. */
export interface DbHandle {
  /** Typed query builder; pass it (or a transaction from it) to repositories. */
  readonly db: Kysely<Database>;
  /** The engine behind `db`, for the rare code that must differ (migrations, diagnostics). */
  readonly dialect: DbDialect;
  /** Closes the SQLite file or ends the pool once pending queries finish. Safe to call twice. */
  close(): Promise<void>;
}

/** Options of {@link createDb}. */
export interface CreateDbOptions {
  /**
   * PostgreSQL only: the schema unqualified names resolve to (`search_path`); it must already
   * exist. Tests use a fresh schema each; production leaves this unset.
   */
  pgSchema?: string | undefined;
  /** PostgreSQL only: most pooled connections (default 10). */
  pgPoolSize?: number | undefined;
}

/**
 * Opens the database described by `config`. SQLite opens eagerly (so a bad path fails here, and
 * the parent directory is created); PostgreSQL connects on the first query.
 *
 * @example
 * ```ts
 * const { db, close } = createDb(getConfig().db);
 * const rows = await db.selectFrom('audit_log').selectAll().execute();
 * await close();
 * ```
 * @param config - from `getConfig().db`: `{ kind: 'sqlite', file }` or `{ kind: 'postgres', url }`
 * @param options - PostgreSQL schema and pool size
 * @returns the handle; call `close()` when done
 * @throws AppError `DB_OPEN` when the SQLite file cannot be opened
 */
export function createDb(config: DbConfig, options: CreateDbOptions = {}): DbHandle {
  let db: Kysely<Database>;
  switch (config.kind) {
    case 'sqlite': {
      const sqlite = openSqliteDatabase(config.file);
      db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
      registerSqliteHandle(db, sqlite);
      break;
    }
    case 'postgres':
      db = new Kysely<Database>({
        dialect: new ScopedPostgresDialect({
          pool: createPgPool(config.url, { schema: options.pgSchema, max: options.pgPoolSize }),
        }),
      });
      break;
  }
  let closing: Promise<void> | undefined;
  return Object.freeze({
    db,
    dialect: config.kind,
    // pg's Pool#end throws when called twice; memoising makes close() idempotent on both engines.
    close: () => (closing ??= db.destroy()),
  });
}
