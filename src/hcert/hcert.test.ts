import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { base45Decode, base45Encode } from './base45.js';
import { cborEncode } from './cbor.js';
import { parseCose, protectedHeader, sigStructure, signCose } from './cose.js';
import { encodeCwt } from './cwt.js';
import { zlibDeflate } from './deflate.js';
import type { HcertError } from './errors.js';
import { issueHc1 } from './issue.js';
import { makeDevSigner } from './test-helpers/dev-signer.js';
import type { DevSigner } from './test-helpers/dev-signer.js';
import { sampleDcc } from './test-helpers/sample-dcc.js';
import { revocationHashes } from './revocation-hashes.js';
import { fromHc1, toHc1 } from './transport.js';
import { MemoryTrustStore } from './trust-store.js';
import { KEY_USAGE_OIDS, verifyHc1 } from './verify.js';

const NOW = Math.floor(Date.now() / 1000);
const YEAR = 365 * 86400;

describe('HC1 issue and verify', () => {
  let es: DevSigner;
  let ps: DevSigner;
  let trust: MemoryTrustStore;
  before(async () => {
    es = await makeDevSigner('ES256');
    ps = await makeDevSigner('PS256');
    trust = new MemoryTrustStore([es.trusted, ps.trusted]);
  });

  for (const alg of ['ES256', 'PS256'] as const) {
    it(`round-trips a DCC signed with ${alg}`, () => {
      const s = alg === 'ES256' ? es : ps;
      const hc1 = issueHc1(sampleDcc(), { signer: s.signer, iss: 'VN', iat: NOW, exp: NOW + YEAR });
      assert.match(hc1, /^HC1:[0-9A-Z $%*+\-./:]+$/);
      const r = verifyHc1(hc1, { trust });
      assert.equal(r.valid, true, r.message);
      assert.equal(r.alg, alg);
      assert.equal(r.certificateType, 'v');
      assert.deepEqual(r.payload, sampleDcc());
      assert.deepEqual(r.claims, { iss: 'VN', iat: NOW, exp: NOW + YEAR });
      assert.equal(r.signer?.country, 'VN');
      assert.equal(r.signer?.kid, Buffer.from(s.signer.kid).toString('base64'));
    });
  }

  it('puts kid and alg in the protected header and leaves the unprotected header empty', () => {
    const hc1 = issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + YEAR });
    const cose = Buffer.from(fromHc1(hc1).cose);
    const prot = protectedHeader('ES256', es.signer.kid);
    assert.ok(cose.subarray(0, 4 + prot.length).equals(Buffer.concat([Buffer.from([0xd2, 0x84, 0x40 + prot.length]), prot, Buffer.from([0xa0])])));
  });

  it('refuses to issue beyond the signing certificate', async () => {
    const short = await makeDevSigner('ES256', { notAfter: new Date((NOW + 30 * 86400) * 1000) });
    assert.throws(() => issueHc1(sampleDcc(), { signer: short.signer, iat: NOW, exp: NOW + YEAR }), (e: HcertError) => e.code === 'HC1_EXP_BEYOND_DSC');
  });

  it('names the failing step: prefix, base45, zlib, COSE, CWT', () => {
    const good = issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + YEAR });
    const b45 = good.slice(4);
    const cases: [string, string][] = [
      [b45, 'HC1_PREFIX'],
      ['HC2:' + b45, 'HC1_PREFIX'],
      ['HC1:' + b45 + 'a', 'HC1_BASE45'],
      ['HC1:' + base45Encode(Buffer.from('not zlib at all')), 'HC1_ZLIB'],
      ['HC1:' + base45Encode(zlibDeflate(Buffer.from([0x83, 1, 2, 3]))), 'HC1_COSE'],
      ['HC1:' + base45Encode(zlibDeflate(Buffer.from('ff', 'hex'))), 'HC1_COSE'],
      ['HC1:' + base45Encode(zlibDeflate(signCose(cborEncode(new Map([[1, 'VN']])), es.signer))), 'HC1_CWT'],
      ['HC1:' + 'A'.repeat(9000), 'HC1_TOO_LARGE'],
      ['HC1:' + base45Encode(zlibDeflate(Buffer.alloc(200_000))), 'HC1_INFLATE_LIMIT'],
    ];
    for (const [text, code] of cases) {
      const r = verifyHc1(text, { trust });
      assert.equal(r.valid, false);
      assert.equal(r.code, code, `${code}: got ${r.code} ${r.message}`);
      assert.ok(r.message.length > 0);
    }
  });

  it('reports an unknown kid but still shows the payload, unverified', async () => {
    const other = await makeDevSigner('ES256', { country: 'DE' });
    const r = verifyHc1(issueHc1(sampleDcc(), { signer: other.signer, iat: NOW, exp: NOW + YEAR }), { trust });
    assert.equal(r.code, 'HC1_KID_UNKNOWN');
    assert.equal(r.signatureVerified, false);
    assert.deepEqual(r.payload, sampleDcc());
  });

  it('reports a bad signature when the data was altered', () => {
    const hc1 = issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + YEAR });
    const cose = Buffer.from(fromHc1(hc1).cose);
    cose[cose.length - 70] = cose[cose.length - 70]! ^ 0x01; // inside the payload, before the 64-byte signature
    const r = verifyHc1(toHc1(cose), { trust });
    assert.ok(r.code === 'HC1_SIGNATURE' || r.code === 'HC1_CWT', r.message);
    const sigFlip = Buffer.from(fromHc1(hc1).cose);
    sigFlip[sigFlip.length - 1] = sigFlip[sigFlip.length - 1]! ^ 0x01;
    assert.equal(verifyHc1(toHc1(sigFlip), { trust }).code, 'HC1_SIGNATURE');
  });

  it('tries every certificate under a shared kid', async () => {
    const impostor = await makeDevSigner('ES256');
    const shared = new MemoryTrustStore([{ ...impostor.trusted, kid: es.signer.kid }, es.trusted]);
    const r = verifyHc1(issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + YEAR }), { trust: shared });
    assert.equal(r.valid, true, r.message);
    const onlyImpostor = new MemoryTrustStore([{ ...impostor.trusted, kid: es.signer.kid }]);
    assert.equal(verifyHc1(issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + YEAR }), { trust: onlyImpostor }).code, 'HC1_SIGNATURE');
  });

  it('finds the kid in the unprotected header when the protected one has none', () => {
    const payload = encodeCwt({ iat: NOW, exp: NOW + YEAR, dcc: sampleDcc() });
    const prot = Buffer.from([0xa1, 0x01, 0x26]);
    const sig = es.signer.sign(sigStructure(prot, payload));
    const cose = cborEncode([prot, new Map([[4, Buffer.from(es.signer.kid)]]), payload, Buffer.from(sig)]);
    const r = verifyHc1(toHc1(cose), { trust });
    assert.equal(r.valid, true, r.message);
  });

  it('checks validity times at the given clock', () => {
    const hc1 = issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + 86400 });
    assert.equal(verifyHc1(hc1, { trust, now: new Date((NOW + 2 * 86400) * 1000) }).code, 'HC1_EXPIRED');
    assert.equal(verifyHc1(hc1, { trust, now: new Date((NOW - 3600) * 1000) }).code, 'HC1_NOT_YET_VALID');
    assert.equal(verifyHc1(hc1, { trust, now: new Date((NOW + 3600) * 1000) }).valid, true);
  });

  it('flags exp beyond the DSC notAfter', () => {
    // A signer that does not announce its notAfter lets the certificate through; the verifier catches it.
    const lax = { ...es.signer, notAfter: undefined };
    const hc1 = issueHc1(sampleDcc(), { signer: lax, iat: NOW, exp: NOW + 10 * YEAR });
    assert.equal(verifyHc1(hc1, { trust }).code, 'HC1_EXP_BEYOND_DSC');
  });

  it('enforces the DSC key usage for the certificate type', async () => {
    const testOnly = await makeDevSigner('ES256', { eku: [...KEY_USAGE_OIDS.t] });
    const store = new MemoryTrustStore([testOnly.trusted]);
    const r = verifyHc1(issueHc1(sampleDcc(), { signer: testOnly.signer, iat: NOW, exp: NOW + YEAR }), { trust: store });
    assert.equal(r.code, 'HC1_KEY_USAGE');
    const vacc = await makeDevSigner('ES256', { eku: [KEY_USAGE_OIDS.v[0]!] });
    assert.equal(verifyHc1(issueHc1(sampleDcc(), { signer: vacc.signer, iat: NOW, exp: NOW + YEAR }), { trust: new MemoryTrustStore([vacc.trusted]) }).valid, true);
  });

  it('fails a revoked DSC with its own code', () => {
    const store = new MemoryTrustStore([{ ...es.trusted, revoked: { at: new Date(), reason: 'key compromise' } }]);
    assert.equal(verifyHc1(issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + YEAR }), { trust: store }).code, 'HC1_DSC_REVOKED');
  });

  it('fails a certificate on the revocation list, by UCI or by signature', () => {
    const hc1 = issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + YEAR });
    const cose = parseCose(fromHc1(hc1).cose);
    const hashes = revocationHashes(cose, sampleDcc());
    for (const type of ['UCI', 'COUNTRYCODEUCI', 'SIGNATURE'] as const) {
      const listed = hashes[type]!.toString('base64');
      const revocation = {
        isRevoked: (kid: Uint8Array, h: Partial<Record<string, Buffer>>) =>
          Buffer.from(kid).equals(Buffer.from(es.signer.kid)) && h[type]?.toString('base64') === listed ? { reason: 'fraud' } : undefined,
      };
      const r = verifyHc1(hc1, { trust, revocation });
      assert.equal(r.code, 'HC1_REVOKED', type);
      assert.match(r.message, /fraud/);
    }
    const other = issueHc1(sampleDcc({ ci: 'URN:UVCI:01:VN:OTHERCERTIFICATE0000000000#R' }), { signer: es.signer, iat: NOW, exp: NOW + YEAR });
    const uci = hashes.UCI!.toString('base64');
    assert.equal(verifyHc1(other, { trust, revocation: { isRevoked: (_k, h) => (h.UCI?.toString('base64') === uci ? { reason: 'x' } : undefined) } }).valid, true);
  });

  it('reports schema and value-set problems with their paths', () => {
    const bad = sampleDcc({ dn: 'two' });
    const r = verifyHc1(issueHc1(bad, { signer: es.signer, iat: NOW, exp: NOW + YEAR }), { trust });
    assert.equal(r.code, 'HC1_SCHEMA');
    assert.ok(r.problems.some((p) => p.path === '/v/0/dn'), JSON.stringify(r.problems));
    // Vaxzevria with BioNTech as marketing-authorisation holder is not an Annex A pair.
    const pair = verifyHc1(issueHc1(sampleDcc({ ma: 'ORG-100030215' }), { signer: es.signer, iat: NOW, exp: NOW + YEAR }), { trust });
    assert.equal(pair.code, 'HC1_VALUESET', pair.message);
    const unknown = verifyHc1(issueHc1(sampleDcc({ co: 'XX' }), { signer: es.signer, iat: NOW, exp: NOW + YEAR }), { trust });
    assert.equal(unknown.code, 'HC1_VALUESET', unknown.message);
    assert.ok(unknown.problems.some((p) => p.path === '/v/0/co'));
  });

  it('decodes base45 back to the exact compressed bytes', () => {
    const hc1 = issueHc1(sampleDcc(), { signer: es.signer, iat: NOW, exp: NOW + YEAR });
    const { compressed, base45 } = fromHc1(hc1);
    assert.ok(base45Decode(base45).equals(Buffer.from(compressed)));
  });
});

describe('ES256 signature encoding', () => {
  it('converts DER signatures to r‖s for every length of r and s', async () => {
    const { generateKeyPairSync, verify } = await import('node:crypto');
    const { signWithKey } = await import('./signer.js');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // 2,000 signatures cover r or s with leading zero bytes (1 in 256) and with the high bit set (1 in 2).
    for (let i = 0; i < 2000; i++) {
      const data = Buffer.from(`message ${i}`);
      const sig = signWithKey('ES256', privateKey, data);
      assert.equal(sig.length, 64);
      assert.ok(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig), `signature ${i}`);
    }
  });
});
