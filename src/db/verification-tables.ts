/**
 * Row types of the verification tables (migration 0006): the latest result per person, the work
 * queue and the append-only history. Conventions as in `./database.ts`.
 */
import type { Generated, GeneratedAlways } from 'kysely';

export interface VerificationStateTable {
  person_id: number;
  /** The `person.version` this result is for; below `person.version` = stale, re-queued. */
  person_version: number;
  /** `VERIFIED`, `MISMATCH`, `NOT_FOUND` or `NOT_SENT`. */
  status: string;
  /** `;`-joined identity fields (MISMATCH: differing; NOT_SENT: missing); `''` otherwise. */
  fields: Generated<string>;
  /** JSON array of `Suggestion`. */
  suggestions_json: Generated<string>;
  /** JSON of the VerifyRecord exactly as sent; null for NOT_SENT. */
  sent_json: string | null;
  /** When this result was obtained (any status). */
  checked_at: string;
  /** Results stored for this person so far, all versions. */
  attempts: Generated<number>;
  run_id: string;
}

export interface VerificationQueueTable {
  person_id: number;
  enqueued_at: string;
  /** Worker holding the lease, null when free. */
  claimed_by: string | null;
  /** Batch of that worker; a result is stored only while its queue row still carries it. */
  claim_token: string | null;
  /** Lease end (ISO UTC); past it another worker may take the row. */
  claimed_until: string | null;
}

export interface VerificationResultTable {
  id: GeneratedAlways<number>;
  person_id: number;
  person_version: number;
  status: string;
  fields: Generated<string>;
  suggestions_json: Generated<string>;
  sent_json: string | null;
  enqueued_at: string;
  at: Generated<string>;
  run_id: string;
}
