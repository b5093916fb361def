import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import pg from 'pg';
import { describeEachDialect, openTestDb, testDialects, testPgUrl } from './dialects.js';

const saved = { dialects: process.env.VAXPASS_TEST_DIALECTS, pg: process.env.VAXPASS_TEST_PG };

function restoreEnv(): void {
  for (const [key, value] of [['VAXPASS_TEST_DIALECTS', saved.dialects], ['VAXPASS_TEST_PG', saved.pg]] as const) {
    if (value === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = value;
  }
}

async function schemaExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: testPgUrl() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_namespace where nspname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('test-helpers/dialects', () => {
  afterEach(restoreEnv);

  it('VAXPASS_TEST_DIALECTS selects dialects and rejects typos instead of skipping', () => {
    delete process.env.VAXPASS_TEST_DIALECTS;
    assert.deepEqual(testDialects(), ['sqlite', 'postgres']);
    process.env.VAXPASS_TEST_DIALECTS = ' postgres ';
    assert.deepEqual(testDialects(), ['postgres']);
    for (const bad of ['sqlite,postgress', '', 'mysql']) {
      process.env.VAXPASS_TEST_DIALECTS = bad;
      assert.throws(() => testDialects(), /VAXPASS_TEST_DIALECTS/);
    }
  });

  it('an unreachable PostgreSQL fails loudly, naming the setting, with the password hidden', async () => {
    process.env.VAXPASS_TEST_PG = 'postgres://postgres:hunter2@127.0.0.1:1/test';
    await assert.rejects(openTestDb('postgres'), (e: unknown) => {
      const message = (e as Error).message;
      return /VAXPASS_TEST_PG/.test(message) && /ECONNREFUSED/.test(message) && !message.includes('hunter2');
    });
  });

  it('dispose() deletes the SQLite file', async () => {
    const testDb = await openTestDb('sqlite');
    assert.ok(existsSync(testDb.location));
    await testDb.dispose();
    assert.ok(!existsSync(testDb.location));
  });

  it('dispose() drops the PostgreSQL schema, and is safe to call twice', async () => {
    const testDb = await openTestDb('postgres');
    assert.match(testDb.location, /^t_\d+_[0-9a-f]{12}$/);
    assert.ok(await schemaExists(testDb.location));
    await Promise.all([testDb.dispose(), testDb.dispose()]);
    assert.ok(!(await schemaExists(testDb.location)));
  });
});

describeEachDialect('describeEachDialect shares one database across its tests', (getDb) => {
  it('writes a row', async () => {
    const row = { actor: 't', action: 'create', entity: 'person', entity_id: 'shared', before_json: null, after_json: null };
    await getDb().db.insertInto('audit_log').values(row).execute();
  });
  it('sees the row from the previous test', async () => {
    const rows = await getDb().db.selectFrom('audit_log').select('entity_id').execute();
    assert.deepEqual(rows, [{ entity_id: 'shared' }]);
  });
});
