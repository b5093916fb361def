/**
 * 0008: facility signing of dose records (issue 6, step 2). One row per signed version of a dose
 * record: a correction (new `dose.version`) or an identity change (new `person.version`) leaves
 * the old row as history and needs a new signature.
 */
import type { Kysely, Migration } from 'kysely';
import { autoId, autoIdType, nowIsoDefault } from './portable.js';

/** Creates `dose_signature`. */
export const createDoseSigning: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const id = autoIdType(db);
    await db.schema
      .createTable('dose_signature')
      .addColumn('id', id, autoId(db))
      .addColumn('dose_id', id, (c) => c.notNull().references('dose.id'))
      .addColumn('dose_version', 'integer', (c) => c.notNull())
      .addColumn('person_version', 'integer', (c) => c.notNull())
      .addColumn('signer_facility_id', id, (c) => c.notNull().references('facility.id'))
      .addColumn('certificate_id', id, (c) => c.notNull().references('pki_certificate.id'))
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('canonical_sha256', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('signed_at', 'text', (c) => c.notNull())
      .addColumn('signed_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      // One signature per signed version; the person's version is part of it because the
      // identity snapshot is signed too. Its (dose_id, …) prefix serves lookups by dose.
      .addUniqueConstraint('dose_signature_version_uq', ['dose_id', 'dose_version', 'person_version'])
      .execute();
    await db.schema.createIndex('dose_signature_signer_idx').on('dose_signature').columns(['signer_facility_id', 'signed_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('dose_signature').execute();
  },
};
