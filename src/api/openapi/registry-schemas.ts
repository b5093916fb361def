/**
 * JSON Schemas of the registry API (snake_case, like the import template's fields): request
 * bodies validated at the edge by mountRoute, and the response shapes. The same objects feed
 * the OpenAPI document.
 */
import { FACILITY_TYPES, SIGNING_MODES } from '../../registry/index.js';
import { ref } from './route-spec.js';
import type { JsonSchema } from './route-spec.js';

const str = (max: number, description?: string): JsonSchema => ({ type: 'string', maxLength: max, ...(description ? { description } : {}) });
const nullableStr = (max: number, description?: string): JsonSchema => ({ type: ['string', 'null'], maxLength: max, ...(description ? { description } : {}) });
const PROVINCE = { type: 'string', pattern: '^\\d{2}$', description: '2-digit GSO province code, e.g. `01` (Hà Nội)' };
const DISTRICT = { type: ['string', 'null'], pattern: '^\\d{3}$', description: '3-digit GSO district code' };
const FACILITY_CODE = { type: 'string', minLength: 1, maxLength: 40, description: 'Facility code' };
const REASON = { type: 'string', minLength: 1, maxLength: 500, description: 'Why (kept in the history)' };

export const NEW_FACILITY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'province_code'],
  properties: { code: FACILITY_CODE, name: { type: 'string', minLength: 1, maxLength: 200 }, province_code: PROVINCE, district_code: DISTRICT, type: { enum: [...FACILITY_TYPES], default: 'health_station' } },
};

export const FACILITY_PATCH: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'Fields to change; code and province are the facility\'s identity and never change',
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, district_code: DISTRICT, type: { enum: [...FACILITY_TYPES] }, active: { type: 'boolean', description: 'false closes the facility (its records stay)' } },
};

export const PROVINCE_SIGNING_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['mode'],
  properties: { mode: { enum: [...SIGNING_MODES] }, focal_facility_code: { ...FACILITY_CODE, type: ['string', 'null'], description: 'The focal unit (type so_y_te or cdc, same province) for mode focal_unit' } },
};

const PERSON_FIELDS = {
  full_name: str(200, 'As written; legacy encodings are repaired and the name normalised (the raw form is kept)'),
  dob: str(40, 'Date of birth: yyyy-mm-dd, dd/mm/yyyy, yyyy-mm or yyyy'),
  sex: str(20, 'M/F, Nam/Nữ'),
  id_number: nullableStr(40, 'CCCD (12 digits), CMND (9 digits) or passport number'),
  id_country: nullableStr(3, 'Issuing state of a passport (ISO 3166 alpha-3); default the nationality'),
  nationality: str(3, 'ISO 3166 alpha-3, default VNM'),
  phone: nullableStr(30),
  province_code: nullableStr(60, '2-digit code or province name'),
  district_code: DISTRICT,
  ward_code: nullableStr(5, '5-digit ward code'),
};

export const NEW_PERSON: JsonSchema = { type: 'object', additionalProperties: false, required: ['full_name', 'dob', 'sex'], properties: PERSON_FIELDS };

export const PERSON_CORRECTION: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  minProperties: 2,
  properties: { ...PERSON_FIELDS, reason: REASON, version: { type: 'integer', minimum: 1, description: 'Apply only if the person is still at this version (409 otherwise)' } },
};

const DOSE_FIELDS = {
  vaccine: str(100, 'Product as written ("AstraZeneca", "Pfizer", "Vero Cell"), EU code or our product id'),
  lot: nullableStr(60),
  dose_date: str(40, 'yyyy-mm-dd or dd/mm/yyyy'),
  dose_number: { type: ['integer', 'string'], description: '1, 2, 3… (text like "Mũi 2" is read too)' },
  vaccinator: nullableStr(200),
};

export const NEW_DOSE: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['person_id', 'facility_code', 'vaccine', 'dose_date', 'dose_number'],
  properties: { person_id: { type: 'integer', minimum: 1 }, facility_code: FACILITY_CODE, ...DOSE_FIELDS },
};

export const DOSE_CORRECTION: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  minProperties: 2,
  properties: { ...DOSE_FIELDS, reason: REASON, version: { type: 'integer', minimum: 1, description: 'Apply only if the dose is still at this version (409 otherwise)' } },
};

export const VOID_DOSE: JsonSchema = { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: REASON } };

const WARNINGS = { type: 'array', items: ref('FieldIssue'), description: 'Warnings (accepted, but worth a look)' };

/** Response schemas, by name (components.schemas). */
export const REGISTRY_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Facility: {
    type: 'object',
    required: ['code', 'name', 'province_code', 'district_code', 'type', 'active'],
    properties: {
      id: { type: 'integer' },
      code: { type: 'string' },
      name: { type: 'string' },
      province_code: { type: 'string' },
      district_code: { type: ['string', 'null'] },
      type: { enum: [...FACILITY_TYPES] },
      active: { type: 'boolean' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
    },
  },
  ProvinceSigning: {
    type: 'object',
    required: ['province_code', 'mode', 'focal_facility_code'],
    properties: { province_code: { type: 'string' }, mode: { enum: [...SIGNING_MODES] }, focal_facility_code: { type: ['string', 'null'] }, updated_at: { type: ['string', 'null'] }, updated_by: { type: ['string', 'null'] } },
  },
  PersonDocument: {
    type: 'object',
    properties: { id: { type: 'integer' }, kind: { enum: ['CCCD', 'CMND', 'PASSPORT'] }, number: { type: 'string' }, country: { type: 'string' }, current: { type: 'boolean' }, created_at: { type: 'string' } },
  },
  Person: {
    type: 'object',
    required: ['id', 'full_name', 'dob', 'sex', 'version', 'documents'],
    properties: {
      id: { type: 'integer' },
      full_name: { type: 'string', description: 'Normalised display form' },
      full_name_raw: { type: 'string', description: 'As entered' },
      dob: { type: 'string', description: 'yyyy-mm-dd, yyyy-mm or yyyy' },
      sex: { enum: ['M', 'F'] },
      nationality: { type: 'string' },
      phone: { type: ['string', 'null'] },
      province_code: { type: ['string', 'null'] },
      district_code: { type: ['string', 'null'] },
      ward_code: { type: ['string', 'null'] },
      version: { type: 'integer' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
      documents: { type: 'array', items: ref('PersonDocument') },
      doses: { type: 'array', items: ref('Dose'), description: 'Active doses (GET /people/{id} only)' },
    },
  },
  PersonResult: { allOf: [ref('Person'), { type: 'object', properties: { warnings: WARNINGS } }] },
  Dose: {
    type: 'object',
    required: ['id', 'person_id', 'facility_code', 'product_id', 'dose_date', 'dose_number', 'dose_kind', 'status', 'version'],
    properties: {
      id: { type: 'integer' },
      person_id: { type: 'integer' },
      facility_code: { type: 'string' },
      product_id: { type: 'string', description: 'Our product id (astrazeneca, comirnaty, vero_cell…)' },
      lot: { type: ['string', 'null'] },
      dose_date: { type: 'string', format: 'date' },
      dose_number: { type: 'integer' },
      dose_kind: { enum: ['primary', 'booster'] },
      vaccinator: { type: ['string', 'null'] },
      source: { enum: ['form', 'api', 'import', 'fhir', 'seed'] },
      status: { enum: ['active', 'voided'] },
      void_reason: { type: ['string', 'null'] },
      version: { type: 'integer' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
    },
  },
  DoseResult: { allOf: [ref('Dose'), { type: 'object', properties: { warnings: WARNINGS } }] },
  DosePage: { type: 'object', required: ['items', 'next_cursor'], properties: { items: { type: 'array', items: ref('Dose') }, next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page' } } },
  HistoryEntry: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      at: { type: 'string' },
      actor: { type: 'string' },
      action: { type: 'string', examples: ['create', 'correct', 'void'] },
      entity: { enum: ['person', 'dose'] },
      entity_id: { type: 'string' },
      before: { type: ['object', 'null'] },
      after: { type: ['object', 'null'] },
      reason: { type: ['string', 'null'] },
    },
  },
};
