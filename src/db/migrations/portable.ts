/**
 * Column helpers for the few places where SQLite and PostgreSQL spell things differently, so each
 * migration stays one code path for both engines.
 */
import { sql, type ColumnDefinitionBuilder, type Expression, type Kysely } from 'kysely';
import { dialectOf } from '../dialect-of.js';
import { NOW_ISO_SQL } from '../now-iso.js';

/**
 * Column type of an auto-assigned primary key. SQLite needs exactly `integer` for the column to
 * alias the rowid; PostgreSQL gets `bigint` so a national-scale table never runs out of ids.
 * @param db - the migration's Kysely instance
 */
export function autoIdType(db: Kysely<unknown>): 'integer' | 'bigint' {
  return dialectOf(db) === 'postgres' ? 'bigint' : 'integer';
}

/**
 * Makes a column an auto-assigned primary key: `autoincrement` on SQLite (ids are never reused,
 * even after deletes), `generated always as identity` on PostgreSQL (rejects hand-picked ids).
 * Use with {@link autoIdType}.
 * @param db - the migration's Kysely instance
 */
export function autoId(db: Kysely<unknown>): (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return dialectOf(db) === 'postgres'
    ? (col) => col.primaryKey().generatedAlwaysAsIdentity()
    : (col) => col.primaryKey().autoIncrement();
}

/**
 * SQL default giving the current time as ISO-8601 UTC text with milliseconds, the same format as
 * `Date#toISOString()` (`2025-01-02T03:04:05.678Z`). On PostgreSQL this is the transaction's start
 * time, so every row of one transaction gets the same instant.
 * @param db - the migration's Kysely instance
 */
export function nowIsoDefault(db: Kysely<unknown>): Expression<string> {
  return sql<string>`(${sql.raw(NOW_ISO_SQL[dialectOf(db)])})`;
}
