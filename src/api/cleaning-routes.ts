/**
 * The cleaning loop's REST API under `/api/v1`:
 * - Facility worklist: `GET /facilities/{code}/worklist`; `POST /people/{id}/verification/accept`
 *   (apply a register suggestion, then re-verify) and `POST /people/{id}/verification/escalate`
 *   (open a police case). Hand corrections are `PATCH /people/{id}` (re-queued automatically).
 * - Police (role `police`, scope a province `79` or a district `79/760`): `GET /police/cases`,
 *   `GET /police/cases/{id}`, `POST /police/cases/{id}/confirm`, `POST /police/cases/{id}/correct`.
 * - Citizen reports: `POST /reports` (public, rate-limited), `GET /reports/{id}` (the citizen with
 *   `?token=`, or staff with a bearer token), `GET /facilities/{code}/reports`,
 *   `GET /provinces/{code}/reports`, `POST /reports/{id}/status`.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { actorOf, authorize, resolveToken } from '../auth/index.js';
import type { Principal } from '../auth/index.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';
import {
  IDENTITY_CASE_STATUSES,
  REPORT_STATUSES,
  WORKLIST_MAX_PAGE,
  WORKLIST_STATUSES,
  acceptSuggestion,
  caseInArea,
  changeReportStatus,
  confirmIdentity,
  correctIdentity,
  createReport,
  currentVerification,
  escalateToPolice,
  facilityWorklist,
  getIdentityCase,
  getReport,
  getReportByToken,
  listIdentityCases,
  listReports,
  policeAreaOf,
  populationVerifierFromEnv,
  reportTrail,
} from '../population/index.js';
import type { CitizenReport, IdentityCase, IdentityCaseStatus, IdentityCorrection, NewReport, PopulationVerifier, ReportField, ReportStatus, Reverification, WorklistItem, WorklistStatus } from '../population/index.js';
import { facilitiesOfPerson, getFacilityByCode, getPerson } from '../registry/index.js';
import { authenticate, principalOf } from './auth-middleware.js';
import type { AuthEnv } from './auth-middleware.js';
import { ACCEPT_BODY, CLEANING_SCHEMAS, CONFIRM_BODY, CORRECT_BODY, ESCALATE_BODY, NEW_REPORT, REPORT_STATUS_BODY } from './cleaning-schemas.js';
import { mountRoute, ref } from './openapi/index.js';
import type { ApiSection, ResponseSpec, RouteSpec } from './openapi/index.js';
import { personJson } from './registry-routes.js';

const P = '/api/v1';
const problem = (description: string): ResponseSpec => ({ description, schema: ref('Problem'), contentType: 'application/problem+json' });
const validation = (description: string): ResponseSpec => ({ description, schema: ref('ValidationProblem'), contentType: 'application/problem+json' });
const ID = { schema: { type: 'integer', minimum: 1 } };
const CODE = { schema: { type: 'string', minLength: 1, maxLength: 40 } };
const PROVINCE = { schema: { type: 'string', pattern: '^\\d{2}$' } };
const LIMIT = { schema: { type: 'integer', minimum: 1, maximum: WORKLIST_MAX_PAGE, default: 50 } };
const CURSOR = { schema: { type: 'string', maxLength: 20 } };
const page = (item: string): ResponseSpec => ({ description: 'One page; pass `next_cursor` back as `cursor`', schema: { type: 'object', properties: { items: { type: 'array', items: ref(item) }, next_cursor: { type: ['string', 'null'] } } } });
const REPORT_QUERY = {
  status: { schema: { enum: [...REPORT_STATUSES] } },
  overdue: { schema: { type: 'boolean' }, description: 'true: open reports past their due date; false: the others' },
  limit: LIMIT,
  cursor: CURSOR,
};

const SPECS = {
  worklist: {
    method: 'get', path: `${P}/facilities/{code}/worklist`, operationId: 'facilityWorklist', summary: "A facility's people that failed identity verification", tags: ['cleaning'],
    description: 'People with an active dose recorded by the facility whose current verification is MISMATCH, NOT_FOUND or NOT_SENT, with reasons, the register\'s suggestions, the data sent, and whether a police case or citizen reports are open. People the police confirmed as recorded are left out.',
    auth: { roles: ['ministry', 'province', 'facility'] }, pathParams: { code: CODE },
    query: { status: { schema: { enum: [...WORKLIST_STATUSES] } }, limit: LIMIT, cursor: CURSOR },
    responses: { '200': page('WorklistItem'), '404': problem('FACILITY_NOT_FOUND') },
  },
  accept: {
    method: 'post', path: `${P}/people/{id}/verification/accept`, operationId: 'acceptSuggestion', summary: 'Accept a register suggestion, then re-verify', tags: ['cleaning'],
    description: 'Applies the suggestion\'s values as a correction (audited, reason `suggestion:<REASON>`; an id_number becomes the current document), then re-verifies the person at once when a verifier is configured, else leaves them queued.',
    auth: { roles: ['facility'] }, pathParams: { id: ID }, body: { name: 'AcceptSuggestion', schema: ACCEPT_BODY },
    responses: {
      '200': { description: 'Corrected', schema: { type: 'object', properties: { suggestion: { type: 'object' }, person: ref('Person'), verification: ref('VerificationOutcome') } } },
      '404': problem('PERSON_NOT_FOUND, SUGGESTION_NOT_FOUND'),
      '409': problem('VERIFICATION_STALE (changed since verified), PERSON_DOCUMENT_TAKEN, VERSION_CONFLICT'),
      '422': validation('VALIDATION: the suggested values do not validate together with the rest'),
    },
  },
  escalate: {
    method: 'post', path: `${P}/people/{id}/verification/escalate`, operationId: 'escalateToPolice', summary: 'Ask the local police to confirm an identity', tags: ['cleaning'],
    description: 'Opens a case `needs_identity_confirmation` for the police of the person\'s registered province/district (else the facility\'s).',
    auth: { roles: ['facility'] }, pathParams: { id: ID }, body: { name: 'EscalateToPolice', schema: ESCALATE_BODY },
    responses: { '201': { description: 'The case', schema: ref('IdentityCase') }, '404': problem('PERSON_NOT_FOUND'), '409': problem('IDENTITY_CASE_OPEN'), '422': validation('VALIDATION, CASE_AREA_UNKNOWN') },
  },
  policeCases: {
    method: 'get', path: `${P}/police/cases`, operationId: 'listPoliceCases', summary: "The police area's identity cases, oldest first", tags: ['police'],
    auth: { roles: ['police'] }, query: { status: { schema: { enum: [...IDENTITY_CASE_STATUSES] } }, limit: LIMIT, cursor: CURSOR },
    responses: { '200': page('IdentityCase') },
  },
  policeCase: {
    method: 'get', path: `${P}/police/cases/{id}`, operationId: 'getPoliceCase', summary: 'A case with the person and their current verification', tags: ['police'],
    auth: { roles: ['police'] }, pathParams: { id: ID },
    responses: { '200': { description: 'The case', schema: ref('IdentityCase') }, '404': problem('IDENTITY_CASE_NOT_FOUND') },
  },
  confirm: {
    method: 'post', path: `${P}/police/cases/{id}/confirm`, operationId: 'confirmIdentity', summary: 'Confirm the identity as recorded (the register is wrong or outdated)', tags: ['police'],
    description: 'Closes the case `confirmed_by_police`. The person stays as is; the verification result is kept (the register still disagrees), but the person leaves the facility worklist while unchanged.',
    auth: { roles: ['police'] }, pathParams: { id: ID }, body: { name: 'ConfirmIdentity', schema: CONFIRM_BODY },
    responses: { '200': { description: 'Closed', schema: ref('IdentityCase') }, '404': problem('IDENTITY_CASE_NOT_FOUND'), '409': problem('IDENTITY_CASE_CLOSED') },
  },
  correct: {
    method: 'post', path: `${P}/police/cases/{id}/correct`, operationId: 'correctIdentity', summary: 'Correct identity fields, then re-verify', tags: ['police'],
    auth: { roles: ['police'] }, pathParams: { id: ID }, body: { name: 'CorrectIdentity', schema: CORRECT_BODY },
    responses: {
      '200': { description: 'Resolved', schema: { type: 'object', properties: { case: ref('IdentityCase'), person: ref('Person'), verification: ref('VerificationOutcome') } } },
      '404': problem('IDENTITY_CASE_NOT_FOUND'),
      '409': problem('IDENTITY_CASE_CLOSED, PERSON_DOCUMENT_TAKEN, VERSION_CONFLICT'),
      '422': validation('VALIDATION'),
    },
  },
  createReport: {
    method: 'post', path: `${P}/reports`, operationId: 'createReport', summary: 'Report wrong data (phản ánh), as a citizen', tags: ['reports'],
    description: 'Public. Identify yourself with your ID number, full name and date of birth; say what is wrong; leave a phone or e-mail to be told the outcome. The report goes to the facility that recorded your latest dose (else your province) and is due within the SLA (7 days by default). Keep the returned `token`: it is shown once and lets you follow the report at `GET /api/v1/reports/{id}?token=…`.',
    body: { name: 'NewCitizenReport', schema: NEW_REPORT },
    responses: {
      '201': { description: 'Filed', schema: { type: 'object', properties: { id: { type: 'integer' }, token: { type: 'string' }, status: { const: 'new' }, due_at: { type: 'string' } } } },
      '422': validation('VALIDATION (every bad field), REPORT_UNROUTABLE (give province_code)'),
      '429': problem('RATE_LIMITED'),
    },
  },
  getReport: {
    method: 'get', path: `${P}/reports/{id}`, operationId: 'getReport', summary: 'A report and its trail', tags: ['reports'],
    description: 'With `?token=` (the citizen): status, due date and the dated steps. With a bearer token (the facility it is routed to, its province, the ministry): the full report and audit trail.',
    pathParams: { id: ID }, query: { token: { schema: { type: 'string', maxLength: 100 }, description: 'The lookup token given at creation' } },
    responses: { '200': { description: 'CitizenReportStatus (token) or CitizenReport (bearer)', schema: { oneOf: [ref('CitizenReportStatus'), ref('CitizenReport')] } }, '401': problem('UNAUTHENTICATED: neither a token nor a bearer'), '403': problem('FORBIDDEN'), '404': problem('REPORT_NOT_FOUND') },
  },
  facilityReports: {
    method: 'get', path: `${P}/facilities/{code}/reports`, operationId: 'listFacilityReports', summary: 'Reports routed to a facility, oldest first', tags: ['reports'],
    auth: { roles: ['ministry', 'province', 'facility'] }, pathParams: { code: CODE }, query: REPORT_QUERY,
    responses: { '200': page('CitizenReport'), '404': problem('FACILITY_NOT_FOUND') },
  },
  provinceReports: {
    method: 'get', path: `${P}/provinces/{code}/reports`, operationId: 'listProvinceReports', summary: 'Reports of a province (its facilities\' and its own), oldest first', tags: ['reports'],
    auth: { roles: ['ministry', 'province'] }, pathParams: { code: PROVINCE },
    query: { ...REPORT_QUERY, unassigned: { schema: { type: 'boolean' }, description: 'Only reports routed to the province itself (no facility)' } },
    responses: { '200': page('CitizenReport') },
  },
  reportStatus: {
    method: 'post', path: `${P}/reports/{id}/status`, operationId: 'changeReportStatus', summary: 'Move a report along (in_progress, resolved, rejected)', tags: ['reports'],
    description: '`new` → `in_progress` → `resolved` | `rejected`; rejecting needs a `reason`. Resolving with a `correction` corrects the person (audited) and re-verifies them. The citizen is notified of every step.',
    auth: { roles: ['province', 'facility'] }, pathParams: { id: ID }, body: { name: 'ReportStatusChange', schema: REPORT_STATUS_BODY },
    responses: {
      '200': { description: 'Changed', schema: { type: 'object', properties: { report: ref('CitizenReport'), person: { oneOf: [ref('Person'), { type: 'null' }] }, verification: { oneOf: [ref('VerificationOutcome'), { type: 'null' }] } } } },
      '404': problem('REPORT_NOT_FOUND'),
      '409': problem('REPORT_TRANSITION, PERSON_DOCUMENT_TAKEN'),
      '422': validation('VALIDATION: a rejection without reason, a correction that does not validate'),
    },
  },
} satisfies Record<string, RouteSpec>;

/** The cleaning loop's section of the OpenAPI document. */
export const CLEANING_SECTION: ApiSection = {
  tags: [
    { name: 'cleaning', description: 'Facility worklist of identity-verification failures: suggestions, corrections, escalation' },
    { name: 'police', description: 'Identity cases for the local police (role police, scope province or province/district)' },
    { name: 'reports', description: 'Citizen reports (phản ánh) of wrong data, with an SLA clock and notifications' },
  ],
  specs: Object.values(SPECS),
  schemas: CLEANING_SCHEMAS,
};

/** Options of {@link cleaningRoutes}. */
export interface CleaningRoutesOptions {
  /**
   * Re-verifies corrected people at once. Default: `populationVerifierFromEnv` (the national
   * service when `VAXPASS_POPULATION_URL` is set, else the in-process register), made on first
   * use; `null` leaves corrected people queued for the next run.
   */
  readonly verifier?: PopulationVerifier | null | undefined;
  /** Days to handle a citizen report (default 7). */
  readonly slaDays?: number | undefined;
  /** The clock (tests). */
  readonly now?: (() => Date) | undefined;
  /** Citizen reports accepted per client address per window; default 20 per 10 minutes. */
  readonly reportRateLimit?: { readonly max: number; readonly windowMs: number } | undefined;
  /**
   * Behind a reverse proxy: take the client address from X-Forwarded-For / X-Real-IP. Off by
   * default, because any client can write those headers and would get a fresh bucket per request.
   */
  readonly trustProxy?: boolean | undefined;
}

/** The actor of police actions in the audit trail: `police:<token id>:<name>`. */
function policeActor(p: Principal): string {
  return p.role === 'police' ? `police:${p.tokenId}:${p.name}` : actorOf(p);
}

function outcomeJson(v: Reverification | null): Record<string, unknown> | null {
  return v === null ? null : { status: v.status, fields: v.fields, suggestions: v.suggestions, queued_reason: v.queuedReason };
}

function worklistJson(w: WorklistItem): Record<string, unknown> {
  return {
    person_id: w.personId,
    person_version: w.personVersion,
    full_name: w.fullName,
    dob: w.dob,
    sex: w.sex,
    id_number: w.idNumber,
    status: w.status,
    fields: w.fields,
    reasons: w.reasons,
    suggestions: w.suggestions,
    sent: w.sent,
    checked_at: w.checkedAt,
    stale: w.stale,
    escalation: w.escalation === null ? null : { case_id: w.escalation.caseId, status: w.escalation.status, created_at: w.escalation.createdAt },
    open_reports: w.openReports,
  };
}

function caseJson(c: IdentityCase): Record<string, unknown> {
  return {
    id: c.id,
    person_id: c.personId,
    facility_code: c.facilityCode,
    province_code: c.provinceCode,
    district_code: c.districtCode,
    status: c.status,
    note: c.note,
    person_version: c.personVersion,
    resolved_version: c.resolvedVersion,
    verification_status: c.verificationStatus,
    created_by: c.createdBy,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    resolved_by: c.resolvedBy,
    resolved_at: c.resolvedAt,
    resolution_note: c.resolutionNote,
  };
}

function reportJson(r: CitizenReport): Record<string, unknown> {
  return {
    id: r.id,
    person_id: r.personId,
    facility_code: r.facilityCode,
    province_code: r.provinceCode,
    id_number: r.idNumber,
    full_name: r.fullName,
    dob: r.dob,
    field: r.field,
    correct_value: r.correctValue,
    description: r.description,
    contact_phone: r.contactPhone,
    contact_email: r.contactEmail,
    status: r.status,
    status_note: r.statusNote,
    due_at: r.dueAt,
    overdue: r.overdue,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    closed_at: r.closedAt,
    handled_by: r.handledBy,
  };
}

function correctionOf(raw: unknown): IdentityCorrection | undefined {
  if (raw === undefined || raw === null || typeof raw !== 'object') return undefined;
  const b = raw as Record<string, unknown>;
  const s = (k: string): string | undefined => (typeof b[k] === 'string' ? b[k] : undefined);
  return { fullName: s('full_name'), dob: s('dob'), sex: s('sex'), idNumber: s('id_number') };
}

function forbidden(p: Principal, what: string): AppError {
  return new AppError('FORBIDDEN', `${what}; this token has role ${p.role}${p.scope === null ? '' : ` with scope ${p.scope}`}`, 403);
}

/** Whether `p` may read or handle a report (its facility, its province, the ministry for reading). */
function mayHandleReport(p: Principal, r: CitizenReport, write: boolean): boolean {
  if (p.role === 'admin') return true;
  if (p.role === 'ministry') return !write;
  if (p.role === 'province') return p.scope === r.provinceCode;
  return p.role === 'facility' && r.facilityCode !== null && p.scope === r.facilityCode;
}

/** A fixed-window counter per client key: enough to stop a script flooding the public endpoint. */
function rateLimiter(max: number, windowMs: number, now: () => Date): (key: string) => boolean {
  const hits = new Map<string, { start: number; count: number }>();
  return (key) => {
    const t = now().getTime();
    const h = hits.get(key);
    if (h === undefined || t - h.start >= windowMs) {
      if (hits.size > 10_000) hits.clear();
      hits.set(key, { start: t, count: 1 });
      return true;
    }
    h.count++;
    return h.count <= max;
  };
}

/** The client's address: the socket's peer, or what a trusted proxy says it forwarded for. */
function clientKey(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || c.req.header('x-real-ip')?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // No socket: an in-process request (tests, app.request). One shared bucket.
    return 'in-process';
  }
}

/**
 * The cleaning-loop router (full paths under /api/v1; mount at `/`).
 * @param db - database
 * @param options - verifier, SLA, clock, rate limit
 */
export function cleaningRoutes(db: Kysely<Database>, options: CleaningRoutesOptions = {}): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const opts = { authenticate: authenticate(db) };
  const now = options.now ?? (() => new Date());
  let verifier = options.verifier;
  const reverify = (): { verifier: PopulationVerifier | undefined } => {
    if (verifier === undefined) verifier = populationVerifierFromEnv(process.env, { db });
    return { verifier: verifier ?? undefined };
  };
  const reportOptions = { now, slaDays: options.slaDays };
  const allow = rateLimiter(options.reportRateLimit?.max ?? 20, options.reportRateLimit?.windowMs ?? 600_000, now);
  const s = (q: Readonly<Record<string, unknown>>, k: string): string | undefined => (typeof q[k] === 'string' ? q[k] : undefined);
  const n = (q: Readonly<Record<string, unknown>>, k: string): number | undefined => (typeof q[k] === 'number' ? q[k] : undefined);
  const b = (q: Readonly<Record<string, unknown>>, k: string): boolean | undefined => (typeof q[k] === 'boolean' ? q[k] : undefined);

  const authorizePersonWrite = async (p: Principal, id: number): Promise<void> => {
    const person = await getPerson(db, id);
    authorize(p, { action: 'person.write', facilityCodes: await facilitiesOfPerson(db, id), createdBy: person.createdBy, actor: actorOf(p) });
  };

  const policeCase = async (p: Principal, id: number): Promise<IdentityCase> => {
    const c = await getIdentityCase(db, id);
    const area = p.role === 'admin' ? null : policeAreaOf(p.scope);
    if (!caseInArea(c, area)) throw forbidden(p, `identity case ${id} belongs to area ${c.provinceCode}${c.districtCode === null ? '' : `/${c.districtCode}`}`);
    return c;
  };

  mountRoute(app, SPECS.worklist, async (c, { params, query }) => {
    const f = await getFacilityByCode(db, String(params.code));
    authorize(principalOf(c), { action: 'facility.read', facilityCode: f.code, provinceCode: f.provinceCode });
    const pageOut = await facilityWorklist(db, f.code, { status: s(query, 'status') as WorklistStatus | undefined, limit: n(query, 'limit'), cursor: s(query, 'cursor') });
    return c.json({ items: pageOut.items.map(worklistJson), next_cursor: pageOut.nextCursor });
  }, opts);

  mountRoute(app, SPECS.accept, async (c, { params, body }) => {
    const p = principalOf(c);
    const id = Number(params.id);
    await authorizePersonWrite(p, id);
    const r = await acceptSuggestion(db, id, (body as { suggestion: number }).suggestion, actorOf(p), reverify());
    return c.json({ suggestion: r.suggestion, person: personJson(r.person), verification: outcomeJson(r.verification) });
  }, opts);

  mountRoute(app, SPECS.escalate, async (c, { params, body }) => {
    const p = principalOf(c);
    const id = Number(params.id);
    await authorizePersonWrite(p, id);
    const facilityCode = p.role === 'facility' && p.scope !== null ? p.scope : undefined;
    return c.json(caseJson(await escalateToPolice(db, id, (body as { note: string }).note, actorOf(p), { facilityCode })), 201);
  }, opts);

  mountRoute(app, SPECS.policeCases, async (c, { query }) => {
    const p = principalOf(c);
    const area = p.role === 'admin' ? null : policeAreaOf(p.scope);
    const pageOut = await listIdentityCases(db, area, { status: s(query, 'status') as IdentityCaseStatus | undefined, limit: n(query, 'limit'), cursor: s(query, 'cursor') });
    return c.json({ items: pageOut.items.map(caseJson), next_cursor: pageOut.nextCursor });
  }, opts);

  mountRoute(app, SPECS.policeCase, async (c, { params }) => {
    const ic = await policeCase(principalOf(c), Number(params.id));
    const [person, v] = await Promise.all([getPerson(db, ic.personId), currentVerification(db, ic.personId)]);
    const st = v.state;
    return c.json({
      ...caseJson(ic),
      person: personJson(person),
      verification: st === null ? null : { status: st.status, fields: st.fields, suggestions: st.suggestions, sent: st.sent, checked_at: st.checkedAt, stale: v.stale },
    });
  }, opts);

  mountRoute(app, SPECS.confirm, async (c, { params, body }) => {
    const p = principalOf(c);
    const ic = await policeCase(p, Number(params.id));
    return c.json(caseJson(await confirmIdentity(db, ic.id, (body as { note: string }).note, policeActor(p))));
  }, opts);

  mountRoute(app, SPECS.correct, async (c, { params, body }) => {
    const p = principalOf(c);
    const ic = await policeCase(p, Number(params.id));
    const raw = body as { correction: unknown; note: string };
    const r = await correctIdentity(db, ic.id, correctionOf(raw.correction) ?? {}, raw.note, policeActor(p), reverify());
    return c.json({ case: caseJson(r.identityCase), person: personJson(r.person), verification: outcomeJson(r.verification) });
  }, opts);

  mountRoute(app, SPECS.createReport, async (c, { body }) => {
    if (!allow(clientKey(c, options.trustProxy === true))) throw new AppError('RATE_LIMITED', 'too many reports from this client; try again later', 429);
    const raw = body as Record<string, unknown>;
    const t = (k: string): string | null => (typeof raw[k] === 'string' ? raw[k] : null);
    const input: NewReport = {
      idNumber: t('id_number') ?? '',
      fullName: t('full_name') ?? '',
      dob: t('dob') ?? '',
      field: (t('field') ?? 'other') as ReportField,
      correctValue: t('correct_value'),
      description: t('description'),
      contactPhone: t('contact_phone'),
      contactEmail: t('contact_email'),
      provinceCode: t('province_code'),
    };
    const { report, token } = await createReport(db, input, reportOptions);
    return c.json({ id: report.id, token, status: report.status, due_at: report.dueAt }, 201);
  });

  mountRoute(app, SPECS.getReport, async (c, { params, query }) => {
    const id = Number(params.id);
    const token = s(query, 'token');
    if (token !== undefined) {
      const r = await getReportByToken(db, id, token, reportOptions);
      const trail = await reportTrail(db, id);
      return c.json({
        id: r.id, field: r.field, status: r.status, status_note: r.statusNote, due_at: r.dueAt, overdue: r.overdue, created_at: r.createdAt, updated_at: r.updatedAt, closed_at: r.closedAt,
        trail: trail.map((e) => ({ at: e.at, status: e.status })),
      });
    }
    // Staff: the bearer token is checked here (the route is public for citizens with a token).
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    const p = m?.[1] === undefined ? null : await resolveToken(db, m[1]);
    if (p === null) {
      c.header('www-authenticate', 'Bearer realm="vaxpass"');
      throw new AppError('UNAUTHENTICATED', 'give ?token= (the citizen\'s lookup token) or "Authorization: Bearer vp_…"', 401);
    }
    const r = await getReport(db, id, reportOptions);
    if (!mayHandleReport(p, r, false)) throw forbidden(p, `report ${id} is routed to ${r.facilityCode ?? `province ${r.provinceCode}`}`);
    return c.json({ ...reportJson(r), trail: await reportTrail(db, id) });
  });

  mountRoute(app, SPECS.facilityReports, async (c, { params, query }) => {
    const f = await getFacilityByCode(db, String(params.code));
    authorize(principalOf(c), { action: 'facility.read', facilityCode: f.code, provinceCode: f.provinceCode });
    const pageOut = await listReports(db, { facilityCode: f.code, status: s(query, 'status') as ReportStatus | undefined, overdue: b(query, 'overdue'), limit: n(query, 'limit'), cursor: s(query, 'cursor') }, reportOptions);
    return c.json({ items: pageOut.items.map(reportJson), next_cursor: pageOut.nextCursor });
  }, opts);

  mountRoute(app, SPECS.provinceReports, async (c, { params, query }) => {
    const p = principalOf(c);
    const code = String(params.code);
    if (p.role === 'province' && p.scope !== code) throw forbidden(p, `reports of province ${code} need a province token with scope ${code}`);
    const pageOut = await listReports(
      db,
      { provinceCode: code, unassigned: b(query, 'unassigned'), status: s(query, 'status') as ReportStatus | undefined, overdue: b(query, 'overdue'), limit: n(query, 'limit'), cursor: s(query, 'cursor') },
      reportOptions,
    );
    return c.json({ items: pageOut.items.map(reportJson), next_cursor: pageOut.nextCursor });
  }, opts);

  mountRoute(app, SPECS.reportStatus, async (c, { params, body }) => {
    const p = principalOf(c);
    const id = Number(params.id);
    const before = await getReport(db, id, reportOptions);
    if (!mayHandleReport(p, before, true)) throw forbidden(p, `report ${id} is handled by ${before.facilityCode ?? '(no facility)'} or province ${before.provinceCode}`);
    const raw = body as { status: ReportStatus; reason?: string; correction?: unknown };
    const r = await changeReportStatus(db, id, { status: raw.status, reason: raw.reason, correction: correctionOf(raw.correction) }, actorOf(p), { ...reportOptions, ...reverify() });
    return c.json({ report: reportJson(r.report), person: r.person === null ? null : personJson(r.person), verification: outcomeJson(r.verification) });
  }, opts);

  return app;
}
