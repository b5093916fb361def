import assert from 'node:assert/strict';
import { cborToJson, decodeCwt, fromHc1, parseCose, verifyHc1 } from '../../hcert/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { listOutbox } from '../../notify/index.js';
import { correctPerson, recordDose } from '../../registry/index.js';
import { RevocationList, loadDbTrustStore } from '../../trust/index.js';
import { drainIssuanceOutbox, enqueueIssuance } from './issuance-outbox.js';
import { issueAll } from './issue-all.js';
import { issueForPerson } from './issue-for-people.js';
import { findActiveCertificate, certificatesOfPerson } from './certificate-repository.js';
import { loadDscMaterial } from './dsc-material.js';
import { addEligible, addVaccinated, markVerified, setupIssuance, signAll } from './test-helpers/issuance-fixture.js';

const AZ2 = [
  { vaccine: 'AstraZeneca', date: '2021-07-01', n: 1 },
  { vaccine: 'AstraZeneca', date: '2021-09-01', n: 2 },
];

function payloadOf(hc1: string): { nam: Record<string, string>; v: Record<string, unknown>[] } {
  return cborToJson(decodeCwt(parseCose(fromHc1(hc1).cose).payload).dcc) as { nam: Record<string, string>; v: Record<string, unknown>[] };
}

testEachDialect('issuance: eligibility, signed HC1, idempotency, supersede on a new dose', async ({ db }) => {
  const f = await setupIssuance(db);
  try {
    const opts = { signer: f.signer, actor: 'test' };
    const a = await addVaccinated(db, f, { fullName: 'Nguyễn Văn An', dob: '1990-05-17', sex: 'M', n: 1, doses: AZ2 });
    const b = await addVaccinated(db, f, { fullName: 'Trần Thị Bình', dob: '1985-02-03', sex: 'F', n: 2, doses: AZ2 });
    assert.equal((await issueForPerson(db, a.personId, opts)).code, 'ISSUE_NOT_VERIFIED');
    await markVerified(db, a.personId);
    await markVerified(db, b.personId);
    assert.equal((await issueForPerson(db, a.personId, opts)).code, 'ISSUE_NO_SIGNED_DOSE');
    await signAll(db, f);

    const first = await issueForPerson(db, a.personId, opts);
    assert.equal(first.status, 'issued', first.message);
    const row = await findActiveCertificate(db, a.personId);
    assert.ok(row);
    assert.equal(row.uvci, first.uvci);
    assert.equal(row.kid, Buffer.from(f.signer.kid).toString('base64'));
    const trust = await loadDbTrustStore(db);
    const verdict = verifyHc1(row.hc1, { trust });
    assert.equal(verdict.valid, true, verdict.message);
    const p = payloadOf(row.hc1);
    assert.deepEqual(p.nam, { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Văn An', gnt: 'VAN<AN' });
    assert.deepEqual([p.v[0]?.dn, p.v[0]?.sd, p.v[0]?.ci], [2, 2, row.uvci]);
    assert.equal(Date.parse(row.exp) - Date.parse(row.iat) > 364 * 86400_000, true);
    assert.doesNotMatch(row.hc1, /001090000001/);

    // Same data: nothing new.
    assert.equal((await issueForPerson(db, a.personId, opts)).status, 'unchanged');
    assert.equal((await certificatesOfPerson(db, a.personId)).length, 1);

    // A booster, once signed, supersedes (no revocation: identity unchanged).
    await recordDose(db, { personId: a.personId, facilityCode: f.facilityCode, vaccine: 'Pfizer', doseDate: '2022-03-01', doseNumber: 3, source: 'api' }, 'test', { today: '2022-12-31' });
    assert.equal((await issueForPerson(db, a.personId, opts)).status, 'unchanged', 'an unsigned dose does not change the certificate');
    await signAll(db, f);
    const second = await issueForPerson(db, a.personId, opts);
    assert.equal(second.status, 'issued');
    assert.equal(second.supersededId, first.certificateId);
    assert.equal(second.revokedPrevious, false);
    const all = await certificatesOfPerson(db, a.personId);
    assert.deepEqual(all.map((c) => c.status), ['active', 'superseded']);
    assert.equal(all[1]?.superseded_by, second.certificateId);
    assert.deepEqual([payloadOf(all[0]?.hc1 ?? '').v[0]?.dn, payloadOf(all[0]?.hc1 ?? '').v[0]?.sd], [3, 3]);
    assert.equal((await db.selectFrom('revocation_entry').selectAll().execute()).length, 0);
  } finally {
    await f.close();
  }
});

testEachDialect('issuance: an identity correction supersedes and revokes; a tampered signature blocks', async ({ db }) => {
  const f = await setupIssuance(db);
  try {
    const opts = { signer: f.signer, actor: 'test' };
    const a = await addEligible(db, f, { fullName: 'Lê Văn Cường', dob: '1970-01-02', sex: 'M', n: 3, doses: AZ2 });
    const first = await issueForPerson(db, a.personId, opts);
    assert.equal(first.status, 'issued');
    const oldHc1 = (await findActiveCertificate(db, a.personId))?.hc1 ?? '';

    await correctPerson(db, a.personId, { fullName: 'Lê Văn Cương' }, 'test', 'name misspelt');
    assert.equal((await issueForPerson(db, a.personId, opts)).code, 'ISSUE_NOT_VERIFIED', 'the corrected identity must be verified again');
    await markVerified(db, a.personId);
    // The identity is part of the signed dose form: the signatures are stale until signed again.
    assert.equal((await issueForPerson(db, a.personId, opts)).code, 'ISSUE_NO_SIGNED_DOSE');
    await signAll(db, f);
    const second = await issueForPerson(db, a.personId, opts);
    assert.equal(second.status, 'issued');
    assert.equal(second.revokedPrevious, true);
    const [now, old] = await certificatesOfPerson(db, a.personId);
    assert.equal(now?.status, 'active');
    assert.equal(old?.status, 'revoked');
    assert.equal(old?.revoked_reason, 'correction');
    assert.equal(payloadOf(now?.hc1 ?? '').nam.gn, 'Văn Cương');
    const trust = await loadDbTrustStore(db);
    const revocation = await RevocationList.fromDb(db);
    assert.equal(verifyHc1(oldHc1, { trust, revocation }).code, 'HC1_REVOKED');
    assert.equal(verifyHc1(now?.hc1 ?? '', { trust, revocation }).valid, true);

    // Tampering: the record changes under its signature without a new version.
    const b = await addVaccinated(db, f, { fullName: 'Phạm Thị Dung', dob: '1995-06-07', sex: 'F', n: 4, doses: AZ2 });
    await markVerified(db, b.personId);
    await signAll(db, f);
    await db.updateTable('dose').set({ dose_date: '2021-09-02' }).where('id', '=', b.doseIds[1] ?? 0).execute();
    const blocked = await issueForPerson(db, b.personId, opts);
    assert.equal(blocked.status, 'ineligible');
    assert.equal(blocked.code, 'ISSUE_SIGNATURE_INVALID');
    assert.match(blocked.message ?? '', /tampering/);
  } finally {
    await f.close();
  }
});

testEachDialect('issuance: the outbox issues automatically; a renewal run re-issues and notifies', async ({ db }) => {
  const f = await setupIssuance(db);
  try {
    const a = await addEligible(db, f, { fullName: 'Hoàng Văn Em', dob: '1960-11-12', sex: 'M', n: 5, phone: '0912345678', doses: [{ vaccine: 'Janssen', date: '2021-08-10', n: 1 }] });
    await enqueueIssuance(db, a.personId, 'dose_signed');
    await enqueueIssuance(db, a.personId, 'verified');
    const pass = await drainIssuanceOutbox(db, { signer: f.signer });
    assert.equal(pass.rows, 2);
    assert.deepEqual(pass.outcomes.map((o) => o.status), ['issued']);
    const outbox = await db.selectFrom('issuance_outbox').select(['processed_at', 'outcome']).execute();
    assert.ok(outbox.every((r) => r.processed_at !== null && r.outcome === 'issued'));
    assert.equal((await drainIssuanceOutbox(db, { signer: f.signer })).rows, 0);
    const before = await findActiveCertificate(db, a.personId);
    assert.deepEqual([payloadOf(before?.hc1 ?? '').v[0]?.dn, payloadOf(before?.hc1 ?? '').v[0]?.sd], [1, 1]);

    // Renewal: everything expiring within 400 days is re-issued (same data, next renewal round).
    const material = await loadDscMaterial(db, f.custody);
    const horizon = new Date(Date.now() + 400 * 86400_000).toISOString();
    const r = await issueAll(db, { material, actor: 'test', workers: 1, renewBefore: horizon });
    assert.equal(r.issued, 1);
    assert.equal(r.renewed, 1);
    const [renewed, old] = await certificatesOfPerson(db, a.personId);
    assert.equal(renewed?.renewal, 1);
    assert.equal(renewed?.reason, 'renewal');
    assert.equal(renewed?.data_version, old?.data_version);
    assert.equal(old?.status, 'superseded');
    const notes = await listOutbox(db, { template: 'certificate.renewed' });
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.recipient, '+84912345678');
    assert.equal(notes[0]?.payload.uvci, renewed?.uvci);
    // Nothing left to renew within 30 days.
    const again = await issueAll(db, { material, actor: 'test', workers: 1, renewBefore: new Date(Date.now() + 30 * 86400_000).toISOString() });
    assert.equal(again.issued, 0);
  } finally {
    await f.close();
  }
});
