import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegisterEntry, VerifyRecord, VerifyResult } from '../verifier.js';
import { LocalVerifier, MemoryRegister, checkRecord, dobText, isOneDigitAway, matchBatch, matchRecord, swapDayMonth } from './index.js';

const entry = (idNumber: string, fullName: string, dob: string, sex: 'M' | 'F'): RegisterEntry => ({ idNumber, fullName, dob, sex });
const AN = entry('001085000123', 'Nguyễn Văn An', '1985-03-12', 'M');
const HOA = entry('001190000456', 'Lê Thị Hòa', '1990-05-12', 'F');
const NAM = entry('001072000789', 'Trần Văn Nam', '1972-07-08', 'M');
const OLD = entry('001160000111', 'Phạm Thị Hoa', '1960', 'F');
const KIET = entry('012345678', 'Võ Văn Kiệt', '1950-01-01', 'M');
const HOANG = ['001055000004', '001055000001', '001055000003', '001055000002'].map((id) => entry(id, 'Nguyễn Văn Hoàng', '1955-04-13', 'M'));
const register = new MemoryRegister([AN, HOA, NAM, OLD, KIET, ...HOANG]);

let seq = 0;
const rec = (idNumber: string | null, fullName: string | null, dob: string | null, sex: 'M' | 'F' | null): VerifyRecord => ({ recordId: `r${String(++seq)}`, idNumber, fullName, dob, sex });
const of = (e: RegisterEntry): VerifyRecord => rec(e.idNumber, e.fullName, e.dob, e.sex);
const one = async (r: VerifyRecord): Promise<VerifyResult> => {
  const [res] = await matchBatch([r], register);
  assert.ok(res);
  assert.equal(res.recordId, r.recordId);
  return res;
};
const verdict = (r: VerifyResult): unknown => ({ status: r.status, fields: r.fields, suggestions: r.suggestions });

test('VERIFIED: every field equal (also through Unicode form, case, spacing and legacy encodings)', async () => {
  for (const e of [AN, HOA, NAM, OLD, KIET]) assert.deepEqual(verdict(await one(of(e))), { status: 'VERIFIED', fields: [], suggestions: [] });
  for (const name of ['  NGUYỄN  VĂN AN ', 'Nguyễn Văn An'.normalize('NFD'), 'NguyÔn V¨n An', 'Nguyá»…n VÄƒn An', 'Nguyeãn Vaên An']) {
    assert.equal((await one(rec(AN.idNumber, name, AN.dob, 'M'))).status, 'VERIFIED', name);
  }
  assert.equal((await one(rec(` ${AN.idNumber} `, AN.fullName, ` ${AN.dob}`, 'M'))).status, 'VERIFIED', 'spaces around ID and dob');
});

test('NOT_SENT: missing or unusable fields are listed in field order, nothing is compared', async () => {
  assert.deepEqual(verdict(await one(rec(null, null, null, null))), { status: 'NOT_SENT', fields: ['id_number', 'full_name', 'dob', 'sex'], suggestions: [] });
  assert.deepEqual(verdict(await one(rec(AN.idNumber, '  ', AN.dob, null))), { status: 'NOT_SENT', fields: ['full_name', 'sex'], suggestions: [] });
  // Unusable = missing: the national service would reject a malformed ID or date.
  for (const id of ['00108500012', '1085000123', '001085000123x', 'B1234567', '']) {
    assert.deepEqual((await one(rec(id, 'Someone Else', AN.dob, 'M'))).fields, ['id_number'], id);
  }
  for (const dob of ['1985-13-01', '1985-02-29', '12/03/1985', '85-03-12', '0985', '1985-3-12', '']) {
    assert.deepEqual((await one(rec(AN.idNumber, AN.fullName, dob, 'M'))).fields, ['dob'], dob);
  }
  const bad = { recordId: 'x', idNumber: AN.idNumber, fullName: AN.fullName, dob: AN.dob, sex: 'X' } as unknown as VerifyRecord;
  assert.deepEqual((await one(bad)).fields, ['sex']);
  // Several fields missing: no search either.
  assert.deepEqual((await one(rec(null, HOA.fullName, null, 'F'))).suggestions, []);
});

test('NOT_SENT with only the ID missing: FOUND_BY_NAME_DOB (same name key, dob and sex)', async () => {
  const r = await one(rec(null, 'LÊ THỊ HOÀ', HOA.dob, 'F'));
  assert.deepEqual(verdict(r), { status: 'NOT_SENT', fields: ['id_number'], suggestions: [{ reason: 'FOUND_BY_NAME_DOB', values: { id_number: HOA.idNumber } }] });
  assert.deepEqual((await one(rec(null, HOA.fullName, HOA.dob, 'M'))).suggestions, [], 'other sex: not the same person');
  assert.deepEqual((await one(rec('12345', HOA.fullName, HOA.dob, 'F'))).suggestions[0]?.values, { id_number: HOA.idNumber }, 'malformed ID too');
});

test('NOT_FOUND: unknown ID, no lead', async () => {
  assert.deepEqual(verdict(await one(rec('079099999999', 'Đặng Thị Mai', '1999-09-09', 'F'))), { status: 'NOT_FOUND', fields: [], suggestions: [] });
});

test('ID_ONE_DIGIT_AWAY: one digit changed or two neighbours swapped, same name and dob', async () => {
  for (const id of ['001085000124', '901085000123', '001085000132', '010085000123']) {
    const r = await one(rec(id, 'Nguyễn Văn An', AN.dob, 'M'));
    assert.deepEqual(verdict(r), { status: 'NOT_FOUND', fields: [], suggestions: [{ reason: 'ID_ONE_DIGIT_AWAY', values: { id_number: AN.idNumber } }] }, id);
  }
  // A near ID and the same name and dob, but the other sex: still proposed, with the sex to change.
  assert.deepEqual((await one(rec('001085000124', 'Nguyễn Văn An', AN.dob, 'F'))).suggestions, [{ reason: 'ID_ONE_DIGIT_AWAY', values: { id_number: AN.idNumber, sex: 'M' } }]);
  // Two digits changed, or another dob / name: no.
  assert.deepEqual((await one(rec('001085000224', 'Nguyễn Văn An', AN.dob, 'M'))).suggestions, [{ reason: 'FOUND_BY_NAME_DOB', values: { id_number: AN.idNumber } }]);
  assert.deepEqual((await one(rec('001085000124', 'Nguyễn Văn An', '1985-03-13', 'M'))).suggestions, []);
  assert.deepEqual((await one(rec('001085000124', 'Nguyễn Văn Ân', AN.dob, 'M'))).suggestions, []);
  // The ID is one digit away but held by someone else: MISMATCH on every field, pointing to the person.
  const held = await one(rec(AN.idNumber, HOA.fullName, HOA.dob, 'F'));
  assert.deepEqual(verdict(held), { status: 'MISMATCH', fields: ['full_name', 'dob', 'sex'], suggestions: [{ reason: 'FOUND_BY_NAME_DOB', values: { id_number: HOA.idNumber } }] });
});

test('CMND_REPLACED_BY_CCCD: a 9-digit CMND whose holder (same name, dob, sex) has a CCCD', async () => {
  const r = await one(rec('012999888', 'Trần Văn Nam', NAM.dob, 'M'));
  assert.deepEqual(verdict(r), { status: 'NOT_FOUND', fields: [], suggestions: [{ reason: 'CMND_REPLACED_BY_CCCD', values: { id_number: NAM.idNumber } }] });
  // A CMND-only register entry is found by number: nothing to replace.
  assert.equal((await one(of(KIET))).status, 'VERIFIED');
});

test('FOUND_BY_NAME_DOB: unknown 12-digit ID, same name, dob and sex elsewhere; several → best first, at most 3', async () => {
  const r = await one(rec('079085111222', 'Nguyễn Văn An', AN.dob, 'M'));
  assert.deepEqual(r.suggestions, [{ reason: 'FOUND_BY_NAME_DOB', values: { id_number: AN.idNumber } }]);
  const many = await one(rec(null, 'Nguyễn Văn Hoàng', '1955-04-13', 'M'));
  assert.deepEqual(
    many.suggestions.map((s) => s.values.id_number),
    ['001055000001', '001055000002', '001055000003'],
  );
  // A one-digit-away candidate outranks the other namesakes.
  const near = await one(rec('001055000014', 'Nguyễn Văn Hoàng', '1955-04-13', 'M'));
  assert.deepEqual(near.suggestions.map((s) => [s.reason, s.values.id_number]), [
    ['ID_ONE_DIGIT_AWAY', '001055000004'],
    ['FOUND_BY_NAME_DOB', '001055000001'],
    ['FOUND_BY_NAME_DOB', '001055000002'],
  ]);
});

test('DOB_DAY_MONTH_SWAPPED and DOB_DIFFERS: same ID and name', async () => {
  assert.deepEqual(verdict(await one(rec(HOA.idNumber, HOA.fullName, '1990-12-05', 'F'))), {
    status: 'MISMATCH',
    fields: ['dob'],
    suggestions: [{ reason: 'DOB_DAY_MONTH_SWAPPED', values: { dob: '1990-05-12' } }],
  });
  assert.deepEqual(verdict(await one(rec(HOA.idNumber, HOA.fullName, '1990-01-01', 'F'))), {
    status: 'MISMATCH',
    fields: ['dob'],
    suggestions: [{ reason: 'DOB_DIFFERS', values: { dob: '1990-05-12' } }],
  });
  // dob and sex both wrong: one suggestion carrying both values.
  assert.deepEqual((await one(rec(HOA.idNumber, HOA.fullName, '1990-12-05', 'M'))).suggestions, [{ reason: 'DOB_DAY_MONTH_SWAPPED', values: { dob: '1990-05-12', sex: 'F' } }]);
});

test('partial dates of birth compare as exact text: 1960 ≠ 1960-02-01 (either way round)', async () => {
  assert.deepEqual(verdict(await one(rec(OLD.idNumber, OLD.fullName, '1960-02-01', 'F'))), {
    status: 'MISMATCH',
    fields: ['dob'],
    suggestions: [{ reason: 'DOB_DIFFERS', values: { dob: '1960' } }],
  });
  assert.deepEqual((await one(rec(AN.idNumber, AN.fullName, '1985', 'M'))).suggestions, [{ reason: 'DOB_DIFFERS', values: { dob: '1985-03-12' } }]);
  assert.deepEqual((await one(rec(AN.idNumber, AN.fullName, '1985-03', 'M'))).fields, ['dob']);
});

test('SEX_DIFFERS: same ID, name and dob', async () => {
  assert.deepEqual(verdict(await one(rec(AN.idNumber, AN.fullName, AN.dob, 'F'))), { status: 'MISMATCH', fields: ['sex'], suggestions: [{ reason: 'SEX_DIFFERS', values: { sex: 'M' } }] });
});

test('NAME_CLOSE: same ID and dob, a small name difference; a different name is never equal', async () => {
  for (const name of ['Nguyễn Văn Ân', 'Nguyen Van An', 'Nguyễn Văn Anh', 'Nguyễn An', 'Nguễyn Văn An', 'NguyÔn V¨n ¢n']) {
    assert.deepEqual(verdict(await one(rec(AN.idNumber, name, AN.dob, 'M'))), {
      status: 'MISMATCH',
      fields: ['full_name'],
      suggestions: [{ reason: 'NAME_CLOSE', values: { full_name: 'Nguyễn Văn An' } }],
    }, name);
  }
  assert.deepEqual((await one(rec(AN.idNumber, 'Nguyễn Văn Ân', AN.dob, 'F'))).suggestions, [{ reason: 'NAME_CLOSE', values: { full_name: 'Nguyễn Văn An', sex: 'M' } }]);
  // Far name (someone else) with the ID holder's dob: no name proposed.
  assert.deepEqual(verdict(await one(rec(AN.idNumber, 'Trương Thị Bích Ngọc', AN.dob, 'M'))), { status: 'MISMATCH', fields: ['full_name'], suggestions: [] });
  // Close name but another dob: two fields wrong, not proposed as a rename.
  assert.deepEqual((await one(rec(AN.idNumber, 'Nguyễn Văn Ân', '1985-03-13', 'M'))).suggestions, []);
});

test('matchRecord: the synchronous core gives the same results when handed the entries', async () => {
  const records = [of(AN), rec(HOA.idNumber, HOA.fullName, '1990-12-05', 'F'), rec(null, null, null, null), rec('012999888', 'Trần Văn Nam', NAM.dob, 'M')];
  const batch = await matchBatch(records, register);
  records.forEach((r, i) => {
    const found = r.idNumber === null ? undefined : register.get(r.idNumber);
    const sync = matchRecord(r, found, [NAM, AN, HOA]);
    assert.deepEqual(sync, batch[i]);
  });
  // Without candidates a NOT_FOUND record just has no suggestions.
  assert.deepEqual(matchRecord(records[3] ?? of(AN), undefined).suggestions, []);
  assert.deepEqual(checkRecord(rec('001085000123', 'A', '1985-02-29', 'M')).missing, ['dob']);
});

test('matchBatch keeps order and duplicates; LocalVerifier wraps it and honours an aborted signal', async () => {
  const records = [of(AN), of(AN), rec('079099999999', 'X', '1999', 'M'), of(HOA)];
  const r = await new LocalVerifier(register).verifyBatch(records);
  assert.deepEqual(r.map((x) => [x.recordId, x.status]), records.map((x, i) => [x.recordId, ['VERIFIED', 'VERIFIED', 'NOT_FOUND', 'VERIFIED'][i]]));
  assert.deepEqual(await matchBatch([], register), []);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(new LocalVerifier(register).verifyBatch(records, { signal: ac.signal }));
});

test('dobText, swapDayMonth, isOneDigitAway', () => {
  assert.equal(dobText('2000-02-29'), '2000-02-29');
  assert.equal(dobText('1900-02-29'), null);
  assert.equal(dobText('1985'), '1985');
  assert.equal(dobText('1985-00'), null);
  assert.equal(dobText('1985/03/12'), null);
  assert.equal(swapDayMonth('1990-12-05'), '1990-05-12');
  assert.equal(swapDayMonth('1990-05-05'), null);
  assert.equal(swapDayMonth('1990-05-13'), null);
  assert.equal(swapDayMonth('1990-05'), null);
  assert.ok(isOneDigitAway('001085000123', '001085000128'));
  assert.ok(isOneDigitAway('001085000123', '001085000213'));
  assert.ok(!isOneDigitAway('001085000123', '001085000123x'));
  assert.ok(!isOneDigitAway('001085000123', '001085000321'));
  assert.ok(!isOneDigitAway('001085000123', '101085000122'));
});
