/**
 * Micro-benchmark: signatures per second of the file-key path (Node crypto in process) against
 * the HSM path (PKCS#11), on a ~400-byte Sig_structure, the size of a typical HC1's. The issue's
 * goal: on SoftHSM2 the HSM path keeps at least 50 % of the file-key rate. Keys are throw-away:
 * file keys in memory, HSM keys as session objects (CKA_TOKEN=false) that vanish on close.
 */
import { randomBytes } from 'node:crypto';
import type { CoseAlg, Signer } from '../../hcert/index.js';
import { keySigner } from '../../hcert/index.js';
import { certifyPublicKey, makeTestCa } from './certify-public-key.js';
import { createKeyPair } from './file-key-store.js';
import type { Pkcs11Options } from './pkcs11-module.js';
import { Pkcs11Session } from './pkcs11-signer.js';

/** Signatures per second per path and algorithm (PS256 with RSA 2048). */
export interface SignerBench {
  file_es256_sign_per_s: number;
  hsm_es256_sign_per_s: number;
  file_ps256_sign_per_s: number;
  hsm_ps256_sign_per_s: number;
}

function rate(signer: Signer, ms: number): number {
  const data = randomBytes(400);
  for (let i = 0; i < 20; i++) signer.sign(data); // warm-up (JIT, token caches)
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    signer.sign(data);
    n++;
    elapsed = performance.now() - start;
  }
  return Math.round((n * 1000) / elapsed);
}

/**
 * Measures both paths for ES256 and PS256.
 * @param ms - measuring time per path and algorithm
 * @param hsm - token to use (defaults from VAXPASS_PKCS11_* env)
 */
export async function benchSigners(ms = 1000, hsm: Partial<Pkcs11Options> = {}): Promise<SignerBench> {
  const ca = await makeTestCa('bench CSCA');
  const session = Pkcs11Session.open(hsm);
  try {
    const out: Record<string, number> = {};
    for (const alg of ['ES256', 'PS256'] as CoseAlg[]) {
      const file = createKeyPair(alg, 2048);
      const fileSigner = keySigner(file.privateKey, await certifyPublicKey(file.publicKey, ca));
      const key = session.generateKeyPair(alg, { label: `bench-${alg}-${randomBytes(4).toString('hex')}`, modulusLength: 2048, token: false });
      const hsmSigner = session.signer(key.label, await certifyPublicKey(key.publicKey, ca));
      out[`file_${alg.toLowerCase()}_sign_per_s`] = rate(fileSigner, ms);
      out[`hsm_${alg.toLowerCase()}_sign_per_s`] = rate(hsmSigner, ms);
    }
    return out as unknown as SignerBench;
  } finally {
    session.close();
  }
}
