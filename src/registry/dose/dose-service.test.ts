import assert from 'node:assert/strict';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { DbTestContext } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { addFacility } from '../facility/index.js';
import { createPerson, getPerson } from '../person/index.js';
import { generateCccd } from '../validate/index.js';
import { correctDose, listFacilityDoses, recordDose, voidDose } from './index.js';

async function rejects(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function setup({ db }: Pick<DbTestContext, 'db'>): Promise<{ personId: number }> {
  await addFacility(db, { code: 'F1', name: 'Trạm Y tế 1', provinceCode: '01' }, 't');
  await addFacility(db, { code: 'F2', name: 'Trạm Y tế 2', provinceCode: '01' }, 't');
  const { person } = await createPerson(db, { fullName: 'Nguyễn Văn An', dob: '1990-05-01', sex: 'M', idNumber: generateCccd('001', 1990, 'M', 1) }, 't');
  return { personId: person.id };
}

testEachDialect('recordDose: resolves the product, classifies the dose, refuses a duplicate with 409', async ({ db }) => {
  const { personId } = await setup({ db });
  const first = await recordDose(db, { personId, facilityCode: 'F1', vaccine: 'astra zeneca', lot: 'ABV1234', doseDate: '01/07/2021', doseNumber: '1', vaccinator: ' BS  Lan ', source: 'form' }, 'nurse');
  assert.deepEqual([first.dose.productId, first.dose.doseDate, first.dose.doseNumber, first.dose.doseKind, first.dose.vaccinator, first.dose.status, first.dose.facilityCode], ['astrazeneca', '2021-07-01', 1, 'primary', 'BS Lan', 'active', 'F1']);
  const second = await recordDose(db, { personId, facilityCode: 'F1', vaccine: 'Pfizer', doseDate: '2021-09-01', doseNumber: 2, source: 'api' }, 'nurse');
  assert.equal(second.dose.doseKind, 'primary');
  const booster = await recordDose(db, { personId, facilityCode: 'F2', vaccine: 'Moderna', doseDate: '2022-02-01', doseNumber: 3, source: 'api' }, 'nurse');
  assert.equal(booster.dose.doseKind, 'booster');

  const dup = await rejects(() => recordDose(db, { personId, facilityCode: 'F2', vaccine: 'AZ', doseDate: '2021-07-01', doseNumber: 1, source: 'import' }, 'nurse'));
  assert.deepEqual([dup.code, dup.status, dup.details?.existingDoseId], ['DOSE_DUPLICATE', 409, first.dose.id]);

  const bad = await rejects(() => recordDose(db, { personId, facilityCode: 'F1', vaccine: 'Snake oil', doseDate: '2099-01-01', doseNumber: 'x', source: 'api' }, 'nurse'));
  assert.equal(bad.code, 'VALIDATION');
  assert.deepEqual([...new Set((bad.details?.issues as { field: string }[]).map((i) => i.field))].sort(), ['dose_date', 'dose_number', 'vaccine']);
  // Before the product was available in Viet Nam.
  const early = await rejects(() => recordDose(db, { personId, facilityCode: 'F1', vaccine: 'Pfizer', doseDate: '2021-03-01', doseNumber: 4, source: 'api' }, 'nurse'));
  assert.ok((early.details?.issues as { code: string }[]).some((i) => i.code === 'DOSE_DATE_BEFORE_PRODUCT'));
  assert.equal((await rejects(() => recordDose(db, { personId: 999, facilityCode: 'F1', vaccine: 'AZ', doseDate: '2021-07-01', doseNumber: 1, source: 'api' }, 'n'))).code, 'PERSON_NOT_FOUND');
  assert.equal((await rejects(() => recordDose(db, { personId, facilityCode: 'NOPE', vaccine: 'AZ', doseDate: '2021-07-01', doseNumber: 1, source: 'api' }, 'n'))).code, 'FACILITY_NOT_FOUND');
  assert.equal((await getPerson(db, personId)).doses.length, 3);
});

testEachDialect('correctDose re-validates and keeps before/after; voidDose keeps the dose, frees the slot', async ({ db }) => {
  const { personId } = await setup({ db });
  const { dose } = await recordDose(db, { personId, facilityCode: 'F1', vaccine: 'AZ', doseDate: '2021-07-01', doseNumber: 1, source: 'form' }, 'nurse');
  const fixed = await correctDose(db, dose.id, { doseDate: '2021-07-02', lot: 'L-9' }, 'supervisor', 'date typed wrong');
  assert.deepEqual([fixed.dose.doseDate, fixed.dose.lot, fixed.dose.version], ['2021-07-02', 'L-9', 2]);
  assert.equal((await rejects(() => correctDose(db, dose.id, { doseDate: '2099-01-01' }, 's', 'x'))).code, 'VALIDATION');
  assert.equal((await rejects(() => correctDose(db, dose.id, { lot: 'x' }, 's', ''))).code, 'VALIDATION');
  assert.equal((await rejects(() => correctDose(db, dose.id, { lot: 'x', expectedVersion: 1 }, 's', 'r'))).code, 'VERSION_CONFLICT');

  const voided = await voidDose(db, dose.id, 'wrong person', 'supervisor');
  assert.deepEqual([voided.status, voided.voidReason, voided.version], ['voided', 'wrong person', 3]);
  assert.equal((await rejects(() => voidDose(db, dose.id, 'again', 's'))).code, 'DOSE_VOIDED');
  assert.equal((await rejects(() => correctDose(db, dose.id, { lot: 'x' }, 's', 'r'))).code, 'DOSE_VOIDED');
  // The voided dose no longer blocks recording the same product on that day.
  const again = await recordDose(db, { personId, facilityCode: 'F1', vaccine: 'AZ', doseDate: '2021-07-02', doseNumber: 1, source: 'form' }, 'nurse');
  assert.notEqual(again.dose.id, dose.id);

  const audit = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'dose').where('entity_id', '=', String(dose.id)).orderBy('id').execute();
  assert.deepEqual(audit.map((a) => [a.action, a.actor]), [['create', 'nurse'], ['correct', 'supervisor'], ['void', 'supervisor']]);
  const before = JSON.parse(audit[1]?.before_json ?? '{}') as { doseDate: string };
  const after = JSON.parse(audit[1]?.after_json ?? '{}') as { doseDate: string; _reason: string };
  assert.deepEqual([before.doseDate, after.doseDate, after._reason], ['2021-07-01', '2021-07-02', 'date typed wrong']);
});

testEachDialect('listFacilityDoses pages by (dose date, id) with filters', async ({ db }) => {
  await setup({ db });
  const ids: number[] = [];
  for (let i = 0; i < 7; i++) {
    const { person } = await createPerson(db, { fullName: `Trần Văn Bình ${'ABCDEFG'[i] ?? ''}`.replace(/ (\w)$/, ' Anh$1').trim(), dob: `198${i}`, sex: 'M' }, 't');
    // Two people share a day so the id breaks the tie.
    const day = `2021-08-${String(10 - Math.floor(i / 2)).padStart(2, '0')}`;
    ids.push((await recordDose(db, { personId: person.id, facilityCode: 'F1', vaccine: i % 2 === 0 ? 'AZ' : 'Vero Cell', doseDate: day, doseNumber: 1, source: 'api' }, 't')).dose.id);
  }
  const seen: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listFacilityDoses(db, 'F1', { limit: 3, ...(cursor ? { cursor } : {}) });
    seen.push(...page.items.map((d) => d.id));
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor !== undefined);
  assert.equal(pages, 3);
  assert.equal(seen.length, 7);
  assert.deepEqual(new Set(seen), new Set(ids));
  const all = await listFacilityDoses(db, 'F1', { limit: 500 });
  const keys = all.items.map((d) => `${d.doseDate}#${String(d.id).padStart(6, '0')}`);
  assert.deepEqual(keys, [...keys].sort());
  assert.deepEqual(seen, all.items.map((d) => d.id));

  assert.equal((await listFacilityDoses(db, 'F1', { productId: 'vero_cell' })).items.length, 3);
  assert.equal((await listFacilityDoses(db, 'F1', { from: '2021-08-09', to: '2021-08-10' })).items.length, 4);
  await voidDose(db, ids[0] ?? 0, 'test', 't');
  assert.equal((await listFacilityDoses(db, 'F1', { status: 'voided' })).items.length, 1);
  assert.equal((await listFacilityDoses(db, 'F1', { doseNumber: 2 })).items.length, 0);
  assert.equal((await listFacilityDoses(db, 'F2')).items.length, 0);
  assert.equal((await rejects(() => listFacilityDoses(db, 'F1', { cursor: 'garbage' }))).code, 'BAD_REQUEST');
  assert.equal((await rejects(() => listFacilityDoses(db, 'F1', { limit: 501 }))).code, 'BAD_REQUEST');
});
