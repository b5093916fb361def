/**
 * The national PKI (issue "Trust and keys"): the country signing CA (CSCA) and its document
 * signers (DSCs, EU DCC key usages), a separate CA for the data-signing certificates of
 * vaccination facilities and provincial focal units (its own root, so such a key can never pass
 * for a DSC), and the trust-list signer (under the CSCA) that signs what we publish.
 * Keys are created through {@link KeyCustody}; rows through ./pki-repository.ts.
 */
import { X509Certificate, createHash, createPublicKey, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { kidOf, trustedKeyFromCertificate } from '../../hcert/index.js';
import type { CoseAlg, TrustedKey } from '../../hcert/index.js';
import { DAY_MS, buildCertificate } from './build-certificate.js';
import type { Issuer, Profile } from './build-certificate.js';
import type { KeyCustody } from './key-custody.js';
import { findActive, findCertificate, findCertificates, findKey, insertCertificate, insertKey, setStatus } from './pki-repository.js';
import type { PkiCertificateRow } from './pki-repository.js';

type Db = Kysely<Database>;

/** Subject prefix of every certificate of ours. */
const ORG = 'C=VN, O=Ministry of Health';
/** Default validity of a DSC (days). */
export const DEFAULT_DSC_DAYS = 730;
const CA_DAYS = 15 * 365;
const TRUSTLIST_DAYS = 3 * 365;
const FACILITY_DAYS = 2 * 365;
/** Certificates start a little in the past, for clocks that run slow. */
const BACKDATE_MS = 5 * 60_000;

/** A certificate of our PKI, as listed. */
export interface PkiCertificate {
  id: number;
  role: string;
  subject: string;
  issuerId: number | null;
  serial: string;
  /** HCERT kid, base64. */
  kid: string;
  thumbprint: string;
  alg: string;
  owner: string | null;
  notBefore: string;
  notAfter: string;
  status: string;
  revokedAt: string | null;
  revokeReason: string | null;
  keyBackend?: string;
}

/** Common options: where keys go, and the clock. */
export interface PkiContext {
  custody: KeyCustody;
  /** Issuance time (default now). */
  now?: Date;
}

/** Options of a DSC. */
export interface DscOptions extends PkiContext {
  /** ES256 (default) or PS256. */
  alg?: CoseAlg;
  /** RSA modulus for PS256 (default 3072). */
  modulusLength?: 2048 | 3072;
  /** Validity in days (default 730, never beyond the CSCA). */
  validityDays?: number;
}

/** What `pkiInit` did. */
export interface PkiInitResult {
  created: string[];
  existing: string[];
  certificates: PkiCertificate[];
}

function toInfo(r: PkiCertificateRow): PkiCertificate {
  return {
    id: r.id,
    role: r.role,
    subject: r.subject,
    issuerId: r.issuer_id,
    serial: r.serial,
    kid: r.kid,
    thumbprint: r.thumbprint,
    alg: r.alg,
    owner: r.owner,
    notBefore: r.not_before,
    notAfter: r.not_after,
    status: r.status,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
  };
}

/**
 * The parsed certificate of a row.
 * @param row - a `pki_certificate` row
 */
export function certificateOf(row: Pick<PkiCertificateRow, 'der'>): X509Certificate {
  return new X509Certificate(Buffer.from(row.der, 'base64'));
}

/**
 * The issuer (certificate + key) behind a certificate row.
 * @param db - database
 * @param custody - key custody
 * @param row - the issuing CA's row
 */
export async function issuerOf(db: Db, custody: KeyCustody, row: PkiCertificateRow): Promise<Issuer & { row: PkiCertificateRow }> {
  if (!row.key_id) throw new AppError('PKI_KEY_MISSING', `certificate ${row.id} (${row.role}) has no key of ours`, 500);
  const key = await findKey(db, row.key_id);
  if (!key) throw new AppError('PKI_KEY_MISSING', `key ${row.key_id} of certificate ${row.id} is not in pki_key`, 500);
  const publicKey = createPublicKey({ key: Buffer.from(key.public_spki, 'base64'), format: 'der', type: 'spki' });
  return { row, certificate: certificateOf(row), publicKey, sign: await custody.rawSigner(key, publicKey) };
}

interface IssueSpec {
  role: Profile;
  subject: string;
  alg: CoseAlg;
  modulusLength?: 2048 | 3072;
  days: number;
  /** Issuing CA row; undefined = self-signed. */
  issuer?: PkiCertificateRow;
  owner?: string;
  /** Extra writes in the same transaction (retire the previous DSC, audit). */
  alsoInTransaction?: (trx: Db, id: number) => Promise<void>;
}

async function issue(db: Db, ctx: PkiContext, spec: IssueSpec): Promise<PkiCertificateRow> {
  const { custody } = ctx;
  const now = ctx.now ?? new Date();
  const keyId = randomBytes(8).toString('hex');
  const key = await custody.generate(keyId, spec.alg, spec.modulusLength);
  const issuer: Issuer = spec.issuer
    ? await issuerOf(db, custody, spec.issuer)
    : { publicKey: key.publicKey, sign: await custody.rawSigner({ id: keyId, alg: spec.alg, backend: key.backend, ref: key.ref }, key.publicKey) };
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  let notAfter = new Date(now.getTime() + spec.days * DAY_MS);
  // A certificate never outlives its issuer.
  if (issuer.certificate && notAfter.getTime() > new Date(issuer.certificate.validTo).getTime()) notAfter = new Date(issuer.certificate.validTo);
  const cert = await buildCertificate({ profile: spec.role, subject: spec.subject, publicKey: key.publicKey, notBefore, notAfter }, issuer);
  return db.transaction().execute(async (trx) => {
    await insertKey(trx, { id: keyId, alg: spec.alg, backend: key.backend, ref: key.ref, public_spki: key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') });
    const id = await insertCertificate(trx, {
      role: spec.role,
      subject: cert.subject.replace(/\n/g, ', '),
      issuer_id: spec.issuer?.id ?? null,
      serial: cert.serialNumber,
      kid: kidOf(cert.raw).toString('base64'),
      thumbprint: createHash('sha256').update(cert.raw).digest('hex'),
      alg: spec.alg,
      key_id: keyId,
      country: 'VN',
      owner: spec.owner ?? null,
      not_before: new Date(cert.validFrom).toISOString(),
      not_after: new Date(cert.validTo).toISOString(),
      der: cert.raw.toString('base64'),
      revoked_at: null,
      revoke_reason: null,
    });
    await spec.alsoInTransaction?.(trx, id);
    const row = await findCertificate(trx, id);
    if (!row) throw new Error(`certificate ${id} vanished`);
    return row;
  });
}

async function requireActive(db: Db, role: string, what: string): Promise<PkiCertificateRow> {
  const row = await findActive(db, role);
  if (!row) throw new AppError('PKI_NOT_INITIALISED', `no ${what}: run \`vaxpass pki init\``, 409);
  return row;
}

function dscCount(rows: PkiCertificateRow[]): number {
  return rows.filter((r) => r.role === 'dsc').length;
}

async function newDsc(db: Db, opts: DscOptions, alsoInTransaction?: IssueSpec['alsoInTransaction']): Promise<PkiCertificateRow> {
  const csca = await requireActive(db, 'csca', 'CSCA');
  const alg = opts.alg ?? 'ES256';
  const n = dscCount(await findCertificates(db, { roles: ['dsc'] })) + 1;
  const days = opts.validityDays ?? DEFAULT_DSC_DAYS;
  if (!Number.isInteger(days) || days < 1) throw new AppError('BAD_REQUEST', `DSC validity must be a whole number of days ≥ 1 (got ${days})`, 400);
  return issue(db, opts, {
    role: 'dsc',
    subject: `${ORG}, OU=Department of Preventive Medicine, CN=VaxPass DSC ${n} ${alg}`,
    alg,
    ...(opts.modulusLength ? { modulusLength: opts.modulusLength } : {}),
    days,
    issuer: csca,
    ...(alsoInTransaction ? { alsoInTransaction } : {}),
  });
}

/**
 * Creates whatever of the PKI is missing: CSCA, a DSC, the facility CA, the trust-list signer.
 * Idempotent: a second run changes nothing and lists everything as existing.
 * @param db - database
 * @param opts - key custody, DSC algorithm and validity
 */
export async function pkiInit(db: Db, opts: DscOptions): Promise<PkiInitResult> {
  const created: string[] = [];
  const existing: string[] = [];
  let csca = await findActive(db, 'csca');
  if (csca) existing.push('csca');
  else {
    csca = await issue(db, opts, { role: 'csca', subject: `${ORG}, CN=VaxPass Viet Nam CSCA`, alg: 'ES256', days: CA_DAYS });
    created.push('csca');
  }
  if (await findActive(db, 'dsc')) existing.push('dsc');
  else {
    await newDsc(db, opts);
    created.push('dsc');
  }
  if (await findActive(db, 'facility_ca')) existing.push('facility_ca');
  else {
    await issue(db, opts, { role: 'facility_ca', subject: `${ORG}, CN=VaxPass Facility Data Signing CA`, alg: 'ES256', days: CA_DAYS });
    created.push('facility_ca');
  }
  if (await findActive(db, 'trustlist')) existing.push('trustlist');
  else {
    await issue(db, opts, { role: 'trustlist', subject: `${ORG}, CN=VaxPass Trust List Signer`, alg: 'ES256', days: TRUSTLIST_DAYS, issuer: csca });
    created.push('trustlist');
  }
  return { created, existing, certificates: await listCertificates(db) };
}

/**
 * Issues an additional active DSC under the CSCA (e.g. a PS256 one beside the ES256 one).
 * @param db - database
 * @param opts - key custody, algorithm, validity
 */
export async function issueDsc(db: Db, opts: DscOptions): Promise<PkiCertificate> {
  return toInfo(await newDsc(db, opts));
}

/**
 * Issues a new DSC that becomes the active signer; every previously active DSC is `retired`
 * (still trusted for verification until its notAfter). Audited.
 * @param db - database
 * @param opts - key custody, algorithm, validity, and who rotates
 */
export async function rotateDsc(db: Db, opts: DscOptions & { actor?: string }): Promise<{ issued: PkiCertificate; retired: PkiCertificate[] }> {
  const before = await findCertificates(db, { roles: ['dsc'], statuses: ['active'] });
  const row = await newDsc(db, opts, async (trx, id) => {
    for (const old of before) {
      await setStatus(trx, old.id, 'retired');
      await trx
        .insertInto('audit_log')
        .values({
          actor: opts.actor ?? 'system',
          action: 'retire',
          entity: 'pki_certificate',
          entity_id: String(old.id),
          before_json: JSON.stringify(auditView(old)),
          after_json: JSON.stringify({ ...auditView(old), status: 'retired', replaced_by: id }),
        })
        .execute();
    }
  });
  const retired = (await findCertificates(db, { roles: ['dsc'] })).filter((r) => before.some((b) => b.id === r.id));
  return { issued: toInfo(row), retired: retired.map(toInfo) };
}

function auditView(r: PkiCertificateRow): Record<string, unknown> {
  return { id: r.id, role: r.role, subject: r.subject, kid: r.kid, serial: r.serial, thumbprint: r.thumbprint, status: r.status, revoked_at: r.revoked_at, revoke_reason: r.revoke_reason };
}

/**
 * Revokes a DSC: status `revoked`, time and reason, and one `audit_log` row (before/after) in
 * the same transaction. Verifiers then answer HC1_DSC_REVOKED for what it signed.
 * @param db - database
 * @param id - the DSC's certificate id
 * @param reason - why (key compromise, …)
 * @param actor - who
 */
export async function revokeDsc(db: Db, id: number, reason: string, actor: string): Promise<PkiCertificate> {
  if (reason.trim() === '') throw new AppError('BAD_REQUEST', 'a revocation reason is required', 400, { field: 'reason' });
  return db.transaction().execute(async (trx) => {
    const row = await findCertificate(trx, id);
    if (!row || row.role !== 'dsc') throw new AppError('PKI_NOT_FOUND', `no DSC with id ${id}`, 404);
    if (row.status === 'revoked') throw new AppError('PKI_ALREADY_REVOKED', `DSC ${id} was already revoked on ${row.revoked_at ?? '?'}`, 409);
    const at = new Date().toISOString();
    await setStatus(trx, id, 'revoked', { at, reason });
    const after = { ...row, status: 'revoked', revoked_at: at, revoke_reason: reason };
    await trx
      .insertInto('audit_log')
      .values({ actor, action: 'revoke', entity: 'pki_certificate', entity_id: String(id), before_json: JSON.stringify(auditView(row)), after_json: JSON.stringify(auditView(after)) })
      .execute();
    return toInfo(after);
  });
}

/**
 * Issues a data-signing certificate for a vaccination facility or a provincial focal unit,
 * under the facility CA (never the CSCA).
 * @param db - database
 * @param opts - custody, owner code, kind
 */
export async function issueFacilityCert(db: Db, opts: PkiContext & { owner: string; kind?: 'facility' | 'province'; validityDays?: number }): Promise<PkiCertificate> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(opts.owner)) {
    throw new AppError('BAD_REQUEST', `owner must be a facility or province code (letters, digits, . _ -; got "${opts.owner}")`, 400, { field: 'owner' });
  }
  const ca = await requireActive(db, 'facility_ca', 'facility CA');
  const unit = opts.kind === 'province' ? 'Provincial focal unit' : 'Vaccination facility';
  const row = await issue(db, opts, {
    role: 'facility',
    subject: `${ORG}, OU=${unit}, CN=${opts.owner}`,
    alg: 'ES256',
    days: opts.validityDays ?? FACILITY_DAYS,
    issuer: ca,
    owner: opts.owner,
  });
  return toInfo(row);
}

/**
 * Every certificate of our PKI, oldest first, with each key's backend.
 * @param db - database
 */
export async function listCertificates(db: Db): Promise<PkiCertificate[]> {
  const rows = await findCertificates(db);
  const keys = new Map((await db.selectFrom('pki_key').select(['id', 'backend']).execute()).map((k) => [k.id, k.backend]));
  return rows.map((r) => ({ ...toInfo(r), ...(r.key_id && keys.has(r.key_id) ? { keyBackend: keys.get(r.key_id)! } : {}) }));
}

/**
 * Our DSCs as trusted keys for the verifier: active and retired ones, and revoked ones marked
 * `revoked` (the verifier answers HC1_DSC_REVOKED).
 * @param db - database
 */
export async function ourTrustedKeys(db: Db): Promise<TrustedKey[]> {
  const rows = await findCertificates(db, { roles: ['dsc'], statuses: ['active', 'retired', 'revoked'] });
  return rows.map((r) =>
    trustedKeyFromCertificate(certificateOf(r), {
      country: r.country,
      ...(r.status === 'revoked' ? { revoked: { at: new Date(r.revoked_at ?? 0), reason: r.revoke_reason ?? 'revoked' } } : {}),
    }),
  );
}
