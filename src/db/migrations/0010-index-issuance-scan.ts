/**
 * 0010: indexes for the issuance worker at national scale (issue 6). Each pass of its change
 * scan (`scan-issuance-changes.ts`) asks four tables for rows changed since its watermark;
 * without these, every pass read every person, dose, signature and verification result.
 * Also: the watermark row among the processed outbox rows, and the certificates whose
 * revocation-list entry is still due (checked on every pass; partial, so it stays tiny).
 *
 * Plain `CREATE INDEX` (migrations run in one transaction, which rules out PostgreSQL's
 * `CONCURRENTLY`): on a populated national database it blocks writes to each table while
 * that index is built.
 */
import { sql, type Kysely, type Migration } from 'kysely';

/** Creates the scan's timestamp indexes, the watermark index and the due-revocation index. */
export const indexIssuanceScan: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('verification_state_checked_idx').on('verification_state').column('checked_at').execute();
    await db.schema.createIndex('dose_signature_signed_idx').on('dose_signature').column('signed_at').execute();
    await db.schema.createIndex('person_updated_idx').on('person').column('updated_at').execute();
    await db.schema.createIndex('dose_updated_idx').on('dose').column('updated_at').execute();
    await db.schema.createIndex('issuance_outbox_reason_idx').on('issuance_outbox').columns(['reason', 'id']).execute();
    await db.schema
      .createIndex('certificate_revocation_due_idx')
      .on('certificate')
      .column('id')
      .where(sql.ref('revoked_reason'), 'is not', null)
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const name of ['certificate_revocation_due_idx', 'issuance_outbox_reason_idx', 'dose_updated_idx', 'person_updated_idx', 'dose_signature_signed_idx', 'verification_state_checked_idx']) {
      await db.schema.dropIndex(name).execute();
    }
  },
};
