import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { correctPerson, personHistory } from '../../registry/index.js';
import { currentVerification } from '../pipeline/index.js';
import { caseInArea, confirmIdentity, correctIdentity, escalateToPolice, facilityWorklist, getIdentityCase, listIdentityCases, policeAreaOf, policeConfirmation } from './index.js';
import { F1, F2, cleaningFixture } from './test-helpers/cleaning-fixture.js';

async function code(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'OK';
}

test('police areas: a province or one of its districts', () => {
  assert.deepEqual(policeAreaOf('79'), { provinceCode: '79', districtCode: null });
  assert.deepEqual(policeAreaOf('79/760'), { provinceCode: '79', districtCode: '760' });
  assert.equal(policeAreaOf(null), null);
  assert.throws(() => policeAreaOf('79/001'), (e: unknown) => e instanceof AppError && e.status === 403);
  assert.throws(() => policeAreaOf('99'), (e: unknown) => e instanceof AppError && e.status === 403);
  const c = { provinceCode: '79', districtCode: '760' };
  assert.equal(caseInArea(c, { provinceCode: '79', districtCode: null }), true);
  assert.equal(caseInArea(c, { provinceCode: '79', districtCode: '760' }), true);
  assert.equal(caseInArea(c, { provinceCode: '79', districtCode: '761' }), false);
  assert.equal(caseInArea(c, { provinceCode: '01', districtCode: null }), false);
  assert.equal(caseInArea(c, null), true);
});

testEachDialect('escalation → police confirm (person unchanged, off the worklist) or correct (re-verified)', async ({ db, dialect }) => {
  const { people, verifier } = await cleaningFixture(db, dialect);
  const a = await escalateToPolice(db, people.nameTypo, 'The citizen insists the name on the card is Bính', 'token:1:clinic', { facilityCode: F1 });
  assert.deepEqual([a.status, a.provinceCode, a.districtCode, a.facilityCode, a.verificationStatus, a.personVersion], ['needs_identity_confirmation', '79', '760', F1, 'MISMATCH', 1]);
  assert.equal(await code(() => escalateToPolice(db, people.nameTypo, 'again', 'x', { facilityCode: F1 })), 'IDENTITY_CASE_OPEN');
  assert.equal(await code(() => escalateToPolice(db, people.dobSwap, '  ', 'x')), 'VALIDATION');
  const b = await escalateToPolice(db, people.otherFacility, 'Sex differs from the register', 'token:2:hn', { facilityCode: F2 });
  assert.deepEqual([b.provinceCode, b.districtCode], ['01', '001']);

  // The worklist shows the open case.
  const flagged = (await facilityWorklist(db, F1)).items.find((i) => i.personId === people.nameTypo);
  assert.deepEqual(flagged?.escalation, { caseId: a.id, status: 'needs_identity_confirmation', createdAt: a.createdAt });

  // Areas: province, district, national.
  const ids = async (area: Parameters<typeof listIdentityCases>[1]): Promise<number[]> => (await listIdentityCases(db, area)).items.map((c) => c.id);
  assert.deepEqual(await ids({ provinceCode: '79', districtCode: null }), [a.id]);
  assert.deepEqual(await ids({ provinceCode: '79', districtCode: '760' }), [a.id]);
  assert.deepEqual(await ids({ provinceCode: '79', districtCode: '761' }), []);
  assert.deepEqual(await ids({ provinceCode: '01', districtCode: null }), [b.id]);
  assert.deepEqual(await ids(null), [a.id, b.id]);
  assert.deepEqual((await listIdentityCases(db, null, { status: 'confirmed_by_police' })).items, []);

  // Confirm: the case closes, the person and the verification result stay as they are.
  const confirmed = await confirmIdentity(db, a.id, 'Checked the residence register: the card says Bính; the national register is outdated', 'police:3:q1');
  assert.deepEqual([confirmed.status, confirmed.resolvedBy, confirmed.resolvedVersion], ['confirmed_by_police', 'police:3:q1', 1]);
  assert.equal(await code(() => confirmIdentity(db, a.id, 'twice', 'police:3:q1')), 'IDENTITY_CASE_CLOSED');
  assert.equal((await currentVerification(db, people.nameTypo)).state?.status, 'MISMATCH');
  assert.equal((await policeConfirmation(db, people.nameTypo))?.id, a.id);
  assert.ok(!(await facilityWorklist(db, F1)).items.some((i) => i.personId === people.nameTypo), 'confirmed people leave the worklist');
  // A later change ends the confirmation: the new data was not confirmed.
  await correctPerson(db, people.nameTypo, { phone: '0987654321' }, 'clerk', 'new phone');
  assert.equal(await policeConfirmation(db, people.nameTypo), null);
  assert.ok((await facilityWorklist(db, F1)).items.some((i) => i.personId === people.nameTypo));

  // Correct: through correctPerson (audited as the police), then re-verified.
  const r = await correctIdentity(db, b.id, { sex: 'F' }, 'Sex on the ID card is female', 'police:4:bd', { verifier });
  assert.deepEqual([r.identityCase.status, r.person.sex, r.person.version, r.verification.status], ['corrected_by_police', 'F', 2, 'VERIFIED']);
  assert.equal((await getIdentityCase(db, b.id)).resolvedVersion, 2);
  const h = (await personHistory(db, people.otherFacility)).find((x) => x.action === 'correct');
  assert.equal(h?.actor, 'police:4:bd');
  assert.match(h?.reason ?? '', new RegExp(`^identity_case:${b.id}: Sex on the ID card`));
  assert.equal(await code(() => correctIdentity(db, b.id, { sex: 'M' }, 'x', 'police:4:bd')), 'IDENTITY_CASE_CLOSED');
  const c = await escalateToPolice(db, people.dobSwap, 'dob?', 'clerk', { facilityCode: F1 });
  assert.equal(await code(() => correctIdentity(db, c.id, {}, 'nothing', 'police')), 'VALIDATION');
  assert.equal(await code(() => getIdentityCase(db, 9999)), 'IDENTITY_CASE_NOT_FOUND');

  // Every step is in the audit trail.
  const audit = await db.selectFrom('audit_log').select(['entity_id', 'action', 'actor']).where('entity', '=', 'identity_case').orderBy('id').execute();
  assert.deepEqual(audit.map((x) => [Number(x.entity_id), x.action, x.actor]), [
    [a.id, 'escalate', 'token:1:clinic'],
    [b.id, 'escalate', 'token:2:hn'],
    [a.id, 'confirm', 'police:3:q1'],
    [b.id, 'correct', 'police:4:bd'],
    [c.id, 'escalate', 'clerk'],
  ]);
});
