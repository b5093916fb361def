/**
 * OpenSSL's own limit on this machine, from `openssl speed -seconds N ecdsap256 rsa2048`.
 *
 * One run gives two clocks. The summary table (stdout) divides by CPU user time, OpenSSL's
 * default; the progress lines (stderr, "Doing … for 1s: 47224 … signs in 0.95s") give the count
 * done in the N wall-clock seconds that OpenSSL's alarm allows. count / N is the wall-clock rate,
 * comparable with our loops; the table is the CPU-time rate, comparable with our CPU-time figures.
 */
import { spawn } from 'node:child_process';

/** Signatures and verifications per second. */
export interface OpensslRates {
  es256_sign_per_s?: number;
  es256_verify_per_s?: number;
  rsa2048_sign_per_s?: number;
  rsa2048_verify_per_s?: number;
}

/** One `openssl speed` run read both ways. */
export interface OpensslRun {
  /** Summary table: per CPU user second (per elapsed second with `-elapsed`). */
  table: OpensslRates;
  /** Progress lines: operations counted / wall-clock seconds of the test. */
  counted: OpensslRates;
}

/** The algorithms the bench asks OpenSSL for. */
export type OpensslAlg = 'ecdsap256' | 'rsa2048';

// OpenSSL 3.0 summary lines, e.g.
//   "rsa 2048 bits 0.000305s 0.000017s   3274.3  57802.7"
//   " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  52124.3  19291.2"
const NUM = String.raw`(\d+(?:\.\d+)?)`;
const RSA_2048 = new RegExp(String.raw`^\s*rsa\s+2048\s+bits\s+${NUM}s\s+${NUM}s\s+${NUM}\s+${NUM}\s*$`, 'm');
const ECDSA_P256 = new RegExp(String.raw`^\s*256\s+bits\s+ecdsa\s+\(nistp256\)\s+${NUM}s\s+${NUM}s\s+${NUM}\s+${NUM}\s*$`, 'm');
// Progress lines: "Doing 256 bits sign ecdsa's for 1s: 47224 256 bits ECDSA signs in 0.95s".
const COUNTED: readonly [keyof OpensslRates, RegExp][] = [
  ['es256_sign_per_s', /^Doing 256 bits sign ecdsa's for (\d+)s: (\d+) /m],
  ['es256_verify_per_s', /^Doing 256 bits verify ecdsa's for (\d+)s: (\d+) /m],
  ['rsa2048_sign_per_s', /^Doing 2048 bits private rsa's for (\d+)s: (\d+) /m],
  ['rsa2048_verify_per_s', /^Doing 2048 bits public rsa's for (\d+)s: (\d+) /m],
];

/**
 * Reads the sign/s and verify/s columns of `openssl speed` output; absent algorithms stay unset.
 * @param text - the standard output of `openssl speed`
 */
export function parseOpensslSpeed(text: string): OpensslRates {
  const out: OpensslRates = {};
  const rsa = RSA_2048.exec(text);
  if (rsa) {
    out.rsa2048_sign_per_s = Number(rsa[3]);
    out.rsa2048_verify_per_s = Number(rsa[4]);
  }
  const ec = ECDSA_P256.exec(text);
  if (ec) {
    out.es256_sign_per_s = Number(ec[3]);
    out.es256_verify_per_s = Number(ec[4]);
  }
  return out;
}

/**
 * Wall-clock rates from the progress lines: operations counted / seconds of the test.
 * @param text - the standard error of `openssl speed` (without `-mr`)
 */
export function parseOpensslCounts(text: string): OpensslRates {
  const out: OpensslRates = {};
  for (const [key, re] of COUNTED) {
    const m = re.exec(text);
    if (m) out[key] = Number(m[2]) / Number(m[1]);
  }
  return out;
}

/** Options of {@link runOpensslSpeed}. */
export interface OpensslSpeedOptions {
  /** The openssl executable (default `openssl` on the PATH). */
  bin?: string;
  /** Run this many processes in parallel (`-multi`, with `-elapsed`): the table is then their sum. */
  multi?: number;
}

/**
 * Runs `openssl speed` and parses it. OpenSSL takes whole seconds per test, and runs each
 * algorithm's sign and verify tests one after the other.
 * @param seconds - seconds per test (rounded, at least 1)
 * @param algs - algorithms to run
 * @param opts - executable, parallel processes
 */
export function runOpensslSpeed(seconds: number, algs: readonly OpensslAlg[], opts: OpensslSpeedOptions = {}): Promise<OpensslRun> {
  const bin = opts.bin ?? 'openssl';
  const multi = opts.multi ?? 1;
  const args = ['speed', ...(multi > 1 ? ['-elapsed', '-multi', String(multi)] : []), '-seconds', String(Math.max(1, Math.round(seconds))), ...algs];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => reject(new Error(`cannot run ${bin}: ${e.message}`)));
    child.on('close', (code) => {
      const run = { table: parseOpensslSpeed(stdout), counted: parseOpensslCounts(stderr) };
      const missing = algs.filter((a) => (a === 'rsa2048' ? run.table.rsa2048_sign_per_s : run.table.es256_sign_per_s) === undefined);
      if (code !== 0 || missing.length > 0) {
        reject(new Error(`${bin} ${args.join(' ')} exited ${code ?? 'by signal'} without a result for ${missing.join(', ') || '?'}: ${stderr.trim().slice(-500)}`));
      } else {
        resolve(run);
      }
    });
  });
}

/**
 * `openssl version` of the executable, e.g. `OpenSSL 3.0.19 27 Jan 2026`.
 * @param bin - the openssl executable
 */
export function opensslVersion(bin = 'openssl'): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(bin, ['version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', () => resolve('unavailable'));
    child.on('close', () => resolve(out.trim() || 'unknown'));
  });
}
