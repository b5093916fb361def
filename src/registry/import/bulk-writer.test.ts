import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { generateCccd } from '../validate/index.js';
import { createRecordValidator, writeBatch } from './index.js';
import type { CandidateRow, RawRecord, WriterContext } from './index.js';

const validate = createRecordValidator({ today: '2026-11-25' });
const candidate = (rowNumber: number, raw: RawRecord): CandidateRow => {
  const r = validate(raw);
  assert.ok(r.ok, JSON.stringify(r));
  return { rowNumber, raw, record: r.record, warnings: r.warnings };
};
const row = (id: string, date: string, n: number): RawRecord => ({ full_name: 'Nguyễn Văn An', dob: '12/03/1985', sex: 'Nam', id_number: id, vaccine: 'AstraZeneca', dose_date: date, dose_number: String(n) });

async function setup(db: Kysely<Database>): Promise<WriterContext> {
  const f = await db.insertInto('facility').values({ code: 'HN-001', name: 'Trạm Y tế', province_code: '01', type: 'health_station' }).returning('id').executeTakeFirstOrThrow();
  const job = await db.insertInto('import_job').values({ facility_id: f.id, file_name: 'x.csv', file_sha256: '', format: 'csv', actor: 't', status: 'running' }).returning('id').executeTakeFirstOrThrow();
  return { facilityId: f.id, importId: job.id, actor: 't', source: 'import' };
}

testEachDialect('a dose a concurrent writer records between the lookup and the insert is a duplicate, not a failed batch', async ({ db, dialect }: { db: Kysely<Database>; dialect: DbDialect }) => {
  const ctx = await setup(db);
  const an = generateCccd('001', 1985, 'M', 1);
  const binh = generateCccd('001', 1985, 'M', 2);
  const [first] = await writeBatch(db, dialect, ctx, [candidate(2, row(an, '15/08/2021', 1))], []);
  assert.equal(first?.status, 'imported');
  const personId = first.status === 'imported' ? first.personId : -1;
  const batch = [candidate(3, row(an, '10/10/2021', 2)), candidate(4, row(binh, '10/10/2021', 1))];
  if (dialect === 'sqlite') {
    // One connection: writers are serialised, the race cannot happen; the batch simply lands.
    const out = await writeBatch(db, dialect, ctx, batch, []);
    assert.deepEqual(out.map((o) => o.status), ['imported', 'imported']);
    return;
  }
  // Another transaction inserts An's dose 2 and commits only after the batch has looked An's doses up.
  let out: Awaited<ReturnType<typeof writeBatch>> | undefined;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('dose')
      .values({ person_id: personId, facility_id: ctx.facilityId, product_id: 'astrazeneca', dose_date: '2021-10-10', dose_number: 2, dose_kind: 'primary', source: 'api', created_by: 'other' })
      .execute();
    const pending = writeBatch(db, dialect, ctx, batch, []).then((o) => (out = o));
    await sleep(300); // the batch's plain insert now waits on An's uncommitted dose
    void pending;
  });
  for (let i = 0; i < 50 && out === undefined; i++) await sleep(100);
  assert.deepEqual(out?.map((o) => [o.rowNumber, o.status]), [
    [3, 'duplicate'],
    [4, 'imported'],
  ]);
  const doses = await db.selectFrom('dose').select(['person_id', 'created_by']).orderBy('id').execute();
  assert.deepEqual(doses.map((d) => d.created_by), ['t', 'other', 't']);
});

testEachDialect('new people and doses get the batch time as created_at and updated_at, in the columns default format', async ({ db, dialect }: { db: Kysely<Database>; dialect: DbDialect }) => {
  const ctx = await setup(db);
  const before = new Date(Date.now() - 60_000).toISOString();
  const an = generateCccd('001', 1985, 'M', 1);
  await writeBatch(db, dialect, ctx, [candidate(2, row(an, '15/08/2021', 1)), candidate(3, row(an, '10/10/2021', 2))], []);
  // The portable path (a caller's transaction) writes the same values.
  const binh = generateCccd('001', 1985, 'M', 2);
  await db.transaction().execute((trx) => writeBatch(trx, dialect, ctx, [candidate(4, row(binh, '15/08/2021', 1))], []));
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
  const stamps = [
    ...(await db.selectFrom('person').select(['created_at', 'updated_at']).execute()),
    ...(await db.selectFrom('dose').select(['created_at', 'updated_at']).execute()),
  ];
  assert.equal(stamps.length, 5);
  for (const s of stamps) {
    assert.match(s.created_at, iso);
    assert.equal(s.updated_at, s.created_at);
    assert.ok(s.created_at > before, s.created_at);
  }
});
