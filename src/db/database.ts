/**
 * The tables Kysely knows about, one interface per table. Column types follow the portable
 * conventions of `./migrations/index.ts`: timestamps are ISO-8601 UTC text with milliseconds
 * (`2025-01-02T03:04:05.678Z`, what `Date#toISOString()` gives), so they read the same on both
 * engines and sort chronologically as plain strings; JSON is stored as text.
 */
import type { GeneratedAlways, Generated } from 'kysely';

/**
 * `audit_log`: one append-only row per change to a record (a person, a dose…). Written in the
 * same transaction as the change it describes, so the trail can never miss a committed change.
 */
export interface AuditLogTable {
  /** Assigned by the database, increasing; never reused. */
  id: GeneratedAlways<number>;
  /** When the change happened (ISO-8601 UTC); defaults to the database clock. */
  at: Generated<string>;
  /** Who made the change: a user id, `system`, or `cli:<os user>`. */
  actor: string;
  /** What was done, e.g. `create`, `update`, `delete`, `merge`. */
  action: string;
  /** The kind of record changed, e.g. `person`, `dose`. */
  entity: string;
  /** The changed record's id, as text whatever its type. */
  entity_id: string;
  /** The record before the change as JSON; `null` for a creation. */
  before_json: string | null;
  /** The record after the change as JSON; `null` for a deletion. */
  after_json: string | null;
}

/** Every table of the VaxPass database. Later migrations add their tables here. */
export interface Database {
  audit_log: AuditLogTable;
}
