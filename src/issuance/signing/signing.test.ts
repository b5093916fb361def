import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { addFacility, correctDose, correctPerson, createPerson, getFacilityByCode, recordDose, setProvinceSigning, voidDose } from '../../registry/index.js';
import { VACCINE_PRODUCTS } from '../../registry/reference/index.js';
import { generateCccd } from '../../registry/validate/index.js';
import { KeyCustody, issueFacilityCert, pkiInit } from '../../trust/pki/index.js';
import { DOSE_FORM, canonicalDose } from './canonical-dose.js';
import type { DoseFacts } from './canonical-dose.js';
import { todayInVietnam as vietnamToday } from '../../registry/validate/index.js';
import { signFacilityRecords, vietnamDayRange } from './sign-facility-records.js';
import { loadDoseRecords } from './signing-repository.js';
import { loadUnitSigner } from './unit-signer.js';
import { assertNoInvalidSignature, signedDosesFor, verifyDoseSignature } from './verify-dose-signature.js';

type Db = Kysely<Database>;
let dir: string;
let custody: KeyCustody;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vaxpass-signing-'));
  custody = new KeyCustody({ backend: 'file', keyDir: join(dir, 'keys'), secretFile: join(dir, 'secret'), passphrase: 'test passphrase, not a secret' });
});
after(() => {
  custody.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejects(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** Province 01: two commune stations and a CDC; two people with two doses each at HN-A, one at HN-B. */
async function setup(db: Db): Promise<{ people: number[]; doses: number[] }> {
  await pkiInit(db, { custody });
  await addFacility(db, { code: 'HN-A', name: 'Trạm Y tế A', provinceCode: '01' }, 't');
  await addFacility(db, { code: 'HN-B', name: 'Trạm Y tế B', provinceCode: '01' }, 't');
  await addFacility(db, { code: 'HN-CDC', name: 'CDC Hà Nội', provinceCode: '01', type: 'cdc' }, 't');
  const people: number[] = [];
  const doses: number[] = [];
  for (let i = 0; i < 2; i++) {
    const { person } = await createPerson(db, { fullName: `Nguyễn Văn ${i === 0 ? 'An' : 'Bình'}`, dob: '1990-05-01', sex: 'M', idNumber: generateCccd('001', 1990, 'M', 10 + i) }, 't');
    people.push(person.id);
    doses.push((await recordDose(db, { personId: person.id, facilityCode: 'HN-A', vaccine: 'AZ', lot: 'L1', doseDate: '2021-07-01', doseNumber: 1, source: 'form' }, 'nurse')).dose.id);
    doses.push((await recordDose(db, { personId: person.id, facilityCode: 'HN-A', vaccine: 'Pfizer', doseDate: '2021-09-01', doseNumber: 2, source: 'form' }, 'nurse')).dose.id);
  }
  const first = people[0];
  if (first === undefined) throw new Error('no person');
  doses.push((await recordDose(db, { personId: first, facilityCode: 'HN-B', vaccine: 'Moderna', doseDate: '2022-02-01', doseNumber: 3, source: 'form' }, 'nurse')).dose.id);
  return { people, doses };
}

function statuses(vs: readonly { status: string }[]): string[] {
  return vs.map((v) => v.status);
}

test('canonical form: RFC 8785 text of the documented fields, keys sorted', () => {
  const facts: DoseFacts = {
    doseId: 7, doseVersion: 2, status: 'active', productId: 'comirnaty', lot: null, doseDate: '2021-09-01', doseNumber: 2, doseKind: 'primary', facilityCode: 'HN-A',
    personId: 3, personVersion: 1, fullName: 'Nguyễn Văn An', dob: '1990-05-01', sex: 'M', document: { kind: 'CCCD', number: '001090000010', country: 'VNM' },
  };
  const text = canonicalDose(facts, { signer: 'HN-CDC', signedAt: '2025-01-02T03:04:05.678Z' });
  assert.equal(
    text,
    '{"dose":{"dose_date":"2021-09-01","dose_kind":"primary","dose_number":2,"eu_mp":"EU/1/20/1528","facility_code":"HN-A","id":7,"lot":null,"product_id":"comirnaty","status":"active","version":2},' +
      `"form":"${DOSE_FORM}",` +
      '"person":{"dob":"1990-05-01","document":{"country":"VNM","kind":"CCCD","number":"001090000010"},"full_name":"Nguyễn Văn An","id":3,"sex":"M","version":1},' +
      '"signed_at":"2025-01-02T03:04:05.678Z","signer":"HN-CDC"}',
  );
});

test('canonical form equals the RFC 8785 reference implementation (canonicalize) on varied records', () => {
  const text = fc.string({ unit: 'binary', maxLength: 30 });
  const int = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const facts = fc.record({
    doseId: int, doseVersion: int, status: text, productId: fc.oneof(fc.constantFrom(...VACCINE_PRODUCTS.map((p) => p.id)), text), lot: fc.option(text), doseDate: text,
    doseNumber: int, doseKind: text, facilityCode: text, personId: int, personVersion: int, fullName: text, dob: text, sex: text,
    document: fc.option(fc.record({ kind: text, number: text, country: text })),
  });
  fc.assert(
    fc.property(facts, text, text, (f: DoseFacts, signer, signedAt) => {
      const reference = canonicalize({
        form: DOSE_FORM, signer, signed_at: signedAt,
        dose: { id: f.doseId, version: f.doseVersion, status: f.status, product_id: f.productId, eu_mp: VACCINE_PRODUCTS.find((p) => p.id === f.productId)?.mp ?? null, lot: f.lot, dose_date: f.doseDate, dose_number: f.doseNumber, dose_kind: f.doseKind, facility_code: f.facilityCode },
        person: { id: f.personId, version: f.personVersion, full_name: f.fullName, dob: f.dob, sex: f.sex, document: f.document },
      });
      assert.equal(canonicalDose(f, { signer, signedAt }), reference);
    }),
    { numRuns: 500 },
  );
});

test('Viet Nam days: today at UTC+7, bounds in UTC, bad dates refused', () => {
  assert.equal(vietnamToday(new Date('2025-03-01T16:59:59Z')), '2025-03-01');
  assert.equal(vietnamToday(new Date('2025-03-01T17:00:00Z')), '2025-03-02');
  assert.deepEqual(vietnamDayRange('2025-03-02'), { from: '2025-03-01T17:00:00.000Z', to: '2025-03-02T17:00:00.000Z' });
  for (const bad of ['2025-02-30', '2025-3-1', 'today']) assert.equal((() => { try { vietnamDayRange(bad); } catch (e) { return (e as AppError).code; } return 'ok'; })(), 'BAD_REQUEST');
});

testEachDialect('sign a facility\'s day; a second run signs nothing new; voided doses are skipped', async ({ db }) => {
  const { people, doses } = await setup(db);
  const [p1] = people;
  assert.ok(p1 !== undefined);
  assert.deepEqual(statuses(await signedDosesFor(db, p1)), ['unsigned', 'unsigned', 'unsigned']);
  const noCert = await rejects(() => signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 'cli:t' }));
  assert.equal(noCert.code, 'SIGNING_CERT_MISSING');
  assert.match(noCert.message, /vaxpass pki issue-facility-cert --owner HN-A/);

  const cert = await issueFacilityCert(db, { custody, owner: 'HN-A' });
  assert.equal((await signFacilityRecords(db, { custody, facilityCode: 'HN-A', date: '2000-01-01', actor: 'cli:t' })).signed, 0, 'nothing entered that day');
  const run = await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 'cli:t' });
  assert.deepEqual([run.signed, run.alreadySigned, run.skipped, run.date], [4, 0, 0, vietnamToday()]);
  assert.deepEqual([run.signer.facilityCode, run.signer.certificateId, run.signer.kid], ['HN-A', cert.id, cert.kid]);
  const again = await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 'cli:t' });
  assert.deepEqual([again.signed, again.alreadySigned], [0, 4]);
  // HN-B's dose is not HN-A's to sign.
  assert.deepEqual(statuses(await signedDosesFor(db, p1)), ['valid', 'valid', 'unsigned']);
  const v = await verifyDoseSignature(db, doses[0] ?? 0);
  assert.equal(v.signature?.signerFacilityCode, 'HN-A');
  assert.equal(v.signature?.signedBy, 'cli:t');
  assert.match(v.message, /signed by HN-A/);
  const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'sign').execute();
  assert.equal(audit.length, 1, 'one audit row per run that signed');

  // ensureCert issues HN-B's certificate on first use (dev convenience).
  const b = await signFacilityRecords(db, { custody, facilityCode: 'HN-B', all: true, actor: 'cli:t', ensureCert: true });
  assert.deepEqual([b.signed, b.signer.certificateCreated, b.date], [1, true, null]);
  assert.deepEqual(statuses(await signedDosesFor(db, p1)), ['valid', 'valid', 'valid']);

  // A voided dose is skipped, and is no longer among the person's doses.
  await voidDose(db, doses[1] ?? 0, 'wrong entry', 'nurse');
  const afterVoid = await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 'cli:t' });
  assert.deepEqual([afterVoid.signed, afterVoid.alreadySigned, afterVoid.skipped], [0, 3, 1]);
  assert.deepEqual(statuses(await signedDosesFor(db, p1)), ['valid', 'valid']);
  assert.equal((await rejects(() => verifyDoseSignature(db, 999_999))).code, 'DOSE_NOT_FOUND');
});

testEachDialect('a correction makes the signature stale; re-signing fixes it; identity changes too', async ({ db }) => {
  const { people, doses } = await setup(db);
  const [p1] = people;
  const [d1] = doses;
  assert.ok(p1 !== undefined && d1 !== undefined);
  await issueFacilityCert(db, { custody, owner: 'HN-A' });
  await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 't' });
  await correctDose(db, d1, { lot: 'L2' }, 'nurse', 'lot typed wrong');
  const stale = await verifyDoseSignature(db, d1);
  assert.equal(stale.status, 'stale');
  assert.match(stale.message, /signed dose version 1 .* now 2/);
  assertNoInvalidSignature(await signedDosesFor(db, p1)); // stale is not invalid
  const re = await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 't' });
  assert.deepEqual([re.signed, re.alreadySigned], [1, 3]);
  assert.equal((await verifyDoseSignature(db, d1)).status, 'valid');
  assert.equal((await db.selectFrom('dose_signature').select('id').where('dose_id', '=', d1).execute()).length, 2, 'the old signature stays for history');

  // The identity snapshot is signed: correcting the person's name makes all their doses stale.
  await correctPerson(db, p1, { fullName: 'Nguyễn Văn Ân' }, 'nurse', 'accent');
  assert.deepEqual(statuses(await signedDosesFor(db, p1)), ['stale', 'stale', 'unsigned']);
  assert.equal((await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 't' })).signed, 2, 'the person changed today: their doses are in today\'s records');
  assert.deepEqual(statuses(await signedDosesFor(db, p1)), ['valid', 'valid', 'unsigned']);
});

testEachDialect('tampering: a flipped signature byte, or data changed in SQL without a version bump, is invalid', async ({ db }) => {
  const { people, doses } = await setup(db);
  const [p1, p2] = people;
  const [d1, , d3] = doses;
  assert.ok(p1 !== undefined && p2 !== undefined && d1 !== undefined && d3 !== undefined);
  await issueFacilityCert(db, { custody, owner: 'HN-A' });
  await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 't' });

  const row = await db.selectFrom('dose_signature').select(['id', 'signature']).where('dose_id', '=', d1).executeTakeFirstOrThrow();
  const sig = Buffer.from(row.signature, 'base64');
  sig[10] = (sig[10] ?? 0) ^ 0x01;
  await db.updateTable('dose_signature').set({ signature: sig.toString('base64') }).where('id', '=', row.id).execute();
  const flipped = await verifyDoseSignature(db, d1);
  assert.equal(flipped.status, 'invalid');
  assert.match(flipped.message, /does not verify against certificate/);

  await db.updateTable('dose').set({ lot: 'FORGED' }).where('id', '=', d3).execute();
  const forged = await verifyDoseSignature(db, d3);
  assert.equal(forged.status, 'invalid');
  assert.match(forged.message, /changed outside the registry \(tampering\)/);
  // Re-signing does not launder tampered data: that version counts as signed already.
  assert.equal((await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 't' })).signed, 0);

  // Issuance asks: a bad signature blocks the person with a clear error.
  const e = (() => {
    try {
      assertNoInvalidSignature([flipped, forged].filter((v) => v.doseId === d3));
    } catch (err) {
      return err as AppError;
    }
    return undefined;
  })();
  assert.equal(e?.code, 'DOSE_SIGNATURE_INVALID');
  assert.equal(e.status, 409);
  assert.match(e.message, new RegExp(`person ${p2}: dose ${d3}: signature \\d+ is invalid`));

  // A certificate revoked before it signed invalidates its signatures.
  const [first] = await signedDosesFor(db, p1);
  assert.equal(first?.status, 'invalid');
  const second = (await signedDosesFor(db, p1))[1];
  assert.equal(second?.status, 'valid');
  await db.updateTable('pki_certificate').set({ status: 'revoked', revoked_at: '2000-01-01T00:00:00.000Z', revoke_reason: 'key compromise' }).where('role', '=', 'facility').execute();
  const revoked = (await signedDosesFor(db, p1))[1];
  assert.equal(revoked?.status, 'invalid');
  assert.match(revoked?.message ?? '', /revoked on 2000-01-01.*key compromise/);
});

testEachDialect('focal unit: the CDC\'s certificate signs for a commune station, and for the whole province', async ({ db }) => {
  const { people } = await setup(db);
  const [p1] = people;
  assert.ok(p1 !== undefined);
  await setProvinceSigning(db, '01', { mode: 'focal_unit', focalFacilityCode: 'HN-CDC' }, 't');
  await issueFacilityCert(db, { custody, owner: 'HN-A' }); // the station's own key no longer signs
  const missing = await rejects(() => signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 't' }));
  assert.match(missing.message, /signing unit HN-CDC has no data-signing certificate.*--owner HN-CDC --kind province/);
  const cdc = await issueFacilityCert(db, { custody, owner: 'HN-CDC', kind: 'province' });
  const a = await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 't' });
  assert.deepEqual([a.signed, a.signer.facilityCode, a.signer.certificateId, a.facilityCodes], [4, 'HN-CDC', cdc.id, ['HN-A']]);
  const all = await signFacilityRecords(db, { custody, facilityCode: 'HN-CDC', actor: 't' });
  assert.deepEqual([all.signed, all.alreadySigned, all.facilityCodes], [1, 4, ['HN-A', 'HN-B', 'HN-CDC']]);
  const vs = await signedDosesFor(db, p1);
  assert.deepEqual(statuses(vs), ['valid', 'valid', 'valid']);
  assert.deepEqual(vs.map((v) => v.signature?.signerFacilityCode), ['HN-CDC', 'HN-CDC', 'HN-CDC']);

  // A signature by a unit that may not sign that facility's records is invalid (HN-B is no focal unit).
  const bId = (await db.selectFrom('facility').select('id').where('code', '=', 'HN-B').executeTakeFirstOrThrow()).id;
  await db.updateTable('dose_signature').set({ signer_facility_id: bId }).where('dose_id', '=', vs[0]?.doseId ?? 0).execute();
  assert.match((await verifyDoseSignature(db, vs[0]?.doseId ?? 0)).message, /HN-B may not sign records of HN-A/);
});

testEachDialect('signing rate: thousands of records per second with ES256', async ({ db, t }) => {
  await pkiInit(db, { custody });
  await addFacility(db, { code: 'BULK', name: 'Bulk', provinceCode: '01' }, 't');
  await issueFacilityCert(db, { custody, owner: 'BULK' });
  const facilityId = (await db.selectFrom('facility').select('id').where('code', '=', 'BULK').executeTakeFirstOrThrow()).id;
  const n = 4000;
  for (let i = 0; i < n; i += 500) {
    const people = Array.from({ length: 500 }, (_, k) => ({ full_name_raw: `P ${i + k}`, full_name: `P ${i + k}`, name_fold: `p ${i + k}`, dob: '1990-01-01', sex: 'F', created_by: 't' }));
    const ids = await db.insertInto('person').values(people).returning('id').execute();
    await db
      .insertInto('dose')
      .values(ids.map((p) => ({ person_id: p.id, facility_id: facilityId, product_id: 'comirnaty', lot: 'X1', dose_date: '2021-09-01', dose_number: 1, dose_kind: 'primary', source: 'seed', created_by: 't' })))
      .execute();
  }
  const r = await signFacilityRecords(db, { custody, facilityCode: 'BULK', all: true, actor: 't' });
  assert.equal(r.signed, n);
  const rate = Math.round((n / r.ms) * 1000);
  t.diagnostic(`signed ${n} records in ${r.ms} ms: ${rate} records/s`);
  assert.ok(rate > 500, `${rate} records/s`); // a gross-regression guard: shared CI machines are noisy
});

testEachDialect('batch signing: one signature per batch over a Merkle root; each record verifies alone; a tampered proof or position is invalid; per-record signatures of before still verify', async ({ db }) => {
  const { doses } = await setup(db);
  const [d1, d2, d3, d4] = doses;
  assert.ok(d1 !== undefined && d2 !== undefined && d3 !== undefined && d4 !== undefined);
  await issueFacilityCert(db, { custody, owner: 'HN-A' });
  await signFacilityRecords(db, { custody, facilityCode: 'HN-A', actor: 't' });
  const rows = await db.selectFrom('dose_signature').selectAll().where('dose_id', 'in', [d1, d2, d3, d4]).orderBy('dose_id').execute();
  assert.equal(new Set(rows.map((r) => r.signature)).size, 1, 'one signature for the batch');
  assert.deepEqual(rows.map((r) => [r.merkle_index, r.merkle_size]), [[0, 4], [1, 4], [2, 4], [3, 4]]);
  for (const d of [d1, d2, d3, d4]) assert.equal((await verifyDoseSignature(db, d)).status, 'valid');

  // A flipped bit in one record's proof: only that record is invalid.
  const proof = Buffer.from(rows[1]!.merkle_proof ?? '', 'base64');
  proof[0] = proof[0]! ^ 1;
  await db.updateTable('dose_signature').set({ merkle_proof: proof.toString('base64') }).where('id', '=', rows[1]!.id).execute();
  const badProof = await verifyDoseSignature(db, d2);
  assert.equal(badProof.status, 'invalid');
  assert.match(badProof.message, /batch signature does not verify .*leaf 1 of 4/);
  assert.equal((await verifyDoseSignature(db, d1)).status, 'valid');
  // Another leaf's position, a size that does not match, a proof that is no list of hashes.
  await db.updateTable('dose_signature').set({ merkle_index: 3 }).where('id', '=', rows[2]!.id).execute();
  assert.equal((await verifyDoseSignature(db, d3)).status, 'invalid');
  await db.updateTable('dose_signature').set({ merkle_size: 8 }).where('id', '=', rows[3]!.id).execute();
  assert.equal((await verifyDoseSignature(db, d4)).status, 'invalid');
  await db.updateTable('dose_signature').set({ merkle_proof: 'AAAA' }).where('id', '=', rows[0]!.id).execute();
  assert.match((await verifyDoseSignature(db, d1)).message, /inclusion proof is malformed/);

  // A signature made before batch signing (one per record, no proof) keeps verifying.
  const [record] = await loadDoseRecords(db, { doseIds: [d1] });
  assert.ok(record);
  const unit = await getFacilityByCode(db, 'HN-A');
  const signer = await loadUnitSigner(db, custody, unit, new Date());
  const own = Buffer.from(signer.sign(Buffer.from(canonicalDose(record, { signer: 'HN-A', signedAt: rows[0]!.signed_at }), 'utf8'))).toString('base64');
  await db.updateTable('dose_signature').set({ signature: own, merkle_index: null, merkle_size: null, merkle_proof: null }).where('id', '=', rows[0]!.id).execute();
  assert.equal((await verifyDoseSignature(db, d1)).status, 'valid');
});
