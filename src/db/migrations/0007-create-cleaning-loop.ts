/**
 * 0007: the data-cleaning loop (issue "Identity verification", section "The cleaning loop"):
 * identity cases escalated by facilities to the local police, citizen reports (phản ánh) with
 * their SLA clock, and the notification outbox (issue 6 reuses it for passport renewals).
 *
 * Every transition of a case or a report is traced in `audit_log` (entities `identity_case`,
 * `citizen_report`) in the same transaction as the change.
 */
import type { Kysely, Migration } from 'kysely';
import { autoId, autoIdType, nowIsoDefault } from './portable.js';

/** Creates `identity_case`, `citizen_report` and `notification_outbox`. */
export const createCleaningLoop: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const id = autoIdType(db);

    await db.schema
      .createTable('identity_case')
      .addColumn('id', id, autoId(db))
      .addColumn('person_id', id, (c) => c.notNull().references('person.id'))
      // The facility that escalated (null when an admin did).
      .addColumn('facility_id', id, (c) => c.references('facility.id'))
      // Where the person is registered (else the facility's): which police see the case.
      .addColumn('province_code', 'text', (c) => c.notNull())
      .addColumn('district_code', 'text')
      // needs_identity_confirmation | confirmed_by_police | corrected_by_police
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      // person.version when escalated, and when resolved (a confirmation holds for that version only).
      .addColumn('person_version', 'integer', (c) => c.notNull())
      .addColumn('resolved_version', 'integer')
      // The verification status when escalated (MISMATCH, NOT_FOUND…), for the police's context.
      .addColumn('verification_status', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('resolved_by', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('resolution_note', 'text')
      .execute();
    await db.schema.createIndex('identity_case_area_idx').on('identity_case').columns(['province_code', 'status', 'id']).execute();
    await db.schema.createIndex('identity_case_person_idx').on('identity_case').columns(['person_id', 'id']).execute();

    await db.schema
      .createTable('citizen_report')
      .addColumn('id', id, autoId(db))
      // Hex SHA-256 of the citizen's lookup token (the token itself is shown once).
      .addColumn('lookup_sha256', 'text', (c) => c.notNull().unique())
      // The person the citizen identified as (null when not found in the registry).
      .addColumn('person_id', id, (c) => c.references('person.id'))
      // Routed to: the facility of their latest active dose, else the province only.
      .addColumn('facility_id', id, (c) => c.references('facility.id'))
      .addColumn('province_code', 'text', (c) => c.notNull())
      // How the citizen identified themselves.
      .addColumn('id_number', 'text', (c) => c.notNull())
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('dob', 'text', (c) => c.notNull())
      // What is wrong: full_name | dob | sex | id_number | dose | other
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('correct_value', 'text')
      .addColumn('description', 'text')
      .addColumn('contact_phone', 'text')
      .addColumn('contact_email', 'text')
      // new | in_progress | resolved | rejected
      .addColumn('status', 'text', (c) => c.notNull())
      // Rejection reason or resolution note.
      .addColumn('status_note', 'text')
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('handled_by', 'text')
      .execute();
    await db.schema.createIndex('citizen_report_facility_idx').on('citizen_report').columns(['facility_id', 'status', 'id']).execute();
    await db.schema.createIndex('citizen_report_province_idx').on('citizen_report').columns(['province_code', 'status', 'id']).execute();

    await db.schema
      .createTable('notification_outbox')
      .addColumn('id', id, autoId(db))
      // sms | push | email | console
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('payload_json', 'text', (c) => c.notNull())
      // pending | sent | failed (failed = gave up after the last attempt)
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      // Earliest time of the next attempt (retries back off).
      .addColumn('next_attempt_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      // A worker's lease on a claimed row: others skip it until then (a crashed worker's rows come back).
      .addColumn('locked_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
      .addColumn('sent_at', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('notification_outbox_due_idx').on('notification_outbox').columns(['status', 'next_attempt_at', 'id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['notification_outbox', 'citizen_report', 'identity_case']) await db.schema.dropTable(t).execute();
  },
};
