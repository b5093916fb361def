import assert from 'node:assert/strict';
import { before } from 'node:test';
import { issueHc1, kidOf, verifyHc1 } from '../hcert/index.js';
import type { Signer } from '../hcert/index.js';
import { sampleDcc } from '../hcert/test-helpers/sample-dcc.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { makeDevSigner } from './dev-signer.js';
import type { DevSigner } from './dev-signer.js';
import { loadDbTrustStore } from './db-trust-store.js';
import type { CertificateAuthority } from './keys/certify-public-key.js';
import { importCscaList, importTrustList } from './trust-list-import.js';
import { gatewayEntry, insertOurDsc, makeCountryCsca, makeTestDsc } from './test-helpers/trust-fixtures.js';
import type { TestDsc } from './test-helpers/trust-fixtures.js';
import { revokeTrustedDsc } from './trust-list-import-repository.js';

const now = Math.floor(Date.now() / 1000);
const issue = (signer: Signer): string => issueHc1(sampleDcc(), { signer, iss: 'VN', iat: now, exp: now + 86400 });

let cscaVn: CertificateAuthority;
let cscaDe: CertificateAuthority;
let ours: TestDsc;
let ours2: TestDsc;
let german: TestDsc;
let fileKey: DevSigner;

before(async () => {
  cscaVn = await makeCountryCsca('VN');
  cscaDe = await makeCountryCsca('DE');
  ours = await makeTestDsc(cscaVn, { country: 'VN', cn: 'VaxPass DSC 1' });
  ours2 = await makeTestDsc(cscaVn, { country: 'VN', cn: 'VaxPass DSC 2' });
  german = await makeTestDsc(cscaDe, { country: 'DE', cn: 'DSC DE' });
  fileKey = await makeDevSigner('ES256', { cn: 'file DSC' });
});

testEachDialect('the DB trust store combines our DSCs and imported ones; revoked ones fail HC1_DSC_REVOKED', async ({ db }) => {
  await insertOurDsc(db, ours.certificate);
  await insertOurDsc(db, ours2.certificate, { status: 'retired' });
  await importCscaList(db, Buffer.from(cscaDe.certificate.toString()), { source: 'csca.pem' });
  const imported = await importTrustList(db, Buffer.from(JSON.stringify([gatewayEntry(german.certificate)])), { source: 'gw.json' });
  assert.equal(imported.counts.accepted, 1);

  const store = await loadDbTrustStore(db, { extra: [fileKey.trusted] });
  assert.deepEqual(store.counts, { ours: 2, foreign: 1, extra: 1 });
  for (const s of [ours, ours2]) assert.equal(verifyHc1(issue(s.signer), { trust: store }).valid, true);
  assert.equal(verifyHc1(issue(fileKey.signer), { trust: store }).valid, true);
  const de = verifyHc1(issue(german.signer), { trust: store });
  assert.equal(de.valid, true, de.message);
  assert.deepEqual([de.signer?.country, de.signer?.subject], ['DE', 'C=DE, O=VaxPass test, CN=DSC DE']);

  // Nothing changed: no reload. Then our DSC is revoked and the German one withdrawn.
  assert.equal(await store.reloadIfChanged(0), false);
  await db.updateTable('pki_certificate').set({ status: 'revoked', revoked_at: '2026-01-02T03:04:05.000Z', revoke_reason: 'key_compromise' }).where('kid', '=', kidOf(ours.certificate.raw).toString('base64')).execute();
  await revokeTrustedDsc(db, { thumbprint: imported.results[0]!.thumbprint!, reason: 'withdrawn by DE', actor: 'test' });
  assert.equal(await store.reloadIfChanged(0), true);
  const r1 = verifyHc1(issue(ours.signer), { trust: store });
  assert.deepEqual([r1.valid, r1.code, r1.message], [false, 'HC1_DSC_REVOKED', 'signing certificate revoked on 2026-01-02T03:04:05.000Z: key_compromise']);
  const r2 = verifyHc1(issue(german.signer), { trust: store });
  assert.equal(r2.code, 'HC1_DSC_REVOKED');
  assert.match(r2.message, /: withdrawn by DE$/);
  assert.equal(verifyHc1(issue(ours2.signer), { trust: store }).valid, true);
  assert.equal(verifyHc1(issue(fileKey.signer), { trust: store }).valid, true, 'extra keys survive a reload');
  const audit = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'trusted_dsc').where('action', '=', 'revoke').execute();
  assert.equal(audit.length, 1);
});

testEachDialect('several DSCs under one kid are all kept and each is tried', async ({ db }) => {
  const kid = kidOf(ours.certificate.raw);
  // A real 8-byte kid collision cannot be made in a test: file the second DSC under the first's kid.
  await insertOurDsc(db, ours.certificate);
  await insertOurDsc(db, ours2.certificate, { kid: kid.toString('base64') });
  const store = await loadDbTrustStore(db);
  assert.equal(store.findByKid(kid).length, 2);
  assert.equal(store.findByKid(kidOf(ours2.certificate.raw)).length, 0);
  const sameKid: Signer = { ...ours2.signer, kid };
  const byFirst = verifyHc1(issue(ours.signer), { trust: store });
  const bySecond = verifyHc1(issue(sameKid), { trust: store });
  assert.equal(byFirst.valid, true, byFirst.message);
  assert.equal(bySecond.valid, true, bySecond.message);
  assert.equal(bySecond.signer?.subject, 'C=VN, O=VaxPass test, CN=VaxPass DSC 2');
  // A third key under the kid that signed nothing of this: HC1_SIGNATURE names both tried.
  const stranger = await makeTestDsc(cscaVn, { country: 'VN', cn: 'stranger' });
  const r = verifyHc1(issue({ ...stranger.signer, kid }), { trust: store });
  assert.equal(r.code, 'HC1_SIGNATURE');
  assert.match(r.message, /any of the 2 certificate\(s\)/);
});
