/**
 * 0002: the national PKI and trust (issue "Trust and keys"): our keys and certificates (CSCA,
 * DSCs, the facility CA and facility/province data-signing certificates, the trust-list signer),
 * the daily use count of every signing key, foreign trust anchors and document signers imported
 * from trust lists, and the certificate revocation list.
 */
import type { Kysely, Migration } from 'kysely';
import { autoId, autoIdType, nowIsoDefault } from './portable.js';

/** Creates the PKI and trust tables. */
export const createPkiAndTrust: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Where a private key lives; the key itself never enters the database.
    await db.schema
      .createTable('pki_key')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('backend', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('public_spki', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();

    await db.schema
      .createTable('pki_certificate')
      .addColumn('id', autoIdType(db), autoId(db))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('issuer_id', autoIdType(db), (c) => c.references('pki_certificate.id'))
      .addColumn('serial', 'text', (c) => c.notNull())
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('thumbprint', 'text', (c) => c.notNull().unique())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.references('pki_key.id'))
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('owner', 'text')
      .addColumn('not_before', 'text', (c) => c.notNull())
      .addColumn('not_after', 'text', (c) => c.notNull())
      .addColumn('der', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('revoked_at', 'text')
      .addColumn('revoke_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();
    await db.schema.createIndex('pki_certificate_kid_idx').on('pki_certificate').column('kid').execute();
    await db.schema.createIndex('pki_certificate_role_idx').on('pki_certificate').columns(['role', 'status']).execute();

    // "How many certificates did key X sign on day D": one counter row per key and UTC day.
    await db.schema
      .createTable('key_usage_daily')
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('key_usage_daily_pk', ['kid', 'day'])
      .execute();

    // Foreign trust anchors (CSCAs) that imported document signers must chain to.
    await db.schema
      .createTable('trusted_csca')
      .addColumn('id', autoIdType(db), autoId(db))
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('thumbprint', 'text', (c) => c.notNull().unique())
      .addColumn('der', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();

    // Foreign document signers from trust lists; several may share a kid, all are kept.
    await db.schema
      .createTable('trusted_dsc')
      .addColumn('id', autoIdType(db), autoId(db))
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('thumbprint', 'text', (c) => c.notNull().unique())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('certificate_type', 'text', (c) => c.notNull().defaultTo('DSC'))
      .addColumn('der', 'text', (c) => c.notNull())
      .addColumn('csca_id', autoIdType(db), (c) => c.references('trusted_csca.id'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('imported_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();
    await db.schema.createIndex('trusted_dsc_kid_idx').on('trusted_dsc').column('kid').execute();

    // Certificate revocation per the EU DCC revocation design: truncated SHA-256 hashes per kid.
    await db.schema
      .createTable('revocation_entry')
      .addColumn('id', autoIdType(db), autoId(db))
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('hash_type', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addUniqueConstraint('revocation_entry_hash_uq', ['hash_type', 'hash'])
      .execute();
    await db.schema.createIndex('revocation_entry_kid_idx').on('revocation_entry').columns(['kid', 'id']).execute();
    await db.schema.createIndex('revocation_entry_created_idx').on('revocation_entry').column('created_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['revocation_entry', 'trusted_dsc', 'trusted_csca', 'key_usage_daily', 'pki_certificate', 'pki_key']) {
      await db.schema.dropTable(t).execute();
    }
  },
};
