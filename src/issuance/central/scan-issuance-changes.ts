/**
 * Automatic issuance without callers: registry and population must not import issuance
 * (imports point registry → population → issuance), so instead of every change enqueueing
 * itself, the issuance worker also looks for what changed since its last pass — identities
 * VERIFIED (`verification_state.checked_at`), doses signed (`dose_signature.signed_at`),
 * identity corrections (`person.updated_at`), dose corrections and voids (`dose.updated_at`) —
 * and runs {@link issueForPeople} on those people, which issues, re-issues, supersedes or
 * revokes as their current data requires and is idempotent by person and data version.
 * A verification answer other than VERIFIED (MISMATCH, NOT_FOUND after a correction) is picked
 * up too when the person holds an active certificate: they are no longer eligible, and
 * `issueForPeople` revokes it (as it does when a void leaves no signed active dose).
 *
 * The watermark (the start time of the last complete pass) is kept in `issuance_outbox` as
 * one processed row with reason {@link SCAN_WATERMARK_REASON}, so it survives restarts. Each
 * pass rescans `overlapMs` before it, for changes whose transaction committed late; anything
 * older that was missed is caught by the start-up batch (`issuePendingCertificates`).
 * Nothing "already verified" is stored: every person found is re-read and re-verified.
 *
 * Each change query is a range scan of one timestamp index (migration 0010), so a pass costs
 * what changed, not the size of the country: see `scan-indexes.test.ts` for the plans.
 */
import type { CompiledQuery, Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Database } from '../../db/index.js';
import { issueForPeople } from './issue-for-people.js';
import type { IssueOutcome } from './issue-for-people.js';
import type { DrainOptions } from './issuance-outbox.js';

type Db = Kysely<Database>;
const num = (v: unknown): number => Number(v);

/** `issuance_outbox.reason` of the row that holds the scan watermark. */
export const SCAN_WATERMARK_REASON = 'scan:watermark';

/**
 * The watermark: start time of the last complete scan (ISO-8601 UTC), null before the first.
 * @param db - database
 */
export async function readScanWatermark(db: Db): Promise<string | null> {
  const r = await watermarkQuery(db).executeTakeFirst();
  return r?.next_attempt_at ?? null;
}

/**
 * The watermark row (index `issuance_outbox_reason_idx`: the outbox keeps every processed row).
 * @param db - database
 */
export function watermarkQuery(db: Db): SelectQueryBuilder<Database, 'issuance_outbox', { next_attempt_at: string }> {
  return db.selectFrom('issuance_outbox').select('next_attempt_at').where('reason', '=', SCAN_WATERMARK_REASON).orderBy('id', 'desc').limit(1);
}

/**
 * Moves the watermark (never backwards).
 * @param db - database
 * @param at - ISO-8601 UTC: every change before it has been handled
 */
export async function writeScanWatermark(db: Db, at: string): Promise<void> {
  const current = await readScanWatermark(db);
  if (current !== null) {
    if (current >= at) return;
    await db.updateTable('issuance_outbox').set({ next_attempt_at: at, processed_at: at }).where('reason', '=', SCAN_WATERMARK_REASON).execute();
    return;
  }
  // The row needs a person (foreign key); with nobody registered there is nothing to scan anyway.
  const anyone = await db.selectFrom('person').select('id').orderBy('id').limit(1).executeTakeFirst();
  if (!anyone) return;
  await db.insertInto('issuance_outbox').values({ person_id: num(anyone.id), reason: SCAN_WATERMARK_REASON, processed_at: at, outcome: 'watermark', next_attempt_at: at }).execute();
}

/** A query giving `person_id`s. */
export interface PeopleQuery {
  execute(): Promise<{ person_id: number }[]>;
  compile(): CompiledQuery;
}

/**
 * The queries of {@link changedPeople} (exported for the index test, which EXPLAINs them).
 * After `since`: verification answers (VERIFIED, or any other for a holder of an active
 * certificate), signatures, identity corrections, dose corrections and voids. Before the first
 * scan: everyone VERIFIED, and holders of an active certificate who are not.
 * @param db - database
 * @param since - ISO-8601 UTC, exclusive; null for the first scan
 */
export function changedPeopleQueries(db: Db, since: string | null): PeopleQuery[] {
  const vs = db.selectFrom('verification_state as vs').select('vs.person_id');
  // Index `certificate_active_uq` (partial, person_id where active).
  const holdsActive = (eb: ExpressionBuilder<Database & { vs: Database['verification_state'] }, 'vs'>): Expression<SqlBool> =>
    eb.exists(eb.selectFrom('certificate as c').select('c.id').whereRef('c.person_id', '=', 'vs.person_id').where('c.status', '=', 'active'));
  if (since === null) return [vs.where('vs.status', '=', 'VERIFIED'), vs.where('vs.status', '!=', 'VERIFIED').where(holdsActive)];
  return [
    vs.where('vs.checked_at', '>', since).where((eb) => eb.or([eb('vs.status', '=', 'VERIFIED'), holdsActive(eb)])),
    db.selectFrom('dose_signature as s').innerJoin('dose as d', 'd.id', 's.dose_id').select('d.person_id').where('s.signed_at', '>', since),
    db.selectFrom('person').select('id as person_id').where('updated_at', '>', since),
    db.selectFrom('dose').select('person_id').where('updated_at', '>', since),
  ];
}

/**
 * People with an issuance-relevant change after `since` (see {@link changedPeopleQueries}).
 * @param db - database
 * @param since - ISO-8601 UTC, exclusive; null for the first scan
 */
export async function changedPeople(db: Db, since: string | null): Promise<number[]> {
  const lists = await Promise.all(changedPeopleQueries(db, since).map((q) => q.execute()));
  const ids = new Set<number>();
  for (const list of lists) for (const r of list) ids.add(num(r.person_id));
  return [...ids].sort((a, b) => a - b);
}

/** Options of {@link scanIssuanceChanges}. */
export interface ScanOptions extends DrainOptions {
  /** Rescanned before the watermark, for late commits (default 5000 ms). */
  readonly overlapMs?: number;
}

/** What one scan did. */
export interface ScanResult {
  /** The watermark the scan started from (null: first scan, everyone VERIFIED). */
  readonly since: string | null;
  /** The new watermark. */
  readonly until: string;
  /** People looked at. */
  readonly people: number;
  /** Outcomes other than `unchanged`. */
  readonly outcomes: readonly IssueOutcome[];
}

/**
 * One scan: people changed since the watermark (minus the overlap) are issued for, in batches;
 * the watermark moves to the scan's start only when every batch went through.
 * @param db - database
 * @param opts - signer, batch size, clock, overlap
 */
export async function scanIssuanceChanges(db: Db, opts: ScanOptions): Promise<ScanResult> {
  const now = (opts.now ?? ((): Date => new Date()))();
  const until = now.toISOString();
  const mark = await readScanWatermark(db);
  const since = mark === null ? null : new Date(new Date(mark).getTime() - (opts.overlapMs ?? 5000)).toISOString();
  const ids = await changedPeople(db, since);
  const outcomes: IssueOutcome[] = [];
  const batch = opts.batch ?? 500;
  for (let i = 0; i < ids.length; i += batch) {
    const got = await issueForPeople(db, ids.slice(i, i + batch), { signer: opts.signer, actor: opts.actor ?? 'system', reason: 'outbox:scan', now, ...(opts.trust ? { trust: opts.trust } : {}) });
    for (const o of got) if (o.status !== 'unchanged') outcomes.push(o);
  }
  await writeScanWatermark(db, until);
  return { since: mark, until, people: ids.length, outcomes };
}
