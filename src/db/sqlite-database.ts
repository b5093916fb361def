/**
 * Opens a SQLite file with the settings every VaxPass connection needs. Internal to `db/`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../errors/index.js';

/** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the SQLite database at `file`, and its parent directory.
 * @param file - a file path, or `:memory:` for a private in-memory database
 * @returns the open better-sqlite3 handle
 * @throws AppError `DB_OPEN` when the file or its directory cannot be opened or created
 */
export function openSqliteDatabase(file: string): BetterSqlite3.Database {
  const inMemory = file === ':memory:' || file === '';
  let sqlite: BetterSqlite3.Database;
  try {
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    sqlite = new BetterSqlite3(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new AppError('DB_OPEN', `cannot open SQLite database ${file}: ${(e as Error).message}`, 500, { file }, { cause: e });
  }
  // WAL lets readers (API requests) run while a writer (an import) commits; ignored in memory.
  sqlite.pragma('journal_mode = WAL');
  // SQLite ships with foreign keys OFF for backward compatibility; it is a per-connection setting.
  sqlite.pragma('foreign_keys = ON');
  // Set explicitly (better-sqlite3's `timeout` does the same) so the intent is visible and tested.
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // `synchronous` stays at its default FULL: a committed vaccination record must survive power loss.
  return sqlite;
}

/** The better-sqlite3 handle behind each Kysely instance made by `createDb` (see {@link sqliteHandleOf}). */
const handles = new WeakMap<object, BetterSqlite3.Database>();

/**
 * Remembers that `db` (a Kysely instance) runs on `sqlite`. Internal to `db/`.
 * @param db - the Kysely instance
 * @param sqlite - its only connection
 */
export function registerSqliteHandle(db: object, sqlite: BetterSqlite3.Database): void {
  handles.set(db, sqlite);
}

/**
 * The raw better-sqlite3 handle under a Kysely instance made by `createDb`, for bulk paths that
 * run prepared statements instead of compiling huge queries (the registry import). Undefined
 * for PostgreSQL, for a transaction, or for any other instance. Use it only inside
 * `db.connection().execute(…)`: that holds Kysely's single SQLite connection, so no Kysely
 * transaction of another caller can be open around the raw statements.
 * @param db - a Kysely instance
 * @returns the handle, or undefined
 */
export function sqliteHandleOf(db: object): BetterSqlite3.Database | undefined {
  return handles.get(db);
}
