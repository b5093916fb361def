import assert from 'node:assert/strict';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { addFacility } from '../facility/index.js';
import { recordDose, voidDose } from '../dose/index.js';
import { generateCccd } from '../validate/index.js';
import { correctPerson, createPerson, getPerson, personHistory, searchPeople } from './index.js';

async function rejects(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const CCCD_M_1990 = generateCccd('001', 1990, 'M', 123456);

testEachDialect('createPerson normalises the name, stores the document, rejects a taken ID number', async ({ db }) => {
  const { person, warnings } = await createPerson(db, { fullName: '  nguyễn   văn AN ', dob: '01/05/1990', sex: 'Nam', idNumber: CCCD_M_1990, phone: '0912 345 678', provinceCode: '01', districtCode: '001' }, 'tester');
  assert.deepEqual([person.fullName, person.fullNameRaw, person.nameFold, person.dob, person.sex, person.version], ['Nguyễn Văn An', '  nguyễn   văn AN ', 'nguyen van an', '1990-05-01', 'M', 1]);
  assert.deepEqual(person.documents.map((d) => [d.kind, d.number, d.country, d.current]), [['CCCD', CCCD_M_1990, 'VNM', true]]);
  assert.deepEqual(warnings, []);

  const taken = await rejects(() => createPerson(db, { fullName: 'Trần Văn Bình', dob: '1990', sex: 'M', idNumber: CCCD_M_1990 }, 'tester'));
  assert.deepEqual([taken.code, taken.status, taken.details?.existingPersonId], ['PERSON_DOCUMENT_TAKEN', 409, person.id]);

  const noId = await createPerson(db, { fullName: 'Lê Văn Cường', dob: '1950', sex: 'M' }, 'tester');
  assert.deepEqual(noId.person.documents, []);
  assert.deepEqual(noId.warnings.map((w) => w.code), ['ID_MISSING']);

  const audit = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'person').where('entity_id', '=', String(person.id)).execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.action, 'create');
});

testEachDialect('validation errors list every failing field in English and Vietnamese', async ({ db }) => {
  const e = await rejects(() => createPerson(db, { fullName: 'An', dob: '31/02/1990', sex: 'X', idNumber: '12345', phone: 'abc', provinceCode: '99', nationality: 'Vietnam', wardCode: '12' }, 'tester'));
  assert.deepEqual([e.code, e.status], ['VALIDATION', 422]);
  const issues = e.details?.issues as { field: string; severity: string; en: string; vi: string }[];
  const fields = [...new Set(issues.filter((i) => i.severity === 'error').map((i) => i.field))].sort();
  assert.deepEqual(fields, ['dob', 'full_name', 'id_number', 'nationality', 'phone', 'province_code', 'sex', 'ward_code']);
  for (const i of issues) {
    assert.ok(i.en.length > 0 && i.vi.length > 0, i.field);
    assert.notEqual(i.en, i.vi);
  }
  // The CCCD's sex digit must agree with the sex given.
  const mismatch = await rejects(() => createPerson(db, { fullName: 'Trần Thị Bình', dob: '1990-05-01', sex: 'F', idNumber: CCCD_M_1990 }, 'tester'));
  assert.equal((mismatch.details?.issues as { code: string }[])[0]?.code, 'ID_SEX_MISMATCH');
});

testEachDialect('correctPerson bumps the version, keeps history, and replaces the current document', async ({ db }) => {
  const { person } = await createPerson(db, { fullName: 'Nguyen Van An', dob: '1990-05-01', sex: 'M', idNumber: '012345678' }, 'clerk');
  assert.equal(person.documents[0]?.kind, 'CMND');
  const r = await correctPerson(db, person.id, { fullName: 'Nguyễn Văn An', idNumber: CCCD_M_1990 }, 'clerk-2', 'CCCD issued; diacritics restored');
  assert.equal(r.person.version, 2);
  assert.equal(r.person.fullName, 'Nguyễn Văn An');
  assert.deepEqual(r.person.documents.map((d) => [d.kind, d.number, d.current]), [['CCCD', CCCD_M_1990, true], ['CMND', '012345678', false]]);

  // A date of birth that contradicts the current CCCD is refused; nothing changes.
  const bad = await rejects(() => correctPerson(db, person.id, { dob: '1985-01-01' }, 'clerk', 'typo'));
  assert.equal(bad.code, 'VALIDATION');
  assert.equal((await getPerson(db, person.id)).version, 2);
  assert.equal((await rejects(() => correctPerson(db, person.id, { phone: '0912345678' }, 'clerk', '  '))).code, 'VALIDATION');
  assert.equal((await rejects(() => correctPerson(db, person.id, { phone: '0912345678', expectedVersion: 1 }, 'clerk', 'x'))).code, 'VERSION_CONFLICT');

  const facility = await addFacility(db, { code: 'F1', name: 'Trạm 1', provinceCode: '01' }, 't');
  const { dose } = await recordDose(db, { personId: person.id, facilityCode: facility.code, vaccine: 'AstraZeneca', doseDate: '2021-07-01', doseNumber: 1, source: 'form' }, 'clerk');
  await voidDose(db, dose.id, 'entered twice', 'clerk');

  const history = await personHistory(db, person.id);
  assert.deepEqual(history.map((h) => [h.entity, h.action, h.actor]), [
    ['person', 'create', 'clerk'],
    ['person', 'correct', 'clerk-2'],
    ['dose', 'create', 'clerk'],
    ['dose', 'void', 'clerk'],
  ]);
  const correction = history[1];
  assert.equal(correction?.reason, 'CCCD issued; diacritics restored');
  assert.equal((correction?.before as { fullName: string }).fullName, 'Nguyen Van An');
  assert.equal((correction?.after as { fullName: string }).fullName, 'Nguyễn Văn An');
  assert.equal((correction?.after as { version: number }).version, 2);
  assert.equal(history[3]?.reason, 'entered twice');
  assert.equal((await rejects(() => personHistory(db, 9999))).code, 'PERSON_NOT_FOUND');
});

testEachDialect('searchPeople by ID number (repaired) and by name + date of birth', async ({ db }) => {
  const a = (await createPerson(db, { fullName: 'Nguyễn Văn An', dob: '1990-05-01', sex: 'M', idNumber: CCCD_M_1990 }, 't')).person;
  const b = (await createPerson(db, { fullName: 'NGUYEN VAN AN', dob: '1990', sex: 'M' }, 't')).person;
  await createPerson(db, { fullName: 'Nguyễn Văn Ân', dob: '1991-05-01', sex: 'M' }, 't');

  assert.deepEqual((await searchPeople(db, { idNumber: CCCD_M_1990 })).map((p) => p.id), [a.id]);
  // Excel dropped the leading zeros: still found.
  assert.deepEqual((await searchPeople(db, { idNumber: CCCD_M_1990.replace(/^0+/, '') })).map((p) => p.id), [a.id]);
  assert.deepEqual(await searchPeople(db, { idNumber: '079185000042' }), []);
  assert.deepEqual((await searchPeople(db, { name: 'nguyen van an', dob: '01/05/1990' })).map((p) => p.id), [a.id, b.id]);
  assert.deepEqual((await searchPeople(db, { name: 'Nguyễn Văn An', dob: '1990' })).map((p) => p.id), [b.id]);
  assert.equal((await rejects(() => searchPeople(db, { name: '', dob: 'yesterday' }))).code, 'VALIDATION');
});
