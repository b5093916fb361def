import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { verifyHc1 } from '../../hcert/index.js';
import { LocalVerifier, MemoryRegister } from '../../population/index.js';
import type { RegisterEntry } from '../../population/index.js';
import { runVerification } from '../../population/pipeline/index.js';
import { correctPerson, voidDose } from '../../registry/index.js';
import { RevocationList, loadDbTrustStore } from '../../trust/index.js';
import { certificatesOfPerson, findActiveCertificate, withdrawCertificates } from './certificate-repository.js';
import { loadDscMaterial } from './dsc-material.js';
import { issuancePass } from './issuance-outbox.js';
import { issueAll } from './issue-all.js';
import { issueForPerson } from './issue-for-people.js';
import { WITHDRAW_NOT_VERIFIED, WITHDRAW_NO_SIGNED_DOSE } from './load-candidates.js';
import { addEligible, addVaccinated, markVerified, setupIssuance, signAll, testCccd } from './test-helpers/issuance-fixture.js';

/** PostgreSQL returns bigint columns and counts as strings, whatever the declared type says. */
const num = (v: unknown): number => Number(v);

const PFIZER2 = [
  { vaccine: 'Pfizer', date: '2021-08-01', n: 1 },
  { vaccine: 'Pfizer', date: '2021-09-01', n: 2 },
];

/** Everything a repeated run must leave alone: certificates, list entries, audit rows. */
async function snapshot(db: Kysely<Database>): Promise<string> {
  const certs = await db.selectFrom('certificate').select(['id', 'status', 'revoked_reason', 'revoked_at']).orderBy('id').execute();
  const entries = await db.selectFrom('revocation_entry').select(['hash', 'reason']).orderBy('id').execute();
  const audit = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return JSON.stringify({ certs: certs.map((c) => ({ ...c, id: num(c.id) })), entries, audit: num(audit.n) });
}

/** Whether verifiers reject the HC1 as revoked (the published list, from the database). */
async function onRevocationList(db: Kysely<Database>, hc1: string): Promise<boolean> {
  return verifyHc1(hc1, { trust: await loadDbTrustStore(db), revocation: await RevocationList.fromDb(db) }).code === 'HC1_REVOKED';
}

testEachDialect('worker: identity MISMATCH after a correction revokes the passport once; a pending re-check and an eligible person keep theirs', async ({ db, dialect }) => {
  const f = await setupIssuance(db);
  try {
    const opts = { signer: f.signer, actor: 'test' };
    const who = { fullName: 'Ngô Văn Khải', dob: '1980-03-04', sex: 'M' as const, n: 41 };
    const other = { fullName: 'Bùi Thị Lan', dob: '1992-07-08', sex: 'F' as const, n: 42 };
    const a = await addVaccinated(db, f, { ...who, doses: PFIZER2 });
    const b = await addVaccinated(db, f, { ...other, doses: PFIZER2 });
    const entry = (p: { fullName: string; dob: string; sex: 'M' | 'F'; n: number }, fullName = p.fullName): RegisterEntry => ({ idNumber: testCccd(p.dob, p.sex, p.n), fullName, dob: p.dob, sex: p.sex });
    await runVerification(db, dialect, new LocalVerifier(new MemoryRegister([entry(who), entry(other)])), { batchSize: 10 });
    await signAll(db, f);
    await issuancePass(db, opts);
    const issued = await findActiveCertificate(db, a.personId);
    const kept = await findActiveCertificate(db, b.personId);
    assert.ok(issued && kept);

    // A correction waiting for the register's answer is a pending step: the passport stays.
    await correctPerson(db, a.personId, { fullName: 'Ngô Văn Khai' }, 'test', 'typed from a bad scan');
    await issuancePass(db, opts);
    assert.equal((await findActiveCertificate(db, a.personId))?.id, issued.id);

    // The register disagrees with the corrected name: no longer eligible, revoked in one pass.
    const v = await runVerification(db, dialect, new LocalVerifier(new MemoryRegister([entry(who), entry(other)])), { batchSize: 10 });
    assert.equal(v.verified, 0);
    const state = await db.selectFrom('verification_state').select('status').where('person_id', '=', a.personId).executeTakeFirstOrThrow();
    assert.notEqual(state.status, 'VERIFIED');
    // No overlap: only the register's answer is new since the last pass.
    const pass = await issuancePass(db, { ...opts, overlapMs: 0 });
    const out = pass.scanned.outcomes.find((o) => o.personId === a.personId);
    assert.equal(out?.status, 'ineligible');
    assert.equal(out.code, 'ISSUE_NOT_VERIFIED');
    assert.equal(out.revokedId, issued.id);
    assert.equal(out.revokedReason, WITHDRAW_NOT_VERIFIED);
    const [revoked] = await certificatesOfPerson(db, a.personId);
    assert.equal(revoked?.status, 'revoked');
    assert.equal(revoked?.revoked_reason, WITHDRAW_NOT_VERIFIED);
    assert.ok(revoked?.revoked_at);
    assert.equal(await findActiveCertificate(db, a.personId), undefined);
    assert.equal(await onRevocationList(db, issued.hc1), true);
    const reasons = await db.selectFrom('revocation_entry').select('reason').execute();
    assert.deepEqual([...new Set(reasons.map((r) => r.reason))], ['withdrawn']);
    const audit = await db.selectFrom('audit_log').select(['action', 'actor', 'after_json']).where('entity', '=', 'certificate').orderBy('id').execute();
    assert.deepEqual(audit.map((r) => [r.action, r.actor]), [['withdraw', 'test'], ['revoke', 'test']]);
    assert.match(audit[0]?.after_json ?? '', /identity no longer verified/);

    // The eligible person is untouched.
    assert.equal((await findActiveCertificate(db, b.personId))?.id, kept.id);
    assert.equal(await onRevocationList(db, kept.hc1), false);

    // Idempotent: another pass, and a direct call, change nothing.
    const before = await snapshot(db);
    await issuancePass(db, { ...opts, overlapMs: 60_000 });
    const again = await issueForPerson(db, a.personId, opts);
    assert.equal(again.code, 'ISSUE_NOT_VERIFIED');
    assert.equal(again.revokedId, undefined);
    assert.equal(await snapshot(db), before);
  } finally {
    await f.close();
  }
});

testEachDialect('issue --all: revokes the passports of people no longer eligible (only dose voided, identity MISMATCH), once', async ({ db }) => {
  const f = await setupIssuance(db);
  try {
    const material = await loadDscMaterial(db, f.custody);
    const run = (): ReturnType<typeof issueAll> => issueAll(db, { material, actor: 'batch', workers: 1 });
    const voided = await addVaccinated(db, f, { fullName: 'Đinh Văn Minh', dob: '1966-01-02', sex: 'M', n: 51, doses: [{ vaccine: 'Janssen', date: '2021-08-10', n: 1 }] });
    const mismatch = await addVaccinated(db, f, { fullName: 'Lý Thị Ngọc', dob: '1999-12-30', sex: 'F', n: 52, doses: PFIZER2 });
    const fine = await addVaccinated(db, f, { fullName: 'Mai Văn Phúc', dob: '1958-05-06', sex: 'M', n: 53, doses: PFIZER2 });
    const twoDoses = await addVaccinated(db, f, { fullName: 'Tạ Thị Quyên', dob: '1977-09-10', sex: 'F', n: 54, doses: PFIZER2 });
    for (const p of [voided, mismatch, fine, twoDoses]) await markVerified(db, p.personId);
    await signAll(db, f);
    assert.equal((await run()).issued, 4);
    const cert = async (id: number): Promise<NonNullable<Awaited<ReturnType<typeof findActiveCertificate>>>> => {
      const c = await findActiveCertificate(db, id);
      assert.ok(c);
      return c;
    };
    const [cv, cm, cf, ct] = [await cert(voided.personId), await cert(mismatch.personId), await cert(fine.personId), await cert(twoDoses.personId)];

    await voidDose(db, voided.doseIds[0] ?? 0, 'recorded for the wrong person', 'test');
    // One of two doses voided: still a signed active dose, so a new passport, not a revocation.
    await voidDose(db, twoDoses.doseIds[1] ?? 0, 'duplicate entry', 'test');
    await db.updateTable('verification_state').set({ status: 'MISMATCH', fields: 'full_name', checked_at: new Date().toISOString() }).where('person_id', '=', mismatch.personId).execute();

    const r = await run();
    assert.equal(r.withdrawn, 2);
    assert.equal(r.revoked, 0, 'no identity-correction revocations');
    assert.equal(r.issued, 1);
    assert.equal(r.unchanged, 1);
    assert.deepEqual(r.ineligible, { ISSUE_NO_SIGNED_DOSE: 1, ISSUE_NOT_VERIFIED: 1 });
    const [v] = await certificatesOfPerson(db, voided.personId);
    assert.deepEqual([v?.id, v?.status, v?.revoked_reason], [cv.id, 'revoked', WITHDRAW_NO_SIGNED_DOSE]);
    const [m] = await certificatesOfPerson(db, mismatch.personId);
    assert.deepEqual([m?.id, m?.status, m?.revoked_reason], [cm.id, 'revoked', WITHDRAW_NOT_VERIFIED]);
    assert.equal(await onRevocationList(db, cv.hc1), true);
    assert.equal(await onRevocationList(db, cm.hc1), true);
    assert.equal((await findActiveCertificate(db, fine.personId))?.id, cf.id);
    assert.equal(await onRevocationList(db, cf.hc1), false);
    const [t1, t0] = await certificatesOfPerson(db, twoDoses.personId);
    assert.deepEqual([t1?.status, t0?.id, t0?.status], ['active', ct.id, 'superseded']);
    assert.equal(await onRevocationList(db, ct.hc1), false);

    const before = await snapshot(db);
    const again = await run();
    assert.equal(again.withdrawn, 0);
    assert.equal(again.issued, 0);
    assert.equal(await snapshot(db), before);
  } finally {
    await f.close();
  }
});

testEachDialect('a withdrawal marked before a crash is put on the list by the next worker pass', async ({ db }) => {
  const f = await setupIssuance(db);
  try {
    const opts = { signer: f.signer, actor: 'test' };
    const a = await addEligible(db, f, { fullName: 'Hà Văn Sơn', dob: '1985-04-03', sex: 'M', n: 61, doses: PFIZER2 });
    const issued = await issueForPerson(db, a.personId, opts);
    assert.equal(issued.status, 'issued');
    const id = issued.certificateId ?? 0;
    // The marking committed, the process died before the list entry.
    const marked = await withdrawCertificates(db, [{ personId: a.personId, certificateId: id, reason: WITHDRAW_NOT_VERIFIED }], 'test');
    assert.equal(marked.length, 1);
    assert.deepEqual(await withdrawCertificates(db, [{ personId: a.personId, certificateId: id, reason: WITHDRAW_NOT_VERIFIED }], 'test'), [], 'marks once');
    const [c] = await certificatesOfPerson(db, a.personId);
    assert.deepEqual([c?.status, c?.revoked_at], ['revoked', null]);
    assert.equal(await onRevocationList(db, c?.hc1 ?? ''), false);
    await issuancePass(db, opts);
    const done = (await certificatesOfPerson(db, a.personId)).find((x) => x.id === id);
    assert.ok(done?.revoked_at);
    assert.equal(await onRevocationList(db, done.hc1), true);
  } finally {
    await f.close();
  }
});
