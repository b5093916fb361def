/**
 * Which engine a Kysely instance talks to. Migrations receive a bare `Kysely` (or a transaction),
 * so they ask it rather than being told; the introspector is the public part of Kysely that
 * reveals the dialect, and it works the same on transactions and single-connection instances.
 */
import { PostgresIntrospector, SqliteIntrospector, type DatabaseIntrospector } from 'kysely';

/** The two engines VaxPass runs on: SQLite for one-box installs and tests, PostgreSQL in production. */
export type DbDialect = 'sqlite' | 'postgres';

/**
 * Tells which engine `db` talks to.
 * @param db - any Kysely instance, transaction or connection made by {@link createDb}
 * @returns `'sqlite'` or `'postgres'`
 * @throws Error for any other dialect (a programming error: VaxPass only creates these two)
 */
export function dialectOf(db: { readonly introspection: DatabaseIntrospector }): DbDialect {
  const introspector = db.introspection;
  if (introspector instanceof PostgresIntrospector) return 'postgres';
  if (introspector instanceof SqliteIntrospector) return 'sqlite';
  throw new Error(`unsupported Kysely dialect: ${introspector.constructor.name}`);
}
