import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { openTestDb, testDialects, testEachDialect } from './test-helpers/dialects.js';

function audit(entityId: string) {
  return { actor: 'test', action: 'create', entity: 'person', entity_id: entityId, before_json: null, after_json: null };
}

async function entityIds(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('entity_id').orderBy('id').execute()).map((r) => r.entity_id);
}

for (const dialect of testDialects()) {
  test(`two test databases open at once never see each other's rows [${dialect}]`, async () => {
    const [a, b] = await Promise.all([openTestDb(dialect), openTestDb(dialect)]);
    try {
      assert.notEqual(a.location, b.location);
      // Interleave writes on both so any sharing would show up in the other's rows.
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          Promise.all([
            a.db.insertInto('audit_log').values(audit(`a${i}`)).execute(),
            b.db.insertInto('audit_log').values(audit(`b${i}`)).execute(),
          ]),
        ),
      );
      assert.ok((await entityIds(a.db)).every((id) => id.startsWith('a')));
      assert.ok((await entityIds(b.db)).every((id) => id.startsWith('b')));
      assert.equal((await entityIds(a.db)).length, 10);
      assert.equal((await entityIds(b.db)).length, 10);
    } finally {
      await Promise.all([a.dispose(), b.dispose()]);
    }
  });
}

testEachDialect('a failed transaction leaves no rows behind', async ({ db }) => {
  await db.insertInto('audit_log').values(audit('kept')).execute();
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.insertInto('audit_log').values(audit('undone-1')).execute();
      await trx.insertInto('audit_log').values(audit('undone-2')).execute();
      assert.equal((await entityIds(trx)).length, 3);
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(await entityIds(db), ['kept']);
});

testEachDialect('foreign keys are enforced', async ({ db }) => {
  await sql`create table fk_parent (id integer primary key)`.execute(db);
  await sql`create table fk_child (id integer primary key, parent_id integer not null references fk_parent (id))`.execute(db);
  await sql`insert into fk_parent (id) values (1)`.execute(db);
  await sql`insert into fk_child (id, parent_id) values (1, 1)`.execute(db);
  await assert.rejects(sql`insert into fk_child (id, parent_id) values (2, 99)`.execute(db), /foreign key/i);
  await assert.rejects(sql`delete from fk_parent where id = 1`.execute(db), /foreign key/i);
});
