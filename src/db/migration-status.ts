/**
 * Which migrations a database has applied and which are pending.
 */
import type { Kysely, Migration } from 'kysely';
import { createMigrator } from './migrator.js';
import { MIGRATIONS } from './migrations/index.js';

/** One migration's state. */
export interface MigrationState {
  readonly name: string;
  readonly applied: boolean;
  /** When it was applied (ISO-8601 UTC), `null` while pending. */
  readonly appliedAt: string | null;
}

/**
 * Lists every known migration, in order, with whether `db` has applied it. Read-only: it creates
 * nothing, so it is safe on a fresh or production database.
 * @param db - the database from `createDb`
 * @param migrations - migrations by name; the registered list unless a test passes its own
 * @returns one entry per migration, in application order
 */
export async function migrationStatus<DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<MigrationState[]> {
  const infos = await (await createMigrator(db, migrations)).getMigrations();
  return infos.map((m) => ({
    name: m.name,
    applied: m.executedAt !== undefined,
    appliedAt: m.executedAt?.toISOString() ?? null,
  }));
}
