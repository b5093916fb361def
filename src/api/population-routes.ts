/**
 * Identity verification over HTTP, under `/api/v1`:
 * - `GET /stats/funnel?province=&facility=&group_by=`: the verification funnel (the report
 *   `vaxpass stats funnel --json` prints). The ministry sees any scope, a province token its
 *   province (and its facilities), a facility token its own facility; a scoped token without
 *   parameters gets its own scope.
 * - `POST /verification/run`: runs the pipeline for a scope synchronously, at most
 *   `maxSyncPeople` people per call (the answer says what remains; call again to continue, or
 *   use `vaxpass population verify` for large scopes). Ministry: any scope; province: its own.
 * - `GET /people/{id}/verification`: a person's latest result (stale or not, queued or not) and
 *   every result stored, with the data sent.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/index.js';
import { authorize } from '../auth/index.js';
import type { Database, DbDialect } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { currentVerification, funnelStats, populationVerifierFromEnv, runVerification, verificationHistory } from '../population/index.js';
import type { FunnelGroupBy, PopulationVerifier, VerificationHistoryEntry, VerificationState } from '../population/index.js';
import { getFacilityByCode } from '../registry/index.js';
import { authenticate, principalOf } from './auth-middleware.js';
import type { AuthEnv } from './auth-middleware.js';
import { mountRoute, ref } from './openapi/index.js';
import type { ApiSection, JsonSchema, ResponseSpec, RouteSpec } from './openapi/index.js';

const P = '/api/v1';
const problem = (description: string): ResponseSpec => ({ description, schema: ref('Problem'), contentType: 'application/problem+json' });
const PROVINCE = { type: 'string', pattern: '^[0-9]{2}$' };
const FACILITY = { type: 'string', minLength: 1, maxLength: 40 };
const FIELDS = ['id_number', 'full_name', 'dob', 'sex'];
const STATUSES = ['VERIFIED', 'MISMATCH', 'NOT_FOUND', 'NOT_SENT'];

/** Default most people one `POST /verification/run` handles. */
export const MAX_SYNC_PEOPLE = 10_000;

const COUNTS: JsonSchema = { type: 'object', required: ['people', 'doses'], properties: { people: { type: 'integer' }, doses: { type: 'integer' } } };
const BY_FIELD: JsonSchema = { type: 'object', properties: Object.fromEntries(FIELDS.map((f) => [f, COUNTS])) };
const RECORD: JsonSchema = {
  type: ['object', 'null'],
  description: 'The record exactly as sent (null for NOT_SENT: nothing was sent)',
  properties: { recordId: { type: 'string' }, idNumber: { type: ['string', 'null'] }, fullName: { type: ['string', 'null'] }, dob: { type: ['string', 'null'] }, sex: { enum: ['M', 'F', null] } },
};
const SUGGESTIONS: JsonSchema = {
  type: 'array',
  description: 'Corrections proposed from the register, best first; never applied automatically',
  items: { type: 'object', properties: { reason: { type: 'string', examples: ['ID_ONE_DIGIT_AWAY', 'DOB_DAY_MONTH_SWAPPED', 'CMND_REPLACED_BY_CCCD', 'NAME_CLOSE'] }, values: { type: 'object', additionalProperties: { type: 'string' } } } },
};

/** Named schemas of this section. */
export const POPULATION_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  FunnelRow: {
    type: 'object',
    description: '`recorded = sent + notSent + pending`, `sent = verified + mismatch + notFound` (people and doses). A dose has its person\'s latest status.',
    properties: {
      key: { type: ['string', 'null'], description: 'Facility or province code; null for the nation' },
      name: { type: ['string', 'null'] },
      provinceCode: { type: ['string', 'null'] },
      recorded: COUNTS,
      sent: COUNTS,
      verified: COUNTS,
      mismatch: { ...COUNTS, properties: { ...(COUNTS.properties as object), byField: BY_FIELD } },
      notFound: COUNTS,
      notSent: { ...COUNTS, properties: { ...(COUNTS.properties as object), byReason: { ...BY_FIELD, description: 'By missing field' } } },
      pending: { ...COUNTS, description: 'Never verified yet' },
      stale: { ...COUNTS, description: 'Changed since their latest result (re-queued)' },
      failedShareOfSent: { type: ['number', 'null'] },
      verifiedShareOfRecorded: { type: ['number', 'null'] },
    },
  },
  FunnelReport: {
    type: 'object',
    description: 'People count once per facility/province where they have an active dose (group people counts need not add up to the total; dose counts do).',
    properties: {
      scope: { type: 'object', properties: { provinceCode: { type: ['string', 'null'] }, facilityCode: { type: ['string', 'null'] } } },
      groupBy: { enum: ['facility', 'province', null] },
      total: ref('FunnelRow'),
      groups: { type: 'array', items: ref('FunnelRow') },
      at: { type: 'string' },
    },
  },
  VerificationSummary: {
    type: 'object',
    description: 'What a run did; `complete` is false when people of the scope remain queued (call again).',
    properties: {
      runId: { type: 'string' },
      queued: { type: 'integer', description: 'People newly queued (never verified, or changed since)' },
      sent: { type: 'integer' },
      verified: { type: 'integer' },
      mismatch: { type: 'integer' },
      notFound: { type: 'integer' },
      notSent: { type: 'integer', description: 'Required data missing: nothing sent' },
      unavailable: { type: 'integer', description: 'People of the batch that failed because the population service was unavailable' },
      remaining: { type: 'integer' },
      skipped: { type: 'integer' },
      stopped: { enum: ['unavailable', 'aborted', 'limit', null] },
      error: { type: ['string', 'null'] },
      seconds: { type: 'number' },
      complete: { type: 'boolean' },
    },
  },
  VerificationResult: {
    type: 'object',
    properties: {
      person_version: { type: 'integer', description: 'The version of the person the data sent came from' },
      status: { enum: STATUSES },
      fields: { type: 'array', items: { enum: FIELDS }, description: 'MISMATCH: the differing fields; NOT_SENT: the missing ones' },
      suggestions: SUGGESTIONS,
      sent: RECORD,
      at: { type: 'string' },
      run_id: { type: 'string' },
    },
  },
  PersonVerification: {
    type: 'object',
    properties: {
      person_id: { type: 'integer' },
      person_version: { type: 'integer', description: 'The person\'s current version' },
      current: { oneOf: [ref('VerificationResult'), { type: 'null' }], description: 'Latest result; null when never verified' },
      stale: { type: 'boolean', description: 'No result, or the person changed since the latest one' },
      queued: { type: 'boolean' },
      attempts: { type: 'integer' },
      history: { type: 'array', items: ref('VerificationResult'), description: 'Every result, oldest first' },
    },
  },
};

const RUN_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    province: { ...PROVINCE, description: 'People living in the province or vaccinated by its facilities (province tokens: default and only their own)' },
    facility: { ...FACILITY, description: 'People with an active dose recorded by this facility' },
    batch_size: { type: 'integer', minimum: 1, maximum: 5000 },
    max_people: { type: 'integer', minimum: 1, description: `At most this many people in this call (capped by the server, default ${MAX_SYNC_PEOPLE})` },
  },
};

const SPECS = {
  funnel: {
    method: 'get', path: `${P}/stats/funnel`, operationId: 'verificationFunnel', summary: 'Identity-verification funnel (nation, province, facility)', tags: ['verification'],
    description: 'Doses and people recorded, sent, not sent (by missing field), verified, mismatched (by field), not found. Ministry: any scope; province token: its province; facility token: its facility. Without parameters a scoped token gets its own scope.',
    auth: { roles: ['ministry', 'province', 'facility'] },
    query: { province: { schema: PROVINCE }, facility: { schema: FACILITY }, group_by: { schema: { enum: ['facility', 'province'] }, description: 'Also one row per facility or province' } },
    responses: { '200': { description: 'The funnel', schema: ref('FunnelReport') }, '404': problem('FACILITY_NOT_FOUND or PROVINCE_NOT_FOUND') },
  },
  run: {
    method: 'post', path: `${P}/verification/run`, operationId: 'runVerification', summary: 'Verify the unsent or changed people of a scope (synchronous)', tags: ['verification'],
    description: `Sends the scope's people that were never verified or changed since, at most ${MAX_SYNC_PEOPLE} per call; the summary says how many remain (call again, or run \`vaxpass population verify\` for large scopes). A population service outage stops the run cleanly (\`stopped: unavailable\`); nothing is lost.`,
    auth: { roles: ['ministry', 'province'] }, body: { name: 'VerificationRun', schema: RUN_BODY },
    responses: { '200': { description: 'The run summary', schema: ref('VerificationSummary') }, '404': problem('FACILITY_NOT_FOUND or PROVINCE_NOT_FOUND') },
  },
  person: {
    method: 'get', path: `${P}/people/{id}/verification`, operationId: 'personVerification', summary: "A person's verification: latest result and history", tags: ['verification'],
    auth: { roles: ['ministry', 'province', 'facility'] }, pathParams: { id: { schema: { type: 'integer', minimum: 1 } } },
    responses: { '200': { description: 'Current state and every result', schema: ref('PersonVerification') }, '404': problem('PERSON_NOT_FOUND') },
  },
} satisfies Record<string, RouteSpec>;

/** The verification section of the OpenAPI document. */
export const POPULATION_SECTION: ApiSection = {
  tags: [{ name: 'verification', description: 'Identity verification against the national population register: runs, per-person results, the funnel' }],
  specs: Object.values(SPECS),
  schemas: POPULATION_SCHEMAS,
};

/** Options of {@link populationRoutes}. */
export interface PopulationRoutesOptions {
  readonly dialect: DbDialect;
  /** The verifier runs use (default: from the environment, see `populationVerifierFromEnv`). */
  readonly verifier?: PopulationVerifier;
  /** Most people one synchronous run handles (default {@link MAX_SYNC_PEOPLE}). */
  readonly maxSyncPeople?: number;
}

function denied(p: Principal, what: string): AppError {
  return new AppError('FORBIDDEN', `${what}; this token has role ${p.role}${p.scope === null ? '' : ` with scope ${p.scope}`}`, 403);
}

/**
 * The scope a caller may see or run: a scoped token defaults to its own scope and may not leave it.
 * @param db - database
 * @param p - the caller
 * @param asked - province and facility asked for
 * @throws AppError FORBIDDEN (403), FACILITY_NOT_FOUND (404)
 */
async function allowedScope(db: Kysely<Database>, p: Principal, asked: { province?: string; facility?: string }): Promise<{ provinceCode?: string; facilityCode?: string }> {
  const facility = asked.facility ?? (p.role === 'facility' ? (p.scope ?? undefined) : undefined);
  const province = asked.province ?? (p.role === 'province' && facility === undefined ? (p.scope ?? undefined) : undefined);
  if (facility !== undefined) {
    const f = await getFacilityByCode(db, facility);
    authorize(p, { action: 'facility.read', facilityCode: f.code, provinceCode: f.provinceCode });
  }
  if (p.role === 'facility' && province !== undefined) throw denied(p, 'a facility token sees its own facility only');
  if (p.role === 'province' && province !== undefined && province !== p.scope) throw denied(p, `province ${province} needs a ministry token or a token of that province`);
  if (p.role !== 'admin' && p.role !== 'ministry' && facility === undefined && province === undefined) throw denied(p, 'the national scope needs role admin or ministry');
  return { ...(province === undefined ? {} : { provinceCode: province }), ...(facility === undefined ? {} : { facilityCode: facility }) };
}

function resultJson(r: VerificationState | VerificationHistoryEntry): Record<string, unknown> {
  return {
    person_version: r.personVersion,
    status: r.status,
    fields: r.fields,
    suggestions: r.suggestions,
    sent: r.sent,
    at: 'checkedAt' in r ? r.checkedAt : r.at,
    run_id: r.runId,
  };
}

/**
 * The verification router (full paths under /api/v1; mount at `/`).
 * @param db - database
 * @param options - dialect, verifier, synchronous limit
 */
export function populationRoutes(db: Kysely<Database>, options: PopulationRoutesOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const opts = { authenticate: authenticate(db) };
  const maxSync = options.maxSyncPeople ?? MAX_SYNC_PEOPLE;
  let verifier = options.verifier;

  mountRoute(app, SPECS.funnel, async (c, { query }) => {
    const scope = await allowedScope(db, principalOf(c), { ...(typeof query.province === 'string' ? { province: query.province } : {}), ...(typeof query.facility === 'string' ? { facility: query.facility } : {}) });
    return c.json(await funnelStats(db, { ...scope, groupBy: typeof query.group_by === 'string' ? (query.group_by as FunnelGroupBy) : undefined }));
  }, opts);

  mountRoute(app, SPECS.run, async (c, { body }) => {
    const b = (body ?? {}) as { province?: string; facility?: string; batch_size?: number; max_people?: number };
    const scope = await allowedScope(db, principalOf(c), { ...(b.province === undefined ? {} : { province: b.province }), ...(b.facility === undefined ? {} : { facility: b.facility }) });
    verifier ??= populationVerifierFromEnv(process.env, { db });
    const s = await runVerification(db, options.dialect, verifier, { ...scope, batchSize: b.batch_size, maxPeople: Math.min(b.max_people ?? maxSync, maxSync), signal: c.req.raw.signal });
    return c.json({ ...s, seconds: Number(s.seconds.toFixed(3)), complete: s.remaining === 0 });
  }, opts);

  mountRoute(app, SPECS.person, async (c, { params }) => {
    authorize(principalOf(c), { action: 'person.read' });
    const id = Number(params.id);
    const v = await currentVerification(db, id);
    const history = await verificationHistory(db, id);
    return c.json({ person_id: v.personId, person_version: v.personVersion, current: v.state === null ? null : resultJson(v.state), stale: v.stale, queued: v.queued, attempts: v.state?.attempts ?? 0, history: history.map(resultJson) });
  }, opts);

  return app;
}
