/** The error bodies every route may answer with (RFC 9457 problem details). */
import type { JsonSchema } from './route-spec.js';

const FIELD_ISSUE: JsonSchema = {
  type: 'object',
  description: 'One problem with one field, in English and Vietnamese.',
  required: ['field', 'code', 'severity', 'en', 'vi'],
  properties: {
    field: { type: 'string', description: 'The field (request path such as `body.documents[0].number`, or a record field such as `id_number`).' },
    code: { type: 'string', description: 'Stable code, e.g. `ID_SEX_MISMATCH`, `SCHEMA_REQUIRED`.' },
    severity: { enum: ['error', 'warning'] },
    en: { type: 'string' },
    vi: { type: 'string' },
  },
};

const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable, clients switch on it.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', examples: ['NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'PERSON_DOCUMENT_TAKEN'] },
  },
  additionalProperties: true,
};

/** Named schemas of problem bodies, always in the document. */
export const PROBLEM_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Problem: PROBLEM,
  FieldIssue: FIELD_ISSUE,
  ValidationProblem: {
    allOf: [
      { $ref: '#/components/schemas/Problem' },
      { type: 'object', required: ['issues'], properties: { issues: { type: 'array', items: { $ref: '#/components/schemas/FieldIssue' } } } },
    ],
    description: 'A problem listing every failing field (codes BAD_REQUEST for the request shape, VALIDATION for the content).',
  },
};
