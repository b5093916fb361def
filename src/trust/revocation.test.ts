import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeCwt, fromHc1, issueHc1, kidOf, parseCose, revocationHashes, verifyHc1 } from '../hcert/index.js';
import type { Signer } from '../hcert/index.js';
import { sampleDcc } from '../hcert/test-helpers/sample-dcc.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { AppError } from '../errors/index.js';
import { loadDbTrustStore } from './db-trust-store.js';
import { listRevocations, revokeCertificate } from './revocation.js';
import { RevocationList } from './revocation-list.js';
import { insertOurDsc, makeCountryCsca, makeTestDsc } from './test-helpers/trust-fixtures.js';
import type { TestDsc } from './test-helpers/trust-fixtures.js';

const now = Math.floor(Date.now() / 1000);
const UVCI_A = 'URN:UVCI:01:VN:AAAAAAAAAAAAAAAAAAAAAAAAAA#A';
const UVCI_B = 'URN:UVCI:01:VN:BBBBBBBBBBBBBBBBBBBBBBBBBB#B';
const issue = (signer: Signer, ci: string): string => issueHc1(sampleDcc({ ci }), { signer, iss: 'VN', iat: now, exp: now + 86400 });
const isAppError = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let dsc: TestDsc;
let stranger: TestDsc;
before(async () => {
  const csca = await makeCountryCsca('VN');
  dsc = await makeTestDsc(csca, { country: 'VN' });
  stranger = await makeTestDsc(await makeCountryCsca('VN'), { country: 'VN', cn: 'stranger' });
});

testEachDialect('a certificate verifies, then fails HC1_REVOKED once revoked by HC1 or by UVCI', async ({ db }) => {
  await insertOurDsc(db, dsc.certificate);
  const trust = await loadDbTrustStore(db);
  const a = issue(dsc.signer, UVCI_A);
  const b = issue(dsc.signer, UVCI_B);
  const before = await RevocationList.fromDb(db);
  assert.equal(verifyHc1(a, { trust, revocation: before }).valid, true);

  const out = await revokeCertificate(db, { hc1: a, reason: 'fraud', actor: 'cli:tester' });
  assert.deepEqual(out.entries.map((e) => [e.hashType, e.created]), [['UCI', true], ['COUNTRYCODEUCI', true], ['SIGNATURE', true]]);
  assert.equal(out.expiresAt, new Date((now + 86400) * 1000).toISOString());
  const after = await RevocationList.fromDb(db);
  const ra = verifyHc1(a, { trust, revocation: after });
  assert.deepEqual([ra.valid, ra.code, ra.message], [false, 'HC1_REVOKED', 'certificate revoked: fraud']);
  assert.equal(verifyHc1(b, { trust, revocation: after }).valid, true);
  // The list loaded before the revocation catches up by a delta from the database.
  await before.refreshFromDb(db);
  assert.equal(verifyHc1(a, { trust, revocation: before }).code, 'HC1_REVOKED');

  // By UVCI + kid: the same UCI hashes the verifier derives from the certificate.
  const kid = kidOf(dsc.certificate.raw).toString('base64');
  const byUvci = await revokeCertificate(db, { uvci: UVCI_B, kid, reason: 'correction', actor: 'cli:tester' });
  const cose = parseCose(fromHc1(b).cose);
  const expected = revocationHashes(cose, decodeCwt(cose.payload).dcc);
  assert.deepEqual(byUvci.entries.map((e) => [e.hashType, e.hash]), [['UCI', expected.UCI!.toString('base64')], ['COUNTRYCODEUCI', expected.COUNTRYCODEUCI!.toString('base64')]]);
  assert.equal(byUvci.expiresAt, null);
  assert.equal(verifyHc1(b, { trust, revocation: await RevocationList.fromDb(db) }).code, 'HC1_REVOKED');

  // Idempotent, and audited: one audit row per call, in the revocation's transaction.
  const again = await revokeCertificate(db, { hc1: a, reason: 'fraud', actor: 'cli:tester' });
  assert.ok(again.entries.every((e) => !e.created));
  const audit = await db.selectFrom('audit_log').select(['actor', 'entity', 'after_json']).where('action', '=', 'revoke').orderBy('id').execute();
  assert.equal(audit.length, 3);
  assert.ok(audit.every((r) => r.actor === 'cli:tester' && r.entity === 'certificate'));
  assert.equal((JSON.parse(audit[1]!.after_json!) as { by: string }).by, 'uvci');
  assert.equal(await db.selectFrom('revocation_entry').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => r.n), 5);

  // Entries drop out of the published list after the certificate's expiry.
  const later = await listRevocations(db, { now: new Date((now + 2 * 86400) * 1000) });
  assert.deepEqual(later.kids.map((g) => [g.hashType, g.hashes.length]), [['COUNTRYCODEUCI', 1], ['UCI', 1]]);
});

testEachDialect('refuses to revoke on a forged certificate, an unknown kid or an unknown reason', async ({ db }) => {
  await insertOurDsc(db, dsc.certificate);
  const kid = kidOf(dsc.certificate.raw);
  // Someone else's key under our kid, around a victim's UVCI.
  const forged = issue({ ...stranger.signer, kid }, UVCI_A);
  await assert.rejects(revokeCertificate(db, { hc1: forged, reason: 'fraud', actor: 'x' }), isAppError('REVOKE_UNVERIFIED'));
  await assert.rejects(revokeCertificate(db, { hc1: 'HC1:nonsense', reason: 'fraud', actor: 'x' }), isAppError('REVOKE_BAD_HC1'));
  const strangerKid = kidOf(stranger.certificate.raw).toString('base64');
  await assert.rejects(revokeCertificate(db, { uvci: UVCI_A, kid: strangerKid, reason: 'fraud', actor: 'x' }), isAppError('REVOKE_KID_UNKNOWN'));
  await assert.rejects(revokeCertificate(db, { uvci: UVCI_A, kid: 'short', reason: 'fraud', actor: 'x' }), isAppError('BAD_REQUEST'));
  await assert.rejects(revokeCertificate(db, { uvci: UVCI_A, kid: kid.toString('base64'), reason: 'bored' as never, actor: 'x' }), isAppError('BAD_REQUEST'));
  assert.equal((await db.selectFrom('revocation_entry').selectAll().execute()).length, 0);
  assert.equal((await db.selectFrom('audit_log').selectAll().where('action', '=', 'revoke').execute()).length, 0);
});

describe('RevocationList (offline)', () => {
  const kid = Buffer.alloc(8, 7);
  const h = Buffer.alloc(16, 1);
  it('merges deltas, checks every hash type, round-trips its JSON', () => {
    const list = RevocationList.fromJson({ generatedAt: '2026-01-01T00:00:00.000Z', since: null, kids: [] });
    assert.equal(list.isRevoked(kid, { SIGNATURE: h }), undefined);
    list.applyDelta({ generatedAt: '2026-01-02T00:00:00.000Z', since: '2026-01-01T00:00:00.000Z', kids: [{ kid: kid.toString('base64'), hashType: 'SIGNATURE', hashes: [h.toString('base64')], reasons: ['superseded'] }] });
    list.applyDelta({ generatedAt: '2026-01-03T00:00:00.000Z', since: '2026-01-02T00:00:00.000Z', kids: [{ kid: kid.toString('base64'), hashType: 'SIGNATURE', hashes: [h.toString('base64')] }] });
    assert.equal(list.size, 1);
    assert.equal(list.generatedAt, '2026-01-03T00:00:00.000Z');
    assert.deepEqual(list.isRevoked(kid, { UCI: Buffer.alloc(16), SIGNATURE: h }), { reason: 'revoked' });
    assert.equal(list.isRevoked(Buffer.alloc(8), { SIGNATURE: h }), undefined);
    assert.equal(RevocationList.fromJson(list.toJson()).size, 1);
  });
  it('rejects a malformed list', () => {
    assert.throws(() => RevocationList.fromJson({ kids: [] }), isAppError('REVOCATION_LIST_FORMAT'));
    assert.throws(() => RevocationList.fromJson({ generatedAt: '2026-01-01T00:00:00Z', kids: [{ kid: 'x', hashType: 'MD5', hashes: [] }] }), /hashType is not one of/);
    assert.throws(() => RevocationList.fromJson({ generatedAt: '2026-01-01T00:00:00Z', kids: [{ kid: 'x', hashType: 'UCI', hashes: ['a'], reasons: [] }] }), /one reason per hash/);
  });
});
