import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeEachDialect, testEachDialect } from '../../db/test-helpers/dialects.js';
import type { AppError } from '../../errors/index.js';
import type { HcertError} from '../../hcert/index.js';
import { MemoryTrustStore, issueHc1, verifyHc1 } from '../../hcert/index.js';
import { sampleDcc } from '../../hcert/test-helpers/sample-dcc.js';
import { softHsmTestEnv } from '../keys/softhsm-test-env.js';
import { DCC_EKU_OIDS } from './build-certificate.js';
import { loadActiveDscSigner, keyUsage } from './dsc-signer.js';
import { KeyCustody } from './key-custody.js';
import { certificateOf, issueDsc, issueFacilityCert, listCertificates, ourTrustedKeys, pkiInit, revokeDsc, rotateDsc } from './pki-service.js';
import { findCertificates } from './pki-repository.js';
import { TrustListPublisher, verifyPublishedTrustList } from './publish-trust-list.js';

const NOW = Math.floor(Date.now() / 1000);
const DAY = 86400;
const PASS = 'test passphrase, not a secret';

async function verifyWithOurs(db: Parameters<typeof ourTrustedKeys>[0], hc1: string): Promise<ReturnType<typeof verifyHc1>> {
  return verifyHc1(hc1, { trust: new MemoryTrustStore(await ourTrustedKeys(db)) });
}

describeEachDialect('PKI', (getDb) => {
  let dir: string;
  let custody: KeyCustody;
  let hc1BeforeRotation: string;
  let firstDscId: number;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vaxpass-pki-'));
    custody = new KeyCustody({ backend: 'file', keyDir: join(dir, 'keys'), secretFile: join(dir, 'secret'), passphrase: PASS });
  });
  after(() => {
    custody.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('init creates the CSCA, a DSC, the facility CA and the trust-list signer; a second init changes nothing', async () => {
    const { db } = getDb();
    const first = await pkiInit(db, { custody, validityDays: 365 });
    assert.deepEqual(first.created, ['csca', 'dsc', 'facility_ca', 'trustlist']);
    const second = await pkiInit(db, { custody });
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.existing, ['csca', 'dsc', 'facility_ca', 'trustlist']);
    assert.equal((await listCertificates(db)).length, 4);

    const rows = await findCertificates(db);
    const by = (role: string): ReturnType<typeof certificateOf> => certificateOf(rows.find((r) => r.role === role)!);
    const csca = by('csca');
    const dsc = by('dsc');
    const fca = by('facility_ca');
    const tl = by('trustlist');
    assert.ok(csca.ca && csca.verify(csca.publicKey), 'CSCA self-signed CA');
    assert.match(csca.subject, /C=VN/);
    assert.match(csca.subject, /O=Ministry of Health/);
    assert.ok(new Date(csca.validTo).getTime() - Date.now() > 14 * 365 * DAY * 1000, 'CSCA long-lived');
    assert.ok(dsc.verify(csca.publicKey) && dsc.checkIssued(csca), 'DSC signed by the CSCA');
    assert.equal(dsc.ca, false);
    for (const oid of DCC_EKU_OIDS) assert.ok((dsc.keyUsage ?? []).includes(oid), oid);
    assert.ok(tl.verify(csca.publicKey), 'trust-list signer under the CSCA');
    assert.ok(fca.ca && fca.verify(fca.publicKey), 'facility CA is its own root');
    assert.equal(fca.verify(csca.publicKey), false);
    firstDscId = rows.find((r) => r.role === 'dsc')!.id;
  });

  it('facility and province certificates chain to the facility CA, not to the CSCA', async () => {
    const { db } = getDb();
    const rows = await findCertificates(db);
    const csca = certificateOf(rows.find((r) => r.role === 'csca')!);
    const fca = certificateOf(rows.find((r) => r.role === 'facility_ca')!);
    for (const kind of ['facility', 'province'] as const) {
      const info = await issueFacilityCert(db, { custody, owner: kind === 'facility' ? '79-HCM-001' : '79', kind });
      const cert = certificateOf((await findCertificates(db, { roles: ['facility'] })).find((r) => r.id === info.id)!);
      assert.ok(cert.verify(fca.publicKey) && cert.checkIssued(fca));
      assert.equal(cert.verify(csca.publicKey), false);
      assert.equal(cert.keyUsage, undefined, 'no EU DCC key usage on a facility certificate');
    }
    await assert.rejects(issueFacilityCert(db, { custody, owner: 'x, CN=evil' }), (e: AppError) => e.code === 'BAD_REQUEST');
    const trusted = await ourTrustedKeys(db);
    assert.equal(trusted.length, 1, 'facility keys are never trusted as DSCs');
  });

  it('the active DSC signs HC1s that verify against our trusted keys; exp beyond the DSC is refused', async () => {
    const { db } = getDb();
    const signer = await loadActiveDscSigner(db, { custody, flushEveryMs: 0 });
    try {
      hc1BeforeRotation = issueHc1(sampleDcc(), { signer, iss: 'VN', iat: NOW, exp: NOW + 30 * DAY });
      const r = await verifyWithOurs(db, hc1BeforeRotation);
      assert.equal(r.valid, true, r.message);
      assert.equal(r.signer?.country, 'VN');
      const beyond = Math.floor(signer.notAfter!.getTime() / 1000) + DAY;
      assert.throws(() => issueHc1(sampleDcc(), { signer, iat: NOW, exp: beyond }), (e: HcertError) => e.code === 'HC1_EXP_BEYOND_DSC');
    } finally {
      await signer.close();
    }
  });

  it('counts signatures per kid and day without a write per signature; flushes add up', async () => {
    const { db } = getDb();
    const signer = await loadActiveDscSigner(db, { custody, flushEveryMs: 0 });
    const kid = Buffer.from(signer.kid).toString('base64');
    const base = (await keyUsage(db, { kid })).total;
    for (let i = 0; i < 7; i++) issueHc1(sampleDcc(), { signer, iat: NOW, exp: NOW + DAY });
    assert.equal(signer.pending(), 7);
    assert.equal((await keyUsage(db, { kid })).total, base, 'nothing written before a flush');
    await signer.flush();
    assert.equal(signer.pending(), 0);
    assert.equal((await keyUsage(db, { kid })).total, base + 7);
    for (let i = 0; i < 5; i++) issueHc1(sampleDcc(), { signer, iat: NOW, exp: NOW + DAY });
    await signer.close();
    const u = await keyUsage(db, { kid });
    assert.equal(u.total, base + 12);
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(u.rows.map((r) => r.day), [today]);
    assert.equal((await keyUsage(db, { kid, from: '2000-01-01', to: '2000-12-31' })).total, 0);
    assert.throws(() => signer.sign(Buffer.from('x')), (e: AppError) => e.code === 'SIGNER_CLOSED');
  });

  it('rotation: the new DSC signs, the old one is retired and still verifies', async () => {
    const { db } = getDb();
    const { issued, retired } = await rotateDsc(db, { custody, actor: 'test' });
    assert.deepEqual(retired.map((r) => [r.id, r.status]), [[firstDscId, 'retired']]);
    const signer = await loadActiveDscSigner(db, { custody, flushEveryMs: 0 });
    assert.equal(signer.certificateId, issued.id);
    const after = issueHc1(sampleDcc(), { signer, iss: 'VN', iat: NOW, exp: NOW + DAY });
    await signer.close();
    assert.notEqual(Buffer.from(signer.kid).toString('base64'), retired[0]!.kid);
    for (const hc1 of [hc1BeforeRotation, after]) {
      const r = await verifyWithOurs(db, hc1);
      assert.equal(r.valid, true, r.message);
    }
  });

  it('revoke-dsc: verified before, HC1_DSC_REVOKED after, with an audit row', async () => {
    const { db } = getDb();
    assert.equal((await verifyWithOurs(db, hc1BeforeRotation)).valid, true);
    const revoked = await revokeDsc(db, firstDscId, 'key compromise', 'cli:tester');
    assert.equal(revoked.status, 'revoked');
    assert.ok(revoked.revokedAt);
    const r = await verifyWithOurs(db, hc1BeforeRotation);
    assert.equal(r.valid, false);
    assert.equal(r.code, 'HC1_DSC_REVOKED');
    const audit = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'pki_certificate').where('entity_id', '=', String(firstDscId)).where('action', '=', 'revoke').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, 'cli:tester');
    assert.equal((JSON.parse(audit[0]!.before_json!) as { status: string }).status, 'retired');
    assert.deepEqual(JSON.parse(audit[0]!.after_json!), { ...(JSON.parse(audit[0]!.before_json!) as object), status: 'revoked', revoked_at: revoked.revokedAt, revoke_reason: 'key compromise' });
    await assert.rejects(revokeDsc(db, firstDscId, 'again', 'x'), (e: AppError) => e.code === 'PKI_ALREADY_REVOKED');
    await assert.rejects(revokeDsc(db, 999_999, 'x', 'x'), (e: AppError) => e.code === 'PKI_NOT_FOUND');
  });

  it('PS256 DSC round trip', async () => {
    const { db } = getDb();
    const dsc = await issueDsc(db, { custody, alg: 'PS256', modulusLength: 2048, validityDays: 90 });
    assert.equal(dsc.alg, 'PS256');
    assert.ok(new Date(dsc.notAfter).getTime() <= Date.now() + 91 * DAY * 1000);
    const signer = await loadActiveDscSigner(db, { custody, alg: 'PS256', flushEveryMs: 0 });
    const hc1 = issueHc1(sampleDcc(), { signer, iss: 'VN', iat: NOW, exp: NOW + DAY });
    await signer.close();
    const r = await verifyWithOurs(db, hc1);
    assert.equal(r.valid, true, r.message);
    assert.equal(r.alg, 'PS256');
  });

  it('published trust lists: signed, stable ETag, chain proven; altered bodies fail; revoked DSCs left out', async () => {
    const { db } = getDb();
    const pub = new TrustListPublisher(db, custody);
    const doc = await pub.document('dsc');
    assert.equal((await pub.document('dsc')).etag, doc.etag, 'same state, same ETag');
    const rows = await findCertificates(db);
    const cscaPem = certificateOf(rows.find((r) => r.role === 'csca')!).toString();
    const signerPem = await pub.signerPem();
    const v = verifyPublishedTrustList(doc.body, doc.signature, signerPem, cscaPem);
    assert.equal(v.valid, true, v.reason);
    const listed = v.entries!.map((e) => e.kid);
    const dscs = rows.filter((r) => r.role === 'dsc');
    assert.deepEqual(listed.sort(), dscs.filter((r) => r.status !== 'revoked').map((r) => r.kid).sort());
    assert.ok(v.entries!.every((e) => e.country === 'VN' && e.certificateType === 'DSC' && /^[0-9a-f]{64}$/.test(e.thumbprint)));
    const altered = doc.body.replace('"VN"', '"VX"');
    assert.equal(verifyPublishedTrustList(altered, doc.signature, signerPem, cscaPem).valid, false);
    const swapped = JSON.parse(doc.body) as { signature: string }[];
    if (swapped.length > 1) {
      [swapped[0]!.signature, swapped[1]!.signature] = [swapped[1]!.signature, swapped[0]!.signature];
      assert.equal(verifyPublishedTrustList(JSON.stringify(swapped), doc.signature, signerPem, cscaPem).valid, false);
    }
    const foreignCa = certificateOf(rows.find((r) => r.role === 'facility_ca')!).toString();
    assert.equal(verifyPublishedTrustList(doc.body, doc.signature, signerPem, foreignCa).valid, false);
    const csca = await pub.document('csca');
    const c = verifyPublishedTrustList(csca.body, csca.signature.toString('base64'), signerPem, cscaPem);
    assert.equal(c.valid, true, c.reason);
    assert.equal(c.entries!.length, 1);
    await rotateDsc(db, { custody });
    assert.notEqual((await pub.document('dsc')).etag, doc.etag, 'a rotation changes the list');
  });

  it('keys on disk are encrypted; the database holds only their location and public key', async () => {
    const { db } = getDb();
    const keys = await db.selectFrom('pki_key').selectAll().execute();
    assert.ok(keys.length >= 6);
    for (const k of keys) {
      assert.equal(k.backend, 'file');
      assert.ok(k.ref.startsWith(join(dir, 'keys')));
      assert.equal((statSync(k.ref).mode & 0o777), 0o600);
      const text = readFileSync(k.ref, 'utf8');
      assert.doesNotMatch(text, /PRIVATE KEY|BEGIN/);
      const env = JSON.parse(text) as { kdf: string; cipher: string };
      assert.deepEqual([env.kdf, env.cipher], ['scrypt', 'aes-256-gcm']);
      assert.doesNotMatch(JSON.stringify(k), /PRIVATE|ciphertext/);
    }
    assert.equal(readdirSync(join(dir, 'keys')).length, keys.length);
  });
});

describe('key custody passphrase', () => {
  it('generates the dev passphrase (0600) only on request, says so, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaxpass-secret-'));
    try {
      const file = join(dir, 'secrets', 'key-passphrase');
      const lines: string[] = [];
      const none = new KeyCustody({ backend: 'file', keyDir: dir, secretFile: file });
      assert.throws(() => none.passphrase(), (e: AppError) => e.code === 'KEY_PASSPHRASE_MISSING');
      const c = new KeyCustody({ backend: 'file', keyDir: dir, secretFile: file, log: (l) => lines.push(l) });
      const p = c.passphrase(true);
      assert.ok(p.length >= 40);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.match(lines.join('\n'), /generated a random key passphrase/);
      assert.doesNotMatch(lines.join('\n'), new RegExp(p));
      assert.equal(new KeyCustody({ backend: 'file', keyDir: dir, secretFile: file }).passphrase(), p);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

testEachDialect('PKI on the pkcs11 backend (SoftHSM2)', async ({ db }) => {
  const hsm = softHsmTestEnv();
  const custody = new KeyCustody({ backend: 'pkcs11', keyDir: '/nonexistent', secretFile: '/nonexistent', pkcs11: hsm });
  try {
    await pkiInit(db, { custody });
    const keys = await db.selectFrom('pki_key').selectAll().execute();
    assert.ok(keys.every((k) => k.backend === 'pkcs11' && k.ref.startsWith('vaxpass-')));
    const signer = await loadActiveDscSigner(db, { custody, flushEveryMs: 0 });
    const hc1 = issueHc1(sampleDcc(), { signer, iss: 'VN', iat: NOW, exp: NOW + DAY });
    await signer.close();
    const r = await verifyWithOurs(db, hc1);
    assert.equal(r.valid, true, r.message);
    const pub = new TrustListPublisher(db, custody);
    const doc = await pub.document('dsc');
    const csca = certificateOf((await findCertificates(db, { roles: ['csca'] }))[0]!).toString();
    const v = verifyPublishedTrustList(doc.body, doc.signature, await pub.signerPem(), csca);
    assert.equal(v.valid, true, v.reason);
  } finally {
    custody.close();
  }
});
