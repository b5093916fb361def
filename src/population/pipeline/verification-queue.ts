/**
 * The verification work queue (`verification_queue`): fill it with the people of a scope that
 * need verification, claim batches under a lease, give back unfinished claims. PostgreSQL claims
 * with `FOR UPDATE SKIP LOCKED`, so processes on several machines never take the same person;
 * SQLite has a single writer and each claim is one atomic statement.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { scopeCondition, type ResolvedScope } from './verification-scope.js';

/** A claimed queue row. */
export interface ClaimedPerson {
  readonly personId: number;
  readonly enqueuedAt: string;
}

/**
 * Queues every person of the scope that has no verification yet or changed since
 * (`verification_state.person_version < person.version`); people already queued stay as they are.
 * @param db - database
 * @param scope - resolved scope
 * @param now - ISO time written as `enqueued_at`
 * @returns how many people were added
 */
export async function enqueueScope(db: Kysely<Database>, scope: ResolvedScope, now: string): Promise<number> {
  const cond = scopeCondition(scope, 'p.id');
  let select = db
    .selectFrom('person as p')
    .leftJoin('verification_state as s', 's.person_id', 'p.id')
    .select(['p.id', sql<string>`cast(${now} as text)`.as('enqueued_at')])
    // Always a WHERE: SQLite needs one to read `INSERT … SELECT … ON CONFLICT` unambiguously.
    .where((eb) => eb.or([eb('s.person_id', 'is', null), eb('s.person_version', '<', eb.ref('p.version'))]));
  if (cond) select = select.where(cond);
  const r = await db
    .insertInto('verification_queue')
    .columns(['person_id', 'enqueued_at'])
    .expression(select)
    .onConflict((oc) => oc.column('person_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/**
 * People queued in the scope (claimed or not).
 * @param db - database
 * @param scope - resolved scope
 */
export async function queuedCount(db: Kysely<Database>, scope: ResolvedScope): Promise<number> {
  const cond = scopeCondition(scope, 'q.person_id');
  let q = db.selectFrom('verification_queue as q').select((eb) => eb.fn.countAll<number>().as('n'));
  if (cond) q = q.where(cond);
  const r = await q.executeTakeFirstOrThrow();
  return r.n;
}

/** Options of {@link claimBatch}. */
export interface ClaimOptions {
  readonly dialect: DbDialect;
  readonly scope: ResolvedScope;
  readonly workerId: string;
  /** Unique per batch: the result write only removes rows still carrying it. */
  readonly token: string;
  /** Person ids above this one (keyset walk over the queue). */
  readonly after: number;
  readonly limit: number;
  readonly now: Date;
  readonly leaseSeconds: number;
}

/**
 * Claims up to `limit` free (or lease-expired) queued people of the scope with ids above
 * `after`, in id order.
 * @param db - database
 * @param o - claim options
 * @returns the claimed rows, by person id
 */
export async function claimBatch(db: Kysely<Database>, o: ClaimOptions): Promise<ClaimedPerson[]> {
  const nowIso = o.now.toISOString();
  const until = new Date(o.now.getTime() + o.leaseSeconds * 1000).toISOString();
  const cond = scopeCondition(o.scope, 'q.person_id');
  let pick = db
    .selectFrom('verification_queue as q')
    .select('q.person_id')
    .where('q.person_id', '>', o.after)
    .where((eb) => eb.or([eb('q.claimed_until', 'is', null), eb('q.claimed_until', '<', nowIso)]));
  if (cond) pick = pick.where(cond);
  pick = pick.orderBy('q.person_id').limit(o.limit);
  if (o.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
  const rows = await db
    .updateTable('verification_queue')
    .set({ claimed_by: o.workerId, claim_token: o.token, claimed_until: until })
    .where('person_id', 'in', pick)
    .returning(['person_id', 'enqueued_at'])
    .execute();
  return rows.map((r) => ({ personId: r.person_id, enqueuedAt: r.enqueued_at })).sort((a, b) => a.personId - b.personId);
}

/**
 * Frees the rows of one batch (its result was not stored: the service failed, the run stopped).
 * @param db - database
 * @param token - the batch's claim token
 */
export async function releaseClaim(db: Kysely<Database>, token: string): Promise<void> {
  await db.updateTable('verification_queue').set({ claimed_by: null, claim_token: null, claimed_until: null }).where('claim_token', '=', token).execute();
}

/**
 * Frees every claim of a worker, e.g. left by a crashed earlier run under the same name.
 * @param db - database
 * @param workerId - the worker's name
 * @returns rows freed
 */
export async function releaseWorker(db: Kysely<Database>, workerId: string): Promise<number> {
  const r = await db.updateTable('verification_queue').set({ claimed_by: null, claim_token: null, claimed_until: null }).where('claimed_by', '=', workerId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Queues a person for verification again even if nothing changed (e.g. the police corrected the
 * register, or a reviewer asks for a re-check). A batch in flight for the person loses its claim,
 * so its (older) result is dropped and the person is verified afresh.
 * @param db - database or transaction
 * @param personId - person id
 * @throws AppError PERSON_NOT_FOUND (404)
 */
export async function requeuePerson(db: Kysely<Database>, personId: number): Promise<void> {
  const p = await db.selectFrom('person').select('id').where('id', '=', personId).executeTakeFirst();
  if (!p) throw new AppError('PERSON_NOT_FOUND', `no person with id ${personId}`, 404, { id: personId });
  const now = new Date().toISOString();
  await db
    .insertInto('verification_queue')
    .values({ person_id: personId, enqueued_at: now })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ enqueued_at: now, claimed_by: null, claim_token: null, claimed_until: null }))
    .execute();
}
