/**
 * Builds Kysely's Migrator over our static migration list. Internal to `db/`.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { dialectOf } from './dialect-of.js';

/**
 * A Migrator for `db`. On PostgreSQL the bookkeeping tables are pinned to the current schema:
 * without that, Kysely's "does kysely_migration exist?" check looks in every schema and would
 * wrongly find another schema's table (several test schemas share one database).
 * @param db - the database (or a single connection of it)
 * @param migrations - migrations by name
 * @throws Error on PostgreSQL when `search_path` names no existing schema
 */
export async function createMigrator<DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>>,
): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema ?? undefined;
    if (migrationTableSchema === undefined) throw new Error('no current schema: search_path names no existing schema');
  }
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
    ...(migrationTableSchema !== undefined ? { migrationTableSchema } : {}),
  });
}
