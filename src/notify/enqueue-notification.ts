/**
 * The outbox's write side. Callers pass the transaction making the change the notification is
 * about, so the two commit together: no notification for a rolled-back change, no change
 * without its notification.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, NotificationOutboxTable } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { NOTIFICATION_CHANNELS } from './notification-types.js';
import type { NewNotification, NotificationChannel, NotificationStatus, OutboxEntry } from './notification-types.js';

/**
 * Adds a notification to the outbox (status `pending`); `deliverPending` sends it.
 * @param db - the transaction of the change being notified (or the database)
 * @param n - channel, recipient, template and payload
 * @returns the outbox row id
 * @throws AppError VALIDATION (422) for an unknown channel or an empty recipient/template
 */
export async function enqueueNotification(db: Kysely<Database>, n: NewNotification): Promise<number> {
  if (!(NOTIFICATION_CHANNELS as readonly string[]).includes(n.channel)) throw new AppError('VALIDATION', `unknown notification channel "${n.channel}"`, 422, { field: 'channel' });
  if (n.recipient.trim() === '' || n.template.trim() === '') throw new AppError('VALIDATION', 'a notification needs a recipient and a template', 422);
  const row = await db
    .insertInto('notification_outbox')
    .values({ channel: n.channel, recipient: n.recipient.trim(), template: n.template, payload_json: JSON.stringify(n.payload), next_attempt_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Maps an outbox row. */
export function toOutboxEntry(r: Selectable<NotificationOutboxTable>): OutboxEntry {
  return {
    id: r.id,
    channel: r.channel as NotificationChannel,
    recipient: r.recipient,
    template: r.template,
    payload: JSON.parse(r.payload_json) as Record<string, unknown>,
    attempts: r.attempts,
    createdAt: r.created_at,
    status: r.status as NotificationStatus,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    error: r.error,
  };
}

/**
 * Outbox rows, oldest first (operators' view and tests).
 * @param db - database
 * @param filter - by status, template or recipient; `limit` default 100
 */
export async function listOutbox(
  db: Kysely<Database>,
  filter: { status?: NotificationStatus | undefined; template?: string | undefined; recipient?: string | undefined; limit?: number | undefined } = {},
): Promise<OutboxEntry[]> {
  let q = db.selectFrom('notification_outbox').selectAll().orderBy('id').limit(filter.limit ?? 100);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.template !== undefined) q = q.where('template', '=', filter.template);
  if (filter.recipient !== undefined) q = q.where('recipient', '=', filter.recipient);
  return (await q.execute()).map(toOutboxEntry);
}
