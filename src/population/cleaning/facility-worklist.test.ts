import assert from 'node:assert/strict';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { correctPerson, getPerson, personHistory } from '../../registry/index.js';
import { currentVerification } from '../pipeline/index.js';
import { acceptSuggestion, facilityWorklist, reverifyPerson } from './index.js';
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

testEachDialect('worklist lists exactly the non-verified people of the facility, with reasons and suggestions', async ({ db, dialect }) => {
  const { people, truth } = await cleaningFixture(db, dialect);
  const page = await facilityWorklist(db, F1);
  assert.deepEqual(page.items.map((i) => i.personId), [people.nameTypo, people.dobSwap, people.idOff, people.noId]);
  assert.equal(page.nextCursor, null);
  const by = new Map(page.items.map((i) => [i.personId, i]));

  const typo = by.get(people.nameTypo);
  assert.deepEqual([typo?.status, typo?.fields, typo?.suggestions], ['MISMATCH', ['full_name'], [{ reason: 'NAME_CLOSE', values: { full_name: 'Trần Thị Bình' } }]]);
  assert.deepEqual(typo?.reasons.map((r) => [r.field, r.code]), [['full_name', 'FIELD_DIFFERS']]);
  assert.equal(typo?.sent?.fullName, 'Trần Thị Bính');
  assert.equal(typo?.stale, false);
  assert.equal(typo?.escalation, null);

  const swap = by.get(people.dobSwap);
  assert.deepEqual([swap?.status, swap?.fields, swap?.suggestions[0]?.reason], ['MISMATCH', ['dob'], 'DOB_DAY_MONTH_SWAPPED']);
  const off = by.get(people.idOff);
  assert.deepEqual([off?.status, off?.reasons.map((r) => r.code), off?.suggestions[0]], ['NOT_FOUND', ['ID_NOT_IN_REGISTER'], { reason: 'ID_ONE_DIGIT_AWAY', values: { id_number: truth.idOff?.idNumber } }]);
  const noId = by.get(people.noId);
  assert.deepEqual([noId?.status, noId?.fields, noId?.reasons.map((r) => r.code), noId?.sent, noId?.idNumber], ['NOT_SENT', ['id_number'], ['FIELD_MISSING'], null, null]);
  assert.match(noId?.reasons[0]?.vi ?? '', /Thiếu số định danh/);

  // Filters and paging.
  assert.deepEqual((await facilityWorklist(db, F1, { status: 'MISMATCH' })).items.map((i) => i.personId), [people.nameTypo, people.dobSwap]);
  const first = await facilityWorklist(db, F1, { limit: 3 });
  assert.equal(first.items.length, 3);
  const second = await facilityWorklist(db, F1, { limit: 3, cursor: first.nextCursor ?? '' });
  assert.deepEqual(second.items.map((i) => i.personId), [people.noId]);
  assert.equal(second.nextCursor, null);
  assert.deepEqual((await facilityWorklist(db, F2)).items.map((i) => [i.personId, i.status, i.fields]), [[people.otherFacility, 'MISMATCH', ['sex']]]);
  assert.equal(await code(() => facilityWorklist(db, 'NOPE')), 'FACILITY_NOT_FOUND');
  assert.equal(await code(() => facilityWorklist(db, F1, { cursor: 'abc' })), 'BAD_REQUEST');

  // A hand correction leaves the person listed as stale (queued) until re-verified.
  await correctPerson(db, people.dobSwap, { dob: '1985-04-09' }, 'clerk', 'checked the CCCD card');
  const after = (await facilityWorklist(db, F1)).items.find((i) => i.personId === people.dobSwap);
  assert.equal(after?.stale, true);
  assert.equal((await currentVerification(db, people.dobSwap)).stale, true);
});

testEachDialect('accepting a suggestion corrects the person (audited) and re-verifies them: VERIFIED', async ({ db, dialect }) => {
  const { people, truth, verifier } = await cleaningFixture(db, dialect);

  // Name typo → NAME_CLOSE.
  const r = await acceptSuggestion(db, people.nameTypo, 0, 'token:1:clinic', { verifier });
  assert.equal(r.suggestion.reason, 'NAME_CLOSE');
  assert.equal(r.person.fullName, 'Trần Thị Bình');
  assert.equal(r.person.version, 2);
  assert.deepEqual([r.verification.status, r.verification.queuedReason], ['VERIFIED', null]);
  const v = await currentVerification(db, people.nameTypo);
  assert.deepEqual([v.state?.status, v.state?.personVersion, v.stale, v.queued], ['VERIFIED', 2, false, false]);
  const history = await personHistory(db, people.nameTypo);
  const correction = history.find((h) => h.action === 'correct');
  assert.deepEqual([correction?.actor, correction?.reason], ['token:1:clinic', 'suggestion:NAME_CLOSE']);
  assert.equal((correction?.before as { fullName: string }).fullName, 'Trần Thị Bính');
  assert.equal((correction?.after as { fullName: string }).fullName, 'Trần Thị Bình');

  // ID one digit away → the register's CCCD becomes the current document, the wrong one is kept.
  const id = await acceptSuggestion(db, people.idOff, 0, 'clerk', { verifier });
  assert.equal(id.verification.status, 'VERIFIED');
  assert.deepEqual(id.person.documents.map((d) => [d.number, d.current]), [[truth.idOff?.idNumber, true], [id.person.documents[1]?.number, false]]);

  // NOT_SENT has nothing to accept (nothing was sent); a hand correction, then re-verification.
  assert.equal(await code(() => acceptSuggestion(db, people.noId, 0, 'clerk', { verifier })), 'SUGGESTION_NOT_FOUND');
  await correctPerson(db, people.noId, { idNumber: truth.noId?.idNumber ?? '' }, 'clerk', 'ID card shown');
  assert.equal((await reverifyPerson(db, people.noId, { verifier })).status, 'VERIFIED');

  // Without a verifier the person stays queued.
  const swap = await acceptSuggestion(db, people.dobSwap, 0, 'clerk');
  assert.equal(swap.verification.status, null);
  assert.match(swap.verification.queuedReason ?? '', /next `population verify` run/);
  const queued = await currentVerification(db, people.dobSwap);
  assert.deepEqual([queued.stale, queued.queued], [true, true]);
  assert.equal((await getPerson(db, people.dobSwap)).dob, '1985-04-09');

  const left = await facilityWorklist(db, F1);
  assert.deepEqual(left.items.map((i) => [i.personId, i.stale]), [[people.dobSwap, true]]);

  // Stale or unknown suggestions are refused.
  assert.equal(await code(() => acceptSuggestion(db, people.dobSwap, 0, 'clerk', { verifier })), 'VERIFICATION_STALE');
  assert.equal(await code(() => acceptSuggestion(db, people.verified, 0, 'clerk', { verifier })), 'SUGGESTION_NOT_FOUND');
  assert.equal(await code(() => acceptSuggestion(db, people.otherFacility, 5, 'clerk', { verifier })), 'SUGGESTION_NOT_FOUND');
  assert.equal(await code(() => acceptSuggestion(db, 99_999, 0, 'clerk', { verifier })), 'PERSON_NOT_FOUND');
});

testEachDialect('a failing verifier leaves the corrected person queued', async ({ db, dialect }) => {
  const { people } = await cleaningFixture(db, dialect);
  const broken = { verifyBatch: (): Promise<never> => Promise.reject(new Error('population service 503')) };
  const r = await acceptSuggestion(db, people.nameTypo, 0, 'clerk', { verifier: broken });
  assert.equal(r.verification.status, null);
  assert.match(r.verification.queuedReason ?? '', /503/);
  const v = await currentVerification(db, people.nameTypo);
  assert.deepEqual([v.stale, v.queued], [true, true]);
  const q = await db.selectFrom('verification_queue').selectAll().where('person_id', '=', people.nameTypo).executeTakeFirstOrThrow();
  assert.equal(q.claim_token, null, 'the claim was released');
});
