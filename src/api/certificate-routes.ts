/**
 * Issued passports under `/api/v1`: a person's current certificate (JSON, the HC1 text, or the
 * QR as PNG/SVG — rendered on first request and cached in `certificate_qr`), a certificate by
 * UVCI, and revocation by the ministry. Mount with `app.route('/', certificateRoutes(db))` and
 * document with CERTIFICATE_SECTION.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { actorOf, authorize } from '../auth/index.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { renderPng, renderSvg } from '../hcert/qr/index.js';
import { findActiveCertificate, findCertificateByUvci, findQr, markRevoked, saveQr } from '../issuance/central/index.js';
import type { CertificateRow } from '../issuance/central/index.js';
import { REVOCATION_REASONS, revokeCertificate } from '../trust/index.js';
import type { RevocationReason } from '../trust/index.js';
import { authenticate, principalOf } from './auth-middleware.js';
import type { AuthEnv } from './auth-middleware.js';
import { mountRoute, ref } from './openapi/index.js';
import type { ApiSection, JsonSchema, ResponseSpec, RouteSpec } from './openapi/index.js';

const P = '/api/v1';
const problem = (description: string): ResponseSpec => ({ description, schema: ref('Problem'), contentType: 'application/problem+json' });
const READERS = ['ministry', 'province', 'facility'] as const;
const UVCI = { schema: { type: 'string', minLength: 10, maxLength: 80 }, description: 'URN:UVCI:01:VN:…#c (URL-encoded)' };

const CERTIFICATE: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    uvci: { type: 'string' },
    person_id: { type: 'integer' },
    person_version: { type: 'integer' },
    dose_id: { type: 'integer' },
    data_version: { type: 'string', description: 'p<person.version>:<dose id>.<dose version>,… of the signed doses' },
    renewal: { type: 'integer' },
    payload_sha256: { type: 'string' },
    kid: { type: 'string' },
    alg: { enum: ['ES256', 'PS256'] },
    iat: { type: 'string', format: 'date-time' },
    exp: { type: 'string', format: 'date-time' },
    status: { enum: ['active', 'superseded', 'revoked'] },
    superseded_by: { type: ['integer', 'null'] },
    revoked_reason: { type: ['string', 'null'] },
    revoked_at: { type: ['string', 'null'] },
    reason: { type: 'string' },
    created_at: { type: 'string' },
    hc1: { type: 'string', description: 'The signed certificate (QR content)' },
  },
};
const REVOKE_BODY: JsonSchema = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { enum: [...REVOCATION_REASONS] } },
};

const SPECS = {
  personCertificate: {
    method: 'get', path: `${P}/people/{id}/certificate`, operationId: 'getPersonCertificate', summary: "A person's current passport", tags: ['certificates'],
    description: '`format=json` (default): the record with its HC1; `hc1`: the HC1 text; `png`/`svg`: the QR code (rendered once, then cached).',
    auth: { roles: [...READERS] }, pathParams: { id: { schema: { type: 'integer', minimum: 1 } } },
    query: { format: { schema: { enum: ['json', 'hc1', 'png', 'svg'], default: 'json' } }, scale: { schema: { type: 'integer', minimum: 1, maximum: 20 }, description: 'PNG pixels per module (default 4; cached for the default only)' } },
    responses: {
      '200': { description: 'The active certificate', schema: ref('Certificate') },
      '404': problem('CERTIFICATE_NOT_FOUND: the person has no active certificate'),
    },
  },
  byUvci: {
    method: 'get', path: `${P}/certificates/{uvci}`, operationId: 'getCertificate', summary: 'A certificate by UVCI, whatever its status', tags: ['certificates'],
    auth: { roles: [...READERS] }, pathParams: { uvci: UVCI },
    responses: { '200': { description: 'The certificate', schema: ref('Certificate') }, '404': problem('CERTIFICATE_NOT_FOUND') },
  },
  revoke: {
    method: 'post', path: `${P}/certificates/{uvci}/revoke`, operationId: 'revokeIssuedCertificate', summary: 'Revoke a certificate we issued', tags: ['certificates'],
    description: 'Puts it on the revocation list (all three EU hash types) and marks it revoked. Ministry tokens.',
    auth: { roles: ['ministry'] }, pathParams: { uvci: UVCI }, body: { name: 'RevokeIssuedCertificate', schema: REVOKE_BODY },
    responses: { '200': { description: 'Revoked', schema: ref('Certificate') }, '404': problem('CERTIFICATE_NOT_FOUND'), '409': problem('CERTIFICATE_REVOKED: already revoked') },
  },
} satisfies Record<string, RouteSpec>;

/** The certificates' section of the OpenAPI document. */
export const CERTIFICATE_SECTION: ApiSection = {
  tags: [{ name: 'certificates', description: 'Vaccination passports issued centrally (EU DCC, HC1)' }],
  specs: Object.values(SPECS),
  schemas: { Certificate: CERTIFICATE },
};

/** A certificate as the API sends it. */
export function certificateJson(c: CertificateRow): Record<string, unknown> {
  return {
    id: c.id,
    uvci: c.uvci,
    person_id: c.person_id,
    person_version: c.person_version,
    dose_id: c.dose_id,
    data_version: c.data_version,
    renewal: c.renewal,
    payload_sha256: c.payload_sha256,
    kid: c.kid,
    alg: c.alg,
    iat: c.iat,
    exp: c.exp,
    status: c.status,
    superseded_by: c.superseded_by,
    revoked_reason: c.revoked_reason,
    revoked_at: c.revoked_at,
    reason: c.reason,
    created_at: c.created_at,
    hc1: c.hc1,
  };
}

/** Options of {@link certificateRoutes}. */
export interface CertificateRouteOptions {
  /** Called after a revocation so verifiers in this process apply it at once. */
  readonly onRevocationChange?: () => Promise<void>;
}

/**
 * The certificates router (full paths under /api/v1; mount at `/`).
 * @param db - database
 * @param options - revocation hook
 */
export function certificateRoutes(db: Kysely<Database>, options: CertificateRouteOptions = {}): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const opts = { authenticate: authenticate(db) };
  const byUvci = async (uvci: string): Promise<CertificateRow> => {
    const c = await findCertificateByUvci(db, uvci);
    if (!c) throw new AppError('CERTIFICATE_NOT_FOUND', `no certificate ${uvci}`, 404, { uvci });
    return c;
  };

  mountRoute(app, SPECS.personCertificate, async (c, { params, query }) => {
    authorize(principalOf(c), { action: 'person.read' });
    const personId = Number(params.id);
    const cert = await findActiveCertificate(db, personId);
    if (!cert) throw new AppError('CERTIFICATE_NOT_FOUND', `person ${personId} has no active certificate`, 404, { personId });
    const format = typeof query.format === 'string' ? query.format : 'json';
    if (format === 'hc1') return c.body(cert.hc1, 200, { 'content-type': 'text/plain; charset=utf-8' });
    if (format === 'svg' || format === 'png') {
      const scale = typeof query.scale === 'number' ? query.scale : undefined;
      const cacheable = scale === undefined;
      let body = cacheable ? await findQr(db, cert.id, format) : undefined;
      if (body === undefined) {
        body = format === 'svg' ? renderSvg(cert.hc1) : renderPng(cert.hc1, scale === undefined ? {} : { scale }).toString('base64');
        if (cacheable) await saveQr(db, cert.id, format, body);
      }
      const headers = { 'cache-control': 'private, max-age=3600', 'x-uvci': cert.uvci };
      return format === 'svg' ? c.body(body, 200, { ...headers, 'content-type': 'image/svg+xml' }) : c.body(new Uint8Array(Buffer.from(body, 'base64')), 200, { ...headers, 'content-type': 'image/png' });
    }
    return c.json(certificateJson(cert));
  }, opts);

  mountRoute(app, SPECS.byUvci, async (c, { params }) => {
    authorize(principalOf(c), { action: 'person.read' });
    return c.json(certificateJson(await byUvci(String(params.uvci))));
  }, opts);

  mountRoute(app, SPECS.revoke, async (c, { params, body }) => {
    const p = principalOf(c);
    authorize(p, { action: 'certificate.revoke' });
    const cert = await byUvci(String(params.uvci));
    if (cert.status === 'revoked') throw new AppError('CERTIFICATE_REVOKED', `${cert.uvci} is already revoked`, 409, { uvci: cert.uvci });
    const reason = (body as { reason: RevocationReason }).reason;
    await revokeCertificate(db, { hc1: cert.hc1, reason, actor: actorOf(p) });
    const now = new Date();
    await markRevoked(db, cert.id, reason, now);
    await options.onRevocationChange?.();
    return c.json(certificateJson({ ...cert, status: 'revoked', revoked_reason: reason, revoked_at: now.toISOString() }));
  }, opts);

  return app;
}
