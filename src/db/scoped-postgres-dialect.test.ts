import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { migrateToLatest } from './migrate-to-latest.js';
import { migrationStatus } from './migration-status.js';
import { openTestDb, testDialects, testPgUrl } from './test-helpers/dialects.js';

// Other processes create and drop their own schemas all the time (every PostgreSQL test does);
// introspection of ours must not trip over theirs.
if (testDialects().includes('postgres')) {
  test('migrations are not disturbed by other schemas being dropped meanwhile [postgres]', async () => {
    const churn = new pg.Client({ connectionString: testPgUrl() });
    await churn.connect();
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const name = `t_churn_${randomBytes(4).toString('hex')}`;
        await churn.query(`create schema ${name}; create table ${name}.x (id serial primary key)`);
        await churn.query(`drop schema ${name} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 15; i++) {
        const t = await openTestDb('postgres', { migrate: false });
        try {
          const { error } = await migrateToLatest(t.db);
          assert.equal(error, undefined);
          assert.ok((await migrationStatus(t.db)).every((s) => s.applied));
        } finally {
          await t.dispose();
        }
      }
    } finally {
      stop = true;
      await loop;
      await churn.end();
    }
  });
}
