/**
 * 0009: central issuance (issue 6, step 3): the certificates we signed, their cached QR images,
 * and the issuance outbox that drives automatic (re-)issuance.
 *
 * Two unique indexes carry the batch's guarantees, so a crash or a concurrent run can never
 * leave a person with two live certificates or issue the same data twice:
 * - `certificate_active_uq`: at most one `active` certificate per person (partial index);
 * - `certificate_idempotency_uq`: one certificate per (person, data version, renewal round).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { autoId, autoIdType, nowIsoDefault } from './portable.js';

/** Creates `certificate`, `certificate_qr` and `issuance_outbox`. */
export const createCertificates: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const id = autoIdType(db);
    await db.schema
      .createTable('certificate')
      .addColumn('id', id, autoId(db))
      .addColumn('uvci', 'text', (c) => c.notNull().unique())
      .addColumn('person_id', id, (c) => c.notNull().references('person.id'))
      .addColumn('person_version', 'integer', (c) => c.notNull())
      .addColumn('dose_id', id, (c) => c.notNull().references('dose.id'))
      // `p<person.version>:<dose id>.<dose version>,…` over the signed active doses, id order.
      .addColumn('data_version', 'text', (c) => c.notNull())
      .addColumn('renewal', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('payload_sha256', 'text', (c) => c.notNull())
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('iat', 'text', (c) => c.notNull())
      .addColumn('exp', 'text', (c) => c.notNull())
      // active | superseded | revoked
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('hc1', 'text', (c) => c.notNull())
      .addColumn('superseded_by', id, (c) => c.references('certificate.id'))
      .addColumn('revoked_reason', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();
    await db.schema.createIndex('certificate_idempotency_uq').on('certificate').columns(['person_id', 'data_version', 'renewal']).unique().execute();
    await db.schema.createIndex('certificate_active_uq').on('certificate').column('person_id').unique().where(sql.ref('status'), '=', 'active').execute();
    // Renewal scans active certificates by expiry.
    await db.schema.createIndex('certificate_status_exp_idx').on('certificate').columns(['status', 'exp']).execute();

    await db.schema
      .createTable('certificate_qr')
      .addColumn('certificate_id', id, (c) => c.notNull().references('certificate.id'))
      // png | svg
      .addColumn('format', 'text', (c) => c.notNull())
      // PNG base64, SVG as is.
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addPrimaryKeyConstraint('certificate_qr_pk', ['certificate_id', 'format'])
      .execute();

    await db.schema
      .createTable('issuance_outbox')
      .addColumn('id', id, autoId(db))
      .addColumn('person_id', id, (c) => c.notNull().references('person.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('processed_at', 'text')
      .addColumn('outcome', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('issuance_outbox_pending_idx').on('issuance_outbox').columns(['processed_at', 'next_attempt_at', 'id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('issuance_outbox').execute();
    await db.schema.dropTable('certificate_qr').execute();
    await db.schema.dropTable('certificate').execute();
  },
};
