import assert from 'node:assert/strict';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { LocalVerifier, MemoryRegister } from '../../population/index.js';
import type { RegisterEntry } from '../../population/index.js';
import { runVerification } from '../../population/pipeline/index.js';
import { correctPerson } from '../../registry/index.js';
import { certificatesOfPerson } from './certificate-repository.js';
import { issuancePass } from './issuance-outbox.js';
import { issuePendingCertificates } from './issue-pending.js';
import { readScanWatermark } from './scan-issuance-changes.js';
import { addEligible, addVaccinated, setupIssuance, signAll, testCccd } from './test-helpers/issuance-fixture.js';

testEachDialect('issuance worker: verified + signed is issued in one pass; a name correction supersedes and revokes in one pass', async ({ db, dialect }) => {
  const f = await setupIssuance(db);
  try {
    const who = { fullName: 'Đỗ Thị Hoa', dob: '1988-04-05', sex: 'F' as const, n: 21 };
    const a = await addVaccinated(db, f, { ...who, doses: [{ vaccine: 'Pfizer', date: '2021-08-01', n: 1 }, { vaccine: 'Pfizer', date: '2021-09-01', n: 2 }] });
    const entry = (fullName: string): RegisterEntry => ({ idNumber: testCccd(who.dob, who.sex, who.n), fullName, dob: who.dob, sex: who.sex });
    const opts = { signer: f.signer, actor: 'test' };

    // Nothing verified or signed yet: the first pass issues nothing and sets the watermark.
    const idle = await issuancePass(db, opts);
    assert.deepEqual(idle.scanned.outcomes.map((o) => o.status), []);
    assert.notEqual(await readScanWatermark(db), null);

    // Verified through the population pipeline, signed by the facility: one pass issues.
    const v = await runVerification(db, dialect, new LocalVerifier(new MemoryRegister([entry(who.fullName)])), { batchSize: 10 });
    assert.equal(v.verified, 1);
    await signAll(db, f);
    const first = await issuancePass(db, opts);
    assert.deepEqual(first.scanned.outcomes.map((o) => [o.personId, o.status]), [[a.personId, 'issued']]);
    const [issued] = await certificatesOfPerson(db, a.personId);
    assert.equal(issued?.status, 'active');
    assert.equal(issued?.reason, 'outbox:scan');

    // No change: the next pass issues nothing more.
    assert.deepEqual((await issuancePass(db, opts)).scanned.outcomes, []);

    // Identity correction, verified again and re-signed: one pass supersedes and revokes.
    await correctPerson(db, a.personId, { fullName: 'Đỗ Thị Hòa' }, 'test', 'name misspelt');
    await runVerification(db, dialect, new LocalVerifier(new MemoryRegister([entry('Đỗ Thị Hòa')])), { batchSize: 10 });
    await signAll(db, f);
    const second = await issuancePass(db, opts);
    const out = second.scanned.outcomes.find((o) => o.personId === a.personId);
    assert.equal(out?.status, 'issued');
    assert.equal(out.supersededId, issued?.id);
    assert.equal(out.revokedPrevious, true);
    const [now, old] = await certificatesOfPerson(db, a.personId);
    assert.equal(now?.status, 'active');
    assert.equal(old?.status, 'revoked');
    assert.equal(old?.revoked_reason, 'correction');
  } finally {
    await f.close();
  }
});

testEachDialect('issuePendingCertificates: issues everyone eligible once and starts the worker scan after it', async ({ db }) => {
  const f = await setupIssuance(db);
  try {
    await addEligible(db, f, { fullName: 'Vũ Văn Giang', dob: '1975-02-03', sex: 'M', n: 31, doses: [{ vaccine: 'Pfizer', date: '2021-08-01', n: 1 }] });
    const progress: number[] = [];
    const first = await issuePendingCertificates(db, { custody: f.custody, workers: 1, onProgress: (p) => progress.push(p.issued) });
    assert.equal(first.issued, 1);
    assert.deepEqual(progress, [1]);
    const mark = await readScanWatermark(db);
    assert.ok(mark !== null && mark <= new Date().toISOString());
    const again = await issuePendingCertificates(db, { custody: f.custody, workers: 1 });
    assert.equal(again.issued, 0);
    assert.equal(again.unchanged, 1);
  } finally {
    await f.close();
  }
});
