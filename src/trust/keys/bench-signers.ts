/**
 * Micro-benchmark: signatures per second of the file-key path (Node crypto in process) against
 * the HSM path (PKCS#11), on a ~400-byte Sig_structure, the size of a typical HC1's. The issue's
 * goal: on SoftHSM2 the HSM path keeps at least 50 % of the file-key rate. Keys are throw-away:
 * file keys in memory, HSM keys as session objects (CKA_TOKEN=false) that vanish on close.
 *
 * Like the rest of `vaxpass bench`, both paths are measured in interleaved rounds (the order
 * flipped every round) and each keeps its best round, so both sides of the ratio get the machine
 * at its quietest; every round is returned so the noise can be judged.
 */
import { randomBytes } from 'node:crypto';
import type { CoseAlg, Signer } from '../../hcert/index.js';
import { keySigner } from '../../hcert/index.js';
import { certifyPublicKey, makeTestCa } from './certify-public-key.js';
import { createKeyPair } from './file-key-store.js';
import type { Pkcs11Options } from './pkcs11-module.js';
import { Pkcs11Session } from './pkcs11-signer.js';

/** Signatures per second per path and algorithm (PS256 with RSA 2048): best round, and every round. */
export interface SignerBench {
  file_es256_sign_per_s: number;
  hsm_es256_sign_per_s: number;
  file_ps256_sign_per_s: number;
  hsm_ps256_sign_per_s: number;
  rounds: Record<'file_es256' | 'hsm_es256' | 'file_ps256' | 'hsm_ps256', number[]>;
}

const DATA = randomBytes(400);

function rate(signer: Signer, ms: number): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    signer.sign(DATA);
    n++;
    elapsed = performance.now() - start;
  }
  return Math.round((n * 1000) / elapsed);
}

/**
 * Measures both paths for ES256 and PS256.
 * @param ms - measuring time per path, algorithm and round
 * @param hsm - token to use (defaults from VAXPASS_PKCS11_* env)
 * @param rounds - interleaved rounds (best kept)
 */
export async function benchSigners(ms = 1000, hsm: Partial<Pkcs11Options> = {}, rounds = 4): Promise<SignerBench> {
  const ca = await makeTestCa('bench CSCA');
  const session = Pkcs11Session.open(hsm);
  try {
    const signers: Record<string, Signer> = {};
    for (const alg of ['ES256', 'PS256'] as CoseAlg[]) {
      const a = alg.toLowerCase();
      const file = createKeyPair(alg, 2048);
      signers[`file_${a}`] = keySigner(file.privateKey, await certifyPublicKey(file.publicKey, ca));
      const key = session.generateKeyPair(alg, { label: `bench-${alg}-${randomBytes(4).toString('hex')}`, modulusLength: 2048, token: false });
      signers[`hsm_${a}`] = session.signer(key.label, await certifyPublicKey(key.publicKey, ca));
    }
    // Warm-up (JIT, token caches), not recorded.
    for (const s of Object.values(signers)) rate(s, Math.min(100, ms / 4));
    const all: SignerBench['rounds'] = { file_es256: [], hsm_es256: [], file_ps256: [], hsm_ps256: [] };
    for (let r = 0; r < Math.max(1, rounds); r++) {
      for (const a of ['es256', 'ps256'] as const) {
        const order = r % 2 === 0 ? (['file', 'hsm'] as const) : (['hsm', 'file'] as const);
        for (const path of order) all[`${path}_${a}`].push(rate(signers[`${path}_${a}`]!, ms));
      }
    }
    const best = (k: keyof SignerBench['rounds']): number => Math.max(...all[k]);
    return {
      file_es256_sign_per_s: best('file_es256'),
      hsm_es256_sign_per_s: best('hsm_es256'),
      file_ps256_sign_per_s: best('file_ps256'),
      hsm_ps256_sign_per_s: best('hsm_ps256'),
      rounds: all,
    };
  } finally {
    session.close();
  }
}
