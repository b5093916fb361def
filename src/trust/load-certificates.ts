/**
 * Reads trusted document-signer certificates from files: PEM (one or many certificates per file)
 * or DER. Per-file results: one unreadable file does not stop the others.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { trustedKeyFromCertificate } from '../hcert/index.js';
import type { TrustedKey } from '../hcert/index.js';

export interface LoadedCertificates {
  keys: TrustedKey[];
  errors: { file: string; reason: string }[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Parses certificates from one file's bytes.
 * @param bytes - PEM text or DER
 */
export function parseCertificates(bytes: Buffer): X509Certificate[] {
  const text = bytes.toString('latin1');
  const blocks = text.match(PEM_BLOCK);
  if (blocks) return blocks.map((b) => new X509Certificate(b));
  const trimmed = text.trim();
  // A bare base64 DER (as in trust-list JSON fields) is accepted too.
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) return [new X509Certificate(Buffer.from(trimmed, 'base64'))];
  return [new X509Certificate(bytes)];
}

/**
 * Loads every certificate file of a directory (or a single file).
 * @param path - directory of .pem/.crt/.cer/.der files, or one file
 */
export function loadCertificates(path: string): LoadedCertificates {
  const out: LoadedCertificates = { keys: [], errors: [] };
  if (!existsSync(path)) return out;
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => /\.(pem|crt|cer|der)$/i.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  for (const file of files) {
    try {
      for (const cert of parseCertificates(readFileSync(file))) out.keys.push(trustedKeyFromCertificate(cert));
    } catch (e) {
      out.errors.push({ file, reason: `not a certificate: ${(e as Error).message}` });
    }
  }
  return out;
}
