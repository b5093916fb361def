/**
 * Reading a person's verification: the latest result (and whether it is stale or queued) and the
 * history of every result, for the API and the cleaning loop.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import type { IdentityField, Suggestion, VerifyRecord, VerifyStatus } from '../verifier.js';
import type { PersonVerification, VerificationHistoryEntry, VerificationState } from './verification-types.js';

const FIELDS = new Set<string>(['id_number', 'full_name', 'dob', 'sex']);

/**
 * The `;`-joined field list as stored.
 * @param text - e.g. `full_name;dob`
 */
export function parseFieldList(text: string): IdentityField[] {
  return text === '' ? [] : text.split(';').filter((f): f is IdentityField => FIELDS.has(f));
}

function parseJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

/** A `verification_state` row as read. */
export interface StateRow {
  person_id: number;
  person_version: number;
  status: string;
  fields: string;
  suggestions_json: string;
  sent_json: string | null;
  checked_at: string;
  attempts: number;
  run_id: string;
}

/** The result columns a state row and a history row share, parsed. */
function outcomeOf(r: { person_version: number; status: string; fields: string; suggestions_json: string; sent_json: string | null }) {
  return {
    personVersion: r.person_version,
    status: r.status as VerifyStatus,
    fields: parseFieldList(r.fields),
    suggestions: parseJson<Suggestion[]>(r.suggestions_json, []),
    sent: parseJson<VerifyRecord | null>(r.sent_json, null),
  };
}

/**
 * A state row as the domain type.
 * @param r - `verification_state` row
 */
export function toVerificationState(r: StateRow): VerificationState {
  return {
    personId: r.person_id,
    ...outcomeOf(r),
    checkedAt: r.checked_at,
    attempts: r.attempts,
    runId: r.run_id,
  };
}

interface ResultRow {
  id: number;
  person_version: number;
  status: string;
  fields: string;
  suggestions_json: string;
  sent_json: string | null;
  enqueued_at: string;
  at: string;
  run_id: string;
}

function toHistoryEntry(r: ResultRow): VerificationHistoryEntry {
  return {
    id: r.id,
    ...outcomeOf(r),
    enqueuedAt: r.enqueued_at,
    at: r.at,
    runId: r.run_id,
  };
}

/**
 * A person's current verification: the latest result, whether it is stale (the person changed
 * since) and whether the person is queued.
 * @param db - database or transaction
 * @param personId - person id
 * @throws AppError PERSON_NOT_FOUND (404)
 */
export async function currentVerification(db: Kysely<Database>, personId: number): Promise<PersonVerification> {
  const person = await db.selectFrom('person').select(['id', 'version']).where('id', '=', personId).executeTakeFirst();
  if (!person) throw new AppError('PERSON_NOT_FOUND', `no person with id ${personId}`, 404, { id: personId });
  const [state, queue] = await Promise.all([
    db.selectFrom('verification_state').selectAll().where('person_id', '=', personId).executeTakeFirst(),
    db.selectFrom('verification_queue').select('person_id').where('person_id', '=', personId).executeTakeFirst(),
  ]);
  return {
    personId,
    personVersion: person.version,
    state: state ? toVerificationState(state) : null,
    stale: !state || state.person_version < person.version,
    queued: queue !== undefined,
  };
}

/**
 * Every stored result of a person, oldest first.
 * @param db - database or transaction
 * @param personId - person id
 */
export async function verificationHistory(db: Kysely<Database>, personId: number): Promise<VerificationHistoryEntry[]> {
  const rows = await db.selectFrom('verification_result').selectAll().where('person_id', '=', personId).orderBy('id').execute();
  return rows.map(toHistoryEntry);
}
