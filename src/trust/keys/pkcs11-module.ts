/**
 * Loading a PKCS#11 module once per process. C_Initialize is per process and a second call fails
 * (CKR_CRYPTOKI_ALREADY_INITIALIZED), while several sessions may be open on it at once: so the
 * module is reference-counted and finalised when its last session closes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { AppError } from '../../errors/index.js';

/** Where the token is and how to log in. */
export interface Pkcs11Options {
  /** Path of the PKCS#11 shared library. */
  module: string;
  /** Token label. */
  token: string;
  /** User PIN. */
  pin: string;
}

/** SoftHSM2's module on Debian/Ubuntu, the default when VAXPASS_PKCS11_MODULE is unset. */
export const SOFTHSM2_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/**
 * Options from `VAXPASS_PKCS11_MODULE`, `VAXPASS_PKCS11_TOKEN` (default `vaxpass`) and
 * `VAXPASS_PKCS11_PIN` or a secret file `VAXPASS_PKCS11_PIN_FILE`.
 * @param env - environment to read (default process.env)
 */
export function pkcs11OptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Pkcs11Options {
  let pin = env.VAXPASS_PKCS11_PIN;
  if (!pin && env.VAXPASS_PKCS11_PIN_FILE) pin = readFileSync(env.VAXPASS_PKCS11_PIN_FILE, 'utf8').replace(/\r?\n$/, '');
  return { module: env.VAXPASS_PKCS11_MODULE || SOFTHSM2_MODULE, token: env.VAXPASS_PKCS11_TOKEN || 'vaxpass', pin: pin ?? '' };
}

/** Per module: the library, its session count, and a hash of the PIN each slot was logged into with. */
const loaded = new Map<string, { lib: pkcs11js.PKCS11; refs: number; logins: Map<string, Buffer> }>();

/**
 * The initialised module at `path`, loading it on first use.
 * @param path - shared library path
 */
export function acquireModule(path: string): pkcs11js.PKCS11 {
  const m = loaded.get(path);
  if (m) {
    m.refs++;
    return m.lib;
  }
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(path);
  } catch (err) {
    throw new AppError('HSM_MODULE_LOAD', `cannot load PKCS#11 module ${path} (set VAXPASS_PKCS11_MODULE)`, 500, undefined, { cause: err });
  }
  try {
    lib.C_Initialize();
  } catch (err) {
    if ((err as { code?: number }).code !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      lib.close();
      throw toAppError(err, `cannot initialise PKCS#11 module ${path}`);
    }
  }
  loaded.set(path, { lib, refs: 1, logins: new Map() });
  return lib;
}

/**
 * Drops one reference; finalises and unloads the module with the last one.
 * @param path - shared library path
 */
export function releaseModule(path: string): void {
  const m = loaded.get(path);
  if (!m || --m.refs > 0) return;
  loaded.delete(path);
  try {
    m.lib.C_Finalize();
  } finally {
    m.lib.close();
  }
}

const pinHash = (pin: string): Buffer => createHash('sha256').update(pin).digest();

/**
 * Records the PIN a slot was logged into with. Login is per application and token, so a second
 * session's C_Login answers CKR_USER_ALREADY_LOGGED_IN without checking its PIN; we check it.
 * @param path - shared library path
 * @param slot - slot handle
 * @param pin - the PIN that logged in
 */
export function rememberLogin(path: string, slot: Buffer, pin: string): void {
  loaded.get(path)?.logins.set(slot.toString('hex'), pinHash(pin));
}

/**
 * Whether `pin` is the one the slot is logged into with (false when unknown).
 * @param path - shared library path
 * @param slot - slot handle
 * @param pin - the PIN offered by a new session
 */
export function sameLoginPin(path: string, slot: Buffer, pin: string): boolean {
  const known = loaded.get(path)?.logins.get(slot.toString('hex'));
  return known !== undefined && timingSafeEqual(known, pinHash(pin));
}

const CODES: ReadonlyArray<[number, string, string]> = [
  [pkcs11js.CKR_PIN_INCORRECT, 'HSM_PIN_WRONG', 'wrong PIN'],
  [pkcs11js.CKR_PIN_LOCKED, 'HSM_PIN_LOCKED', 'PIN locked'],
  [pkcs11js.CKR_ATTRIBUTE_SENSITIVE, 'HSM_ATTRIBUTE_SENSITIVE', 'attribute is sensitive'],
];

/**
 * An AppError for a PKCS#11 failure (AppErrors pass through). The cause keeps the CKR_ name.
 * @param err - what was thrown
 * @param context - what we were doing
 */
export function toAppError(err: unknown, context: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: number }).code;
  const known = CODES.find(([ckr]) => ckr === code);
  const ckr = err instanceof Error ? err.message : String(err);
  return new AppError(known?.[1] ?? 'HSM_ERROR', `${context}: ${known?.[2] ?? ckr}`, 500, { ckr }, { cause: err });
}
