/**
 * Automatic issuance: modules that change what a certificate says enqueue the person here, in
 * the transaction of their change — the verification pipeline when a person becomes VERIFIED,
 * facility signing when a dose is signed, registry corrections (person or dose) — and
 * `runIssuanceWorker` drains the outbox every `intervalMs`, issuing or re-issuing within seconds.
 * Handling is idempotent (by person and data version), so a row handled twice after a crash is harmless.
 * Modules that may not import issuance are covered by the worker's change scan instead
 * (`scan-issuance-changes.ts`): each pass drains the outbox, then scans.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { Signer, TrustStore } from '../../hcert/index.js';
import { completePendingRevocations } from './certificate-repository.js';
import { issueForPeople } from './issue-for-people.js';
import type { IssueOutcome } from './issue-for-people.js';
import { scanIssuanceChanges } from './scan-issuance-changes.js';
import type { ScanOptions, ScanResult } from './scan-issuance-changes.js';

type Db = Kysely<Database>;
/** PostgreSQL returns bigint columns as strings, whatever the declared type says. */
const num = (v: unknown): number => Number(v);

/** Why a person was enqueued. */
export type IssuanceReason = 'verified' | 'dose_signed' | 'correction' | 'dose_voided' | 'manual' | (string & {});

/**
 * Asks for (re-)issuance of a person's certificate.
 * @param db - the transaction of the change (or the database)
 * @param personId - the person
 * @param reason - why (kept on the outbox row and the certificate)
 */
export async function enqueueIssuance(db: Db, personId: number, reason: IssuanceReason): Promise<void> {
  await db.insertInto('issuance_outbox').values({ person_id: personId, reason, next_attempt_at: new Date().toISOString() }).execute();
}

/** Options of {@link drainIssuanceOutbox}. */
export interface DrainOptions {
  readonly signer: Signer;
  readonly actor?: string;
  /** Rows per pass (default 500). */
  readonly batch?: number;
  readonly now?: () => Date;
  readonly trust?: TrustStore;
}

/** What one drain pass did. */
export interface DrainResult {
  /** Outbox rows handled. */
  readonly rows: number;
  readonly outcomes: readonly IssueOutcome[];
}

const RETRY_MS = [5_000, 30_000, 300_000];

/**
 * One pass: takes due rows (oldest first), issues for their people (once per person), marks the
 * rows processed with the outcome; a failure leaves them for a retry with back-off.
 * @param db - database
 * @param opts - signer, batch size, clock
 */
export async function drainIssuanceOutbox(db: Db, opts: DrainOptions): Promise<DrainResult> {
  const now = (opts.now ?? ((): Date => new Date()))();
  const rows = await db
    .selectFrom('issuance_outbox')
    .select(['id', 'person_id', 'reason', 'attempts'])
    .where('processed_at', 'is', null)
    .where('next_attempt_at', '<=', now.toISOString())
    .orderBy('id')
    .limit(opts.batch ?? 500)
    .execute();
  if (rows.length === 0) return { rows: 0, outcomes: [] };
  const people = [...new Set(rows.map((r) => num(r.person_id)))];
  const ids = rows.map((r) => num(r.id));
  let outcomes: IssueOutcome[];
  try {
    outcomes = await issueForPeople(db, people, { signer: opts.signer, actor: opts.actor ?? 'system', reason: `outbox:${rows[0]?.reason ?? ''}`, now, ...(opts.trust ? { trust: opts.trust } : {}) });
  } catch (e) {
    // The whole pass failed (database, DSC): retry later, each row with its own back-off.
    for (const r of rows) {
      const wait = RETRY_MS[Math.min(r.attempts, RETRY_MS.length - 1)] ?? 5_000;
      await db
        .updateTable('issuance_outbox')
        .set({ attempts: r.attempts + 1, next_attempt_at: new Date(now.getTime() + wait).toISOString(), outcome: `error:${(e as { code?: string }).code ?? 'ERROR'}` })
        .where('id', '=', num(r.id))
        .execute();
    }
    throw e;
  }
  const byPerson = new Map(outcomes.map((o) => [o.personId, o]));
  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      const o = byPerson.get(num(r.person_id));
      const outcome = o === undefined ? 'unknown' : o.status === 'issued' || o.status === 'unchanged' ? o.status : `${o.status}:${o.code ?? ''}`;
      await trx.updateTable('issuance_outbox').set({ processed_at: now.toISOString(), outcome, attempts: r.attempts + 1 }).where('id', '=', num(r.id)).execute();
    }
  });
  return { rows: ids.length, outcomes };
}

/** Options of {@link runIssuanceWorker} and {@link issuancePass}. */
export interface WorkerOptions extends ScanOptions {
  /** Pause between passes that found nothing (default 1000 ms). */
  readonly intervalMs?: number;
  /** Stops the loop. */
  readonly signal?: AbortSignal;
  /** Called after each pass that handled something. */
  readonly onPass?: (r: PassResult) => void;
  /** Called when a pass fails (the loop goes on). */
  readonly onError?: (e: unknown) => void;
}

/** What one worker pass did. */
export interface PassResult {
  readonly drained: DrainResult;
  readonly scanned: ScanResult;
}

/**
 * One pass of the issuance worker: finishes revocations a crashed pass left marked (an indexed
 * look-up, free when there are none), drains the outbox, then scans for changes since the last
 * pass (see `scanIssuanceChanges`).
 * @param db - database
 * @param opts - signer, batch size, clock, overlap
 */
export async function issuancePass(db: Db, opts: WorkerOptions): Promise<PassResult> {
  await completePendingRevocations(db, { actor: opts.actor ?? 'system', ...(opts.trust ? { trust: opts.trust } : {}) });
  const drained = await drainIssuanceOutbox(db, opts);
  const scanned = await scanIssuanceChanges(db, opts);
  return { drained, scanned };
}

/**
 * Runs {@link issuancePass} until `signal` aborts.
 * @param db - database
 * @param opts - signer, interval, signal
 */
export async function runIssuanceWorker(db: Db, opts: WorkerOptions): Promise<void> {
  const interval = opts.intervalMs ?? 1000;
  while (!opts.signal?.aborted) {
    // A full outbox batch means more may be waiting: go again at once; scans are bounded by time.
    let more = false;
    try {
      const r = await issuancePass(db, opts);
      more = r.drained.rows >= (opts.batch ?? 500);
      if (r.drained.rows + r.scanned.outcomes.length > 0) opts.onPass?.(r);
    } catch (e) {
      opts.onError?.(e);
    }
    if (!more) await sleep(interval, undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => undefined);
  }
}
