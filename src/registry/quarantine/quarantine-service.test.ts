import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { importFile, writeBatch } from '../import/index.js';
import type { RawRecord } from '../import/index.js';
import { generateCccd } from '../validate/index.js';
import { discardQuarantined, listQuarantine, resubmitQuarantined } from './index.js';
import { templateCsv } from '../import/test-helpers/template-csv.js';

const TODAY = '2026-11-25';
const dir = mkdtempSync(join(tmpdir(), 'vaxpass-quarantine-'));

const an = generateCccd('001', 1985, 'M', 1);
const cuong = generateCccd('001', 1970, 'M', 3);
const FILE = templateCsv([
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB1', '15/08/2021', 1], // 2 imported
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB2', '10/10/2021', 2], // 3 imported
  ['Phạm Văn Cường', '01/01/1970', 'X', cuong, '', '01', 'Moderna', 'M1', '01/09/2021', 1], // 4 sex: corrected below
  ['Lê Văn Dũng', '01/02/1960', 'Nam', generateCccd('001', 1960, 'M', 4), '', '01', 'Vero Cell', 'V1', '31/02/2021', 1], // 5 date: stays pending
  ['Đỗ Thị Hà', '1975', 'Nữ', '', '', '01', 'Vaccine X', 'M2', '01/09/2021', 1], // 6 vaccine: discarded
]);

type Table = 'person' | 'person_document' | 'dose' | 'import_quarantine' | 'audit_log';
const count = async (db: Kysely<Database>, table: Table): Promise<number> =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
const counts = async (db: Kysely<Database>): Promise<Record<Table, number>> => ({
  person: await count(db, 'person'),
  person_document: await count(db, 'person_document'),
  dose: await count(db, 'dose'),
  import_quarantine: await count(db, 'import_quarantine'),
  audit_log: await count(db, 'audit_log'),
});

async function imported(db: Kysely<Database>, dialect: DbDialect): Promise<{ file: string; facilityId: number }> {
  const f = await db.insertInto('facility').values({ code: 'HN-001', name: 'Trạm Y tế Phúc Xá', province_code: '01', type: 'health_station' }).returning('id').executeTakeFirstOrThrow();
  const file = join(dir, `list-${dialect}-${String(Date.now())}.csv`);
  writeFileSync(file, FILE);
  const s = await importFile(db, dialect, file, { facilityCode: 'HN-001', actor: 'test', today: TODAY, errorReport: null });
  assert.deepEqual([s.imported, s.duplicates, s.rejected], [2, 0, 3]);
  return { file, facilityId: f.id };
}

const pendingRow = async (db: Kysely<Database>, rowNumber: number) => {
  const item = (await listQuarantine(db, 'HN-001')).items.find((i) => i.rowNumber === rowNumber);
  assert.ok(item, `row ${rowNumber} is pending`);
  return item;
};

/** Makes the second step of a resubmission (recording the row's dose) fail, after the dose was written. */
async function failOnResolve(db: Kysely<Database>, dialect: DbDialect): Promise<() => Promise<void>> {
  if (dialect === 'sqlite') {
    await sql`create trigger fail_resolve before update of dose_id on import_quarantine begin select raise(abort, 'injected failure'); end`.execute(db);
    return async () => {
      await sql`drop trigger fail_resolve`.execute(db);
    };
  }
  await sql`create function fail_resolve() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`.execute(db);
  await sql`create trigger fail_resolve before update of dose_id on import_quarantine for each row execute function fail_resolve()`.execute(db);
  return async () => {
    await sql`drop trigger fail_resolve on import_quarantine`.execute(db);
  };
}

testEachDialect('resubmitting is one transaction: a failure after the dose is written leaves neither the dose nor the resolution', async ({ db, dialect }) => {
  await imported(db, dialect);
  const row = await pendingRow(db, 4);
  const before = await counts(db);
  const restore = await failOnResolve(db, dialect);
  await assert.rejects(resubmitQuarantined(db, dialect, row.id, { ...row.raw, sex: 'Nam' }, 'test', { today: TODAY }), /injected failure/);
  // The writer had inserted Cường (person, document) and his dose: all rolled back with the claim.
  assert.deepEqual(await counts(db), before);
  const still = await pendingRow(db, 4);
  assert.deepEqual([still.status, still.doseId, still.resolvedBy], ['pending', null, null]);

  // Nothing half-done blocks a retry.
  await restore();
  const ok = await resubmitQuarantined(db, dialect, row.id, { ...row.raw, sex: 'Nam' }, 'test', { today: TODAY });
  assert.equal(ok.outcome, 'imported');
  assert.deepEqual([ok.item.status, ok.item.doseId], ['resubmitted', ok.doseId]);
  const after = await counts(db);
  assert.deepEqual([after.person - before.person, after.dose - before.dose, after.audit_log - before.audit_log, after.import_quarantine], [1, 1, 1, before.import_quarantine]);
});

testEachDialect('a resubmission that another one resolved first writes nothing (409)', async ({ db, dialect }) => {
  await imported(db, dialect);
  const row = await pendingRow(db, 4);
  const [a, b] = await Promise.allSettled([
    resubmitQuarantined(db, dialect, row.id, { ...row.raw, sex: 'Nam' }, 'a', { today: TODAY }),
    resubmitQuarantined(db, dialect, row.id, { ...row.raw, sex: 'Nam', lot: 'M9' }, 'b', { today: TODAY }),
  ]);
  const outcomes = [a, b].map((r) => (r.status === 'fulfilled' ? r.value.outcome : (r.reason as { code?: string }).code));
  assert.equal(outcomes.filter((o) => o === 'imported').length, 1, JSON.stringify(outcomes));
  assert.ok(outcomes.every((o) => o === 'imported' || o === 'QUARANTINE_RESOLVED'), JSON.stringify(outcomes));
  assert.equal(await count(db, 'dose'), 3);
  assert.equal((await db.selectFrom('audit_log').select('action').where('entity', '=', 'import_quarantine').execute()).length, 1);
});

testEachDialect('re-importing a file after corrections: a resubmitted row is a duplicate, pending and discarded rows are reported once more but not quarantined again', async ({ db, dialect }) => {
  const { file } = await imported(db, dialect);
  const cuongRow = await pendingRow(db, 4);
  const fixed = await resubmitQuarantined(db, dialect, cuongRow.id, { ...cuongRow.raw, sex: 'Nam' }, 'test', { today: TODAY });
  assert.equal(fixed.outcome, 'imported');
  await discardQuarantined(db, (await pendingRow(db, 6)).id, 'not our patient', 'test');
  const before = await counts(db);

  const again = await importFile(db, dialect, file, { facilityCode: 'HN-001', actor: 'test', today: TODAY, errorReport: null });
  assert.deepEqual([again.rows, again.imported, again.duplicates, again.rejected], [5, 0, 3, 2]);
  assert.deepEqual([...new Set(again.errors.map((e) => e.row))], [5, 6]);
  assert.deepEqual(await counts(db), before);
  const job = await db.selectFrom('import_job').selectAll().where('id', '=', again.importId).executeTakeFirstOrThrow();
  assert.deepEqual([job.imported, job.duplicates, job.rejected], [0, 3, 2]);
  assert.deepEqual((await listQuarantine(db, 'HN-001')).items.map((i) => i.rowNumber), [5]);

  // The same through the writer joined to a caller's transaction (the path resubmission uses).
  const q = await db.selectFrom('import_quarantine').select(['raw_json', 'facility_id']).where('id', '=', cuongRow.id).executeTakeFirstOrThrow();
  const raw = JSON.parse(q.raw_json) as RawRecord;
  const issues = [{ field: 'sex', code: 'SEX_UNKNOWN', severity: 'error' as const, en: 'x', vi: 'x' }];
  const outcomes = await db.transaction().execute((trx) => writeBatch(trx, dialect, { facilityId: q.facility_id, importId: again.importId, actor: 'test', source: 'import' }, [], [{ rowNumber: 4, raw, issues }]));
  assert.deepEqual(outcomes, [{ rowNumber: 4, status: 'duplicate', personId: fixed.personId, warnings: [] }]);
  assert.deepEqual(await counts(db), before);
});
