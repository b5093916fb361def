/**
 * What every CLI command that touches the database shares: how it opens the configured database
 * (migrated), the open-work-close wrapper, and the actor written to the audit trail.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { inspect } from 'node:util';
import { getConfig } from '../../config/index.js';
import { createDb, migrateToLatest } from '../../db/index.js';
import type { DbHandle } from '../../db/index.js';

/** How commands reach the database; tests pass their own. */
export interface CliDbDeps {
  /** Opens a migrated database; the command closes it when done. */
  openDb?: () => Promise<DbHandle>;
}

/**
 * Opens the configured database (`getConfig().db`) and applies pending migrations.
 * @throws Error when a migration fails
 */
export async function openConfiguredDb(): Promise<DbHandle> {
  const handle = createDb(getConfig().db);
  const { error } = await migrateToLatest(handle.db);
  if (error !== undefined) {
    await handle.close();
    throw error instanceof Error ? error : new Error(`migration failed: ${inspect(error)}`);
  }
  return handle;
}

/**
 * Like {@link openConfiguredDb}, but `undefined` when there is no database to read: the SQLite
 * file does not exist (a read-only command should not create it) or it cannot be opened (then a
 * warning goes to stderr).
 */
export async function openConfiguredDbIfPresent(): Promise<DbHandle | undefined> {
  const config = getConfig().db;
  if (config.kind === 'sqlite' && !existsSync(config.file)) return undefined;
  try {
    return await openConfiguredDb();
  } catch (e) {
    process.stderr.write(`warning: database unavailable (${(e as Error).message}): no trust or revocation from it\n`);
    return undefined;
  }
}

/**
 * Opens the database (`deps.openDb`, else the configured one), runs `work`, closes it.
 * @param deps - test seam
 * @param work - what to do with the open handle
 */
export async function withCliDb<T>(deps: CliDbDeps, work: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await (deps.openDb ?? openConfiguredDb)();
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/** The actor the CLI writes to the audit trail: `cli:<os user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
