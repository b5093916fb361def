/**
 * `vaxpass verify HC1…|IMAGE [--trust FILE|DIR] [--at TIME] [--json]`: decode and verify one
 * certificate. Exit 0 only for a valid certificate, 1 for an invalid one, 2 for bad usage.
 *
 * Trust: by default the configured database's DSCs (ours from the PKI and the imported foreign
 * ones: `vaxpass pki import-trustlist`) plus the certificate files in `VAXPASS_TRUST_DIR`
 * (default `./data/trust`) if present; with `--trust`, ONLY what that names: a PEM/DER
 * certificate, a directory of them, or a trust-list file (EU gateway JSON or a bundle, detected).
 * Revocation: the database's revocation list is applied either way, when there is a database.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { DbHandle } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { MemoryTrustStore, verifyHc1 } from '../../hcert/index.js';
import type { RevocationCheck, TrustStore, VerifyResult } from '../../hcert/index.js';
import { decodeQrImage } from '../../hcert/qr/index.js';
import { loadDbTrustStore } from '../../trust/db-trust-store.js';
import { RevocationList } from '../../trust/revocation-list.js';
import { trustedKeysFromFiles } from '../../trust/trust-list-import.js';
import { openConfiguredDbIfPresent } from './cli-db.js';

interface VerifyCliOptions {
  trust?: string;
  at?: string;
  json?: boolean;
}

/** How `verify` reaches the database; tests pass their own. */
export interface VerifyDeps {
  /** A migrated database, or undefined when there is none (default: the configured one if present). */
  openDb?: () => Promise<DbHandle | undefined>;
}

/**
 * Registers `vaxpass verify`.
 * @param program - the root command
 * @param deps - how to open the database
 */
export function registerVerify(program: Command, deps: VerifyDeps = {}): void {
  program
    .command('verify')
    .description('decode and verify an HC1 certificate (text, or a PNG/JPEG picture of its QR code)')
    .argument('<input>', 'the HC1: text, or a path to a picture')
    .option('--trust <file>', 'trust ONLY these DSCs: a PEM/DER file, a directory, or a trust-list file (default: the database + ./data/trust)')
    .option('--at <time>', 'verify at this ISO 8601 time instead of now')
    .option('--json', 'print the result as JSON')
    .action(async (input: string, opts: VerifyCliOptions) => {
      process.exitCode = await verifyCommand(input, opts, deps);
    });
}

async function verifyCommand(input: string, opts: VerifyCliOptions, deps: VerifyDeps): Promise<number> {
  const text = await readInput(input);
  const now = opts.at === undefined ? new Date() : new Date(opts.at);
  if (Number.isNaN(now.getTime())) throw new AppError('USAGE', `--at is not an ISO 8601 time: ${opts.at}`);
  const handle = await (deps.openDb ?? openConfiguredDbIfPresent)();
  try {
    let trust: TrustStore;
    if (opts.trust !== undefined) {
      trust = new MemoryTrustStore(filesTrust(opts.trust, true));
    } else {
      const extra = filesTrust(process.env.VAXPASS_TRUST_DIR ?? './data/trust', false);
      trust = handle ? await loadDbTrustStore(handle.db, { extra }) : new MemoryTrustStore(extra);
    }
    const revocation: RevocationCheck | undefined = handle ? await RevocationList.fromDb(handle.db, now) : undefined;
    const r = verifyHc1(text, { trust, now, ...(revocation ? { revocation } : {}) });
    process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : render(r));
    return r.valid ? 0 : 1;
  } finally {
    await handle?.close();
  }
}

function filesTrust(path: string, explicit: boolean): ReturnType<typeof trustedKeysFromFiles>['keys'] {
  if (explicit && !existsSync(path)) process.stderr.write(`warning: --trust ${path}: no such file or directory, nothing is trusted\n`);
  const loaded = trustedKeysFromFiles(path);
  if (explicit && loaded.errors.length > 0 && loaded.keys.length === 0) {
    throw new AppError('USAGE', `--trust: ${loaded.errors.map((e) => `${e.entry}: ${e.reason}`).join('; ')}`);
  }
  for (const e of loaded.errors) process.stderr.write(`warning: skipped ${e.entry}: ${e.reason}\n`);
  return loaded.keys;
}

async function readInput(input: string): Promise<string> {
  if (input.trimStart().startsWith('HC1:') || !existsSync(input)) return input;
  const texts = await decodeQrImage(readFileSync(input));
  const hc1 = texts.find((t) => t.startsWith('HC1:')) ?? texts[0];
  if (hc1 === undefined) throw new AppError('USAGE', `no QR code found in ${input}`);
  return hc1;
}

function render(r: VerifyResult): string {
  const lines: string[] = [];
  lines.push(r.valid ? 'VALID' : `INVALID ${r.code ?? ''}: ${r.message}`);
  if (!r.signatureVerified && r.payload) lines.push('(signature NOT verified: the payload below is unverified)');
  if (r.signer) lines.push(`signer: ${r.signer.subject ?? '?'} (country ${r.signer.country ?? '?'}, kid ${r.signer.kid})`);
  else if (r.kid) lines.push(`kid: ${r.kid}`);
  if (r.claims) {
    const t = (s?: number): string => (s === undefined ? '-' : new Date(s * 1000).toISOString());
    lines.push(`issuer: ${r.claims.iss ?? '-'}  issued: ${t(r.claims.iat)}  expires: ${t(r.claims.exp)}`);
  }
  for (const p of r.problems.slice(1)) lines.push(`also ${p.code}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  if (r.payload) lines.push(JSON.stringify(r.payload, null, 2));
  return `${lines.join('\n')}\n`;
}
