import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, verify as cryptoVerify, constants } from 'node:crypto';
import { MemoryTrustStore, issueHc1, trustedKeyFromCertificate, verifyHc1 } from '../../hcert/index.js';
import type { CoseAlg } from '../../hcert/index.js';
import { sampleDcc } from '../../hcert/test-helpers/sample-dcc.js';
import type { AppError } from '../../errors/index.js';
import { certifyPublicKey, makeTestCa } from './certify-public-key.js';
import type { CertificateAuthority } from './certify-public-key.js';
import { Pkcs11Session, openPkcs11Signer } from './pkcs11-signer.js';
import type { Pkcs11Options } from './pkcs11-module.js';
import { softHsmTestEnv } from './softhsm-test-env.js';

const NOW = Math.floor(Date.now() / 1000);
const YEAR = 365 * 86400;

describe('PKCS#11 signer (SoftHSM2)', () => {
  let opts: Pkcs11Options;
  let ca: CertificateAuthority;
  let session: Pkcs11Session;
  const labels: string[] = [];
  const label = (alg: string): string => {
    const l = `test-${alg}-${randomBytes(6).toString('hex')}`;
    labels.push(l);
    return l;
  };
  before(async () => {
    opts = softHsmTestEnv();
    ca = await makeTestCa();
    session = Pkcs11Session.open(opts);
  });
  after(() => {
    for (const l of labels) session?.destroyKeyPair(l);
    session?.close();
  });

  for (const [alg, bits] of [['ES256', undefined], ['PS256', 2048], ['PS256', 3072]] as [CoseAlg, 2048 | 3072 | undefined][]) {
    it(`${alg}${bits ? ` RSA ${bits}` : ''}: key generated in the token signs an HC1 the normal verifier accepts`, async () => {
      const key = session.generateKeyPair(alg, { label: label(alg), ...(bits ? { modulusLength: bits } : {}) });
      if (bits) assert.equal(key.publicKey.asymmetricKeyDetails?.modulusLength, bits);
      const cert = await certifyPublicKey(key.publicKey, ca, { cn: `HSM ${alg}` });
      assert.equal(cert.verify(ca.certificate.publicKey), true);
      const signer = openPkcs11Signer({ ...opts, keyLabel: key.label, certificate: cert });
      try {
        assert.equal(signer.alg, alg);
        const hc1 = issueHc1(sampleDcc(), { signer, iss: 'VN', iat: NOW, exp: NOW + YEAR });
        const r = verifyHc1(hc1, { trust: new MemoryTrustStore([trustedKeyFromCertificate(cert)]) });
        assert.equal(r.valid, true, r.message);
        assert.equal(r.alg, alg);
        // And the raw format: r‖s for ES256, PSS salt 32 for PS256.
        const data = randomBytes(400);
        const sig = signer.sign(data);
        const ok =
          alg === 'ES256'
            ? (assert.equal(sig.length, 64), cryptoVerify('sha256', data, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, sig))
            : cryptoVerify('sha256', data, { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
        assert.equal(ok, true);
      } finally {
        signer.close();
      }
    });
  }

  it('keeps private keys sensitive and non-extractable; reading the secret fails', () => {
    for (const alg of ['ES256', 'PS256'] as CoseAlg[]) {
      const key = session.generateKeyPair(alg, { label: label(alg), modulusLength: 2048 });
      assert.deepEqual(session.protection(key.label), { sensitive: true, extractable: false, neverExtractable: true, token: true });
      assert.throws(() => session.tryReadPrivateValue(key.label), /ATTRIBUTE_SENSITIVE/);
    }
  });

  it('refuses a certificate for another key, a wrong PIN, an unknown token and a closed session', async () => {
    const a = session.generateKeyPair('ES256', { label: label('a') });
    const b = session.generateKeyPair('ES256', { label: label('b') });
    const certB = await certifyPublicKey(b.publicKey, ca);
    assert.throws(() => session.signer(a.label, certB), (e: AppError) => e.code === 'KEY_CERT_MISMATCH');
    assert.throws(() => Pkcs11Session.open({ ...opts, pin: '9999' }), (e: AppError) => e.code === 'HSM_PIN_WRONG');
    assert.throws(() => Pkcs11Session.open({ ...opts, token: 'no-such-token' }), (e: AppError) => e.code === 'HSM_TOKEN_NOT_FOUND');
    assert.throws(() => session.generateKeyPair('ES256', { label: a.label }), (e: AppError) => e.code === 'HSM_KEY_EXISTS');
    const own = openPkcs11Signer({ ...opts, keyLabel: b.label, certificate: certB });
    own.close();
    assert.throws(() => own.sign(Buffer.from('x')), (e: AppError) => e.code === 'HSM_SESSION_CLOSED');
  });
});

describe('benchSigners', () => {
  it('measures file and HSM signing rates', async () => {
    softHsmTestEnv();
    const { benchSigners } = await import('./bench-signers.js');
    const r = await benchSigners(Number(process.env.VAXPASS_BENCH_MS ?? 100), {}, 2);
    if (process.env.VAXPASS_BENCH_MS) console.log(JSON.stringify(r));
    const { rounds, ...best } = r;
    for (const v of Object.values(best)) assert.ok(v > 0);
    // Two interleaved rounds per measure, and the headline is the best of them.
    for (const [k, list] of Object.entries(rounds)) {
      assert.equal(list.length, 2, k);
      assert.equal(Math.max(...list), best[`${k}_sign_per_s` as keyof typeof best]);
    }
  });
});
