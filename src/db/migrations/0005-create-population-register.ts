/**
 * 0005: the reference population register service (issue "Identity verification"): the
 * register's entries as loaded from a CSV of `id_number,full_name,dob,sex`, and the stored
 * answers of `POST /v1/identity/verify` by idempotency key, so a retried batch is answered from
 * its first answer and never matched or counted twice.
 */
import type { Kysely, Migration } from 'kysely';
import { nowIsoDefault } from './portable.js';

/** Creates `population_register` and `population_request`. */
export const createPopulationRegister: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('population_register')
      // 12-digit CCCD, or a 9-digit CMND for people who never got one.
      .addColumn('id_number', 'text', (c) => c.primaryKey())
      // NFC, spaces collapsed: as the register spells it.
      .addColumn('full_name', 'text', (c) => c.notNull())
      // nameMatchKey(full_name): what name comparison and the name+dob suggestions use.
      .addColumn('name_key', 'text', (c) => c.notNull())
      // yyyy-mm-dd, yyyy-mm or yyyy.
      .addColumn('dob', 'text', (c) => c.notNull())
      .addColumn('sex', 'text', (c) => c.notNull())
      .addColumn('loaded_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      // The file it was loaded from (base name), or another label.
      .addColumn('source', 'text')
      .execute();
    await db.schema.createIndex('population_register_name_dob_idx').on('population_register').columns(['name_key', 'dob']).execute();

    await db.schema
      .createTable('population_request')
      .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
      // Hex SHA-256 of the request's canonical records: the same key with another body is refused.
      .addColumn('request_sha256', 'text', (c) => c.notNull())
      .addColumn('record_count', 'integer', (c) => c.notNull())
      // The 200 body as sent the first time.
      .addColumn('response_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();
    await db.schema.createIndex('population_request_created_idx').on('population_request').column('created_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('population_request').execute();
    await db.schema.dropTable('population_register').execute();
  },
};
