/**
 * Stores a batch's results in one transaction with the removal of its queue rows: only rows the
 * batch still holds (same claim token) are removed, and only their results are written, so a
 * crash before commit loses nothing (the rows stay queued) and a batch taken over by another
 * worker after its lease expired is never counted twice.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf, type Database, type DbDialect } from '../../db/index.js';
import { bulkInsert } from '../../registry/import/index.js';
import type { IdentityField, Suggestion, VerifyRecord, VerifyStatus } from '../verifier.js';

/** One person's result, ready to store. */
export interface Outcome {
  readonly personId: number;
  /** The person's version the sent data came from. */
  readonly version: number;
  readonly enqueuedAt: string;
  readonly status: VerifyStatus;
  readonly fields: readonly IdentityField[];
  readonly suggestions: readonly Suggestion[];
  /** Null for NOT_SENT. */
  readonly sent: VerifyRecord | null;
}

/** Columns of a bulk insert (name and PostgreSQL array type). */
type BulkColumns = Parameters<typeof bulkInsert>[3];

/** The result columns the current state and the history share. */
const OUTCOME_COLUMNS: BulkColumns = [
  { name: 'person_id', pgType: 'bigint' },
  { name: 'person_version', pgType: 'integer' },
  { name: 'status', pgType: 'text' },
  { name: 'fields', pgType: 'text' },
  { name: 'suggestions_json', pgType: 'text' },
  { name: 'sent_json', pgType: 'text' },
];
const STATE_COLUMNS: BulkColumns = [...OUTCOME_COLUMNS, { name: 'checked_at', pgType: 'text' }, { name: 'attempts', pgType: 'integer' }, { name: 'run_id', pgType: 'text' }];
const RESULT_COLUMNS: BulkColumns = [...OUTCOME_COLUMNS, { name: 'enqueued_at', pgType: 'text' }, { name: 'at', pgType: 'text' }, { name: 'run_id', pgType: 'text' }];
// Never replace a result with one for an older version of the person.
const STATE_UPSERT =
  '(person_id) do update set person_version = excluded.person_version, status = excluded.status, fields = excluded.fields, ' +
  'suggestions_json = excluded.suggestions_json, sent_json = excluded.sent_json, checked_at = excluded.checked_at, ' +
  'run_id = excluded.run_id, attempts = verification_state.attempts + 1 where excluded.person_version >= verification_state.person_version';

/** Ids per SQLite `IN` list (PostgreSQL takes one array parameter). */
const SQLITE_IN_CHUNK = 5000;

/** Removes the batch's queue rows it still holds; returns their person ids. */
async function takeOwned(trx: Kysely<Database>, dialect: DbDialect, token: string, ids: readonly number[]): Promise<Set<number>> {
  const owned = new Set<number>();
  if (dialect === 'postgres') {
    const r = await sql<{ person_id: number }>`delete from verification_queue where claim_token = ${token} and person_id = any(${[...ids]}::bigint[]) returning person_id`.execute(trx);
    for (const x of r.rows) owned.add(x.person_id);
    return owned;
  }
  for (let i = 0; i < ids.length; i += SQLITE_IN_CHUNK) {
    const gone = await trx.deleteFrom('verification_queue').where('claim_token', '=', token).where('person_id', 'in', ids.slice(i, i + SQLITE_IN_CHUNK)).returning('person_id').execute();
    for (const x of gone) owned.add(x.person_id);
  }
  return owned;
}

/**
 * Writes the outcomes the batch still owns.
 * @param db - database
 * @param token - the batch's claim token
 * @param runId - the run, kept on each row
 * @param outcomes - one per claimed person
 * @returns the outcomes stored (those still owned)
 */
export async function storeResults(db: Kysely<Database>, token: string, runId: string, outcomes: readonly Outcome[]): Promise<Outcome[]> {
  if (outcomes.length === 0) return [];
  const dialect = dialectOf(db);
  const at = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const owned = await takeOwned(trx, dialect, token, outcomes.map((o) => o.personId));
    const kept = outcomes.filter((o) => owned.has(o.personId));
    if (kept.length === 0) return kept;
    const common = kept.map((o) => [o.personId, o.version, o.status, o.fields.join(';'), JSON.stringify(o.suggestions), o.sent === null ? null : JSON.stringify(o.sent)]);
    await bulkInsert(trx, dialect, 'verification_state', STATE_COLUMNS, common.map((c) => [...c, at, 1, runId]), { onConflict: STATE_UPSERT });
    await bulkInsert(trx, dialect, 'verification_result', RESULT_COLUMNS, common.map((c, i) => [...c, kept[i]?.enqueuedAt ?? at, at, runId]));
    return kept;
  });
}
