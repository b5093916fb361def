/**
 * JSON Schemas of the cleaning-loop API (worklist, police cases, citizen reports), snake_case
 * like the rest of `/api/v1`: request bodies validated by mountRoute, response shapes for the
 * OpenAPI document.
 */
import { IDENTITY_CASE_STATUSES, REPORT_FIELDS, REPORT_STATUSES, WORKLIST_STATUSES } from '../population/index.js';
import { ref } from './openapi/index.js';
import type { JsonSchema } from './openapi/index.js';

const IDENTITY_FIELD: JsonSchema = { enum: ['id_number', 'full_name', 'dob', 'sex'] };
const NOTE: JsonSchema = { type: 'string', minLength: 1, maxLength: 2000 };
const NULLABLE_STR: JsonSchema = { type: ['string', 'null'] };

/** Identity fields to correct (at least one). */
export const IDENTITY_CORRECTION: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'Identity fields to correct, as entered (validated like any correction: a new id_number becomes the current document, the old one is kept)',
  properties: {
    full_name: { type: 'string', minLength: 1, maxLength: 200 },
    dob: { type: 'string', minLength: 1, maxLength: 40 },
    sex: { type: 'string', minLength: 1, maxLength: 20 },
    id_number: { type: 'string', minLength: 1, maxLength: 40 },
  },
};

export const ACCEPT_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['suggestion'],
  properties: { suggestion: { type: 'integer', minimum: 0, description: 'Index into the current verification\'s `suggestions`' } },
};

export const ESCALATE_BODY: JsonSchema = { type: 'object', additionalProperties: false, required: ['note'], properties: { note: { ...NOTE, description: 'What the facility checked and why the police should confirm' } } };
export const CONFIRM_BODY: JsonSchema = { type: 'object', additionalProperties: false, required: ['note'], properties: { note: { ...NOTE, description: 'What was checked (e.g. the register entry is outdated)' } } };
export const CORRECT_BODY: JsonSchema = { type: 'object', additionalProperties: false, required: ['correction', 'note'], properties: { correction: IDENTITY_CORRECTION, note: NOTE } };

export const NEW_REPORT: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id_number', 'full_name', 'dob', 'field'],
  properties: {
    id_number: { type: 'string', minLength: 1, maxLength: 40, description: 'Your CCCD (12 digits) or CMND (9 digits)' },
    full_name: { type: 'string', minLength: 1, maxLength: 200 },
    dob: { type: 'string', minLength: 1, maxLength: 40, description: 'yyyy-mm-dd, dd/mm/yyyy or yyyy' },
    field: { enum: [...REPORT_FIELDS], description: 'What is wrong' },
    correct_value: { type: ['string', 'null'], maxLength: 200, description: 'The right value (required for full_name, dob, sex, id_number)' },
    description: { type: ['string', 'null'], maxLength: 2000, description: 'Free text (required for dose, other)' },
    contact_phone: { type: ['string', 'null'], maxLength: 30 },
    contact_email: { type: ['string', 'null'], maxLength: 320 },
    province_code: { type: ['string', 'null'], pattern: '^\\d{2}$', description: 'Where to route the report when you are not found in the registry' },
  },
};

export const REPORT_STATUS_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: {
    status: { enum: REPORT_STATUSES.filter((s) => s !== 'new') },
    reason: { type: 'string', maxLength: 2000, description: 'Required to reject; otherwise a note for the citizen' },
    correction: { ...IDENTITY_CORRECTION, description: 'When resolving: identity fields to correct on the person (audited, then re-verified)' },
  },
};

const SUGGESTION: JsonSchema = {
  type: 'object',
  required: ['reason', 'values'],
  properties: { reason: { type: 'string', examples: ['ID_ONE_DIGIT_AWAY', 'DOB_DAY_MONTH_SWAPPED', 'CMND_REPLACED_BY_CCCD', 'NAME_CLOSE'] }, values: { type: 'object', additionalProperties: { type: 'string' } } },
};

const VERIFICATION_OUTCOME: JsonSchema = {
  type: 'object',
  description: 'The re-verification after the correction: `status` null when the person was left queued (`queued_reason` says why)',
  properties: { status: { enum: ['VERIFIED', 'MISMATCH', 'NOT_FOUND', 'NOT_SENT', null] }, fields: { type: 'array', items: IDENTITY_FIELD }, suggestions: { type: 'array', items: SUGGESTION }, queued_reason: NULLABLE_STR },
};

/** Named schemas of the section. */
export const CLEANING_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  WorklistItem: {
    type: 'object',
    properties: {
      person_id: { type: 'integer' },
      person_version: { type: 'integer' },
      full_name: { type: 'string' },
      dob: { type: 'string' },
      sex: { enum: ['M', 'F'] },
      id_number: NULLABLE_STR,
      status: { enum: [...WORKLIST_STATUSES] },
      fields: { type: 'array', items: IDENTITY_FIELD },
      reasons: { type: 'array', items: { type: 'object', properties: { field: IDENTITY_FIELD, code: { enum: ['FIELD_DIFFERS', 'ID_NOT_IN_REGISTER', 'FIELD_MISSING'] }, en: { type: 'string' }, vi: { type: 'string' } } } },
      suggestions: { type: 'array', items: SUGGESTION, description: 'Accept one with POST /api/v1/people/{id}/verification/accept {"suggestion": index}' },
      sent: { type: ['object', 'null'], description: 'The record exactly as sent (null for NOT_SENT)' },
      checked_at: { type: 'string' },
      stale: { type: 'boolean', description: 'Corrected since: re-verification pending' },
      escalation: { type: ['object', 'null'], properties: { case_id: { type: 'integer' }, status: { enum: [...IDENTITY_CASE_STATUSES] }, created_at: { type: 'string' } } },
      open_reports: { type: 'integer' },
    },
  },
  VerificationOutcome: VERIFICATION_OUTCOME,
  IdentityCase: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      person_id: { type: 'integer' },
      facility_code: NULLABLE_STR,
      province_code: { type: 'string' },
      district_code: NULLABLE_STR,
      status: { enum: [...IDENTITY_CASE_STATUSES] },
      note: { type: 'string' },
      person_version: { type: 'integer' },
      resolved_version: { type: ['integer', 'null'] },
      verification_status: NULLABLE_STR,
      created_by: { type: 'string' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
      resolved_by: NULLABLE_STR,
      resolved_at: NULLABLE_STR,
      resolution_note: NULLABLE_STR,
      person: { ...ref('Person'), description: 'GET by id only: the person as recorded' },
      verification: { type: ['object', 'null'], description: 'GET by id only: the current verification (status, fields, suggestions, sent)' },
    },
  },
  CitizenReport: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      person_id: { type: ['integer', 'null'] },
      facility_code: NULLABLE_STR,
      province_code: { type: 'string' },
      id_number: { type: 'string' },
      full_name: { type: 'string' },
      dob: { type: 'string' },
      field: { enum: [...REPORT_FIELDS] },
      correct_value: NULLABLE_STR,
      description: NULLABLE_STR,
      contact_phone: NULLABLE_STR,
      contact_email: NULLABLE_STR,
      status: { enum: [...REPORT_STATUSES] },
      status_note: NULLABLE_STR,
      due_at: { type: 'string' },
      overdue: { type: 'boolean' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
      closed_at: NULLABLE_STR,
      handled_by: NULLABLE_STR,
      trail: { type: 'array', items: ref('ReportTrailEntry') },
    },
  },
  CitizenReportStatus: {
    type: 'object',
    description: 'What the citizen sees with their lookup token',
    properties: {
      id: { type: 'integer' },
      field: { enum: [...REPORT_FIELDS] },
      status: { enum: [...REPORT_STATUSES] },
      status_note: NULLABLE_STR,
      due_at: { type: 'string' },
      overdue: { type: 'boolean' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
      closed_at: NULLABLE_STR,
      trail: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, status: { enum: [...REPORT_STATUSES] } } } },
    },
  },
  ReportTrailEntry: {
    type: 'object',
    properties: { at: { type: 'string' }, actor: { type: 'string' }, action: { type: 'string' }, status: { enum: [...REPORT_STATUSES] }, note: NULLABLE_STR },
  },
};
