/**
 * Automatic issuance without callers: registry and population must not import issuance
 * (imports point registry → population → issuance), so instead of every change enqueueing
 * itself, the issuance worker also looks for what changed since its last pass — identities
 * VERIFIED (`verification_state.checked_at`), doses signed (`dose_signature.signed_at`),
 * identity corrections (`person.updated_at`), dose corrections and voids (`dose.updated_at`) —
 * and runs {@link issueForPeople} on those people, which issues, re-issues, supersedes or
 * revokes as their current data requires and is idempotent by person and data version.
 *
 * The watermark (the start time of the last complete pass) is kept in `issuance_outbox` as
 * one processed row with reason {@link SCAN_WATERMARK_REASON}, so it survives restarts. Each
 * pass rescans `overlapMs` before it, for changes whose transaction committed late; anything
 * older that was missed is caught by the start-up batch (`issuePendingCertificates`).
 * Nothing "already verified" is stored: every person found is re-read and re-verified.
 *
 * Open: at national scale the four timestamp columns need indexes (a migration of db/).
 */
import type { Kysely } from 'kysely';
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
  const r = await db.selectFrom('issuance_outbox').select('next_attempt_at').where('reason', '=', SCAN_WATERMARK_REASON).orderBy('id', 'desc').executeTakeFirst();
  return r?.next_attempt_at ?? null;
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

/**
 * People with an issuance-relevant change after `since` (everyone VERIFIED when null).
 * @param db - database
 * @param since - ISO-8601 UTC, exclusive
 */
export async function changedPeople(db: Db, since: string | null): Promise<number[]> {
  if (since === null) {
    return (await db.selectFrom('verification_state').select('person_id').where('status', '=', 'VERIFIED').orderBy('person_id').execute()).map((r) => num(r.person_id));
  }
  const [verified, signed, people, doses] = await Promise.all([
    db.selectFrom('verification_state').select('person_id').where('checked_at', '>', since).where('status', '=', 'VERIFIED').execute(),
    db.selectFrom('dose_signature as s').innerJoin('dose as d', 'd.id', 's.dose_id').select('d.person_id').where('s.signed_at', '>', since).execute(),
    db.selectFrom('person').select('id as person_id').where('updated_at', '>', since).execute(),
    db.selectFrom('dose').select('person_id').where('updated_at', '>', since).execute(),
  ]);
  const ids = new Set<number>();
  for (const list of [verified, signed, people, doses]) for (const r of list) ids.add(num(r.person_id));
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
