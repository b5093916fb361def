/**
 * The embedded key store: a document signer's private key in a passphrase-encrypted file.
 *
 * Why not Node's `export({ type: 'pkcs8', cipher, passphrase })`? That writes PKCS#8
 * EncryptedPrivateKeyInfo with PBES2/PBKDF2-HMAC-SHA256, cheap to brute-force on GPUs, and
 * AES-CBC without integrity (a wrong passphrase shows up as a garbled DER, not a clear error).
 * We derive the key with scrypt (memory-hard; N=2^15, r=8, p=1 ≈ 32 MiB, ~100 ms) and seal the
 * PKCS#8 DER with AES-256-GCM, authenticating the envelope's header fields as AAD so that nobody
 * can swap the algorithm or weaken the KDF parameters unnoticed. The file is a small JSON
 * envelope (`KeyEnvelope`), written with mode 0600; the clear key never touches the disk.
 */
import { createCipheriv, createDecipheriv, generateKeyPairSync, createPrivateKey, randomBytes, scrypt } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { AppError } from '../../errors/index.js';
import { algOfKey, keySigner } from '../../hcert/index.js';
import type { CoseAlg, Signer } from '../../hcert/index.js';

/** On-disk format, version 1. Binary fields are base64. */
export interface KeyEnvelope {
  v: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  ciphertext: string;
  alg: CoseAlg;
}

/** scrypt cost used for new files (OWASP's interactive minimum is N=2^17 r=8 p=1 for passwords
 * checked per request; a key file is opened once per process start, so 2^15 keeps tests quick
 * while still costing an attacker 32 MiB per guess). Stored per file, so it can be raised later. */
export const SCRYPT_PARAMS = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });
/** Upper bound accepted when reading, so a forged file cannot make us allocate gigabytes. */
const MAX_SCRYPT_N = 2 ** 20;

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Generates a document-signer key pair in memory.
 * @param alg - ES256 (EC P-256) or PS256 (RSA)
 * @param modulusLength - RSA size for PS256: 2048 or 3072 (default 3072, per the DCC spec's advice)
 */
export function createKeyPair(alg: CoseAlg, modulusLength: 2048 | 3072 = 3072): KeyPair {
  return alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength, publicExponent: 0x10001 });
}

/**
 * The key-file passphrase from `VAXPASS_KEY_PASSPHRASE` or the secret file named by
 * `VAXPASS_KEY_PASSPHRASE_FILE` (Docker/Kubernetes secrets; one trailing newline is dropped).
 * @param env - environment to read (default process.env)
 */
export function readPassphrase(env: NodeJS.ProcessEnv = process.env): string {
  let pass = env.VAXPASS_KEY_PASSPHRASE;
  const file = env.VAXPASS_KEY_PASSPHRASE_FILE;
  if (!pass && file) {
    try {
      pass = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new AppError('KEY_PASSPHRASE_MISSING', `cannot read VAXPASS_KEY_PASSPHRASE_FILE ${file}`, 500, undefined, { cause: err });
    }
  }
  if (!pass) {
    throw new AppError('KEY_PASSPHRASE_MISSING', 'no key passphrase: set VAXPASS_KEY_PASSPHRASE or VAXPASS_KEY_PASSPHRASE_FILE', 500);
  }
  return pass;
}

function deriveKey(passphrase: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r; Node's 32 MiB default is exactly 2^15·8·128, so leave headroom.
    scrypt(passphrase, salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Header fields bound to the ciphertext as AES-GCM additional data. */
function aadOf(e: Pick<KeyEnvelope, 'v' | 'kdf' | 'N' | 'r' | 'p' | 'salt' | 'cipher' | 'alg'>): Buffer {
  return Buffer.from(JSON.stringify([e.v, e.kdf, e.N, e.r, e.p, e.salt, e.cipher, e.alg]));
}

function requirePassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new AppError('KEY_PASSPHRASE_MISSING', 'an empty key passphrase is not allowed', 500);
  }
}

/**
 * Encrypts a private key into an envelope.
 * @param privateKey - EC P-256 or RSA private key
 * @param passphrase - non-empty passphrase
 */
export async function encryptPrivateKey(privateKey: KeyObject, passphrase: string): Promise<KeyEnvelope> {
  requirePassphrase(passphrase);
  const alg = algOfKey(privateKey);
  const salt = randomBytes(16);
  const { N, r, p } = SCRYPT_PARAMS;
  const header = { v: 1, kdf: 'scrypt', N, r, p, salt: salt.toString('base64'), cipher: 'aes-256-gcm', alg } as const;
  const key = await deriveKey(passphrase, salt, N, r, p);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv).setAAD(aadOf(header));
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const ciphertext = Buffer.concat([c.update(der), c.final()]);
  der.fill(0); // best effort: the clear DER should not linger in memory
  key.fill(0);
  return { ...header, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

function badFile(message: string): AppError {
  return new AppError('KEY_FILE_INVALID', message, 500);
}

/**
 * Decrypts an envelope; a wrong passphrase (or a tampered file) fails the GCM tag check.
 * @param envelope - parsed key file
 * @param passphrase - the passphrase it was written with
 */
export async function decryptPrivateKey(envelope: KeyEnvelope, passphrase: string): Promise<KeyObject> {
  requirePassphrase(passphrase);
  const e = envelope;
  if (e?.v !== 1 || e.kdf !== 'scrypt' || e.cipher !== 'aes-256-gcm') throw badFile('unsupported key file format');
  if (![e.N, e.r, e.p].every(Number.isSafeInteger) || e.N < 2 || e.N > MAX_SCRYPT_N || (e.N & (e.N - 1)) !== 0 || e.r < 1 || e.r > 32 || e.p < 1 || e.p > 16) {
    throw badFile('key file has out-of-range scrypt parameters');
  }
  if (e.alg !== 'ES256' && e.alg !== 'PS256') throw badFile('key file names an unknown algorithm');
  const key = await deriveKey(passphrase, Buffer.from(e.salt, 'base64'), e.N, e.r, e.p);
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(e.iv, 'base64')).setAAD(aadOf(e));
  d.setAuthTag(Buffer.from(e.tag, 'base64'));
  let der: Buffer;
  try {
    der = Buffer.concat([d.update(Buffer.from(e.ciphertext, 'base64')), d.final()]);
  } catch {
    // GCM cannot tell a wrong passphrase from a modified file; the former is far more common.
    throw new AppError('KEY_PASSPHRASE_WRONG', 'wrong key passphrase (or the key file was modified)', 500);
  } finally {
    key.fill(0);
  }
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  if (algOfKey(privateKey) !== e.alg) throw badFile('key file algorithm does not match its key');
  return privateKey;
}

/**
 * Writes a private key encrypted to `path` (mode 0600, replaced atomically via rename).
 * @param path - destination file
 * @param privateKey - the key to store
 * @param passphrase - encryption passphrase (see readPassphrase)
 */
export async function writeKeyFile(path: string, privateKey: KeyObject, passphrase: string): Promise<void> {
  const envelope = await encryptPrivateKey(privateKey, passphrase);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(envelope, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(tmp, 0o600); // mode is filtered by the umask; make sure it is exactly 0600
  await rename(tmp, path);
}

/**
 * Reads and decrypts a key file.
 * @param path - file written by writeKeyFile
 * @param passphrase - its passphrase
 */
export async function readKeyFile(path: string, passphrase: string): Promise<KeyObject> {
  let envelope: KeyEnvelope;
  try {
    envelope = JSON.parse(await readFile(path, 'utf8')) as KeyEnvelope;
  } catch (err) {
    throw new AppError('KEY_FILE_INVALID', `cannot read key file ${path}`, 500, undefined, { cause: err });
  }
  return decryptPrivateKey(envelope, passphrase);
}

/**
 * A Signer over a key file; keySigner checks that the key matches the certificate.
 * @param path - encrypted key file
 * @param certificate - the document signer certificate (DER or parsed)
 * @param passphrase - key passphrase (default: readPassphrase() from the environment)
 */
export async function loadFileSigner(path: string, certificate: X509Certificate | Uint8Array, passphrase?: string): Promise<Signer> {
  const key = await readKeyFile(path, passphrase ?? readPassphrase());
  try {
    return keySigner(key, certificate);
  } catch (err) {
    throw new AppError('KEY_CERT_MISMATCH', `key file ${path} does not match the signing certificate`, 500, undefined, { cause: err });
  }
}
