/**
 * The OpenAPI 3.1 document of the population database contract: what VaxPass's HTTP client
 * expects from the national service and what the reference service (`vaxpass population serve`)
 * answers, at its `/openapi.json`. Separate from the VaxPass API document (`/openapi.json` of
 * `vaxpass start`): this one describes the other side of the wire.
 */
import { MAX_RECORDS_PER_REQUEST } from './wire-format.js';

type Json = Record<string, unknown>;

const FIELD = { enum: ['id_number', 'full_name', 'dob', 'sex'] };
const REASONS = ['ID_ONE_DIGIT_AWAY', 'DOB_DAY_MONTH_SWAPPED', 'CMND_REPLACED_BY_CCCD', 'NAME_CLOSE', 'SEX_DIFFERS', 'DOB_DIFFERS', 'FOUND_BY_NAME_DOB'];
const nullableText = (description: string): Json => ({ type: ['string', 'null'], maxLength: 200, description });

const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/**
 * Builds the document.
 * @param serverUrl - where the service runs, listed under `servers` when given
 */
export function populationOpenApi(serverUrl?: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Population database identity verification (C06 contract, VaxPass reference service)',
      version: '1.0.0',
      description:
        'Batch verification of identities (ID number, full name, date of birth, sex) against the national population register. ' +
        'Each record gets exactly one result, in request order. Retries are safe: a request repeated with the same `Idempotency-Key` ' +
        'and the same records is answered from the stored first answer (`Idempotent-Replayed: true`) and counted once. ' +
        'When an API key is configured, calls to `/v1/*` need `Authorization: Bearer <key>`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths: {
      '/v1/identity/verify': {
        post: {
          operationId: 'verifyIdentities',
          summary: `Verify up to ${MAX_RECORDS_PER_REQUEST} records`,
          security: [{ bearer: [] }, {}],
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Names this batch (≤ 200 characters). A repeat with the same key and records gets the stored answer; the same key with other records is refused (422 IDEMPOTENCY_KEY_REUSED). ' +
                'VaxPass sends the hex SHA-256 of the canonical records. Stored answers expire after 24 h.',
              schema: { type: 'string', maxLength: 200 },
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/VerifyRequest' } } } },
          responses: {
            '200': {
              description: 'One result per record, in request order.',
              headers: { 'Idempotent-Replayed': { description: '`true` when answered from the stored answer of an earlier request with this key.', schema: { type: 'string', enum: ['true'] } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/VerifyResponse' } } },
            },
            '400': problem('The body is not JSON (BAD_REQUEST).'),
            '401': problem('Missing or wrong API key (UNAUTHENTICATED).'),
            '413': problem(`More than ${MAX_RECORDS_PER_REQUEST} records, or a body over 4 MiB (TOO_MANY_RECORDS, PAYLOAD_TOO_LARGE).`),
            '422': problem('A record is malformed (VALIDATION, with `issues[{path, message}]`), or the key was used for other records (IDEMPOTENCY_KEY_REUSED).'),
            '500': problem('Failed after the work was done; a retry with the same key gets the stored answer. Retry with backoff.'),
            '503': problem('Unavailable; nothing was done. Retry with backoff.'),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness and register size',
          security: [],
          responses: {
            '200': {
              description: 'Up.',
              content: { 'application/json': { schema: { type: 'object', required: ['status'], properties: { status: { const: 'ok' }, register: { type: 'integer', description: 'Entries in the register.' } } } } },
            },
          },
        },
      },
      '/openapi.json': {
        get: { operationId: 'openapi', summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The service API key (`VAXPASS_POPULATION_KEY`), when one is configured.' } },
      schemas: {
        VerifyRequest: {
          type: 'object',
          required: ['records'],
          properties: { records: { type: 'array', maxItems: MAX_RECORDS_PER_REQUEST, items: { $ref: '#/components/schemas/VerifyRecord' } } },
        },
        VerifyRecord: {
          type: 'object',
          required: ['record_id'],
          properties: {
            record_id: { type: 'string', minLength: 1, maxLength: 200, description: "The caller's id of the record, echoed in its result." },
            id_number: nullableText('12-digit CCCD or 9-digit CMND.'),
            full_name: nullableText('As recorded, any Unicode form (compared after normalisation: NFC, tone placement, legacy encodings, case, spacing).'),
            dob: nullableText('`yyyy-mm-dd`, `yyyy-mm` or `yyyy`.'),
            sex: { enum: ['M', 'F', null] },
          },
        },
        VerifyResponse: {
          type: 'object',
          required: ['results'],
          properties: { results: { type: 'array', items: { $ref: '#/components/schemas/VerifyResult' } } },
        },
        VerifyResult: {
          type: 'object',
          required: ['record_id', 'status', 'fields', 'suggestions'],
          properties: {
            record_id: { type: 'string' },
            status: {
              enum: ['VERIFIED', 'MISMATCH', 'NOT_FOUND', 'NOT_SENT'],
              description: 'VERIFIED: all fields agree. MISMATCH: the ID exists, `fields` differ. NOT_FOUND: no such ID. NOT_SENT: required data missing (`fields`).',
            },
            fields: { type: 'array', items: FIELD },
            suggestions: { type: 'array', items: { $ref: '#/components/schemas/Suggestion' }, description: 'Corrections from the register, best first; never applied automatically.' },
          },
        },
        Suggestion: {
          type: 'object',
          required: ['reason', 'values'],
          properties: {
            reason: { enum: REASONS },
            values: { type: 'object', propertyNames: FIELD, additionalProperties: { type: 'string' }, description: "The register's values of the fields to change." },
          },
        },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details; `code` is stable.',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' } },
          additionalProperties: true,
        },
      },
    },
  };
}
