/**
 * Issuing on the calling thread, for a few people at a time: the automatic path (outbox worker),
 * the API and tests. The national batch (`issue-all.ts`) does the same with worker threads.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import type { Signer, TrustStore } from '../../hcert/index.js';
import { completePendingRevocations, storeCertificates, withdrawCertificates } from './certificate-repository.js';
import type { StoreItem } from './certificate-repository.js';
import { loadCandidates, planIssue } from './load-candidates.js';
import type { IssuePlan, Withdrawal } from './load-candidates.js';
import { certificateTimes, signCertificate } from './sign-certificate.js';
import type { SignedCertificate } from './sign-certificate.js';

type Db = Kysely<Database>;

/** What happened for one person. */
export interface IssueOutcome {
  readonly personId: number;
  /** `issued` (new or renewed), `unchanged` (an active certificate has this data), `ineligible`, `failed`. */
  readonly status: 'issued' | 'unchanged' | 'ineligible' | 'failed';
  readonly certificateId?: number;
  readonly uvci?: string;
  /** Why not (ineligible/failed): e.g. ISSUE_NOT_VERIFIED, ISSUE_SIGNATURE_INVALID. */
  readonly code?: string;
  readonly message?: string;
  /** The new certificate replaced (and, for an identity correction, revoked) this one. */
  readonly supersededId?: number;
  readonly revokedPrevious?: boolean;
  /** `ineligible` only: the person's active certificate was revoked now, for this reason. */
  readonly revokedId?: number;
  readonly revokedReason?: string;
}

/** Options of {@link issueForPeople}. */
export interface IssueForPeopleOptions {
  /** The DSC (e.g. `loadActiveDscSigner`). */
  readonly signer: Signer;
  readonly actor: string;
  /** Stored as the certificate's `reason` (default `api`). */
  readonly reason?: string;
  readonly now?: Date;
  /** Also re-issue unchanged certificates expiring before this time (ISO-8601 UTC). */
  readonly renewBefore?: string;
  /** For revocations of corrected identities (default: the database's). */
  readonly trust?: TrustStore;
}

/**
 * Outcome of a plan, for people with nothing to sign.
 * @param plan - an `unchanged` or `ineligible` plan
 */
export function outcomeOf(plan: Exclude<IssuePlan, { kind: 'issue' }>): IssueOutcome {
  const personId = plan.candidate.personId;
  return plan.kind === 'unchanged' ? { personId, status: 'unchanged', certificateId: plan.certificateId } : { personId, status: 'ineligible', code: plan.code, message: plan.message };
}

/** A store row without the signed certificate's fields: what a plan contributes. */
export type StoreSkeleton = Omit<StoreItem, 'doseId' | 'uvci' | 'hc1' | 'payloadSha256'>;

/**
 * What the store row of a plan's certificate takes from the plan.
 * @param plan - an `issue` plan
 */
export function storeSkeletonOf(plan: Extract<IssuePlan, { kind: 'issue' }>): StoreSkeleton {
  const c = plan.candidate;
  return {
    personId: c.personId,
    personVersion: c.personVersion,
    phone: c.phone,
    dataVersion: plan.dataVersion,
    renewal: plan.renewal,
    previousId: plan.previous?.id ?? null,
    revokePrevious: plan.revokePrevious,
    isRenewal: plan.isRenewal,
  };
}

/**
 * The store row of a signed certificate.
 * @param skeleton - from {@link storeSkeletonOf}
 * @param s - the certificate signed for it
 */
export function completeStoreItem(skeleton: StoreSkeleton, s: SignedCertificate): StoreItem {
  return { ...skeleton, doseId: s.doseId, uvci: s.uvci, hc1: s.hc1, payloadSha256: s.payloadSha256 };
}

/**
 * The store row of a signed certificate.
 * @param plan - the `issue` plan it was signed for
 * @param s - the signed certificate
 */
export function storeItemOf(plan: Extract<IssuePlan, { kind: 'issue' }>, s: SignedCertificate): StoreItem {
  return completeStoreItem(storeSkeletonOf(plan), s);
}

/**
 * Issues (or re-issues, renews) certificates for some people: eligibility (VERIFIED for the
 * current version, at least one validly signed active dose, no invalid signature), payload,
 * signature, storage; supersedes and, after an identity correction, revokes the previous one.
 * Someone no longer eligible loses their active certificate (revoked, on the revocation list;
 * see `planIssue` for when). Idempotent: the same data gives `unchanged`, a certificate is
 * revoked once. Never throws for one person's problem.
 * @param db - database
 * @param personIds - the people
 * @param opts - signer, actor, clock, renewal horizon
 */
export async function issueForPeople(db: Db, personIds: readonly number[], opts: IssueForPeopleOptions): Promise<IssueOutcome[]> {
  const now = opts.now ?? new Date();
  const times = certificateTimes(now, opts.signer.notAfter);
  const candidates = await loadCandidates(db, { personIds: [...new Set(personIds)] });
  const outcomes = new Map<number, IssueOutcome>();
  const items: StoreItem[] = [];
  const plans = new Map<number, Extract<IssuePlan, { kind: 'issue' }>>();
  const withdrawals: Withdrawal[] = [];
  for (const c of candidates) {
    const plan = planIssue(c, opts.renewBefore === undefined ? {} : { renewBefore: opts.renewBefore });
    if (plan.kind !== 'issue') {
      outcomes.set(c.personId, outcomeOf(plan));
      if (plan.kind === 'ineligible' && plan.withdraw) withdrawals.push(plan.withdraw);
      continue;
    }
    try {
      items.push(storeItemOf(plan, signCertificate({ personId: c.personId, fullName: c.fullName, dob: c.dob, doses: plan.signed }, opts.signer, times)));
      plans.set(c.personId, plan);
    } catch (e) {
      outcomes.set(c.personId, { personId: c.personId, status: 'failed', code: e instanceof AppError ? e.code : ((e as { code?: string }).code ?? 'ISSUE_FAILED'), message: (e as Error).message });
    }
  }
  const kid = Buffer.from(opts.signer.kid).toString('base64');
  const stored = await storeCertificates(db, items, { kid, alg: opts.signer.alg, iat: times.iat, exp: times.exp, reason: opts.reason ?? 'api', actor: opts.actor });
  for (const s of stored) {
    const plan = plans.get(s.personId);
    if (s.certificateId === null) {
      outcomes.set(s.personId, { personId: s.personId, status: 'unchanged', message: 'another run stored a certificate for this data first' });
      continue;
    }
    outcomes.set(s.personId, {
      personId: s.personId,
      status: 'issued',
      certificateId: s.certificateId,
      uvci: s.uvci,
      ...(plan?.previous ? { supersededId: plan.previous.id, revokedPrevious: plan.revokePrevious } : {}),
    });
  }
  const withdrawn = await withdrawCertificates(db, withdrawals, opts.actor);
  for (const w of withdrawn) {
    const o = outcomes.get(w.personId);
    if (o) outcomes.set(w.personId, { ...o, message: `${o.message ?? ''}; active certificate ${w.uvci} revoked (${w.reason})`, revokedId: w.certificateId, revokedReason: w.reason });
  }
  if (withdrawn.length > 0 || items.some((i) => i.revokePrevious)) await completePendingRevocations(db, { actor: opts.actor, now, ...(opts.trust ? { trust: opts.trust } : {}) });
  return personIds.map((id) => outcomes.get(id) ?? { personId: id, status: 'ineligible', code: 'PERSON_NOT_FOUND', message: `no person with id ${id}` });
}

/**
 * {@link issueForPeople} for one person.
 * @param db - database
 * @param personId - the person
 * @param opts - signer, actor, clock
 */
export async function issueForPerson(db: Db, personId: number, opts: IssueForPeopleOptions): Promise<IssueOutcome> {
  const [o] = await issueForPeople(db, [personId], opts);
  return o ?? { personId, status: 'ineligible', code: 'PERSON_NOT_FOUND', message: `no person with id ${personId}` };
}
