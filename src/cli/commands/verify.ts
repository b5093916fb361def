/**
 * `vaxpass verify HC1…|IMAGE [--trust FILE] [--at TIME] [--json]`: decode and verify one
 * certificate. Exit 0 only for a valid certificate, 1 for an invalid one, 2 for bad usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { MemoryTrustStore, verifyHc1 } from '../../hcert/index.js';
import type { VerifyResult } from '../../hcert/index.js';
import { decodeQrImage } from '../../hcert/qr/index.js';
import { loadCertificates } from '../../trust/index.js';

interface VerifyCliOptions {
  trust?: string;
  at?: string;
  json?: boolean;
}

/** Registers `vaxpass verify`. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('decode and verify an HC1 certificate (text, or a PNG/JPEG picture of its QR code)')
    .argument('<input>', 'the HC1: text, or a path to a picture')
    .option('--trust <file>', 'trusted DSC certificate(s): a PEM/DER file or a directory', process.env.VAXPASS_TRUST_DIR ?? './data/trust')
    .option('--at <time>', 'verify at this ISO 8601 time instead of now')
    .option('--json', 'print the result as JSON')
    .action(async (input: string, opts: VerifyCliOptions) => {
      process.exitCode = await verifyCommand(input, opts);
    });
}

async function verifyCommand(input: string, opts: VerifyCliOptions): Promise<number> {
  const text = await readInput(input);
  const now = opts.at === undefined ? new Date() : new Date(opts.at);
  if (Number.isNaN(now.getTime())) throw new AppError('USAGE', `--at is not an ISO 8601 time: ${opts.at}`);
  const trust = new MemoryTrustStore();
  if (opts.trust) {
    const loaded = loadCertificates(opts.trust);
    if (loaded.errors.length > 0 && loaded.keys.length === 0) throw new AppError('USAGE', `--trust: ${loaded.errors.map((e) => `${e.file}: ${e.reason}`).join('; ')}`);
    for (const k of loaded.keys) trust.add(k);
  }
  const r = verifyHc1(text, { trust, now });
  process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : render(r));
  return r.valid ? 0 : 1;
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
