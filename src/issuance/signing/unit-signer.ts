/**
 * The data-signing key of a signing unit (a facility, or a province's focal unit), loaded once
 * per run from key custody; and, for development, issuing that unit's certificate on first use.
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { FOCAL_UNIT_TYPES } from '../../registry/index.js';
import type { Facility } from '../../registry/index.js';
import { issueFacilityCert } from '../../trust/pki/index.js';
import type { KeyCustody, RawSign } from '../../trust/pki/index.js';
import { activeUnitCertificate, findKeyRow } from './signing-repository.js';
import { verifyUnitSignature } from './unit-signature.js';
import type { CertificateRow } from './signing-repository.js';

type Db = Kysely<Database>;

/** A unit's key, ready to sign. */
export interface UnitSigner {
  readonly unit: Facility;
  readonly certificateId: number;
  /** kid of the certificate (base64). */
  readonly kid: string;
  readonly alg: string;
  readonly notAfter: Date;
  readonly sign: RawSign;
}

function noCertificate(unit: Facility, why: string): AppError {
  return new AppError(
    'SIGNING_CERT_MISSING',
    `signing unit ${unit.code} has ${why}: run \`vaxpass pki issue-facility-cert --owner ${unit.code}${FOCAL_UNIT_TYPES.includes(unit.type) ? ' --kind province' : ''}\``,
    409,
    { signingUnit: unit.code },
  );
}

/**
 * The unit's signer over its newest active certificate, valid at `now`.
 * @param db - database
 * @param custody - key custody
 * @param unit - the signing unit
 * @param now - signing time
 * @throws AppError SIGNING_CERT_MISSING (409) when it has no usable certificate
 */
export async function loadUnitSigner(db: Db, custody: KeyCustody, unit: Facility, now: Date): Promise<UnitSigner> {
  const row = await activeUnitCertificate(db, unit.code);
  if (!row) throw noCertificate(unit, 'no data-signing certificate');
  const cert = new X509Certificate(Buffer.from(row.der, 'base64'));
  const notAfter = new Date(cert.validTo);
  if (now.getTime() > notAfter.getTime() || now.getTime() < new Date(cert.validFrom).getTime()) {
    throw noCertificate(unit, `no data-signing certificate valid now (certificate ${row.id} is valid ${row.not_before} → ${row.not_after})`);
  }
  if (!row.key_id) throw new AppError('PKI_KEY_MISSING', `certificate ${row.id} of ${unit.code} has no key of ours`, 500);
  const key = await findKeyRow(db, row.key_id);
  if (!key) throw new AppError('PKI_KEY_MISSING', `key ${row.key_id} of certificate ${row.id} is not in pki_key`, 500);
  const sign = await custody.rawSigner(key, cert.publicKey);
  // One probe per run: a key file swapped under the certificate fails here, not in verification later.
  const probe = createHash('sha256').update(`probe ${row.id}`).digest();
  if (!verifyUnitSignature(row.alg, cert.publicKey, probe, sign(probe))) {
    throw new AppError('PKI_KEY_MISMATCH', `the key of certificate ${row.id} (${unit.code}) does not match the certificate`, 500);
  }
  return { unit, certificateId: row.id, kid: row.kid, alg: row.alg, notAfter, sign };
}

/**
 * Development convenience (`npm start`, demos): the unit's active certificate, issued under the
 * facility CA if it has none valid now. Production issues certificates explicitly with
 * `vaxpass pki issue-facility-cert`.
 * @param db - database
 * @param opts - custody, the unit, clock
 * @returns the certificate row and whether it was created now
 * @throws AppError PKI_NOT_INITIALISED (409) without a facility CA
 */
export async function ensureSigningCert(db: Db, opts: { custody: KeyCustody; unit: Facility; now?: Date }): Promise<{ certificate: CertificateRow; created: boolean }> {
  const now = opts.now ?? new Date();
  const row = await activeUnitCertificate(db, opts.unit.code);
  if (row && new Date(row.not_after).getTime() > now.getTime()) return { certificate: row, created: false };
  await issueFacilityCert(db, { custody: opts.custody, owner: opts.unit.code, kind: FOCAL_UNIT_TYPES.includes(opts.unit.type) ? 'province' : 'facility', now });
  const created = await activeUnitCertificate(db, opts.unit.code);
  if (!created) throw new Error(`certificate of ${opts.unit.code} vanished`);
  return { certificate: created, created: true };
}
