/**
 * Multi-row inserts for the bulk paths (imports, seeding), one statement per table and batch.
 * PostgreSQL gets `INSERT … SELECT FROM unnest($1::type[], …)`: a fixed number of parameters
 * whatever the batch size, so the server parses one small statement instead of a
 * 30,000-placeholder VALUES list. SQLite gets multi-row VALUES, chunked under its parameter limit.
 * Ids are allocated by the caller (see `allocateIds`), so children can reference new parents
 * in the same batch without a round trip per row.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { NOW_ISO_SQL } from '../../db/index.js';
import type { Database, DbDialect } from '../../db/index.js';

/** A column of a bulk insert and its PostgreSQL array element type. */
export interface BulkColumn {
  readonly name: string;
  readonly pgType: 'bigint' | 'integer' | 'text';
}

/** Options of {@link bulkInsert}. */
export interface BulkInsertOptions {
  /** Conflict target and action, e.g. `(facility_id, row_hash) do nothing`. */
  readonly onConflict?: string;
  /** Columns to return from the inserted rows (skipped ones return nothing). */
  readonly returning?: readonly string[];
  /** The rows carry explicit values for a `generated always` identity column (PostgreSQL). */
  readonly overridingIdentity?: boolean;
  /**
   * Timestamp columns (`created_at`…) that PostgreSQL sets once per statement to the ISO text
   * of `now()`, what their default gives, instead of evaluating the default per row. SQLite
   * leaves them to their default.
   */
  readonly stamped?: readonly string[];
}

/** The ISO text of the transaction's time, as the columns' default writes it; an InitPlan, evaluated once. */
const PG_NOW_ISO = `(select ${NOW_ISO_SQL.postgres})`;

/** SQLite's limit on bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const SQLITE_MAX_PARAMS = 32_000;

/**
 * Inserts `rows` (arrays in `columns` order) into `table`.
 * @param db - the transaction
 * @param dialect - engine of `db`
 * @param table - table name (a constant of ours, never user input)
 * @param columns - column names and types
 * @param rows - values per row
 * @param options - conflict handling, returning, identity override
 * @returns the returned rows (empty unless `options.returning`)
 */
export async function bulkInsert<R = Record<string, unknown>>(
  db: Kysely<Database>,
  dialect: DbDialect,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
  options: BulkInsertOptions = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const names = sql.raw(columns.map((c) => c.name).join(', '));
  const tail = sql.raw(
    `${options.onConflict ? ` on conflict ${options.onConflict}` : ''}${options.returning ? ` returning ${options.returning.join(', ')}` : ''}`,
  );
  if (dialect === 'postgres') {
    const arrays: RawBuilder<unknown>[] = columns.map((c, i) => sql`${rows.map((r) => r[i] ?? null)}::${sql.raw(c.pgType)}[]`);
    const overriding = sql.raw(options.overridingIdentity ? ' overriding system value' : '');
    const stamped = options.stamped ?? [];
    const pgNames = stamped.length === 0 ? names : sql.raw(`${columns.map((c) => c.name).join(', ')}, ${stamped.join(', ')}`);
    const stamps = sql.raw(stamped.map(() => `, ${PG_NOW_ISO}`).join(''));
    const result = await sql<R>`insert into ${sql.table(table)} (${pgNames})${overriding} select u.*${stamps} from unnest(${sql.join(arrays)}) as u${tail}`.execute(db);
    return result.rows;
  }
  const perStatement = Math.max(1, Math.floor(SQLITE_MAX_PARAMS / columns.length));
  const out: R[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = sql.join(chunk.map((r) => sql`(${sql.join(r.map((v) => v ?? null))})`));
    const result = await sql<R>`insert into ${sql.table(table)} (${names}) values ${values}${tail}`.execute(db);
    out.push(...result.rows);
  }
  return out;
}

/**
 * Reserves `count` consecutive new ids of `table`'s identity column, inside the caller's
 * transaction. PostgreSQL draws them from the identity sequence; SQLite bumps the table's
 * `sqlite_sequence` row, which also takes the write lock, so no other writer can take them.
 * @param db - the transaction
 * @param dialect - engine of `db`
 * @param table - a table with an autoincrement / identity `id`
 * @param count - how many ids
 * @returns the ids, ascending
 */
export async function allocateIds(db: Kysely<Database>, dialect: DbDialect, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  if (dialect === 'postgres') {
    const r = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::bigint as id from generate_series(1, ${count})`.execute(db);
    return r.rows.map((row) => row.id).sort((a, b) => a - b);
  }
  let r = await sql<{ seq: number }>`update sqlite_sequence set seq = seq + ${count} where name = ${table} returning seq`.execute(db);
  if (r.rows.length === 0) {
    // No row yet: the table never held one. Start after whatever ids exist (none, normally).
    await sql`insert into sqlite_sequence (name, seq) select ${table}, coalesce(max(id), 0) from ${sql.table(table)}`.execute(db);
    r = await sql<{ seq: number }>`update sqlite_sequence set seq = seq + ${count} where name = ${table} returning seq`.execute(db);
  }
  const last = Number(r.rows[0]?.seq);
  const ids: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) ids[i] = last - count + 1 + i;
  return ids;
}
