/**
 * The active DSC in a form worker threads can rebuild a Signer from. File keys: the decrypted
 * private KeyObject itself, which `worker_threads` clones into each worker in memory (never
 * exported to disk, never logged). PKCS#11 keys: only the token label; each worker opens its own
 * logged-in session (sessions are not shared between threads).
 */
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import type { CoseAlg } from '../../hcert/index.js';
import { readKeyFile } from '../../trust/keys/index.js';
import type { Pkcs11Options } from '../../trust/keys/index.js';
import type { KeyCustody } from '../../trust/pki/index.js';

/** A DSC's certificate and how to reach its key from any thread. */
export type DscMaterial = { readonly certDer: Uint8Array } & (
  | { readonly kind: 'key'; readonly privateKey: KeyObject }
  | { readonly kind: 'pkcs11'; readonly label: string; readonly pkcs11: Partial<Pkcs11Options> }
);

/**
 * The newest active DSC (of `alg`, if given) as {@link DscMaterial}.
 * @param db - database
 * @param custody - key custody (file passphrase or HSM options)
 * @param alg - ES256 or PS256
 * @throws AppError PKI_NO_ACTIVE_DSC (409), PKI_KEY_MISSING (500)
 */
export async function loadDscMaterial(db: Kysely<Database>, custody: KeyCustody, alg?: CoseAlg): Promise<DscMaterial> {
  let q = db.selectFrom('pki_certificate').select(['id', 'der', 'key_id', 'alg']).where('role', '=', 'dsc').where('status', '=', 'active').orderBy('id', 'desc');
  if (alg) q = q.where('alg', '=', alg);
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('PKI_NO_ACTIVE_DSC', `no active${alg ? ` ${alg}` : ''} DSC: run \`vaxpass pki init\` or \`vaxpass pki rotate\``, 409);
  const key = row.key_id === null ? undefined : await db.selectFrom('pki_key').select(['backend', 'ref']).where('id', '=', row.key_id).executeTakeFirst();
  if (!key) throw new AppError('PKI_KEY_MISSING', `DSC ${String(row.id)} has no key of ours`, 500);
  const certDer = new Uint8Array(Buffer.from(row.der, 'base64'));
  if (key.backend === 'file') return { kind: 'key', certDer, privateKey: await readKeyFile(key.ref, custody.passphrase()) };
  if (key.backend === 'pkcs11') return { kind: 'pkcs11', certDer, label: key.ref, pkcs11: custody.opts.pkcs11 ?? {} };
  throw new AppError('KEY_BACKEND_UNKNOWN', `DSC key backend ${key.backend}`, 500);
}
