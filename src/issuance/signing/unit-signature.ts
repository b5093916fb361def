/**
 * Verifying a signature made by a signing unit's key (a facility or a province focal unit).
 * Only node:crypto: the issuance workers load this without the registry or the database.
 */
import { constants, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Verifies a signature made by a unit key.
 * @param alg - ES256 (r‖s) or PS256
 * @param publicKey - the certificate's key
 * @param data - signed bytes
 * @param signature - the signature
 */
export function verifyUnitSignature(alg: string, publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (alg === 'ES256') return verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (alg === 'PS256') return verify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
  return false;
}
