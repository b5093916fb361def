/**
 * The national batch (`vaxpass issue --all`) and the renewal run (`vaxpass issue --renew`):
 * the main thread pages through people in id order, decides per person, hands the signing to
 * worker threads, and is the only database writer, one transaction per page.
 *
 * Resumable after `kill -9`: a page is committed whole or not at all, and every run starts by
 * deciding again from the database — people whose active certificate already carries their
 * current data version are `unchanged`. The unique indexes make a race or a replay a no-op.
 * Nothing is released before commit, so no certificate is lost either.
 *
 * Where the CPU goes (ES256 DSC, SQLite, 100k people → 96,583 certificates, 2.55 signed doses
 * each, per-thread CPU from /proc on this 2-core EPYC; BENCHMARKS.md has the runs): the main
 * thread (reads by person-id range, planning, messages, the single writer) ~118 µs per
 * certificate; the workers ~121 µs per certificate (DCC build, CBOR/COSE, the ES256 signature
 * ~25 µs, deflate, base45, payload checks, the facility-signature checks ~20 µs); V8's
 * platform threads (parallel scavenges, concurrent marking, compiles) ~52 µs. Facility
 * signatures are Merkle batches (../signing/merkle.ts): a dose costs a few SHA-256 calls, and
 * a batch one ECDSA verify per worker, where a per-record signature cost ~70 µs per dose. The
 * workers check them because only that layout scales: with ~118 µs on the main thread a
 * 16-core machine reaches ~8.5k/s before the single writer is the limit. The public keys of
 * the few signing-unit certificates are parsed and chain-checked once per run
 * (SigningCertCache) and sent to each worker once; the canonical text is built once, on the
 * main thread, from the rows read. Tried without gain: pages of 250–5000 people, raw prepared
 * INSERTs on SQLite, a larger young generation for the workers or the main thread. PS256
 * (RSA-3072 DSC): ~2.5–3 ms CPU per certificate, the RSA signature is nearly all of it.
 * People whose active certificate already carries their data version get nothing issued, so
 * their signatures are not checked here; everyone issued for is (and `issueForPeople`, the
 * outbox/API path, checks every dose it reads on the calling thread).
 */
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { SigningCertCache } from '../signing/index.js';
import { kidOf } from '../../hcert/index.js';
import type { TrustStore } from '../../hcert/index.js';
import { completePendingRevocations, storeCertificates, withdrawCertificates } from './certificate-repository.js';
import type { StoreItem } from './certificate-repository.js';
import type { DscMaterial } from './dsc-material.js';
import { completeStoreItem, outcomeOf, storeSkeletonOf } from './issue-for-people.js';
import type { StoreSkeleton } from './issue-for-people.js';
import { IssuePool } from './issue-pool.js';
import type { IssueWork, WorkResult } from './issue-worker.js';
import { loadCandidates, planIssue } from './load-candidates.js';
import type { Candidate, IssuePlan, Withdrawal } from './load-candidates.js';
import { certificateTimes } from './sign-certificate.js';

type Db = Kysely<Database>;
/** PostgreSQL returns bigint columns as strings, whatever the declared type says. */
const num = (v: unknown): number => Number(v);

/** Options of {@link issueAll}. */
export interface IssueAllOptions {
  /** The DSC, usable from workers (see `loadDscMaterial`). */
  readonly material: DscMaterial;
  readonly actor: string;
  /** Worker threads (default: one per core). */
  readonly workers?: number;
  /** Only people registered in this province (2-digit code). */
  readonly provinceCode?: string;
  /** Renewal run: only people whose active certificate expires before this (ISO-8601 UTC). */
  readonly renewBefore?: string;
  /** People per page / transaction (default 2000). */
  readonly pageSize?: number;
  /** People per message to a worker (default 250). */
  readonly chunk?: number;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  readonly trust?: TrustStore;
  readonly onProgress?: (p: IssueAllProgress) => void;
  /**
   * Verify facility signatures on the main thread before handing work out (the old way; for
   * the bench's comparison). Default false: the workers verify.
   */
  readonly verifyOnMainThread?: boolean;
}

/** Progress after each page. */
export interface IssueAllProgress {
  /** People in scope (counted at start). */
  readonly total: number;
  readonly done: number;
  readonly issued: number;
}

/** What a run did. */
export interface IssueAllSummary {
  /** People looked at. */
  readonly people: number;
  /** Certificates stored (new, re-issued or renewed). */
  readonly issued: number;
  /** Of which renewals of unchanged data. */
  readonly renewed: number;
  /** Previous certificates superseded / revoked (identity corrected). */
  readonly superseded: number;
  readonly revoked: number;
  /**
   * Active certificates revoked because their holder is no longer eligible (identity not
   * VERIFIED, or no signed active dose); those people are also counted in `ineligible`.
   */
  readonly withdrawn: number;
  /** Active certificate already up to date. */
  readonly unchanged: number;
  /** Not eligible, by reason code. */
  readonly ineligible: Readonly<Record<string, number>>;
  /** Signing failed, by code (e.g. ISSUE_PAYLOAD_INVALID). */
  readonly failed: Readonly<Record<string, number>>;
  /** First few failures, for the operator. */
  readonly failures: readonly { personId: number; code: string; message: string }[];
  readonly workers: number;
  readonly seconds: number;
  /** Certificates stored per second of the run. */
  readonly perSecond: number;
  /** Whether the signal stopped the run early. */
  readonly aborted: boolean;
}

/** A page handed to the workers: what storing it needs, and the workers' answers to come. */
interface Dispatched {
  readonly skeletons: ReadonlyMap<number, StoreSkeleton>;
  /** Every batch's answers (already handled: a page dispatched but never collected rejects silently). */
  readonly answers: Promise<(readonly WorkResult[])[]>;
  readonly withdrawals: readonly Withdrawal[];
  readonly times: { readonly iat: number; readonly exp: number };
  readonly hadRevocations: boolean;
}

const bump = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

/** People ids of a renewal page: active certificates expiring before the horizon. */
async function renewalIds(db: Db, after: number, limit: number, before: string, provinceCode?: string): Promise<number[]> {
  let q = db.selectFrom('certificate as c').select('c.person_id').where('c.status', '=', 'active').where('c.exp', '<', before).where('c.person_id', '>', after).orderBy('c.person_id').limit(limit);
  if (provinceCode !== undefined) q = q.innerJoin('person as p', 'p.id', 'c.person_id').where('p.province_code', '=', provinceCode);
  return (await q.execute()).map((r) => num(r.person_id));
}

async function countScope(db: Db, o: IssueAllOptions): Promise<number> {
  if (o.renewBefore !== undefined) {
    let q = db.selectFrom('certificate as c').select((eb) => eb.fn.countAll<number>().as('n')).where('c.status', '=', 'active').where('c.exp', '<', o.renewBefore);
    if (o.provinceCode !== undefined) q = q.innerJoin('person as p', 'p.id', 'c.person_id').where('p.province_code', '=', o.provinceCode);
    return num((await q.executeTakeFirstOrThrow()).n);
  }
  let q = db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n'));
  if (o.provinceCode !== undefined) q = q.where('province_code', '=', o.provinceCode);
  return num((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Issues certificates for everyone eligible (or renews those expiring), on all cores.
 * @param db - database
 * @param o - DSC material, scope, workers, progress
 */
export async function issueAll(db: Db, o: IssueAllOptions): Promise<IssueAllSummary> {
  const t0 = performance.now();
  const clock = o.now ?? ((): Date => new Date());
  const pageSize = o.pageSize ?? 2000;
  const chunk = o.chunk ?? 250;
  const cert = new X509Certificate(o.material.certDer);
  const kid = kidOf(cert.raw).toString('base64');
  const alg = cert.publicKey.asymmetricKeyType === 'ec' ? 'ES256' : 'PS256';
  const notAfter = new Date(cert.validTo);
  const revOpts = { actor: o.actor, ...(o.trust ? { trust: o.trust } : {}) };
  // Workers load their modules and keys (~0.1–0.2 s each) while the first page is read.
  const starting = IssuePool.start(o.material, o.workers ?? availableParallelism());
  // Handled here so a failed start is not an unhandled rejection while the first reads run;
  // `await starting` below still throws it.
  starting.catch(() => undefined);
  let pool: IssuePool | undefined;
  let revoked = 0;
  let withdrawn = 0;
  let total = 0;
  const ineligible: Record<string, number> = {};
  const failed: Record<string, number> = {};
  const failures: { personId: number; code: string; message: string }[] = [];
  let people = 0;
  let issued = 0;
  let renewed = 0;
  let superseded = 0;
  let unchanged = 0;
  let aborted = false;

  // Facility signatures are checked in the workers (see the module comment): the main thread
  // does every other check and hands over the canonical facts, signatures and unit keys.
  const unitKeys = new Map<number, KeyObject>();
  const verdictOpts = { deferCrypto: o.verifyOnMainThread !== true, cache: new SigningCertCache(), keys: unitKeys };
  const load = async (after: number): Promise<Candidate[]> => {
    if (o.renewBefore === undefined) return loadCandidates(db, { afterId: after, limit: pageSize, ...(o.provinceCode !== undefined ? { provinceCode: o.provinceCode } : {}) }, verdictOpts);
    const ids = await renewalIds(db, after, pageSize, o.renewBefore, o.provinceCode);
    return ids.length === 0 ? [] : loadCandidates(db, { personIds: ids }, verdictOpts);
  };

  /**
   * Plans a page and sends its signing to the workers. Synchronous, and keeps only what storing
   * needs (a skeleton per person): the page itself, with every dose's canonical text, can be
   * collected while the workers sign, instead of surviving young-generation GCs for nothing.
   */
  const dispatchPage = (workers: IssuePool, page: readonly Candidate[]): Dispatched => {
    const times = certificateTimes(clock(), notAfter);
    const plans: Extract<IssuePlan, { kind: 'issue' }>[] = [];
    const withdrawals: Withdrawal[] = [];
    for (const c of page) {
      const plan = planIssue(c, o.renewBefore === undefined ? {} : { renewBefore: o.renewBefore });
      if (plan.kind === 'issue') plans.push(plan);
      else {
        const out = outcomeOf(plan);
        if (out.status === 'unchanged') unchanged++;
        else bump(ineligible, out.code ?? 'UNKNOWN');
        if (plan.kind === 'ineligible' && plan.withdraw) withdrawals.push(plan.withdraw);
      }
    }
    const skeletons = new Map(plans.map((p) => [p.candidate.personId, storeSkeletonOf(p)]));
    const batches: Promise<readonly WorkResult[]>[] = [];
    for (let i = 0; i < plans.length; i += chunk) {
      const works: IssueWork[] = plans.slice(i, i + chunk).map((p) => ({
        personId: p.candidate.personId,
        fullName: p.candidate.fullName,
        dob: p.candidate.dob,
        doses: p.signed.map((d) => ({ id: d.id, productId: d.productId, doseDate: d.doseDate, doseNumber: d.doseNumber })),
        checks: p.signed.flatMap((d) => (d.check ? [d.check] : [])),
      }));
      batches.push(workers.sign(works, times, unitKeys));
    }
    const answers = Promise.all(batches);
    answers.catch(() => undefined);
    return { skeletons, answers, withdrawals, times, hadRevocations: plans.some((p) => p.revokePrevious) };
  };

  /** The store items of a dispatched page, once its workers answered. */
  const collect = async (d: Dispatched): Promise<StoreItem[]> => {
    const items: StoreItem[] = [];
    for (const results of await d.answers) {
      for (const r of results) {
        const skeleton = d.skeletons.get(r.personId);
        if (!skeleton) continue;
        if (r.ok) items.push(completeStoreItem(skeleton, r));
        else {
          // A facility signature that fails in the worker blocks the person, as on the main thread.
          bump(r.code === 'ISSUE_SIGNATURE_INVALID' ? ineligible : failed, r.code);
          if (failures.length < 20) failures.push({ personId: r.personId, code: r.code, message: r.message });
        }
      }
    }
    return items;
  };

  try {
    // A previous run may have died between a commit and its revocations.
    revoked = (await completePendingRevocations(db, revOpts)).corrected;
    total = await countScope(db, o);
    const first = await load(0);
    const ready = await starting;
    pool = ready;
    let storing: Promise<void> = Promise.resolve();
    /**
     * Reads the page after `after` (once the previous page is stored) and hands it to the
     * workers at once, behind the page they are signing: the main thread then keeps only the
     * page's store skeletons while it waits, not its rows and canonical texts.
     */
    const readAndDispatch = async (after: number, page?: Candidate[]): Promise<{ count: number; last: number; dispatched: Dispatched } | undefined> => {
      if (page === undefined) {
        await storing;
        page = await load(after);
      }
      if (page.length === 0) return undefined;
      return { count: page.length, last: page[page.length - 1]?.personId ?? after, dispatched: dispatchPage(ready, page) };
    };
    let current = await readAndDispatch(0, first);
    while (current !== undefined) {
      if (o.signal?.aborted) {
        aborted = true;
        break;
      }
      people += current.count;
      const next = readAndDispatch(current.last);
      // Awaited below; handled now so an abort or a failure here leaves no unhandled rejection.
      next.catch(() => undefined);
      const items = await collect(current.dispatched);
      const { withdrawals, times, hadRevocations } = current.dispatched;
      await storing;
      storing = (async (): Promise<void> => {
        const stored = await storeCertificates(db, items, { kid, alg, iat: times.iat, exp: times.exp, reason: o.renewBefore === undefined ? 'batch' : 'renewal', actor: o.actor });
        stored.forEach((s, i) => {
          if (s.certificateId === null) {
            unchanged++;
            return;
          }
          issued++;
          const it = items[i];
          if (it?.isRenewal) renewed++;
          if (it?.previousId !== null && it?.previousId !== undefined) superseded++;
        });
        const out = await withdrawCertificates(db, withdrawals, o.actor);
        withdrawn += out.length;
        if (hadRevocations || out.length > 0) revoked += (await completePendingRevocations(db, revOpts)).corrected;
        o.onProgress?.({ total, done: people, issued });
      })();
      current = await next;
    }
    await storing;
  } finally {
    // Never leave workers running, even when starting them or the first read failed.
    await (pool ?? (await starting.catch(() => undefined)))?.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { people, issued, renewed, superseded, revoked, withdrawn, unchanged, ineligible, failed, failures, workers: pool?.size ?? 0, seconds, perSecond: issued / Math.max(seconds, 1e-9), aborted };
}
