import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTrustStore, issueHc1, trustedKeyFromCertificate, verifyHc1 } from '../../hcert/index.js';
import type { CoseAlg } from '../../hcert/index.js';
import { sampleDcc } from '../../hcert/test-helpers/sample-dcc.js';
import type { AppError } from '../../errors/index.js';
import { certifyPublicKey, makeTestCa } from './certify-public-key.js';
import type { CertificateAuthority } from './certify-public-key.js';
import { createKeyPair, loadFileSigner, readPassphrase, writeKeyFile } from './file-key-store.js';

const NOW = Math.floor(Date.now() / 1000);
const YEAR = 365 * 86400;
const PASS = 'correct horse battery staple';

describe('file key store', () => {
  let dir: string;
  let ca: CertificateAuthority;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vaxpass-keys-'));
    ca = await makeTestCa();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const alg of ['ES256', 'PS256'] as CoseAlg[]) {
    it(`${alg}: writes an encrypted file, loads a signer, and the HC1 verifies`, async () => {
      const { privateKey, publicKey } = createKeyPair(alg, 2048);
      const path = join(dir, `${alg}.key.json`);
      await writeKeyFile(path, privateKey, PASS);

      assert.equal((await stat(path)).mode & 0o777, 0o600);
      const text = await readFile(path, 'utf8');
      assert.doesNotMatch(text, /PRIVATE KEY|BEGIN/);
      const der = privateKey.export({ type: 'pkcs8', format: 'der' });
      const raw = await readFile(path);
      assert.equal(raw.includes(der), false, 'PKCS#8 DER must not be on disk');
      assert.equal(raw.includes(der.toString('base64')), false, 'nor its base64');
      assert.equal(raw.includes(der.subarray(-48)), false, 'nor the tail of the DER (holds the secret)');
      const env = JSON.parse(text) as Record<string, unknown>;
      assert.deepEqual([env.v, env.kdf, env.cipher, env.alg, env.N], [1, 'scrypt', 'aes-256-gcm', alg, 2 ** 15]);

      const cert = await certifyPublicKey(publicKey, ca, { cn: `file ${alg}` });
      const signer = await loadFileSigner(path, cert, PASS);
      assert.equal(signer.alg, alg);
      const hc1 = issueHc1(sampleDcc(), { signer, iss: 'VN', iat: NOW, exp: NOW + YEAR });
      const r = verifyHc1(hc1, { trust: new MemoryTrustStore([trustedKeyFromCertificate(cert)]) });
      assert.equal(r.valid, true, r.message);
      assert.equal(r.alg, alg);
    });
  }

  it('rejects a wrong passphrase with KEY_PASSPHRASE_WRONG', async () => {
    const { privateKey, publicKey } = createKeyPair('ES256');
    const path = join(dir, 'wrong.key.json');
    await writeKeyFile(path, privateKey, PASS);
    const cert = await certifyPublicKey(publicKey, ca);
    await assert.rejects(loadFileSigner(path, cert, 'not it'), (e: AppError) => e.code === 'KEY_PASSPHRASE_WRONG');
  });

  it('detects a tampered header (alg bound as AAD)', async () => {
    const { privateKey, publicKey } = createKeyPair('ES256');
    const path = join(dir, 'tampered.key.json');
    await writeKeyFile(path, privateKey, PASS);
    const env = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...env, alg: 'PS256' }));
    const cert = await certifyPublicKey(publicKey, ca);
    await assert.rejects(loadFileSigner(path, cert, PASS), (e: AppError) => e.code === 'KEY_PASSPHRASE_WRONG');
  });

  it('refuses a key that does not match the certificate', async () => {
    const a = createKeyPair('ES256');
    const b = createKeyPair('ES256');
    const path = join(dir, 'mismatch.key.json');
    await writeKeyFile(path, a.privateKey, PASS);
    const cert = await certifyPublicKey(b.publicKey, ca);
    await assert.rejects(loadFileSigner(path, cert, PASS), (e: AppError) => e.code === 'KEY_CERT_MISMATCH');
  });

  it('reads the passphrase from env or a secret file, and fails clearly without one', async () => {
    assert.equal(readPassphrase({ VAXPASS_KEY_PASSPHRASE: 'x' }), 'x');
    const file = join(dir, 'secret');
    await writeFile(file, 'from-file\n');
    assert.equal(readPassphrase({ VAXPASS_KEY_PASSPHRASE_FILE: file }), 'from-file');
    assert.throws(() => readPassphrase({}), (e: AppError) => e.code === 'KEY_PASSPHRASE_MISSING' && /VAXPASS_KEY_PASSPHRASE/.test(e.message));
    assert.throws(() => readPassphrase({ VAXPASS_KEY_PASSPHRASE_FILE: join(dir, 'nope') }), (e: AppError) => e.code === 'KEY_PASSPHRASE_MISSING');
  });
});
