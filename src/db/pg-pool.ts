/**
 * Builds the `pg` connection pool for PostgreSQL. Internal to `db/`.
 */
import pg from 'pg';

/** PostgreSQL identifiers we accept for a schema: lower-case, no quoting needed, no injection. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * `bigint`/`count(*)` come back from `pg` as strings (they may exceed 2^53), while SQLite returns
 * numbers. Parse them to numbers so rows have the same types on both engines, and fail loudly
 * rather than round if a value ever gets too large to be exact.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} does not fit a JavaScript number exactly`);
  return n;
}

/** PostgreSQL's type oid for `bigint` (int8). */
const INT8_OID = 20;
// Widened signature: pg-types types the oid as its enum, which our plain number can't satisfy.
const defaultParser = pg.types.getTypeParser as (oid: number, format: 'text' | 'binary') => (value: string) => unknown;
const getTypeParser = ((oid: number, format: 'text' | 'binary' = 'text') =>
  oid === INT8_OID && format === 'text' ? parseInt8 : defaultParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'];

/** Options of {@link createPgPool}. */
export interface PgPoolOptions {
  /** Schema to use for unqualified names (sets `search_path`); the server default otherwise. */
  schema?: string | undefined;
  /** Most connections the pool opens. */
  max?: number | undefined;
}

/**
 * Creates a pool; it connects lazily, on the first query.
 * @param url - a `postgres://` connection URL
 * @param options - schema and pool size
 * @throws Error when `options.schema` is not a plain lower-case identifier
 */
export function createPgPool(url: string, options: PgPoolOptions = {}): pg.Pool {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`invalid PostgreSQL schema name: ${options.schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // An unreachable server must fail the request, not hang it.
    connectionTimeoutMillis: 10_000,
    types: { getTypeParser },
    // Set at connection start-up, so every pooled connection sees the same schema.
    ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // Without a listener, an idle client dropped by the server (restart, failover) would crash the
  // process; the pool already discards that client and the next query opens a new one.
  pool.on('error', (err) => {
    process.stderr.write(`postgres: idle connection lost: ${err.message}\n`);
  });
  return pool;
}
