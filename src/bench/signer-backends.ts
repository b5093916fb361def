/**
 * Signer backends in the bench: signatures per second of the file-key path (Node crypto in
 * process) and of the HSM path (PKCS#11 on SoftHSM2), from `benchSigners` in src/trust/keys.
 * Without SOFTHSM2_CONF in the environment a temporary token is set up with
 * scripts/softhsm-setup.sh; when that fails, the HSM figures are reported unavailable with the
 * reason and the file figures are measured alone: the bench never fails on a missing HSM.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { signWithKey } from '../hcert/index.js';
import type { CoseAlg } from '../hcert/index.js';
import { benchSigners, createKeyPair } from '../trust/keys/index.js';

const SETUP = join(import.meta.dirname, '../../scripts/softhsm-setup.sh');

/** Signatures per second of one backend. */
export interface BackendRates {
  es256_sign_per_s: number;
  /** RSA 2048. */
  ps256_sign_per_s: number;
}

/** The `keys` section of the bench result. */
export interface KeysFigures {
  file: BackendRates;
  hsm: BackendRates & { available: boolean; reason?: string; token?: string };
  /** Every interleaved round per path and algorithm (the figures above are the best). */
  rounds?: Record<string, number[]>;
}

function fileRate(alg: CoseAlg, ms: number): number {
  const { privateKey } = createKeyPair(alg, 2048);
  const data = randomBytes(400);
  for (let i = 0; i < 20; i++) signWithKey(alg, privateKey, data);
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    signWithKey(alg, privateKey, data);
    n++;
    elapsed = performance.now() - start;
  }
  return Math.round((n * 1000) / elapsed);
}

/** Sets up a throw-away SoftHSM2 token unless the environment names one; returns the undo. */
function ensureToken(): { undo: () => void; token?: string } {
  if (process.env.SOFTHSM2_CONF) return { undo: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-bench-softhsm-'));
  let out: string;
  try {
    out = execFileSync('bash', [SETUP, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VAXPASS_PKCS11_TOKEN: 'vaxpass-bench' } });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = ((err as { stderr?: string }).stderr ?? '').trim().split('\n').at(-1) ?? '';
    throw new Error(`SoftHSM2 not available (${stderr || (err as Error).message})`, { cause: err });
  }
  const saved: Record<string, string | undefined> = {};
  // SoftHSM reads SOFTHSM2_CONF at C_Initialize, from the process environment.
  for (const m of out.matchAll(/^export (\w+)='([^']*)'$/gm)) {
    const [name, value] = [m[1]!, m[2]!];
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  return {
    token: 'vaxpass-bench (temporary)',
    undo: () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) Reflect.deleteProperty(process.env, k);
        else process.env[k] = v;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Measures both backends for ES256 and PS256 (RSA 2048).
 * @param ms - measuring time per backend, algorithm and round
 * @param rounds - interleaved rounds, best kept (as for every other measure of the bench)
 */
export async function measureSignerBackends(ms: number, rounds = 4): Promise<KeysFigures> {
  let token: ReturnType<typeof ensureToken> | undefined;
  try {
    token = ensureToken();
    const r = await benchSigners(ms, {}, rounds);
    return {
      rounds: r.rounds,
      file: { es256_sign_per_s: r.file_es256_sign_per_s, ps256_sign_per_s: r.file_ps256_sign_per_s },
      hsm: { available: true, es256_sign_per_s: r.hsm_es256_sign_per_s, ps256_sign_per_s: r.hsm_ps256_sign_per_s, ...(token.token ? { token: token.token } : {}) },
    };
  } catch (err) {
    return {
      file: { es256_sign_per_s: fileRate('ES256', ms), ps256_sign_per_s: fileRate('PS256', ms) },
      hsm: { available: false, reason: (err as Error).message, es256_sign_per_s: 0, ps256_sign_per_s: 0 },
    };
  } finally {
    token?.undo();
  }
}
