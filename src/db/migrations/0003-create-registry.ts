/**
 * 0003: the vaccination registry (issue "Vaccination registry"): facilities and the per-province
 * choice of who signs their data, people and their identity documents, doses, bulk-import jobs
 * and the quarantine of rows that failed validation; plus API access tokens with a role and a
 * scope (least privilege per role).
 *
 * Changes to people and doses are traced in `audit_log` (0001). Rows created by a bulk import
 * carry `import_id`: the job row says who imported which file (its SHA-256) and when.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { autoId, autoIdType, nowIsoDefault } from './portable.js';

/** Creates the registry and access tables. */
export const createRegistry: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const id = autoIdType(db);

    await db.schema
      .createTable('facility')
      .addColumn('id', id, autoId(db))
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('province_code', 'text', (c) => c.notNull())
      .addColumn('district_code', 'text')
      // hospital, health_centre, health_station, private, mobile, cdc, so_y_te (the last two can be focal units)
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();
    await db.schema.createIndex('facility_province_idx').on('facility').column('province_code').execute();

    // Who signs a province's vaccination data (step 2): each facility itself (default), or one
    // focal unit (its Sở Y tế or CDC) for all facilities of the province.
    await db.schema
      .createTable('province_signing')
      .addColumn('province_code', 'text', (c) => c.primaryKey())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('focal_facility_id', id, (c) => c.references('facility.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('person')
      .addColumn('id', id, autoId(db))
      // As entered (or as read from the file, before any encoding repair).
      .addColumn('full_name_raw', 'text', (c) => c.notNull())
      // NFC, repaired, one tone placement, Title Case: what we show and put on the certificate.
      .addColumn('full_name', 'text', (c) => c.notNull())
      // Diacritics-free lower case, for search ("nguyen van an").
      .addColumn('name_fold', 'text', (c) => c.notNull())
      // yyyy-mm-dd, yyyy-mm or yyyy (EU DCC allows partial dates of birth).
      .addColumn('dob', 'text', (c) => c.notNull())
      .addColumn('sex', 'text', (c) => c.notNull())
      .addColumn('nationality', 'text', (c) => c.notNull().defaultTo('VNM'))
      .addColumn('phone', 'text')
      .addColumn('province_code', 'text')
      .addColumn('district_code', 'text')
      .addColumn('ward_code', 'text')
      // For people recorded without an ID number: hash of name key, dob, sex and phone, so a
      // re-imported list finds them again instead of creating twins.
      .addColumn('dedup_key', 'text')
      // Bumped on every change to identity data; issuance uses it to stay idempotent.
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('import_id', id)
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();
    await db.schema.createIndex('person_name_dob_idx').on('person').columns(['name_fold', 'dob']).execute();
    await db.schema.createIndex('person_dedup_idx').on('person').column('dedup_key').execute();
    await db.schema.createIndex('person_province_idx').on('person').columns(['province_code', 'district_code']).execute();

    // Identity documents; a person may hold several over time (CMND, then CCCD; a passport).
    await db.schema
      .createTable('person_document')
      .addColumn('id', id, autoId(db))
      .addColumn('person_id', id, (c) => c.notNull().references('person.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull().defaultTo('VNM'))
      .addColumn('current', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addUniqueConstraint('person_document_number_uq', ['number', 'kind', 'country'])
      .execute();
    await db.schema.createIndex('person_document_person_idx').on('person_document').column('person_id').execute();

    await db.schema
      .createTable('import_job')
      .addColumn('id', id, autoId(db))
      .addColumn('facility_id', id, (c) => c.notNull().references('facility.id'))
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('file_sha256', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('warnings', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('import_job_facility_idx').on('import_job').columns(['facility_id', 'id']).execute();

    await db.schema
      .createTable('dose')
      .addColumn('id', id, autoId(db))
      .addColumn('person_id', id, (c) => c.notNull().references('person.id'))
      .addColumn('facility_id', id, (c) => c.notNull().references('facility.id'))
      .addColumn('product_id', 'text', (c) => c.notNull())
      .addColumn('lot', 'text')
      .addColumn('dose_date', 'text', (c) => c.notNull())
      .addColumn('dose_number', 'integer', (c) => c.notNull())
      // primary | booster
      .addColumn('dose_kind', 'text', (c) => c.notNull())
      .addColumn('vaccinator', 'text')
      // form | api | import | fhir | seed
      .addColumn('source', 'text', (c) => c.notNull())
      // active | voided
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('void_reason', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('import_id', id, (c) => c.references('import_job.id'))
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .execute();
    await db.schema.createIndex('dose_person_idx').on('dose').columns(['person_id', 'dose_date']).execute();
    await db.schema.createIndex('dose_facility_idx').on('dose').columns(['facility_id', 'dose_date', 'id']).execute();
    // One active dose per person, product and day: the database itself refuses double entry.
    await db.schema
      .createIndex('dose_active_uq')
      .on('dose')
      .columns(['person_id', 'product_id', 'dose_date'])
      .unique()
      .where(sql.ref('status'), '=', 'active')
      .execute();

    // Rows that failed validation, kept for correction and resubmission (never dropped).
    await db.schema
      .createTable('import_quarantine')
      .addColumn('id', id, autoId(db))
      .addColumn('import_id', id, (c) => c.notNull().references('import_job.id'))
      .addColumn('facility_id', id, (c) => c.notNull().references('facility.id'))
      .addColumn('row_number', 'integer', (c) => c.notNull())
      // The row as read: {"full_name": "...", ...} with the template's canonical field names.
      .addColumn('raw_json', 'text', (c) => c.notNull())
      // [{field, code, en, vi}] of the last validation.
      .addColumn('issues_json', 'text', (c) => c.notNull())
      // SHA-256 of the raw row: re-importing the same file does not quarantine a row twice.
      .addColumn('row_hash', 'text', (c) => c.notNull())
      // pending | resubmitted | discarded
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('dose_id', id, (c) => c.references('dose.id'))
      .addColumn('resolved_by', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addUniqueConstraint('import_quarantine_row_uq', ['facility_id', 'row_hash'])
      .execute();
    await db.schema.createIndex('import_quarantine_facility_idx').on('import_quarantine').columns(['facility_id', 'status', 'id']).execute();

    // API bearer tokens: only the SHA-256 of the secret is stored.
    await db.schema
      .createTable('api_token')
      .addColumn('id', id, autoId(db))
      .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      // admin | ministry | province | facility | police | partner
      .addColumn('role', 'text', (c) => c.notNull())
      // facility code for `facility`, province code for `province`/`police`; null = national
      .addColumn('scope', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('revoked_at', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['api_token', 'import_quarantine', 'dose', 'import_job', 'person_document', 'person', 'province_signing', 'facility']) {
      await db.schema.dropTable(t).execute();
    }
  },
};
