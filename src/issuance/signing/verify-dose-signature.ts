/**
 * Checks facility signatures whenever signed data is read (for issuance, the API, the CLI).
 * A dose record's verdict:
 * - `valid`: a signature over its current version (dose and person) verifies, its canonical
 *   data matches the record, and the signer's certificate was good when it signed;
 * - `unsigned`: never signed;
 * - `stale`: signed, but the record (or the person's identity) changed since: sign again;
 * - `invalid`: the signature does not verify, the record differs from what was signed without
 *   a new version (tampering), or the certificate was not good (revoked, expired, not ours,
 *   not the signing unit's). Issuance must refuse the person.
 */
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { FOCAL_UNIT_TYPES } from '../../registry/index.js';
import type { FacilityType } from '../../registry/index.js';
import { canonicalDose } from './canonical-dose.js';
import { checkDoseSignature } from './check-dose-signature.js';
import type { DoseSignatureCheck } from './check-dose-signature.js';
import { certificatesById, facilitiesById, loadDoseRecords, signaturesOf, signaturesOfPersonRange } from './signing-repository.js';
import type { CertificateRow, DoseRecord, DoseSignatureRow, RecordFilter } from './signing-repository.js';

type Db = Kysely<Database>;

/** Signing status of a dose record. */
export type SignatureStatus = 'valid' | 'unsigned' | 'stale' | 'invalid';

/** The signature a verdict is about. */
export interface SignatureInfo {
  readonly id: number;
  readonly signerFacilityCode: string;
  readonly certificateId: number;
  readonly kid: string;
  readonly alg: string;
  readonly doseVersion: number;
  readonly personVersion: number;
  readonly signedAt: string;
  readonly signedBy: string;
}

/** The verdict on one dose record. */
export interface DoseSignatureVerdict {
  readonly doseId: number;
  readonly personId: number;
  readonly doseVersion: number;
  readonly personVersion: number;
  /** `active` or `voided`. */
  readonly doseStatus: string;
  readonly status: SignatureStatus;
  /** Why, in a sentence. */
  readonly message: string;
  /** The signature judged (for `stale`: the newest, older one); absent when unsigned. */
  readonly signature?: SignatureInfo;
  /**
   * Only with `deferCrypto`: every other check passed, and `valid` holds only once the caller
   * has run {@link checkDoseSignature} on this (the national batch does it in its workers).
   */
  readonly deferred?: DoseSignatureCheck;
}

/** Options of the bulk verdict readers. */
export interface VerdictOptions {
  /** Parsed certificates reused across calls of one run (default: a fresh one). */
  readonly cache?: SigningCertCache;
  /**
   * Leave the hash and signature check of otherwise `valid` verdicts to the caller, in
   * `deferred` (the national batch verifies in its worker threads). Callers must not treat
   * such a verdict as valid before {@link checkDoseSignature} passed.
   */
  readonly deferCrypto?: boolean;
  /** Public keys of the certificates of deferred checks are collected here, by certificate id. */
  readonly keys?: Map<number, KeyObject>;
}

interface CertCheck {
  readonly row: CertificateRow | undefined;
  readonly publicKey: KeyObject | undefined;
  /** Why the certificate is unusable whatever the signing time; null when fine. */
  readonly problem: string | null;
}

/** What judging needs besides the records: signatures, certificates, signer facilities. */
interface Context {
  readonly signatures: Map<number, DoseSignatureRow[]>;
  readonly certs: Map<number, CertCheck>;
  readonly signers: Map<number, { code: string; type: string; province_code: string }>;
}

/**
 * Parsed signing-unit certificates of one run (a batch, a worker's life): the X.509 parse, the
 * public-key import and the chain check to the facility CA are done once per certificate
 * instead of once per page. There are few signing units (a facility or a province focal unit
 * each), so this stays small. Only facts of the DER itself are cached, in memory: status and
 * revocation are re-read from each page's rows, and nothing "already verified" is ever stored.
 */
export class SigningCertCache {
  private readonly parsed = new Map<string, { publicKey: KeyObject | undefined; problem: string | null }>();

  /**
   * The check of one certificate row against its issuer.
   * @param row - the certificate (undefined: not in our PKI)
   * @param issuers - candidate issuers by id
   */
  check(row: CertificateRow | undefined, issuers: Map<number, CertificateRow>): CertCheck {
    if (!row) return { row, publicKey: undefined, problem: 'its certificate is not in our PKI' };
    const issuer = row.issuer_id === null ? undefined : issuers.get(row.issuer_id);
    const key = `${row.id}|${row.role}|${row.der}|${issuer?.role ?? ''}|${issuer?.der ?? ''}`;
    let hit = this.parsed.get(key);
    if (!hit) {
      hit = checkCertificate(row, issuer);
      this.parsed.set(key, hit);
    }
    return { row, ...hit };
  }
}

async function loadContext(db: Db, records: readonly DoseRecord[], cache: SigningCertCache, filter: RecordFilter): Promise<Context> {
  const sigRows = 'personRange' in filter ? await signaturesOfPersonRange(db, filter.personRange.from, filter.personRange.to) : await signaturesOf(db, records.map((r) => r.doseId));
  const signatures = new Map<number, DoseSignatureRow[]>();
  for (const s of sigRows) {
    const list = signatures.get(s.dose_id) ?? [];
    list.push(s);
    signatures.set(s.dose_id, list);
  }
  const certIds = [...new Set(sigRows.map((s) => s.certificate_id))];
  const certRows = await certificatesById(db, certIds);
  const issuers = await certificatesById(db, [...new Set([...certRows.values()].map((c) => c.issuer_id).filter((id): id is number => id !== null))]);
  const certs = new Map<number, CertCheck>();
  for (const id of certIds) certs.set(id, cache.check(certRows.get(id), issuers));
  const signers = await facilitiesById(db, [...new Set(sigRows.map((s) => s.signer_facility_id))]);
  return { signatures, certs, signers };
}

/** Is the certificate one of our facility data-signing certificates, chained to the facility CA? */
function checkCertificate(row: CertificateRow, issuer: CertificateRow | undefined): { publicKey: KeyObject | undefined; problem: string | null } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(row.der, 'base64'));
  } catch {
    return { publicKey: undefined, problem: `certificate ${row.id} cannot be read` };
  }
  if (row.role !== 'facility') return { publicKey: cert.publicKey, problem: `certificate ${row.id} is a ${row.role} certificate, not a facility data-signing certificate` };
  let chained = false;
  if (issuer?.role === 'facility_ca') {
    try {
      chained = cert.verify(new X509Certificate(Buffer.from(issuer.der, 'base64')).publicKey);
    } catch {
      chained = false;
    }
  }
  if (!chained) return { publicKey: cert.publicKey, problem: `certificate ${row.id} does not chain to the facility CA` };
  return { publicKey: cert.publicKey, problem: null };
}

function info(s: DoseSignatureRow, ctx: Context): SignatureInfo {
  return {
    id: s.id,
    signerFacilityCode: ctx.signers.get(s.signer_facility_id)?.code ?? `#${s.signer_facility_id}`,
    certificateId: s.certificate_id,
    kid: s.kid,
    alg: s.alg,
    doseVersion: s.dose_version,
    personVersion: s.person_version,
    signedAt: s.signed_at,
    signedBy: s.signed_by,
  };
}

function judge(r: DoseRecord, ctx: Context, deferCrypto: boolean): DoseSignatureVerdict {
  const base = { doseId: r.doseId, personId: r.personId, doseVersion: r.doseVersion, personVersion: r.personVersion, doseStatus: r.status };
  const all = ctx.signatures.get(r.doseId) ?? [];
  const current = all.find((s) => s.dose_version === r.doseVersion && s.person_version === r.personVersion);
  if (!current) {
    const newest = all.at(-1);
    if (!newest) return { ...base, status: 'unsigned', message: `dose ${r.doseId} (version ${r.doseVersion}) has never been signed` };
    return {
      ...base,
      status: 'stale',
      message: `dose ${r.doseId} changed after it was signed (signed dose version ${newest.dose_version} / person version ${newest.person_version}, now ${r.doseVersion} / ${r.personVersion}): sign it again`,
      signature: info(newest, ctx),
    };
  }
  const sig = info(current, ctx);
  const bad = (why: string): DoseSignatureVerdict => ({ ...base, status: 'invalid', message: `dose ${r.doseId}: signature ${current.id} is invalid: ${why}`, signature: sig });
  const signer = ctx.signers.get(current.signer_facility_id);
  if (!signer) return bad(`signer facility ${current.signer_facility_id} does not exist`);
  // The signer must be the recording facility or a focal unit of its province.
  if (signer.code !== r.facilityCode && !(FOCAL_UNIT_TYPES.includes(signer.type as FacilityType) && signer.province_code === r.facilityProvince)) {
    return bad(`${signer.code} may not sign records of ${r.facilityCode}`);
  }
  const cert = ctx.certs.get(current.certificate_id);
  if (!cert?.row || !cert.publicKey) return bad(cert?.problem ?? 'its certificate is not in our PKI');
  if (cert.problem) return bad(cert.problem);
  const row = cert.row;
  if (row.owner !== signer.code) return bad(`certificate ${row.id} belongs to ${row.owner ?? 'nobody'}, not to the signer ${signer.code}`);
  if (current.alg !== row.alg) return bad(`signature algorithm ${current.alg} differs from the certificate's ${row.alg}`);
  const at = current.signed_at;
  if (at < row.not_before || at > row.not_after) return bad(`certificate ${row.id} was not valid when it signed (${at}; valid ${row.not_before} → ${row.not_after})`);
  if (row.status === 'revoked' && (row.revoked_at === null || row.revoked_at <= at)) {
    return bad(`certificate ${row.id} was revoked${row.revoked_at ? ` on ${row.revoked_at}` : ''} (${row.revoke_reason ?? 'no reason given'}), before it signed`);
  }
  const check: DoseSignatureCheck = {
    doseId: r.doseId,
    signatureId: current.id,
    canonical: canonicalDose(r, { signer: signer.code, signedAt: at }),
    signer: signer.code,
    sha256: current.canonical_sha256,
    signature: current.signature,
    alg: current.alg,
    certificateId: row.id,
    kid: row.kid,
    signedAt: at,
    ...(current.merkle_size === null ? {} : { merkle: { index: current.merkle_index ?? -1, size: current.merkle_size, proof: current.merkle_proof ?? '' } }),
  };
  const valid: DoseSignatureVerdict = { ...base, status: 'valid', message: `dose ${r.doseId} (version ${r.doseVersion}) signed by ${signer.code} on ${at}`, signature: sig };
  if (deferCrypto) return { ...valid, deferred: check };
  const why = checkDoseSignature(check, cert.publicKey);
  return why === null ? valid : bad(why);
}

async function verdictsFor(db: Db, filter: RecordFilter, opts: VerdictOptions = {}): Promise<{ records: DoseRecord[]; verdicts: DoseSignatureVerdict[] }> {
  const records = await loadDoseRecords(db, filter, { currentSignature: false });
  const ctx = await loadContext(db, records, opts.cache ?? new SigningCertCache(), filter);
  const verdicts = records.map((r) => judge(r, ctx, opts.deferCrypto === true));
  if (opts.keys) {
    for (const [id, c] of ctx.certs) if (c.publicKey && !opts.keys.has(id)) opts.keys.set(id, c.publicKey);
  }
  return { records, verdicts };
}

/**
 * The signing verdict on one dose (active or voided).
 * @param db - database
 * @param doseId - the dose
 * @throws AppError DOSE_NOT_FOUND (404)
 */
export async function verifyDoseSignature(db: Db, doseId: number): Promise<DoseSignatureVerdict> {
  const [v] = (await verdictsFor(db, { doseIds: [doseId] })).verdicts;
  if (!v) throw new AppError('DOSE_NOT_FOUND', `no dose with id ${doseId}`, 404, { id: doseId });
  return v;
}

/**
 * Verdicts on a person's active doses, in dose id order. Issuance counts only `valid` ones as
 * signed and refuses the person if any is `invalid` (see {@link assertNoInvalidSignature}).
 * @param db - database
 * @param personId - the person
 */
export async function signedDosesFor(db: Db, personId: number): Promise<DoseSignatureVerdict[]> {
  return (await signedDosesForPeople(db, [personId])).get(personId) ?? [];
}

/**
 * {@link signedDosesFor} for many people in a few queries (batch issuance).
 * @param db - database
 * @param personIds - the people
 * @param opts - a run's certificate cache; `deferCrypto` to verify elsewhere (workers)
 * @returns verdicts by person id; people without active doses are absent
 */
export async function signedDosesForPeople(db: Db, personIds: readonly number[], opts: VerdictOptions = {}): Promise<Map<number, DoseSignatureVerdict[]>> {
  const out = new Map<number, DoseSignatureVerdict[]>();
  for (const [personId, list] of await signedDoseRecordsForPeople(db, personIds, opts)) out.set(personId, list.map((x) => x.verdict));
  return out;
}

/** An active dose record as read, with its verdict. */
export interface JudgedDose {
  readonly record: DoseRecord;
  readonly verdict: DoseSignatureVerdict;
}

/**
 * {@link signedDosesForPeople} with each verdict's record, as read in the same query: issuance
 * builds the certificate from exactly the data that was judged, without reading doses again.
 * @param db - database
 * @param personIds - the people
 * @param opts - a run's certificate cache; `deferCrypto` to verify elsewhere (workers)
 * @returns active doses by person id, in dose id order; people without active doses are absent
 */
export async function signedDoseRecordsForPeople(db: Db, personIds: readonly number[], opts: VerdictOptions = {}): Promise<Map<number, JudgedDose[]>> {
  const out = new Map<number, JudgedDose[]>();
  if (personIds.length === 0) return out;
  // A page of mostly consecutive ids (the national batch) reads as range scans; a few scattered
  // people as IN lists. People of the range that were not asked for are dropped below.
  let from = Infinity;
  let to = -Infinity;
  for (const id of personIds) {
    if (id < from) from = id;
    if (id > to) to = id;
  }
  const dense = personIds.length >= 64 && to - from + 1 <= 2 * personIds.length;
  const wanted = dense ? new Set(personIds) : undefined;
  const { records, verdicts } = await verdictsFor(db, dense ? { personRange: { from, to } } : { personIds }, opts);
  records.forEach((record, i) => {
    const verdict = verdicts[i]!;
    if (record.status !== 'active' || (wanted && !wanted.has(record.personId))) return;
    const list = out.get(record.personId);
    if (list) list.push({ record, verdict });
    else out.set(record.personId, [{ record, verdict }]);
  });
  return out;
}

/**
 * Throws when any verdict is `invalid`: signed data that fails verification blocks issuance.
 * @param verdicts - a person's verdicts
 * @throws AppError DOSE_SIGNATURE_INVALID (409) naming every bad dose and why
 */
export function assertNoInvalidSignature(verdicts: readonly DoseSignatureVerdict[]): void {
  const bad = verdicts.filter((v) => v.status === 'invalid');
  const first = bad[0];
  if (!first) return;
  throw new AppError(
    'DOSE_SIGNATURE_INVALID',
    `person ${first.personId}: ${bad.map((v) => v.message).join('; ')} — no certificate can be issued until the record is checked, corrected through the registry (a new version) and signed again`,
    409,
    { personId: first.personId, doses: bad.map((v) => ({ doseId: v.doseId, message: v.message })) },
  );
}
