/**
 * Where the PKI's private keys live, behind one small seam: `file` (scrypt + AES-GCM key files
 * under VAXPASS_KEY_DIR, the embedded default) or `pkcs11` (an HSM token, VAXPASS_PKCS11_*).
 * The database only ever stores the backend, a reference (file path or token label) and the
 * public key. Private keys are never written in clear and never logged.
 */
import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../errors/index.js';
import { signWithKey } from '../../hcert/index.js';
import type { CoseAlg } from '../../hcert/index.js';
import { Pkcs11Session, certifyPublicKey, createKeyPair, makeTestCa, readKeyFile, writeKeyFile } from '../keys/index.js';
import type { Pkcs11Options } from '../keys/index.js';

/** Key backends. */
export type KeyBackend = 'file' | 'pkcs11';

/** How the PKI reaches its keys; see {@link pkiOptionsFromEnv}. */
export interface PkiOptions {
  backend: KeyBackend;
  /** Directory of encrypted key files (backend `file`). */
  keyDir: string;
  /**
   * Key-file passphrase. Unset: VAXPASS_KEY_PASSPHRASE(_FILE), else the generated dev secret
   * `secretFile` (created by `pki init` only).
   */
  passphrase?: string;
  /** The generated dev passphrase file (embedded default). */
  secretFile: string;
  /** PKCS#11 token (backend `pkcs11`); defaults from VAXPASS_PKCS11_* env. */
  pkcs11?: Partial<Pkcs11Options>;
  /** Progress lines (never secrets). */
  log?: (line: string) => void;
}

/**
 * Options from the environment: VAXPASS_KEY_BACKEND (`file`|`pkcs11`), VAXPASS_KEY_DIR
 * (default ./data/keys), VAXPASS_KEY_PASSPHRASE / VAXPASS_KEY_PASSPHRASE_FILE,
 * VAXPASS_KEY_SECRET_FILE (default ./data/secrets/key-passphrase).
 * @param env - environment (default process.env)
 */
export function pkiOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PkiOptions {
  const backend = env.VAXPASS_KEY_BACKEND || 'file';
  if (backend !== 'file' && backend !== 'pkcs11') {
    throw new AppError('CONFIG_INVALID', `VAXPASS_KEY_BACKEND: file or pkcs11 (got ${backend})`, 500);
  }
  let passphrase = env.VAXPASS_KEY_PASSPHRASE || undefined;
  if (!passphrase && env.VAXPASS_KEY_PASSPHRASE_FILE) {
    try {
      passphrase = readFileSync(env.VAXPASS_KEY_PASSPHRASE_FILE, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new AppError('KEY_PASSPHRASE_MISSING', `cannot read VAXPASS_KEY_PASSPHRASE_FILE ${env.VAXPASS_KEY_PASSPHRASE_FILE}`, 500, undefined, { cause: err });
    }
  }
  return {
    backend,
    keyDir: env.VAXPASS_KEY_DIR || './data/keys',
    secretFile: env.VAXPASS_KEY_SECRET_FILE || './data/secrets/key-passphrase',
    ...(passphrase ? { passphrase } : {}),
  };
}

/** A freshly generated key: what goes into `pki_key`. */
export interface NewKey {
  backend: KeyBackend;
  ref: string;
  publicKey: KeyObject;
}

/** Signs raw bytes with a stored key: ES256 gives r‖s (WebCrypto/COSE), PS256 the PSS signature. */
export type RawSign = (data: Uint8Array) => Uint8Array;

/** A key row as the custody needs it. */
export interface KeyRef {
  id: string;
  alg: string;
  backend: string;
  ref: string;
}

/** Opens keys of both backends; holds decrypted file keys and the HSM session until close(). */
export class KeyCustody {
  private readonly fileKeys = new Map<string, KeyObject>();
  private session: Pkcs11Session | undefined;
  private pass: string | undefined;

  /** @param opts - backend, key directory, passphrase */
  constructor(readonly opts: PkiOptions) {
    this.pass = opts.passphrase;
  }

  /**
   * The key-file passphrase. With `create`, and nothing configured, the embedded dev default:
   * a random passphrase written once to `secretFile` (mode 0600).
   * @param create - may generate the dev secret (pki init)
   */
  passphrase(create = false): string {
    if (this.pass) return this.pass;
    const file = this.opts.secretFile;
    if (existsSync(file)) {
      this.pass = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } else if (create) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
      this.pass = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      this.opts.log?.(`keys       no VAXPASS_KEY_PASSPHRASE(_FILE): generated a random key passphrase into ${file} (mode 0600) — keep it safe, the key files are useless without it`);
    }
    if (!this.pass) {
      throw new AppError('KEY_PASSPHRASE_MISSING', `no key passphrase: set VAXPASS_KEY_PASSPHRASE or VAXPASS_KEY_PASSPHRASE_FILE (or run \`vaxpass pki init\` to create ${file})`, 500);
    }
    return this.pass;
  }

  private hsm(): Pkcs11Session {
    this.session ??= Pkcs11Session.open(this.opts.pkcs11 ?? {});
    return this.session;
  }

  /**
   * Generates a key pair in the configured backend.
   * @param id - the key's id (file name / token label suffix)
   * @param alg - ES256 or PS256
   * @param modulusLength - RSA size for PS256
   */
  async generate(id: string, alg: CoseAlg, modulusLength: 2048 | 3072 = 3072): Promise<NewKey> {
    if (this.opts.backend === 'pkcs11') {
      const key = this.hsm().generateKeyPair(alg, { label: `vaxpass-${id}`, modulusLength });
      return { backend: 'pkcs11', ref: key.label, publicKey: key.publicKey };
    }
    const pass = this.passphrase(true);
    await mkdir(this.opts.keyDir, { recursive: true, mode: 0o700 });
    const ref = resolve(join(this.opts.keyDir, `${id}.key.json`));
    const { privateKey, publicKey } = createKeyPair(alg, modulusLength);
    await writeKeyFile(ref, privateKey, pass);
    this.fileKeys.set(ref, privateKey);
    return { backend: 'file', ref, publicKey };
  }

  /**
   * A raw signing function over a stored key.
   * @param key - the `pki_key` row
   * @param publicKey - its public key (HSM: to bind a session signer to the right object)
   */
  async rawSigner(key: KeyRef, publicKey: KeyObject): Promise<RawSign> {
    const alg = key.alg as CoseAlg;
    if (key.backend === 'file') {
      let priv = this.fileKeys.get(key.ref);
      if (!priv) {
        priv = await readKeyFile(key.ref, this.passphrase());
        this.fileKeys.set(key.ref, priv);
      }
      const k = priv;
      return (data) => signWithKey(alg, k, data);
    }
    if (key.backend === 'pkcs11') {
      // The session signer wants a certificate carrying the key (it checks the SPKI): a throw-away
      // one serves, since only the signature is used here (CA keys sign before their own cert exists).
      const placeholder = await certifyPublicKey(publicKey, await makeTestCa('placeholder'));
      const s = this.hsm().signer(key.ref, placeholder);
      return (data) => s.sign(data);
    }
    throw new AppError('KEY_BACKEND_UNKNOWN', `key ${key.id}: unknown backend ${key.backend}`, 500);
  }

  /** Forgets decrypted keys and closes the HSM session. Idempotent. */
  close(): void {
    this.fileKeys.clear();
    this.session?.close();
    this.session = undefined;
  }
}
