import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { AppError } from '../errors/index.js';
import { createDb } from './create-db.js';
import { dialectOf } from './dialect-of.js';
import { testEachDialect, testPgUrl } from './test-helpers/dialects.js';

describe('createDb on SQLite', () => {
  it('creates the parent directory and turns on WAL, foreign keys and a busy timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaxpass-createdb-'));
    const file = join(dir, 'nested', 'deeper', 'vaxpass.db');
    const handle = createDb({ kind: 'sqlite', file });
    try {
      assert.equal(handle.dialect, 'sqlite');
      assert.ok(existsSync(file));
      const pragma = async (name: string): Promise<unknown> =>
        Object.values((await sql.raw(`pragma ${name}`).execute(handle.db)).rows[0] as object)[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('busy_timeout'), 5000);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens :memory: without touching the filesystem', async () => {
    const handle = createDb({ kind: 'sqlite', file: ':memory:' });
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
    assert.deepEqual(rows, [{ one: 1 }]);
    await handle.close();
  });

  it('fails fast with DB_OPEN when the path cannot be a database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaxpass-createdb-'));
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    try {
      assert.throws(
        () => createDb({ kind: 'sqlite', file: join(blocker, 'x.db') }),
        (e: unknown) => e instanceof AppError && e.code === 'DB_OPEN' && e.message.includes('x.db'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createDb on PostgreSQL', () => {
  it('rejects a schema name that would need quoting', () => {
    assert.throws(() => createDb({ kind: 'postgres', url: testPgUrl() }, { pgSchema: 'x; drop table y' }), /invalid PostgreSQL schema/);
  });

  it('connects lazily: creating a handle to a dead server does not throw, the first query does', async () => {
    const handle = createDb({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' });
    assert.equal(handle.dialect, 'postgres');
    await assert.rejects(sql`select 1`.execute(handle.db), /ECONNREFUSED/);
    await handle.close();
  });
});

testEachDialect('dialect is reported and detected from any Kysely instance', async ({ db, dialect, testDb }) => {
  assert.equal(testDb.dialect, dialect);
  assert.equal(dialectOf(db), dialect);
  await db.transaction().execute((trx) => {
    assert.equal(dialectOf(trx), dialect);
    return Promise.resolve();
  });
});

testEachDialect('counts and bigint ids come back as numbers on both engines', async ({ db }) => {
  const row = { actor: 'test', action: 'create', entity: 'person', entity_id: 'p1', before_json: null, after_json: '{}' };
  const inserted = await db.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow();
  assert.equal(typeof inserted.id, 'number');
  const { n } = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(n, 1);
});

testEachDialect('close() can be called twice', async ({ testDb }) => {
  await testDb.close();
  await testDb.close();
});
