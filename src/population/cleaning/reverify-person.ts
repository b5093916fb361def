/**
 * Re-verifies one corrected person at once, through the pipeline's own queue and store (so the
 * result is stored exactly like a run's: state + history, under a claim, never double-counted).
 * Without a verifier, or when it fails, the person simply stays queued for the next run: the
 * correction already bumped `person.version`, which re-queues them.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { recordsToVerify, releaseClaim, requeuePerson, storeResults } from '../pipeline/index.js';
import type { Outcome } from '../pipeline/index.js';
import type { Reverification, ReverifyOptions } from './cleaning-types.js';

const LEASE_MS = 60_000;

function queued(reason: string): Reverification {
  return { status: null, fields: [], suggestions: [], queuedReason: reason };
}

/**
 * Verifies `personId` now when a verifier is given.
 * @param db - database
 * @param personId - the person
 * @param options - the verifier
 * @returns the new status, or why the person was left queued
 */
export async function reverifyPerson(db: Kysely<Database>, personId: number, options: ReverifyOptions = {}): Promise<Reverification> {
  await requeuePerson(db, personId);
  const verifier = options.verifier;
  if (verifier === undefined) return queued('no verifier configured: verified by the next `population verify` run');
  const runId = randomUUID();
  const token = `cleaning/${runId}`;
  const now = new Date();
  const claimed = await db
    .updateTable('verification_queue')
    .set({ claimed_by: 'cleaning', claim_token: token, claimed_until: new Date(now.getTime() + LEASE_MS).toISOString() })
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now.toISOString())]))
    .returning('enqueued_at')
    .executeTakeFirst();
  if (!claimed) return queued('a verification run holds this person: its result comes with the run');
  try {
    const [p] = await recordsToVerify(db, [personId]);
    if (p === undefined) return queued('person not found');
    let outcome: Outcome;
    if (p.missing.length > 0) {
      outcome = { personId, version: p.version, enqueuedAt: claimed.enqueued_at, status: 'NOT_SENT', fields: p.missing, suggestions: [], sent: null };
    } else {
      const [r] = await verifier.verifyBatch([p.record], { idempotencyKey: `vaxpass-cleaning-${runId}` });
      if (r?.recordId !== p.record.recordId) throw new Error('the verifier answered out of contract');
      outcome = { personId, version: p.version, enqueuedAt: claimed.enqueued_at, status: r.status, fields: r.fields, suggestions: r.suggestions, sent: p.record };
    }
    const [stored] = await storeResults(db, token, runId, [outcome]);
    if (stored === undefined) return queued('a verification run took this person over');
    return { status: stored.status, fields: stored.fields, suggestions: stored.suggestions, queuedReason: null };
  } catch (e) {
    await releaseClaim(db, token).catch(() => undefined);
    return queued(`verification failed, left queued: ${e instanceof Error ? e.message : String(e)}`);
  }
}
