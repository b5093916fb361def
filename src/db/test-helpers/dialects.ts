/**
 * Runs database tests on SQLite AND PostgreSQL, each on its own fresh, migrated database:
 * SQLite gets a temp file, PostgreSQL a new schema `t_<random>` (through `search_path`) that is
 * dropped afterwards. Test files running in parallel processes therefore never see each other's
 * rows. PostgreSQL being unreachable FAILS the tests, never skips them.
 *
 * Environment:
 * - `VAXPASS_TEST_DIALECTS` - `sqlite,postgres` (default) or one of them.
 * - `VAXPASS_TEST_PG` - database for the schemas (default `postgres://postgres@127.0.0.1:5432/test`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext, type TestOptions } from 'node:test';
import type { Kysely } from 'kysely';
import { pgStatement } from '../scratch-db.js';
import { createDb, type DbHandle } from '../create-db.js';
import type { Database } from '../database.js';
import type { DbDialect } from '../dialect-of.js';
import { migrateToLatest } from '../migrate-to-latest.js';

const DEFAULT_TEST_PG = 'postgres://postgres@127.0.0.1:5432/test';
const ALL_DIALECTS: readonly DbDialect[] = ['sqlite', 'postgres'];

/** A throw-away database: the handle, where it lives, and how to delete it. */
export interface TestDb extends DbHandle {
  /** The SQLite file, or the PostgreSQL schema name. */
  readonly location: string;
  /** Closes the handle, then deletes the file or drops the schema (CASCADE). */
  dispose(): Promise<void>;
}

/** What a {@link testEachDialect} body receives. */
export interface DbTestContext {
  readonly db: Kysely<Database>;
  readonly dialect: DbDialect;
  readonly testDb: TestDb;
  /** node:test's context (for `t.diagnostic`, subtests…). */
  readonly t: TestContext;
}

/** The dialects to test, from `VAXPASS_TEST_DIALECTS`; unknown names throw so typos can't skip. */
export function testDialects(): DbDialect[] {
  const raw = process.env.VAXPASS_TEST_DIALECTS ?? ALL_DIALECTS.join(',');
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = names.filter((n) => !(ALL_DIALECTS as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0) {
    throw new Error(`VAXPASS_TEST_DIALECTS: expected a list of ${ALL_DIALECTS.join(', ')} (got "${raw}")`);
  }
  return [...new Set(names)] as DbDialect[];
}

/** The PostgreSQL URL tests use, from `VAXPASS_TEST_PG`. */
export function testPgUrl(): string {
  return process.env.VAXPASS_TEST_PG ?? DEFAULT_TEST_PG;
}

/** Runs one statement on a short-lived connection: schemas are created and dropped outside pools. */
async function pgAdmin(statement: string): Promise<void> {
  try {
    await pgStatement(testPgUrl(), statement, 10_000);
  } catch (e) {
    const where = testPgUrl().replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    throw new Error(
      `PostgreSQL for tests failed at ${where} (set VAXPASS_TEST_PG, or VAXPASS_TEST_DIALECTS=sqlite ` +
        `to run without it): ${(e as Error).message}\n  statement: ${statement}`,
      { cause: e },
    );
  }
}

/**
 * Opens a fresh, private database of the given dialect, migrated unless `migrate: false`.
 * Prefer {@link testEachDialect}; use this when a test needs two databases at once.
 * @param dialect - `sqlite` or `postgres`
 * @param options - `migrate: false` leaves it empty (to test migrations themselves)
 * @throws Error when PostgreSQL is unreachable or migrations fail
 */
export async function openTestDb(dialect: DbDialect, options: { migrate?: boolean } = {}): Promise<TestDb> {
  let handle: DbHandle;
  let location: string;
  let remove: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vaxpass-test-'));
    location = join(dir, 'test.db');
    handle = createDb({ kind: 'sqlite', file: location });
    remove = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  } else {
    // pid + random: unique across parallel test processes, and traceable to one if left behind.
    location = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
    await pgAdmin(`create schema ${location}`);
    handle = createDb({ kind: 'postgres', url: testPgUrl() }, { pgSchema: location, pgPoolSize: 4 });
    remove = () => pgAdmin(`drop schema if exists ${location} cascade`);
  }
  let disposing: Promise<void> | undefined;
  const testDb: TestDb = {
    db: handle.db,
    dialect,
    location,
    close: () => handle.close(),
    dispose: () => (disposing ??= handle.close().then(remove)),
  };
  if (options.migrate !== false) {
    const { error } = await migrateToLatest(testDb.db);
    if (error !== undefined) {
      await testDb.dispose();
      throw new Error(`migrating the ${dialect} test database failed`, { cause: error });
    }
  }
  return testDb;
}

/** Runs `body`, then disposes; a dispose failure is reported only if the body passed. */
async function withTestDb(testDb: TestDb, body: () => Promise<void>): Promise<void> {
  let passed = false;
  try {
    await body();
    passed = true;
  } finally {
    await testDb.dispose().catch((e: unknown) => {
      if (passed) throw e;
    });
  }
}

/**
 * Registers one node:test test per dialect (`name [sqlite]`, `name [postgres]`), each with its
 * own fresh, migrated database that is deleted afterwards.
 *
 * @example
 * ```ts
 * testEachDialect('audit rows round-trip', async ({ db }) => {
 *   await db.insertInto('audit_log').values(row).execute();
 *   assert.equal((await db.selectFrom('audit_log').selectAll().execute()).length, 1);
 * });
 * ```
 * @param name - test name; the dialect is appended
 * @param body - the test, given the database
 * @param options - node:test options (timeout, skip, todo…)
 */
export function testEachDialect(
  name: string,
  body: (ctx: DbTestContext) => Promise<void>,
  options: TestOptions = {},
): void {
  for (const dialect of testDialects()) {
    void test(`${name} [${dialect}]`, options, async (t) => {
      const testDb = await openTestDb(dialect);
      await withTestDb(testDb, () => body({ db: testDb.db, dialect, testDb, t }));
    });
  }
}

/**
 * Registers one `describe` per dialect whose tests SHARE one fresh, migrated database, opened
 * before the first test and deleted after the last. Use it when tests build on each other or
 * setup is costly; otherwise prefer {@link testEachDialect}.
 * @param name - suite name; the dialect is appended
 * @param body - registers the tests; call `getDb()` inside them (not at registration time)
 */
export function describeEachDialect(name: string, body: (getDb: () => TestDb, dialect: DbDialect) => void): void {
  for (const dialect of testDialects()) {
    void describe(`${name} [${dialect}]`, () => {
      let testDb: TestDb | undefined;
      before(async () => {
        testDb = await openTestDb(dialect);
      });
      after(async () => {
        await testDb?.dispose();
      });
      body(() => {
        if (testDb === undefined) throw new Error('getDb() called before the database was opened (use it inside tests)');
        return testDb;
      }, dialect);
    });
  }
}
