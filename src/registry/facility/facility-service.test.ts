import assert from 'node:assert/strict';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { addFacility, getFacilityByCode, getProvinceSigning, listFacilities, setProvinceSigning, signingUnitFor, updateFacility } from './index.js';

/** Runs `work`, expecting an AppError; returns it. */
async function rejects(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

testEachDialect('facilities: add, duplicate code, validation of every field, list, update, audit', async ({ db }) => {
  const f = await addFacility(db, { code: 'HN-BD-01', name: '  Trạm Y tế  Phúc Xá ', provinceCode: '01', districtCode: '001', type: 'health_station' }, 'tester');
  assert.deepEqual([f.code, f.name, f.provinceCode, f.districtCode, f.type, f.active], ['HN-BD-01', 'Trạm Y tế Phúc Xá', '01', '001', 'health_station', true]);
  await addFacility(db, { code: 'HCM-Q1', name: 'Bệnh viện Quận 1', provinceCode: '79', type: 'hospital' }, 'tester');

  const dup = await rejects(() => addFacility(db, { code: 'HN-BD-01', name: 'Again', provinceCode: '01' }, 'tester'));
  assert.deepEqual([dup.code, dup.status], ['FACILITY_EXISTS', 409]);

  const bad = await rejects(() => addFacility(db, { code: 'bad code!', name: '', provinceCode: '99', districtCode: '760', type: 'spa' }, 'tester'));
  assert.deepEqual([bad.code, bad.status], ['VALIDATION', 422]);
  const issues = bad.details?.issues as { field: string; en: string; vi: string }[];
  assert.deepEqual(issues.map((i) => i.field).sort(), ['code', 'district_code', 'name', 'province_code', 'type']);
  for (const i of issues) assert.ok(i.en.length > 0 && i.vi.length > 0 && i.en !== i.vi, `${i.field} in both languages`);

  const wrongDistrict = await rejects(() => addFacility(db, { code: 'X1', name: 'X', provinceCode: '01', districtCode: '760' }, 'tester'));
  assert.equal((wrongDistrict.details?.issues as { code: string }[])[0]?.code, 'DISTRICT_NOT_IN_PROVINCE');

  assert.deepEqual((await listFacilities(db)).map((x) => x.code), ['HCM-Q1', 'HN-BD-01']);
  assert.deepEqual((await listFacilities(db, { provinceCode: '79' })).map((x) => x.code), ['HCM-Q1']);
  assert.equal((await rejects(() => getFacilityByCode(db, 'NOPE'))).status, 404);

  const u = await updateFacility(db, 'HN-BD-01', { name: 'Trạm Y tế phường Phúc Xá', active: false }, 'editor');
  assert.deepEqual([u.name, u.active], ['Trạm Y tế phường Phúc Xá', false]);
  const audit = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'facility').where('entity_id', '=', String(f.id)).orderBy('id').execute();
  assert.deepEqual(audit.map((a) => [a.actor, a.action]), [['tester', 'create'], ['editor', 'update']]);
  assert.equal((JSON.parse(audit[1]?.before_json ?? '{}') as { name: string }).name, 'Trạm Y tế Phúc Xá');
  assert.equal((JSON.parse(audit[1]?.after_json ?? '{}') as { active: boolean }).active, false);
});

testEachDialect('province signing: focal unit must be a so_y_te/cdc of the province; signingUnitFor follows the mode', async ({ db }) => {
  const station = await addFacility(db, { code: 'HN-TYT-1', name: 'Trạm Y tế 1', provinceCode: '01' }, 't');
  await addFacility(db, { code: 'HN-SYT', name: 'Sở Y tế Hà Nội', provinceCode: '01', type: 'so_y_te' }, 't');
  await addFacility(db, { code: 'HCM-CDC', name: 'HCDC', provinceCode: '79', type: 'cdc' }, 't');

  assert.deepEqual(await getProvinceSigning(db, '01'), { provinceCode: '01', mode: 'facility', focalFacilityCode: null, updatedAt: null, updatedBy: null });
  assert.equal((await signingUnitFor(db, station.id)).code, 'HN-TYT-1');

  const cases: [Parameters<typeof setProvinceSigning>[2], string][] = [
    [{ mode: 'focal_unit' }, 'FOCAL_UNIT_REQUIRED'],
    [{ mode: 'focal_unit', focalFacilityCode: 'HN-TYT-1' }, 'FOCAL_UNIT_TYPE'],
    [{ mode: 'focal_unit', focalFacilityCode: 'HCM-CDC' }, 'FOCAL_UNIT_OTHER_PROVINCE'],
    [{ mode: 'focal_unit', focalFacilityCode: 'NOPE' }, 'FACILITY_NOT_FOUND'],
    [{ mode: 'everyone' }, 'SIGNING_MODE_UNKNOWN'],
  ];
  for (const [input, code] of cases) {
    const e = await rejects(() => setProvinceSigning(db, '01', input, 't'));
    assert.equal(e.status, 422);
    assert.equal((e.details?.issues as { code: string }[])[0]?.code, code);
  }
  assert.equal((await rejects(() => setProvinceSigning(db, '00', { mode: 'facility' }, 't'))).code, 'PROVINCE_UNKNOWN');

  const s = await setProvinceSigning(db, '01', { mode: 'focal_unit', focalFacilityCode: 'HN-SYT' }, 'province-admin');
  assert.deepEqual([s.mode, s.focalFacilityCode, s.updatedBy], ['focal_unit', 'HN-SYT', 'province-admin']);
  assert.equal((await signingUnitFor(db, station.id)).code, 'HN-SYT');
  assert.equal((await getProvinceSigning(db, '01')).focalFacilityCode, 'HN-SYT');

  const busy = await rejects(() => updateFacility(db, 'HN-SYT', { type: 'hospital' }, 't'));
  assert.deepEqual([busy.code, busy.status], ['FACILITY_IS_FOCAL_UNIT', 409]);

  await setProvinceSigning(db, '01', { mode: 'facility' }, 'province-admin');
  assert.equal((await signingUnitFor(db, station.id)).code, 'HN-TYT-1');
  const audit = await db.selectFrom('audit_log').select(['action', 'before_json', 'after_json']).where('entity', '=', 'province_signing').orderBy('id').execute();
  assert.equal(audit.length, 2);
  assert.equal(audit[0]?.before_json, null);
  assert.equal((JSON.parse(audit[1]?.before_json ?? '{}') as { focalFacilityCode: string }).focalFacilityCode, 'HN-SYT');
});
