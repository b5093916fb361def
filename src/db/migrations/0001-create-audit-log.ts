/**
 * 0001: the audit trail. Every change to a person's record (and later, doses and certificates)
 * writes one row here, in the same transaction as the change.
 */
import type { Kysely, Migration } from 'kysely';
import { autoId, autoIdType, nowIsoDefault } from './portable.js';

/** Creates `audit_log` and the indexes its two lookups need. */
export const createAuditLog: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', autoIdType(db), autoId(db))
      .addColumn('at', 'text', (col) => col.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('entity', 'text', (col) => col.notNull())
      .addColumn('entity_id', 'text', (col) => col.notNull())
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .execute();
    // "History of this person": all rows of one record, in order.
    await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity', 'entity_id', 'id']).execute();
    // "What changed between these dates" for supervisors and exports.
    await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('audit_log').execute();
  },
};
