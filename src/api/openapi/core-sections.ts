/**
 * Documentation of the routes mounted directly in app.ts and the trust routers (health,
 * version, verification, published trust lists, revocation). Those handlers read their own
 * input; these specs only describe them.
 */
import { REVOCATION_REASONS } from '../../trust/revocation.js';
import { ref } from './route-spec.js';
import type { ApiSection, RouteSpec } from './route-spec.js';

const problem = (description: string): { description: string; schema: Readonly<Record<string, unknown>>; contentType: string } => ({ description, schema: ref('Problem'), contentType: 'application/problem+json' });
const etagHeaders = { etag: { description: 'Content hash; send it back as If-None-Match', schema: { type: 'string' } } };

const VERIFY_RESULT = {
  type: 'object',
  description: 'A verdict: `valid: false` with a `code` for a bad certificate (this is data, not an HTTP error).',
  required: ['valid', 'message', 'problems', 'signatureVerified'],
  properties: {
    valid: { type: 'boolean' },
    code: { type: 'string', examples: ['HC1_BASE45', 'HC1_EXPIRED', 'HC1_REVOKED'] },
    message: { type: 'string' },
    problems: { type: 'array', items: { type: 'object' } },
    signatureVerified: { type: 'boolean' },
    alg: { type: 'string' },
    kid: { type: 'string' },
    claims: { type: 'object', properties: { iss: { type: 'string' }, iat: { type: 'integer' }, exp: { type: 'integer' } } },
    payload: { type: 'object', description: 'The EU DCC payload (eu-dcc-schema)' },
    certificateType: { enum: ['v', 't', 'r'] },
    signer: { type: 'object', properties: { kid: { type: 'string' }, country: { type: 'string' }, subject: { type: 'string' }, notAfter: { type: 'string' } } },
  },
};

const REVOCATION_LIST = {
  type: 'object',
  required: ['generatedAt', 'since', 'kids'],
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    since: { type: ['string', 'null'] },
    kids: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kid', 'hashType', 'hashes'],
        properties: { kid: { type: 'string' }, hashType: { enum: ['UCI', 'COUNTRYCODEUCI', 'SIGNATURE'] }, hashes: { type: 'array', items: { type: 'string' } }, reasons: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

const REVOKE_REQUEST = {
  oneOf: [
    { type: 'object', required: ['hc1', 'reason'], properties: { hc1: { type: 'string', minLength: 1 }, reason: { enum: [...REVOCATION_REASONS] } } },
    {
      type: 'object',
      required: ['uvci', 'kid', 'reason'],
      properties: { uvci: { type: 'string', minLength: 1 }, kid: { type: 'string', minLength: 1 }, country: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' }, reason: { enum: [...REVOCATION_REASONS] } },
    },
  ],
};

const REVOKE_OUTCOME = {
  type: 'object',
  required: ['kid', 'reason', 'expiresAt', 'entries'],
  properties: {
    kid: { type: 'string' },
    reason: { type: 'string' },
    expiresAt: { type: ['string', 'null'] },
    entries: { type: 'array', items: { type: 'object', properties: { hashType: { type: 'string' }, hash: { type: 'string' }, created: { type: 'boolean' } } } },
  },
};

const CORE_SPECS: RouteSpec[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness and database reachability',
    tags: ['service'],
    responses: {
      '200': { description: 'Up', schema: { type: 'object', properties: { status: { const: 'ok' }, db: { type: 'string' } } } },
      '503': { description: 'The database is unreachable', schema: { type: 'object', properties: { status: { const: 'unavailable' }, reason: { type: 'string' } } } },
    },
  },
  {
    method: 'get',
    path: '/version',
    operationId: 'getVersion',
    summary: 'Service version',
    tags: ['service'],
    responses: { '200': { description: 'Version', schema: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' }, node: { type: 'string' } } } } },
  },
  {
    method: 'post',
    path: '/verify',
    operationId: 'verifyHc1',
    summary: 'Verify an EU DCC (HC1) certificate',
    description: 'Send the QR text (`text/plain` or JSON `{"hc1": "HC1:…", "at"?: ISO time}`) or a picture of the QR code (PNG/JPEG).',
    tags: ['verification'],
    query: { at: { schema: { type: 'string', format: 'date-time' }, description: 'Verify as of this time (default now)' } },
    body: {
      contentTypes: {
        'application/json': { type: 'object', required: ['hc1'], properties: { hc1: { type: 'string' }, at: { type: 'string', format: 'date-time' } } },
        'text/plain': { type: 'string' },
        'image/png': { type: 'string', contentMediaType: 'image/png' },
        'image/jpeg': { type: 'string', contentMediaType: 'image/jpeg' },
      },
    },
    responses: {
      '200': { description: 'The verdict', schema: VERIFY_RESULT },
      '413': problem('Body above 4 MiB'),
      '415': problem('Unsupported media type'),
      '422': problem('No QR code found in the picture'),
    },
  },
];

const TRUST_SPECS: RouteSpec[] = [
  {
    method: 'get',
    path: '/trust/dsc',
    operationId: 'getTrustDsc',
    summary: 'Our document signer certificates (EU gateway trust-list format, signed)',
    tags: ['trust'],
    responses: { '200': { description: 'Trust list; `X-Signature` signs the body', schema: { type: 'array', items: { type: 'object' } }, headers: etagHeaders }, '304': { description: 'Not modified' } },
  },
  {
    method: 'get',
    path: '/trust/csca',
    operationId: 'getTrustCsca',
    summary: 'Our country signing CA (EU gateway trust-list format, signed)',
    tags: ['trust'],
    responses: { '200': { description: 'Trust list; `X-Signature` signs the body', schema: { type: 'array', items: { type: 'object' } }, headers: etagHeaders }, '304': { description: 'Not modified' } },
  },
  {
    method: 'get',
    path: '/trust/signer',
    operationId: 'getTrustSigner',
    summary: 'PEM of the trust-list signer followed by the CSCA',
    tags: ['trust'],
    responses: { '200': { description: 'PEM certificates', schema: { type: 'string' }, contentType: 'application/x-pem-file' } },
  },
  {
    method: 'get',
    path: '/trust/revocation',
    operationId: 'getRevocationList',
    summary: 'Revoked certificates (truncated hashes per kid), optionally since a time',
    tags: ['trust'],
    query: { since: { schema: { type: 'string', format: 'date-time' }, description: 'Only what was added since (pass the previous `generatedAt`)' } },
    responses: { '200': { description: 'The list', schema: REVOCATION_LIST, headers: etagHeaders }, '304': { description: 'Not modified' } },
  },
  {
    method: 'post',
    path: '/trust/revocation',
    operationId: 'revokeCertificate',
    summary: 'Revoke a certificate (by its HC1 text, or its UVCI and signer kid)',
    tags: ['trust'],
    auth: { roles: ['ministry'] },
    body: { contentTypes: { 'application/json': REVOKE_REQUEST } },
    responses: { '200': { description: 'Already revoked', schema: REVOKE_OUTCOME }, '201': { description: 'Revoked', schema: REVOKE_OUTCOME }, '422': problem('The certificate cannot be verified against our trust store') },
  },
];

/** Routes always present. */
export const CORE_SECTION: ApiSection = {
  tags: [
    { name: 'service', description: 'Health and version' },
    { name: 'verification', description: 'Verify EU DCC certificates' },
  ],
  specs: CORE_SPECS,
};

/** Routes present when the app has a database. */
export const TRUST_SECTION: ApiSection = {
  tags: [{ name: 'trust', description: 'Published trust lists and certificate revocation' }],
  specs: TRUST_SPECS,
};
