/**
 * Throw-away databases for benchmarks: a SQLite file in a temporary folder, or a fresh schema
 * on a PostgreSQL server (the bench needs only a database URL, never a database of its own).
 * `dispose` closes the handle and removes the file or drops the schema.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDb } from './create-db.js';
import type { DbHandle } from './create-db.js';
import type { DbDialect } from './dialect-of.js';

/** Where benches find PostgreSQL unless told otherwise (`--pg`, `VAXPASS_BENCH_PG`). */
export const DEFAULT_BENCH_PG = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Runs one statement on a short-lived connection (schemas are created and dropped outside pools).
 * @param url - PostgreSQL URL
 * @param statement - SQL
 * @param connectTimeoutMs - how long to wait for the connection
 */
export async function pgStatement(url: string, statement: string, connectTimeoutMs = 5000): Promise<void> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  try {
    await c.connect();
    await c.query(statement);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Opens a scratch database.
 * @param dialect - engine
 * @param pgUrl - PostgreSQL server (for `postgres`)
 * @param prefix - temporary folder name prefix (for `sqlite`)
 * @throws Error when PostgreSQL is unreachable
 */
export async function openScratchDb(dialect: DbDialect, pgUrl: string, prefix = 'vaxpass-bench-'): Promise<{ handle: DbHandle; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    const handle = createDb({ kind: 'sqlite', file: join(dir, 'bench.db') });
    return { handle, dispose: async () => (await handle.close(), await rm(dir, { recursive: true, force: true })) };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await pgStatement(pgUrl, `create schema ${schema}`);
  const handle = createDb({ kind: 'postgres', url: pgUrl }, { pgSchema: schema });
  return { handle, dispose: async () => (await handle.close(), await pgStatement(pgUrl, `drop schema ${schema} cascade`)) };
}
