/**
 * Facility signing over HTTP (issue 6, step 2), under `/api/v1`:
 * - `POST /facilities/{code}/sign` — sign the facility's records of a day (Viet Nam time;
 *   default today) or every unsigned one, with its signing unit's key. Only the signing unit's
 *   principals may: the facility's token, or — in a province signing through a focal unit — the
 *   focal unit's token or the province's token (a facility there cannot sign itself: 403).
 * - `GET /doses/{id}/signature` — the verdict on a dose's signature.
 * Mount with `app.route('/', signingRoutes(db, { custody }))` and document with SIGNING_SECTION.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { actorOf, authorize } from '../auth/index.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { authorizeSigning, signFacilityRecords, verifyDoseSignature } from '../issuance/index.js';
import type { DoseSignatureVerdict, SignResult } from '../issuance/index.js';
import { getDose, getFacilityByCode } from '../registry/index.js';
import { KeyCustody, pkiOptionsFromEnv } from '../trust/pki/index.js';
import { authenticate, principalOf } from './auth-middleware.js';
import type { AuthEnv } from './auth-middleware.js';
import { mountRoute, ref } from './openapi/index.js';
import type { ApiSection, JsonSchema, ResponseSpec, RouteSpec } from './openapi/index.js';

const P = '/api/v1';
const problem = (description: string): ResponseSpec => ({ description, schema: ref('Problem'), contentType: 'application/problem+json' });

const SIGN_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    date: { type: 'string', format: 'date', description: 'Records entered or changed that day, Viet Nam time (default today)' },
    all: { type: 'boolean', description: 'Every unsigned record, whatever its day (not with `date`)' },
  },
};

const SIGNATURE_INFO: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    signer_facility_code: { type: 'string', description: 'The signing unit' },
    certificate_id: { type: 'integer' },
    kid: { type: 'string', description: 'kid of the signing certificate (base64)' },
    alg: { type: 'string' },
    dose_version: { type: 'integer' },
    person_version: { type: 'integer' },
    signed_at: { type: 'string', format: 'date-time' },
    signed_by: { type: 'string' },
  },
};

const SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  SignRequest: SIGN_BODY,
  SignResult: {
    type: 'object',
    required: ['facility_code', 'facility_codes', 'date', 'signed', 'already_signed', 'skipped', 'signer'],
    properties: {
      facility_code: { type: 'string' },
      facility_codes: { type: 'array', items: { type: 'string' }, description: 'Facilities covered (a focal unit covers its province)' },
      date: { type: ['string', 'null'], format: 'date', description: 'The day signed; null with `all`' },
      signed: { type: 'integer', description: 'Records signed now' },
      already_signed: { type: 'integer', description: 'Records already signed in their current version' },
      skipped: { type: 'integer', description: 'Voided records (never signed)' },
      signer: {
        type: 'object',
        properties: { facility_code: { type: 'string' }, certificate_id: { type: 'integer' }, kid: { type: 'string' }, alg: { type: 'string' } },
      },
      ms: { type: 'integer' },
    },
  },
  DoseSignatureVerdict: {
    type: 'object',
    required: ['dose_id', 'person_id', 'dose_version', 'person_version', 'dose_status', 'status', 'message'],
    properties: {
      dose_id: { type: 'integer' },
      person_id: { type: 'integer' },
      dose_version: { type: 'integer' },
      person_version: { type: 'integer' },
      dose_status: { enum: ['active', 'voided'] },
      status: {
        enum: ['valid', 'unsigned', 'stale', 'invalid'],
        description: '`stale`: the record or the person changed since it was signed; `invalid`: bad signature, tampered data or a certificate not good at signing (blocks issuance)',
      },
      message: { type: 'string' },
      signature: SIGNATURE_INFO,
    },
  },
};

const SPECS = {
  sign: {
    method: 'post', path: `${P}/facilities/{code}/sign`, operationId: 'signFacilityRecords', summary: "Sign a facility's dose records", tags: ['signing'],
    description:
      "Signs, in canonical form (RFC 8785), the facility's records entered or changed on `date` (Viet Nam time, default today), or with `all` every unsigned one, with its signing unit's data-signing key. " +
      "A focal unit's own code covers every facility of its province. Allowed: the signing unit's facility token; in a province signing through a focal unit, also the province token — the facility itself then gets 403 naming the focal unit. Send `{}` for today's records.",
    auth: { roles: ['facility', 'province'] }, pathParams: { code: { schema: { type: 'string', minLength: 1, maxLength: 40 } } }, body: { name: 'SignRequest', schema: SIGN_BODY },
    responses: { '200': { description: 'What was signed', schema: ref('SignResult') }, '404': problem('FACILITY_NOT_FOUND'), '409': problem('SIGNING_CERT_MISSING: the signing unit has no data-signing certificate') },
  },
  signature: {
    method: 'get', path: `${P}/doses/{id}/signature`, operationId: 'getDoseSignature', summary: "The verdict on a dose's facility signature", tags: ['signing'],
    auth: { roles: ['ministry', 'province', 'facility'] }, pathParams: { id: { schema: { type: 'integer', minimum: 1 } } },
    responses: { '200': { description: 'valid, unsigned, stale or invalid, with the reason', schema: ref('DoseSignatureVerdict') }, '404': problem('DOSE_NOT_FOUND') },
  },
} satisfies Record<string, RouteSpec>;

/** The signing section of the OpenAPI document. */
export const SIGNING_SECTION: ApiSection = {
  tags: [{ name: 'signing', description: 'Facilities (or their province focal unit) sign dose records; signatures are checked when read' }],
  specs: Object.values(SPECS),
  schemas: SCHEMAS,
};

function resultJson(r: SignResult): Record<string, unknown> {
  return {
    facility_code: r.facilityCode,
    facility_codes: r.facilityCodes,
    date: r.date,
    signed: r.signed,
    already_signed: r.alreadySigned,
    skipped: r.skipped,
    signer: { facility_code: r.signer.facilityCode, certificate_id: r.signer.certificateId, kid: r.signer.kid, alg: r.signer.alg },
    ms: r.ms,
  };
}

/**
 * A verdict as the API sends it.
 * @param v - the verdict
 */
export function verdictJson(v: DoseSignatureVerdict): Record<string, unknown> {
  const s = v.signature;
  return {
    dose_id: v.doseId,
    person_id: v.personId,
    dose_version: v.doseVersion,
    person_version: v.personVersion,
    dose_status: v.doseStatus,
    status: v.status,
    message: v.message,
    ...(s
      ? {
          signature: {
            id: s.id, signer_facility_code: s.signerFacilityCode, certificate_id: s.certificateId, kid: s.kid, alg: s.alg,
            dose_version: s.doseVersion, person_version: s.personVersion, signed_at: s.signedAt, signed_by: s.signedBy,
          },
        }
      : {}),
  };
}

/**
 * The signing router (full paths under /api/v1; mount at `/`).
 * @param db - database
 * @param deps - key custody (default: from VAXPASS_KEY_* env, opened on first use and kept, so
 *   a key file is decrypted once per process)
 */
export function signingRoutes(db: Kysely<Database>, deps: { custody?: KeyCustody } = {}): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const opts = { authenticate: authenticate(db) };
  let custody = deps.custody;

  mountRoute(app, SPECS.sign, async (c, { params, body }) => {
    const p = principalOf(c);
    const { facility } = await authorizeSigning(db, p, String(params.code));
    const b = (body ?? {}) as { date?: string; all?: boolean };
    if (b.all === true && b.date !== undefined) throw new AppError('BAD_REQUEST', 'give date or all, not both', 400, { field: 'body.all' });
    custody ??= new KeyCustody(pkiOptionsFromEnv());
    const r = await signFacilityRecords(db, { custody, facilityCode: facility.code, date: b.date, all: b.all, actor: actorOf(p) });
    return c.json(resultJson(r));
  }, opts);

  mountRoute(app, SPECS.signature, async (c, { params }) => {
    const dose = await getDose(db, Number(params.id));
    const f = await getFacilityByCode(db, dose.facilityCode);
    authorize(principalOf(c), { action: 'facility.read', facilityCode: f.code, provinceCode: f.provinceCode });
    return c.json(verdictJson(await verifyDoseSignature(db, dose.id)));
  }, opts);

  return app;
}
