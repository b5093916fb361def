import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type Kysely, type Migration } from 'kysely';
import { migrateToLatest } from './migrate-to-latest.js';
import { migrationStatus } from './migration-status.js';
import { MIGRATIONS } from './migrations/index.js';
import { openTestDb, testDialects, testEachDialect, type TestDb } from './test-helpers/dialects.js';

const NAMES = Object.keys(MIGRATIONS).sort();
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Runs `body` on an empty (unmigrated) database of each dialect. */
function testEmptyDb(name: string, body: (testDb: TestDb) => Promise<void>): void {
  for (const dialect of testDialects()) {
    test(`${name} [${dialect}]`, async () => {
      const testDb = await openTestDb(dialect, { migrate: false });
      try {
        await body(testDb);
      } finally {
        await testDb.dispose();
      }
    });
  }
}

testEmptyDb('status lists every migration as pending, then applied after migrate', async ({ db }) => {
  const before = await migrationStatus(db);
  assert.deepEqual(before, NAMES.map((name) => ({ name, applied: false, appliedAt: null })));

  const { error, results } = await migrateToLatest(db);
  assert.equal(error, undefined);
  assert.deepEqual(results.map((r) => [r.migrationName, r.direction, r.status]), NAMES.map((n) => [n, 'Up', 'Success']));

  const after = await migrationStatus(db);
  assert.deepEqual(after.map((s) => [s.name, s.applied]), NAMES.map((n) => [n, true]));
  for (const s of after) assert.match(s.appliedAt ?? '', ISO_MS);
});

testEachDialect('re-running migrate is a no-op', async ({ db }) => {
  const again = await migrateToLatest(db);
  assert.deepEqual(again, { results: [] });
  assert.ok((await migrationStatus(db)).every((s) => s.applied));
});

testEachDialect('audit_log: ids increase, `at` defaults to ISO-8601 UTC, JSON stays text', async ({ db }) => {
  const base = { actor: 'nurse:42', entity: 'person', entity_id: 'VN-001', before_json: null };
  const first = await db.insertInto('audit_log').values({ ...base, action: 'create', after_json: '{"name":"Nguyễn Văn A"}' })
    .returningAll().executeTakeFirstOrThrow();
  const second = await db.insertInto('audit_log').values({ ...base, action: 'update', after_json: '{}' })
    .returning('id').executeTakeFirstOrThrow();
  assert.ok(second.id > first.id);
  assert.match(first.at, ISO_MS);
  assert.ok(Math.abs(Date.parse(first.at) - Date.now()) < 60_000, `clock skew: ${first.at}`);
  assert.equal(first.after_json, '{"name":"Nguyễn Văn A"}');
  assert.equal(first.before_json, null);
  const history = await db.selectFrom('audit_log').select('action')
    .where('entity', '=', 'person').where('entity_id', '=', 'VN-001').orderBy('id').execute();
  assert.deepEqual(history.map((r) => r.action), ['create', 'update']);
  await assert.rejects(
    db.insertInto('audit_log').values({ ...base, action: 'x', after_json: null, actor: null as unknown as string }).execute(),
    /null|NOT NULL/i,
  );
});

const failing: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
    await sql`select * from table_that_does_not_exist`.execute(db);
  },
};

testEmptyDb('a failing migration rolls the whole batch back and is reported, not thrown', async ({ db }) => {
  const migrations = { ...MIGRATIONS, '9999-broken': failing };
  const { error, results } = await migrateToLatest(db, migrations);
  assert.ok(error instanceof Error);
  assert.match(error.message, /table_that_does_not_exist/);
  assert.deepEqual(results.at(-1), { migrationName: '9999-broken', direction: 'Up', status: 'Error' });
  // Nothing stuck: no audit_log, no half_done, and every migration still pending.
  assert.ok((await migrationStatus(db, migrations)).every((s) => !s.applied));
  const tables = (await db.introspection.getTables()).map((t) => t.name);
  assert.ok(!tables.includes('audit_log') && !tables.includes('half_done'), `left behind: ${tables.join(', ')}`);
  // Fixing the list lets the same database migrate cleanly afterwards.
  assert.equal((await migrateToLatest(db)).error, undefined);
});

testEachDialect('a migration missing from the list is an error, not silently ignored', async ({ db }) => {
  const { error, results } = await migrateToLatest(db, {});
  assert.match(String(error), /corrupted migrations/);
  assert.deepEqual(results, []);
});
