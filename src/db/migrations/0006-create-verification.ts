/**
 * 0006: identity verification against the population register (issue 5, "The pipeline").
 *
 * - `verification_state`: one row per person, the latest result and for which `person.version`
 *   it was obtained. A person needs verification when it has no row here or
 *   `person_version < person.version` (a correction bumps the version, so it re-queues itself).
 * - `verification_queue`: the work list. Runs add the people of their scope that need
 *   verification, then claim batches with a lease (`claimed_by`, `claim_token`, `claimed_until`;
 *   PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, so several processes share the work). A
 *   result is written in the same transaction that deletes its still-owned queue row: a crash
 *   loses nothing (the row stays, its lease expires) and counts nothing twice.
 * - `verification_result`: append-only history of every result, with the exact data sent.
 */
import type { Kysely, Migration } from 'kysely';
import { autoId, autoIdType, nowIsoDefault } from './portable.js';

/** Creates the verification state, queue and history tables. */
export const createVerification: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const id = autoIdType(db);

    await db.schema
      .createTable('verification_state')
      .addColumn('person_id', id, (c) => c.primaryKey().references('person.id'))
      // The person.version the result is for; below person.version = stale (re-queued).
      .addColumn('person_version', 'integer', (c) => c.notNull())
      // VERIFIED | MISMATCH | NOT_FOUND | NOT_SENT
      .addColumn('status', 'text', (c) => c.notNull())
      // ';'-joined IdentityFields: MISMATCH the differing ones, NOT_SENT the missing ones; '' otherwise.
      .addColumn('fields', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('suggestions_json', 'text', (c) => c.notNull().defaultTo('[]'))
      // The VerifyRecord exactly as sent; null for NOT_SENT (nothing was sent).
      .addColumn('sent_json', 'text')
      // When this result was obtained (any status).
      .addColumn('checked_at', 'text', (c) => c.notNull())
      // Results stored for this person so far (all versions).
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('run_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('verification_state_status_idx').on('verification_state').columns(['status', 'person_id']).execute();

    await db.schema
      .createTable('verification_queue')
      .addColumn('person_id', id, (c) => c.primaryKey().references('person.id'))
      .addColumn('enqueued_at', 'text', (c) => c.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claim_token', 'text')
      .addColumn('claimed_until', 'text')
      .execute();

    await db.schema
      .createTable('verification_result')
      .addColumn('id', id, autoId(db))
      .addColumn('person_id', id, (c) => c.notNull().references('person.id'))
      .addColumn('person_version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('suggestions_json', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('sent_json', 'text')
      // When the person was queued for this result: tells a re-verification of the same version apart.
      .addColumn('enqueued_at', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('run_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('verification_result_person_idx').on('verification_result').columns(['person_id', 'id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['verification_result', 'verification_queue', 'verification_state']) await db.schema.dropTable(t).execute();
  },
};
