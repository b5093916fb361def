/**
 * The outbox's delivery side: claim due rows under a lease (PostgreSQL: `FOR UPDATE SKIP
 * LOCKED`, so several workers never claim the same row), send each through the transport, then
 * mark it sent, or schedule a retry with backoff, or give up (`failed`) after `maxAttempts`.
 * A worker that dies mid-batch leaves rows leased; they come back when the lease runs out.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../db/index.js';
import type { Database } from '../db/index.js';
import { toOutboxEntry } from './enqueue-notification.js';
import type { NotificationTransport } from './notification-types.js';

/** Options of {@link deliverPending}. */
export interface DeliverOptions {
  /** Most rows claimed in this call (default 100). */
  readonly limit?: number;
  /** Attempts before a row is marked `failed` (default 5). */
  readonly maxAttempts?: number;
  /** How long a claim holds (default 5 minutes). */
  readonly leaseMs?: number;
  /** Delay before retry number `attempt` (1-based); default 30 s doubling, at most 1 hour. */
  readonly backoffMs?: (attempt: number) => number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/** What one call did. */
export interface DeliverResult {
  readonly claimed: number;
  readonly sent: number;
  /** Failed this time, retried later. */
  readonly retried: number;
  /** Failed for the last time. */
  readonly failed: number;
}

function defaultBackoff(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
}

/**
 * Sends due notifications.
 * @param db - database
 * @param transport - where they go
 * @param options - batch size, retries, clock
 */
export async function deliverPending(db: Kysely<Database>, transport: NotificationTransport, options: DeliverOptions = {}): Promise<DeliverResult> {
  const now = options.now ?? (() => new Date());
  const limit = options.limit ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoffMs ?? defaultBackoff;
  const start = now();
  const nowIso = start.toISOString();
  const leaseEnd = new Date(start.getTime() + (options.leaseMs ?? 300_000)).toISOString();

  const rows = await db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('notification_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
      .orderBy('id')
      .limit(limit);
    // SQLite has one writer at a time, so the claim is already exclusive there.
    if (dialectOf(trx) === 'postgres') q = q.forUpdate().skipLocked();
    const claimed = await q.execute();
    if (claimed.length > 0) {
      await trx.updateTable('notification_outbox').set({ locked_until: leaseEnd }).where('id', 'in', claimed.map((r) => r.id)).execute();
    }
    return claimed;
  });

  let sent = 0;
  let retried = 0;
  let failed = 0;
  for (const row of rows) {
    const n = toOutboxEntry(row);
    const attempts = row.attempts + 1;
    try {
      await transport.send({ id: n.id, channel: n.channel, recipient: n.recipient, template: n.template, payload: n.payload, attempts: row.attempts, createdAt: n.createdAt });
      await db.updateTable('notification_outbox').set({ status: 'sent', attempts, sent_at: now().toISOString(), locked_until: null, error: null }).where('id', '=', row.id).execute();
      sent++;
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
      if (attempts >= maxAttempts) {
        await db.updateTable('notification_outbox').set({ status: 'failed', attempts, locked_until: null, error }).where('id', '=', row.id).execute();
        failed++;
      } else {
        const next = new Date(now().getTime() + backoff(attempts)).toISOString();
        await db.updateTable('notification_outbox').set({ attempts, next_attempt_at: next, locked_until: null, error }).where('id', '=', row.id).execute();
        retried++;
      }
    }
  }
  return { claimed: rows.length, sent, retried, failed };
}
