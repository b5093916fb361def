/**
 * Row types of the cleaning-loop tables (migration 0007): identity cases escalated to the police,
 * citizen reports and the notification outbox. Conventions as in `./database.ts`.
 */
import type { Generated, GeneratedAlways } from 'kysely';

export interface IdentityCaseTable {
  id: GeneratedAlways<number>;
  person_id: number;
  facility_id: number | null;
  province_code: string;
  district_code: string | null;
  /** `needs_identity_confirmation`, `confirmed_by_police` or `corrected_by_police`. */
  status: string;
  note: string;
  person_version: number;
  resolved_version: number | null;
  verification_status: string | null;
  created_by: string;
  created_at: Generated<string>;
  updated_at: Generated<string>;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
}

export interface CitizenReportTable {
  id: GeneratedAlways<number>;
  lookup_sha256: string;
  person_id: number | null;
  facility_id: number | null;
  province_code: string;
  id_number: string;
  full_name: string;
  dob: string;
  /** `full_name`, `dob`, `sex`, `id_number`, `dose` or `other`. */
  field: string;
  correct_value: string | null;
  description: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  /** `new`, `in_progress`, `resolved` or `rejected`. */
  status: string;
  status_note: string | null;
  due_at: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  handled_by: string | null;
}

export interface NotificationOutboxTable {
  id: GeneratedAlways<number>;
  /** `sms`, `push`, `email` or `console`. */
  channel: string;
  recipient: string;
  template: string;
  payload_json: string;
  /** `pending`, `sent` or `failed`. */
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<string>;
  locked_until: string | null;
  created_at: Generated<string>;
  sent_at: string | null;
  error: string | null;
}
