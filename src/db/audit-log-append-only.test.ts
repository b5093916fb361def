import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEachDialect } from './test-helpers/dialects.js';

testEachDialect('audit_log is append-only: inserts work, updates, deletes (and PG truncates) fail', async ({ db, dialect }) => {
  const row = { actor: 'test', action: 'update', entity: 'person', entity_id: '7', before_json: '{"a":1}', after_json: '{"a":2}' };
  const { id } = await db.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow();
  await assert.rejects(db.updateTable('audit_log').set({ after_json: '{"a":3}' }).where('id', '=', id).execute(), /audit_log is append-only \(UPDATE refused\)/);
  await assert.rejects(db.deleteFrom('audit_log').where('id', '=', id).execute(), /audit_log is append-only \(DELETE refused\)/);
  if (dialect === 'postgres') await assert.rejects(sql`truncate audit_log`.execute(db), /audit_log is append-only \(TRUNCATE refused\)/);
  // Nothing changed, and the trail keeps growing.
  const kept = await db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(kept.after_json, '{"a":2}');
  await db.insertInto('audit_log').values({ ...row, entity_id: '8' }).execute();
  const { n } = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(n, 2);
});
