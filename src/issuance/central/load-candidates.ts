/**
 * What issuance needs to decide, per person, in a few queries for a whole page of people: the
 * person, their verification, their active doses with the facility-signing verdicts, and their
 * certificates. `planIssue` then decides (pure): issue, renew, nothing, or why not.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { signedDoseRecordsForPeople } from '../signing/index.js';
import type { DoseSignatureCheck, VerdictOptions } from '../signing/index.js';
import type { DccDose } from './build-vaccination-dcc.js';

type Db = Kysely<Database>;

/** A dose as issuance sees it. */
export interface CandidateDose extends DccDose {
  readonly version: number;
  /** The facility-signing verdict (`valid` only counts as signed). */
  readonly signature: 'valid' | 'unsigned' | 'stale' | 'invalid';
  readonly signatureMessage: string;
  /** With `deferCrypto`: the hash and signature check still to run before `valid` counts. */
  readonly check?: DoseSignatureCheck;
}

/** A stored certificate, as planning needs it. */
export interface CertificateHead {
  readonly id: number;
  readonly dataVersion: string;
  readonly renewal: number;
  readonly personVersion: number;
  readonly status: string;
  /** ISO-8601 UTC. */
  readonly exp: string;
}

/** One person with everything planning needs. */
export interface Candidate {
  readonly personId: number;
  readonly personVersion: number;
  readonly fullName: string;
  readonly dob: string;
  readonly phone: string | null;
  /** VERIFIED for the person's current version. */
  readonly verified: boolean;
  /** The latest verification status, if any (for messages). */
  readonly verificationStatus: string | null;
  readonly doses: readonly CandidateDose[];
  readonly certificates: readonly CertificateHead[];
}

/** Which people to load: some ids, or a keyset page (optionally one province). */
export type CandidateFilter =
  | { readonly personIds: readonly number[] }
  | { readonly afterId: number; readonly limit: number; readonly provinceCode?: string | undefined };

/** PostgreSQL returns bigint columns as strings. */
const num = (v: unknown): number => Number(v);

/**
 * Loads candidates, in person id order.
 * @param db - database
 * @param filter - ids or a page
 * @param opts - certificate cache of the run; `deferCrypto` leaves the signature checks to the
 *   caller in each dose's `check` (the national batch runs them in its workers)
 */
export async function loadCandidates(db: Db, filter: CandidateFilter, opts: VerdictOptions = {}): Promise<Candidate[]> {
  let q = db.selectFrom('person as p').leftJoin('verification_state as vs', 'vs.person_id', 'p.id').select(['p.id', 'p.version', 'p.full_name', 'p.dob', 'p.phone', 'vs.status as vs_status', 'vs.person_version as vs_version']);
  if ('personIds' in filter) {
    if (filter.personIds.length === 0) return [];
    q = q.where('p.id', 'in', [...filter.personIds]).orderBy('p.id');
  } else {
    q = q.where('p.id', '>', filter.afterId).orderBy('p.id').limit(filter.limit);
    if (filter.provinceCode !== undefined) q = q.where('p.province_code', '=', filter.provinceCode);
  }
  const people = await q.execute();
  if (people.length === 0) return [];
  const ids = people.map((p) => num(p.id));
  // Ids come in order: range scans instead of long IN lists for pages.
  const lo = ids[0] ?? 0;
  const hi = ids[ids.length - 1] ?? 0;
  const inRange = 'personIds' in filter ? ids : undefined;
  let cq = db.selectFrom('certificate').select(['id', 'person_id', 'data_version', 'renewal', 'person_version', 'status', 'exp']);
  cq = inRange ? cq.where('person_id', 'in', inRange) : cq.where('person_id', '>=', lo).where('person_id', '<=', hi);
  // The active doses come with their verdicts, from the same read that was judged.
  const [certs, judged] = await Promise.all([cq.orderBy('id').execute(), signedDoseRecordsForPeople(db, ids, opts)]);
  const versions = new Map(people.map((p) => [num(p.id), p.version]));
  const dosesBy = new Map<number, CandidateDose[]>();
  for (const [pid, list] of judged) {
    const personVersion = versions.get(num(pid));
    dosesBy.set(
      num(pid),
      list.map(({ record: r, verdict: v }) => {
        const dose = { id: num(r.doseId), version: r.doseVersion, productId: r.productId, doseDate: r.doseDate, doseNumber: r.doseNumber };
        // Judged against another person version than the one read above (a change in between): no verdict.
        if (r.personVersion !== personVersion) return { ...dose, signature: 'unsigned' as const, signatureMessage: `dose ${dose.id} has no signing verdict for person version ${personVersion ?? '?'}` };
        return { ...dose, signature: v.status, signatureMessage: v.message, ...(v.deferred ? { check: v.deferred } : {}) };
      }),
    );
  }
  const certsBy = new Map<number, CertificateHead[]>();
  for (const c of certs) {
    const pid = num(c.person_id);
    const list = certsBy.get(pid) ?? [];
    list.push({ id: num(c.id), dataVersion: c.data_version, renewal: c.renewal, personVersion: c.person_version, status: c.status, exp: c.exp });
    certsBy.set(pid, list);
  }
  return people.map((p) => {
    const id = num(p.id);
    return {
      personId: id,
      personVersion: p.version,
      fullName: p.full_name,
      dob: p.dob,
      phone: p.phone,
      verified: p.vs_status === 'VERIFIED' && p.vs_version === p.version,
      verificationStatus: p.vs_status,
      doses: dosesBy.get(id) ?? [],
      certificates: certsBy.get(id) ?? [],
    };
  });
}

/**
 * The data version of a certificate: `p<person.version>:<dose id>.<dose version>,…` over the
 * signed active doses in id order. Any identity correction, new signed dose, dose correction
 * (re-signed) or voided dose gives a new value; re-signing unchanged data does not.
 * @param personVersion - person.version
 * @param signed - the signed active doses
 */
export function dataVersionOf(personVersion: number, signed: readonly { id: number; version: number }[]): string {
  return `p${personVersion}:${[...signed].sort((a, b) => a.id - b.id).map((d) => `${d.id}.${d.version}`).join(',')}`;
}

/** What to do for one person. */
export type IssuePlan =
  | {
      readonly kind: 'issue';
      readonly candidate: Candidate;
      /** Signed active doses (what the payload is built from). */
      readonly signed: readonly CandidateDose[];
      readonly dataVersion: string;
      readonly renewal: number;
      /** The active certificate this one replaces. */
      readonly previous: CertificateHead | null;
      /** The previous one must also be revoked: identity data changed since it was issued. */
      readonly revokePrevious: boolean;
      /** A renewal of unchanged data (the citizen is told). */
      readonly isRenewal: boolean;
    }
  | { readonly kind: 'unchanged'; readonly candidate: Candidate; readonly certificateId: number }
  | {
      readonly kind: 'ineligible';
      readonly candidate: Candidate;
      readonly code: string;
      readonly message: string;
      /** The person lost eligibility for good and still has an active certificate: revoke it. */
      readonly withdraw?: Withdrawal;
    };

/** Why an active certificate is revoked when its holder is no longer eligible (`certificate.revoked_reason`). */
export const WITHDRAW_NOT_VERIFIED = 'identity no longer verified';
export const WITHDRAW_NO_SIGNED_DOSE = 'no signed active dose';

/** An active certificate to take out of service. */
export interface Withdrawal {
  readonly personId: number;
  readonly certificateId: number;
  readonly reason: typeof WITHDRAW_NOT_VERIFIED | typeof WITHDRAW_NO_SIGNED_DOSE;
}

/** Options of {@link planIssue}. */
export interface PlanOptions {
  /** Re-issue an unchanged active certificate expiring before this time (ISO-8601 UTC). */
  readonly renewBefore?: string | undefined;
}

/**
 * Decides for one person (pure). Someone no longer eligible (identity not VERIFIED, or no signed
 * active dose) who still has an active certificate gets a `withdraw`, but only on a settled
 * answer: a VERIFIED result for an older person version (re-verification queued) or a signature
 * over an older version (re-signing due) is a pending step of a correction, whose re-issue
 * supersedes or revokes the certificate anyway; revoking then would leave the citizen without a
 * passport for every typo fixed.
 * @param c - the candidate
 * @param opts - renewal horizon
 */
export function planIssue(c: Candidate, opts: PlanOptions = {}): IssuePlan {
  const active = c.certificates.find((x) => x.status === 'active') ?? null;
  const withdraw = (reason: Withdrawal['reason']): { withdraw?: Withdrawal } => (active ? { withdraw: { personId: c.personId, certificateId: active.id, reason } } : {});
  if (!c.verified) {
    const why = c.verificationStatus === null ? 'has never been verified' : c.verificationStatus === 'VERIFIED' ? 'changed since it was verified' : `is ${c.verificationStatus}`;
    const settled = c.verificationStatus !== 'VERIFIED';
    return { kind: 'ineligible', candidate: c, code: 'ISSUE_NOT_VERIFIED', message: `person ${c.personId}: identity ${why} against the population database`, ...(settled ? withdraw(WITHDRAW_NOT_VERIFIED) : {}) };
  }
  const signed = c.doses.filter((d) => d.signature === 'valid');
  // Without a valid signature, a stale one (re-signing due) still keeps the certificate.
  const lost = signed.length === 0 && !c.doses.some((d) => d.signature === 'stale') ? withdraw(WITHDRAW_NO_SIGNED_DOSE) : {};
  const invalid = c.doses.filter((d) => d.signature === 'invalid');
  if (invalid.length > 0) return { kind: 'ineligible', candidate: c, code: 'ISSUE_SIGNATURE_INVALID', message: `person ${c.personId}: ${invalid.map((d) => d.signatureMessage).join('; ')}`, ...lost };
  if (signed.length === 0) return { kind: 'ineligible', candidate: c, code: 'ISSUE_NO_SIGNED_DOSE', message: `person ${c.personId}: no active dose signed by its facility`, ...lost };
  const dataVersion = dataVersionOf(c.personVersion, signed);
  const sameData = c.certificates.filter((x) => x.dataVersion === dataVersion);
  const renewal = sameData.reduce((m, x) => Math.max(m, x.renewal + 1), 0);
  if (active && active.dataVersion === dataVersion) {
    if (opts.renewBefore === undefined || active.exp >= opts.renewBefore) return { kind: 'unchanged', candidate: c, certificateId: active.id };
    return { kind: 'issue', candidate: c, signed, dataVersion, renewal, previous: active, revokePrevious: false, isRenewal: true };
  }
  return { kind: 'issue', candidate: c, signed, dataVersion, renewal, previous: active, revokePrevious: active !== null && active.personVersion !== c.personVersion, isRenewal: false };
}
