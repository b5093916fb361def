/**
 * Test helper: a SoftHSM2 token for the PKCS#11 tests. Uses the environment when SOFTHSM2_CONF is
 * set (CI runs scripts/softhsm-setup.sh once); otherwise runs that script into a temp directory,
 * so `npm test` works wherever softhsm2 is installed. Never skips: a missing HSM fails loudly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pkcs11OptionsFromEnv } from './pkcs11-module.js';
import type { Pkcs11Options } from './pkcs11-module.js';

const SETUP = join(import.meta.dirname, '../../../scripts/softhsm-setup.sh');

/** Ensures a token exists and returns how to reach it; sets process.env for the module. */
export function softHsmTestEnv(): Pkcs11Options {
  if (!process.env.SOFTHSM2_CONF) {
    const dir = mkdtempSync(join(tmpdir(), 'vaxpass-softhsm-'));
    let out: string;
    try {
      out = execFileSync('bash', [SETUP, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(
        `SoftHSM is not set up and ${SETUP} failed (install softhsm2, or run the script and export its output):\n${stderr}`,
        { cause: err },
      );
    }
    // SoftHSM reads SOFTHSM2_CONF at C_Initialize; Node's process.env writes reach getenv().
    for (const m of out.matchAll(/^export (\w+)='([^']*)'$/gm)) process.env[m[1] as string] = m[2];
  }
  const opts = pkcs11OptionsFromEnv();
  if (!opts.pin) throw new Error('SOFTHSM2_CONF is set but VAXPASS_PKCS11_PIN is not: export the output of scripts/softhsm-setup.sh');
  return { ...opts, token: process.env.VAXPASS_PKCS11_TOKEN || 'vaxpass-test' };
}
