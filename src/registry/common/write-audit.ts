/**
 * One `audit_log` row per change to a registry record. Callers pass the transaction that makes
 * the change, so the trail and the change commit (or roll back) together.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';

/** Kinds of registry records the trail covers. */
export type AuditEntity = 'person' | 'dose' | 'facility' | 'province_signing' | 'api_token' | 'import_quarantine' | 'identity_case' | 'citizen_report' | 'certificate';

/** One change: who did what to which record, and the record before and after. */
export interface AuditEntry {
  readonly actor: string;
  /** `create`, `correct`, `void`, `update`, `revoke`… */
  readonly action: string;
  readonly entity: AuditEntity;
  readonly entityId: number | string;
  /** The record before; null for a creation. */
  readonly before: unknown;
  /** The record after; null for a deletion. */
  readonly after: unknown;
  /** Why (corrections and voids); stored inside `after_json` as `_reason`. */
  readonly reason?: string;
}

/**
 * Appends one audit row.
 * @param db - the transaction making the change
 * @param entry - what changed
 */
export async function writeAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  const after: unknown =
    entry.after === null || entry.after === undefined ? null : entry.reason === undefined || typeof entry.after !== 'object' ? entry.after : { ...entry.after, _reason: entry.reason };
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      before_json: entry.before === null || entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: after === null ? null : JSON.stringify(after),
    })
    .execute();
}
