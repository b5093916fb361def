/**
 * `runVerification`: sends every unsent or changed person of a scope to the population register
 * in batches and stores each result with its time and the exact data sent.
 *
 * 1. Queue the scope's people that need it (no result yet, or `person.version` moved on).
 * 2. Claim a batch under a lease (PostgreSQL: `SKIP LOCKED`, so runs on several machines share
 *    the queue), decide NOT_SENT locally, send the rest in one `verifyBatch` call with an
 *    idempotency key derived from the batch (a retry after a crash repeats the same key).
 * 3. Store the results in the transaction that removes the batch's queue rows (see
 *    `storeResults`): resumable after a crash, never double-counted.
 * A `POPULATION_UNAVAILABLE` error from the service, or an abort, stops the run cleanly: the batch
 * in flight is released and everything unfinished stays queued for the next run.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import type { PopulationVerifier, VerifyRecord, VerifyResult, VerifyStatus } from '../verifier.js';
import { recordsToVerify, type PersonToVerify } from './records-to-verify.js';
import { storeResults, type Outcome } from './store-results.js';
import { resolveScope } from './verification-scope.js';
import { claimBatch, enqueueScope, queuedCount, releaseClaim, releaseWorker, type ClaimedPerson } from './verification-queue.js';
import type { RunVerificationOptions, StopReason, VerificationSummary } from './verification-types.js';

/** Default people per batch. */
export const DEFAULT_BATCH_SIZE = 500;
/** Largest batch accepted. */
export const MAX_BATCH_SIZE = 5000;
/** Default claim lease. */
export const DEFAULT_LEASE_SECONDS = 300;

const STATUSES = new Set<VerifyStatus>(['VERIFIED', 'MISMATCH', 'NOT_FOUND', 'NOT_SENT']);

function badResponse(message: string): AppError {
  return new AppError('POPULATION_BAD_RESPONSE', `the population service answered out of contract: ${message}`, 502);
}

/** Same batch (people, versions, queue entries and data) → same key. */
function idempotencyKey(people: readonly PersonToVerify[], claimed: ReadonlyMap<number, ClaimedPerson>): string {
  const h = createHash('sha256');
  for (const p of people) h.update(`${p.personId}@${p.version}@${claimed.get(p.personId)?.enqueuedAt ?? ''}|${JSON.stringify(p.record)}\n`);
  return `vaxpass-${h.digest('hex').slice(0, 40)}`;
}

/** Results by record id, checked against what was sent. */
function resultsById(sent: readonly VerifyRecord[], results: readonly VerifyResult[]): Map<string, VerifyResult> {
  if (results.length !== sent.length) throw badResponse(`${results.length} results for ${sent.length} records`);
  const byId = new Map<string, VerifyResult>();
  for (const r of results) {
    if (!STATUSES.has(r.status)) throw badResponse(`unknown status ${r.status as string} for record ${r.recordId}`);
    byId.set(r.recordId, r);
  }
  for (const s of sent) if (!byId.has(s.recordId)) throw badResponse(`no result for record ${s.recordId}`);
  return byId;
}

function isUnavailable(e: unknown): e is AppError {
  return e instanceof AppError && e.code === 'POPULATION_UNAVAILABLE';
}

/**
 * Verifies the people of a scope that need it.
 * @param db - database
 * @param dialect - its engine (claims differ)
 * @param verifier - any PopulationVerifier (in-process register, HTTP client…)
 * @param options - scope, batch size, progress, abort signal…
 * @returns what was done; `stopped` says why a run ended early
 * @throws AppError FACILITY_NOT_FOUND / PROVINCE_NOT_FOUND (404) for a bad scope;
 *   POPULATION_BAD_RESPONSE (502) when the service breaks the contract; other verifier errors
 *   as thrown (the batch in flight stays queued)
 */
export async function runVerification(db: Kysely<Database>, dialect: DbDialect, verifier: PopulationVerifier, options: RunVerificationOptions = {}): Promise<VerificationSummary> {
  const started = performance.now();
  const runId = randomUUID();
  const batchSize = Math.max(1, Math.min(MAX_BATCH_SIZE, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE)));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const maxPeople = options.maxPeople ?? Number.POSITIVE_INFINITY;
  const signal = options.signal;
  const scope = await resolveScope(db, options);
  // A named worker takes back what a crashed run of the same name left claimed.
  if (options.workerId !== undefined) await releaseWorker(db, options.workerId);
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${runId.slice(0, 8)}`;
  const queued = await enqueueScope(db, scope, new Date().toISOString());
  const total = await queuedCount(db, scope);

  const c = { sent: 0, verified: 0, mismatch: 0, notFound: 0, notSent: 0, unavailable: 0, skipped: 0 };
  let done = 0;
  let reserved = 0;
  let batchNo = 0;
  let stopped: StopReason | null = null;
  let error: string | null = null;
  let failure: Error | undefined;
  const snapshot = (remaining: number): VerificationSummary => ({ runId, queued, ...c, remaining, stopped, error, seconds: (performance.now() - started) / 1000 });

  const processBatch = async (claimed: readonly ClaimedPerson[], token: string): Promise<void> => {
    const byId = new Map(claimed.map((q) => [q.personId, q]));
    const people = await recordsToVerify(db, claimed.map((q) => q.personId));
    const toSend = people.filter((p) => p.missing.length === 0);
    const records = toSend.map((p) => p.record);
    const results = records.length === 0 ? new Map<string, VerifyResult>() : resultsById(records, await verifier.verifyBatch(records, { idempotencyKey: idempotencyKey(toSend, byId), ...(signal ? { signal } : {}) }));
    const outcomes: Outcome[] = people.map((p) => {
      const enqueuedAt = byId.get(p.personId)?.enqueuedAt ?? '';
      if (p.missing.length > 0) return { personId: p.personId, version: p.version, enqueuedAt, status: 'NOT_SENT', fields: p.missing, suggestions: [], sent: null };
      const r = results.get(p.record.recordId);
      if (r === undefined) throw badResponse(`no result for record ${p.record.recordId}`);
      return { personId: p.personId, version: p.version, enqueuedAt, status: r.status, fields: r.fields, suggestions: r.suggestions, sent: p.record };
    });
    const stored = await storeResults(db, token, runId, outcomes);
    c.skipped += claimed.length - stored.length;
    for (const o of stored) {
      if (o.sent !== null) c.sent++;
      if (o.status === 'VERIFIED') c.verified++;
      else if (o.status === 'MISMATCH') c.mismatch++;
      else if (o.status === 'NOT_FOUND') c.notFound++;
      else c.notSent++;
    }
    done += stored.length;
  };

  const loop = async (): Promise<void> => {
    let after = 0;
    while (stopped === null && failure === undefined) {
      if (signal?.aborted) {
        stopped = 'aborted';
        break;
      }
      const want = Math.min(batchSize, maxPeople - done - reserved);
      if (want <= 0) {
        stopped = 'limit';
        break;
      }
      const token = `${workerId}/${runId}/${++batchNo}`;
      reserved += want;
      let claimed: ClaimedPerson[];
      try {
        claimed = await claimBatch(db, { dialect, scope, workerId, token, after, limit: want, now: new Date(), leaseSeconds });
      } finally {
        reserved -= want;
      }
      if (claimed.length === 0) {
        // End of the walk: one more from the start for leases that expired behind us.
        if (after === 0) break;
        after = 0;
        continue;
      }
      after = claimed[claimed.length - 1]?.personId ?? after;
      reserved += claimed.length;
      try {
        await processBatch(claimed, token);
      } catch (e) {
        await releaseClaim(db, token).catch(() => undefined);
        if (isUnavailable(e)) {
          stopped = 'unavailable';
          error = e.message;
          c.unavailable += claimed.length;
        } else if (signal?.aborted) {
          stopped = 'aborted';
        } else {
          failure ??= e instanceof Error ? e : new Error(String(e));
        }
        break;
      } finally {
        reserved -= claimed.length;
      }
      options.onProgress?.({ total, done, summary: snapshot(Math.max(0, total - done)) });
    }
  };

  await Promise.all(Array.from({ length: concurrency }, () => loop()));
  if (failure !== undefined) throw failure;
  const remaining = await queuedCount(db, scope);
  if (stopped === 'limit' && remaining === 0) stopped = null;
  return snapshot(remaining);
}
