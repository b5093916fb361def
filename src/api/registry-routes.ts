/**
 * The registry's REST API under `/api/v1` (facilities, signing, people, doses), JSON in
 * snake_case like the import template. Every route needs a bearer token; role checks come from
 * each RouteSpec, scope checks (which province, which facility) from `authorize()` here.
 * Mount with `app.route('/', registryRoutes(db))` and document with REGISTRY_SECTION.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { actorOf, authorize } from '../auth/index.js';
import type { Principal } from '../auth/index.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';
import {
  addFacility,
  correctDose,
  correctPerson,
  createPerson,
  facilitiesOfPerson,
  getDose,
  getFacilityByCode,
  getPerson,
  listFacilities,
  listFacilityDoses,
  personHistory,
  recordDose,
  searchPeople,
  setProvinceSigning,
  signingUnitFor,
  updateFacility,
  voidDose,
} from '../registry/index.js';
import type { Dose, DoseStatus, Facility, HistoryEntry, PersonDetail, PersonWithDocuments, ProvinceSigning } from '../registry/index.js';
import type { FieldIssue } from '../registry/validate/index.js';
import { authenticate, principalOf } from './auth-middleware.js';
import type { AuthEnv } from './auth-middleware.js';
import { mountRoute, ref } from './openapi/index.js';
import type { ApiSection, ResponseSpec, RouteSpec } from './openapi/index.js';
import { DOSE_CORRECTION, FACILITY_PATCH, NEW_DOSE, NEW_FACILITY, NEW_PERSON, PERSON_CORRECTION, PROVINCE_SIGNING_BODY, REGISTRY_SCHEMAS, VOID_DOSE } from './openapi/registry-schemas.js';

const P = '/api/v1';
const problem = (description: string): ResponseSpec => ({ description, schema: ref('Problem'), contentType: 'application/problem+json' });
const validation = (description: string): ResponseSpec => ({ description, schema: ref('ValidationProblem'), contentType: 'application/problem+json' });
const ID = { schema: { type: 'integer', minimum: 1 } };
const CODE = { schema: { type: 'string', minLength: 1, maxLength: 40 } };
const READERS = ['ministry', 'province', 'facility'] as const;

const SPECS = {
  addFacility: {
    method: 'post', path: `${P}/facilities`, operationId: 'addFacility', summary: 'Add a facility', tags: ['facilities'],
    description: 'Province tokens add facilities of their own province.',
    auth: { roles: ['province'] }, body: { name: 'NewFacility', schema: NEW_FACILITY },
    responses: { '201': { description: 'Added', schema: ref('Facility') }, '409': problem('FACILITY_EXISTS'), '422': validation('VALIDATION: every failing field') },
  },
  listFacilities: {
    method: 'get', path: `${P}/facilities`, operationId: 'listFacilities', summary: 'List facilities', tags: ['facilities'],
    description: 'Province tokens see their province only.',
    auth: { roles: ['ministry', 'province'] }, query: { province: { schema: { type: 'string', pattern: '^\\d{2}$' }, description: 'Only this province' } },
    responses: { '200': { description: 'Facilities in code order', schema: { type: 'object', properties: { items: { type: 'array', items: ref('Facility') } } } } },
  },
  getFacility: {
    method: 'get', path: `${P}/facilities/{code}`, operationId: 'getFacility', summary: 'A facility', tags: ['facilities'],
    auth: { roles: [...READERS] }, pathParams: { code: CODE },
    responses: { '200': { description: 'The facility and who signs its data', schema: { allOf: [ref('Facility'), { type: 'object', properties: { signing_unit: { type: 'string' } } }] } }, '404': problem('FACILITY_NOT_FOUND') },
  },
  updateFacility: {
    method: 'patch', path: `${P}/facilities/{code}`, operationId: 'updateFacility', summary: 'Change a facility (history kept)', tags: ['facilities'],
    description: "Province tokens change facilities of their own province: name, district, type, or `active: false` to close it. The province's focal unit cannot be closed or lose its focal type until another unit is chosen.",
    auth: { roles: ['province'] }, pathParams: { code: CODE }, body: { name: 'FacilityPatch', schema: FACILITY_PATCH },
    responses: { '200': { description: 'The facility after the change', schema: ref('Facility') }, '404': problem('FACILITY_NOT_FOUND'), '409': problem('FACILITY_IS_FOCAL_UNIT'), '422': validation('VALIDATION: every failing field') },
  },
  setSigning: {
    method: 'put', path: `${P}/provinces/{code}/signing`, operationId: 'setProvinceSigning', summary: "Choose who signs a province's data", tags: ['facilities'],
    description: 'Mode `facility`: each facility signs its own data. Mode `focal_unit`: the given facility (type so_y_te or cdc, same province) signs for all.',
    auth: { roles: ['province'] }, pathParams: { code: { schema: { type: 'string', pattern: '^\\d{2}$' } } }, body: { name: 'ProvinceSigningInput', schema: PROVINCE_SIGNING_BODY },
    responses: { '200': { description: 'The configuration', schema: ref('ProvinceSigning') }, '404': problem('PROVINCE_UNKNOWN'), '422': validation('VALIDATION') },
  },
  createPerson: {
    method: 'post', path: `${P}/people`, operationId: 'createPerson', summary: 'Create a person', tags: ['people'],
    auth: { roles: ['facility'] }, body: { name: 'NewPerson', schema: NEW_PERSON },
    responses: { '201': { description: 'Created (with warnings, if any)', schema: ref('PersonResult') }, '409': problem('PERSON_DOCUMENT_TAKEN: `existingPersonId` holds this ID number'), '422': validation('VALIDATION: every failing field, in English and Vietnamese') },
  },
  searchPeople: {
    method: 'get', path: `${P}/people`, operationId: 'searchPeople', summary: 'Find people by ID number, or by name and date of birth', tags: ['people'],
    description: 'Give `id_number`, or `name` and `dob`. Facility tokens may search by ID number only.',
    auth: { roles: [...READERS] },
    query: { id_number: { schema: { type: 'string', maxLength: 40 } }, name: { schema: { type: 'string', maxLength: 200 } }, dob: { schema: { type: 'string', maxLength: 40 } } },
    responses: { '200': { description: 'Matches (at most 50)', schema: { type: 'object', properties: { items: { type: 'array', items: ref('Person') } } } }, '422': validation('VALIDATION') },
  },
  getPerson: {
    method: 'get', path: `${P}/people/{id}`, operationId: 'getPerson', summary: 'A person with documents and active doses', tags: ['people'],
    auth: { roles: [...READERS] }, pathParams: { id: ID },
    responses: { '200': { description: 'The person', schema: ref('Person') }, '404': problem('PERSON_NOT_FOUND') },
  },
  correctPerson: {
    method: 'patch', path: `${P}/people/{id}`, operationId: 'correctPerson', summary: 'Correct a person (history kept)', tags: ['people'],
    description: 'Facility tokens correct people they have recorded doses for or created. A new `id_number` becomes the current document; the old one is kept.',
    auth: { roles: ['facility'] }, pathParams: { id: ID }, body: { name: 'PersonCorrection', schema: PERSON_CORRECTION },
    responses: { '200': { description: 'Corrected', schema: ref('PersonResult') }, '404': problem('PERSON_NOT_FOUND'), '409': problem('PERSON_DOCUMENT_TAKEN or VERSION_CONFLICT'), '422': validation('VALIDATION') },
  },
  personHistory: {
    method: 'get', path: `${P}/people/{id}/history`, operationId: 'personHistory', summary: 'Every change to a person and their doses, oldest first', tags: ['people'],
    auth: { roles: [...READERS] }, pathParams: { id: ID },
    responses: { '200': { description: 'History', schema: { type: 'object', properties: { items: { type: 'array', items: ref('HistoryEntry') } } } }, '404': problem('PERSON_NOT_FOUND') },
  },
  recordDose: {
    method: 'post', path: `${P}/doses`, operationId: 'recordDose', summary: 'Record a dose', tags: ['doses'],
    auth: { roles: ['facility'] }, body: { name: 'NewDose', schema: NEW_DOSE },
    responses: { '201': { description: 'Recorded (with warnings, if any)', schema: ref('DoseResult') }, '404': problem('PERSON_NOT_FOUND or FACILITY_NOT_FOUND'), '409': problem('DOSE_DUPLICATE: `existingDoseId` is the dose already recorded'), '422': validation('VALIDATION') },
  },
  correctDose: {
    method: 'patch', path: `${P}/doses/{id}`, operationId: 'correctDose', summary: 'Correct a dose (history kept)', tags: ['doses'],
    auth: { roles: ['facility'] }, pathParams: { id: ID }, body: { name: 'DoseCorrection', schema: DOSE_CORRECTION },
    responses: { '200': { description: 'Corrected', schema: ref('DoseResult') }, '404': problem('DOSE_NOT_FOUND'), '409': problem('DOSE_VOIDED, DOSE_DUPLICATE or VERSION_CONFLICT'), '422': validation('VALIDATION') },
  },
  voidDose: {
    method: 'post', path: `${P}/doses/{id}/void`, operationId: 'voidDose', summary: 'Void a dose', tags: ['doses'],
    auth: { roles: ['facility'] }, pathParams: { id: ID }, body: { name: 'VoidDose', schema: VOID_DOSE },
    responses: { '200': { description: 'Voided', schema: ref('Dose') }, '404': problem('DOSE_NOT_FOUND'), '409': problem('DOSE_VOIDED: already voided') },
  },
  listDoses: {
    method: 'get', path: `${P}/facilities/{code}/doses`, operationId: 'listFacilityDoses', summary: "A facility's doses, paged", tags: ['doses'],
    description: 'Ordered by dose date then id; pass `next_cursor` back as `cursor` for the next page.',
    auth: { roles: [...READERS] }, pathParams: { code: CODE },
    query: {
      from: { schema: { type: 'string', format: 'date' }, description: 'Dose date from (inclusive)' },
      to: { schema: { type: 'string', format: 'date' }, description: 'Dose date to (inclusive)' },
      product: { schema: { type: 'string', maxLength: 40 }, description: 'Product id' },
      status: { schema: { enum: ['active', 'voided'] } },
      dose_number: { schema: { type: 'integer', minimum: 1, maximum: 20 } },
      limit: { schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
      cursor: { schema: { type: 'string', maxLength: 200 } },
    },
    responses: { '200': { description: 'One page', schema: ref('DosePage') }, '404': problem('FACILITY_NOT_FOUND') },
  },
} satisfies Record<string, RouteSpec>;

/** The registry's section of the OpenAPI document. */
export const REGISTRY_SECTION: ApiSection = {
  tags: [
    { name: 'facilities', description: 'Vaccination facilities and who signs their data' },
    { name: 'people', description: 'People and their identity documents' },
    { name: 'doses', description: 'Vaccination doses' },
  ],
  specs: Object.values(SPECS),
  schemas: REGISTRY_SCHEMAS,
};

type Body = Record<string, unknown>;

function str(b: Body, key: string): string | undefined {
  const v = b[key];
  return typeof v === 'string' ? v : undefined;
}

/** A nullable field: undefined when absent, null when sent as null. */
function opt(b: Body, key: string): string | null | undefined {
  const v = b[key];
  return v === null ? null : typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

export function facilityJson(f: Facility): Record<string, unknown> {
  return { id: f.id, code: f.code, name: f.name, province_code: f.provinceCode, district_code: f.districtCode, type: f.type, active: f.active, created_at: f.createdAt, updated_at: f.updatedAt };
}

function signingJson(s: ProvinceSigning): Record<string, unknown> {
  return { province_code: s.provinceCode, mode: s.mode, focal_facility_code: s.focalFacilityCode, updated_at: s.updatedAt, updated_by: s.updatedBy };
}

/** A dose as the API sends it. */
export function doseJson(d: Dose): Record<string, unknown> {
  return {
    id: d.id,
    person_id: d.personId,
    facility_code: d.facilityCode,
    product_id: d.productId,
    lot: d.lot,
    dose_date: d.doseDate,
    dose_number: d.doseNumber,
    dose_kind: d.doseKind,
    vaccinator: d.vaccinator,
    source: d.source,
    status: d.status,
    void_reason: d.voidReason,
    version: d.version,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

/** A person as the API sends it. */
export function personJson(p: PersonWithDocuments | PersonDetail): Record<string, unknown> {
  return {
    id: p.id,
    full_name: p.fullName,
    full_name_raw: p.fullNameRaw,
    dob: p.dob,
    sex: p.sex,
    nationality: p.nationality,
    phone: p.phone,
    province_code: p.provinceCode,
    district_code: p.districtCode,
    ward_code: p.wardCode,
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    documents: p.documents.map((d) => ({ id: d.id, kind: d.kind, number: d.number, country: d.country, current: d.current, created_at: d.createdAt })),
    ...('doses' in p ? { doses: p.doses.map(doseJson) } : {}),
  };
}

function historyJson(h: HistoryEntry): Record<string, unknown> {
  return { id: h.id, at: h.at, actor: h.actor, action: h.action, entity: h.entity, entity_id: h.entityId, before: h.before, after: h.after, reason: h.reason };
}

function withWarnings(json: Record<string, unknown>, warnings: readonly FieldIssue[]): Record<string, unknown> {
  return { ...json, warnings };
}

function personInput(b: Body) {
  return {
    fullName: str(b, 'full_name'),
    dob: str(b, 'dob'),
    sex: str(b, 'sex'),
    idNumber: opt(b, 'id_number'),
    idCountry: opt(b, 'id_country'),
    nationality: str(b, 'nationality'),
    phone: opt(b, 'phone'),
    provinceCode: opt(b, 'province_code'),
    districtCode: opt(b, 'district_code'),
    wardCode: opt(b, 'ward_code'),
  };
}

async function authorizeDose(db: Kysely<Database>, p: Principal, id: number): Promise<Dose> {
  const dose = await getDose(db, id);
  authorize(p, { action: 'facility.write', facilityCode: dose.facilityCode });
  return dose;
}

/**
 * The registry router (full paths under /api/v1; mount at `/`).
 * @param db - database
 */
export function registryRoutes(db: Kysely<Database>): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const opts = { authenticate: authenticate(db) };
  const body = (input: { body: unknown }): Body => input.body as Body;
  const json = (c: Context<AuthEnv>, data: unknown, status: 200 | 201 = 200): Response => c.json(data, status);

  mountRoute(app, SPECS.addFacility, async (c, input) => {
    const p = principalOf(c);
    const b = body(input);
    const provinceCode = str(b, 'province_code') ?? '';
    authorize(p, { action: 'facility.manage', provinceCode });
    const f = await addFacility(db, { code: str(b, 'code') ?? '', name: str(b, 'name') ?? '', provinceCode, districtCode: opt(b, 'district_code'), type: str(b, 'type') }, actorOf(p));
    return json(c, facilityJson(f), 201);
  }, opts);

  mountRoute(app, SPECS.listFacilities, async (c, { query }) => {
    const p = principalOf(c);
    authorize(p, { action: 'facility.list' });
    const asked = typeof query.province === 'string' ? query.province : undefined;
    if (p.role === 'province' && asked !== undefined && asked !== p.scope) authorize(p, { action: 'facility.manage', provinceCode: asked });
    const provinceCode = p.role === 'province' ? (p.scope ?? '') : asked;
    return json(c, { items: (await listFacilities(db, { provinceCode })).map(facilityJson) });
  }, opts);

  mountRoute(app, SPECS.getFacility, async (c, { params }) => {
    const f = await getFacilityByCode(db, String(params.code));
    authorize(principalOf(c), { action: 'facility.read', facilityCode: f.code, provinceCode: f.provinceCode });
    return json(c, { ...facilityJson(f), signing_unit: (await signingUnitFor(db, f.id)).code });
  }, opts);

  mountRoute(app, SPECS.updateFacility, async (c, input) => {
    const p = principalOf(c);
    const before = await getFacilityByCode(db, String(input.params.code));
    authorize(p, { action: 'facility.manage', provinceCode: before.provinceCode });
    const b = body(input);
    const f = await updateFacility(
      db,
      before.code,
      { name: str(b, 'name'), districtCode: opt(b, 'district_code'), type: str(b, 'type'), active: typeof b.active === 'boolean' ? b.active : undefined },
      actorOf(p),
    );
    return json(c, facilityJson(f));
  }, opts);

  mountRoute(app, SPECS.setSigning, async (c, { params, body: raw }) => {
    const p = principalOf(c);
    const provinceCode = String(params.code);
    authorize(p, { action: 'facility.manage', provinceCode });
    const b = raw as Body;
    return json(c, signingJson(await setProvinceSigning(db, provinceCode, { mode: str(b, 'mode') ?? '', focalFacilityCode: opt(b, 'focal_facility_code') }, actorOf(p))));
  }, opts);

  mountRoute(app, SPECS.createPerson, async (c, input) => {
    const p = principalOf(c);
    if (p.role === 'facility') authorize(p, { action: 'facility.write', facilityCode: p.scope ?? '' });
    const b = body(input);
    const i = personInput(b);
    const r = await createPerson(db, { ...i, fullName: i.fullName ?? '', dob: i.dob ?? '', sex: i.sex ?? '' }, actorOf(p));
    return json(c, withWarnings(personJson(r.person), r.warnings), 201);
  }, opts);

  mountRoute(app, SPECS.searchPeople, async (c, { query }) => {
    const p = principalOf(c);
    const idNumber = typeof query.id_number === 'string' ? query.id_number : undefined;
    const name = typeof query.name === 'string' ? query.name : undefined;
    const dob = typeof query.dob === 'string' ? query.dob : undefined;
    if (idNumber !== undefined) {
      authorize(p, { action: 'person.read' });
      return json(c, { items: (await searchPeople(db, { idNumber })).map(personJson) });
    }
    if (name === undefined || dob === undefined) {
      throw new AppError('BAD_REQUEST', 'give id_number, or name and dob', 400, {
        issues: [{ field: 'query.id_number', code: 'SCHEMA_REQUIRED', severity: 'error', en: 'give id_number, or name and dob', vi: 'Hãy nhập số định danh, hoặc họ tên và ngày sinh' }],
      });
    }
    authorize(p, { action: 'person.search' });
    return json(c, { items: (await searchPeople(db, { name, dob })).map(personJson) });
  }, opts);

  mountRoute(app, SPECS.getPerson, async (c, { params }) => {
    authorize(principalOf(c), { action: 'person.read' });
    return json(c, personJson(await getPerson(db, num(params.id))));
  }, opts);

  mountRoute(app, SPECS.correctPerson, async (c, input) => {
    const p = principalOf(c);
    const id = num(input.params.id);
    const before = await getPerson(db, id);
    authorize(p, { action: 'person.write', facilityCodes: await facilitiesOfPerson(db, id), createdBy: before.createdBy, actor: actorOf(p) });
    const b = body(input);
    const i = personInput(b);
    const patch = Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined));
    const version = b.version;
    const r = await correctPerson(db, id, { ...patch, ...(typeof version === 'number' ? { expectedVersion: version } : {}) }, actorOf(p), str(b, 'reason') ?? '');
    return json(c, withWarnings(personJson(r.person), r.warnings));
  }, opts);

  mountRoute(app, SPECS.personHistory, async (c, { params }) => {
    authorize(principalOf(c), { action: 'person.read' });
    return json(c, { items: (await personHistory(db, num(params.id))).map(historyJson) });
  }, opts);

  mountRoute(app, SPECS.recordDose, async (c, input) => {
    const p = principalOf(c);
    const b = body(input);
    const facilityCode = str(b, 'facility_code') ?? '';
    authorize(p, { action: 'facility.write', facilityCode });
    const r = await recordDose(
      db,
      { personId: num(b.person_id), facilityCode, vaccine: str(b, 'vaccine') ?? '', lot: opt(b, 'lot'), doseDate: str(b, 'dose_date') ?? '', doseNumber: typeof b.dose_number === 'number' ? b.dose_number : (str(b, 'dose_number') ?? ''), vaccinator: opt(b, 'vaccinator'), source: 'api' },
      actorOf(p),
    );
    return json(c, withWarnings(doseJson(r.dose), r.warnings), 201);
  }, opts);

  mountRoute(app, SPECS.correctDose, async (c, input) => {
    const p = principalOf(c);
    const id = num(input.params.id);
    await authorizeDose(db, p, id);
    const b = body(input);
    const r = await correctDose(
      db,
      id,
      {
        vaccine: str(b, 'vaccine'),
        lot: opt(b, 'lot'),
        doseDate: str(b, 'dose_date'),
        doseNumber: typeof b.dose_number === 'number' ? b.dose_number : str(b, 'dose_number'),
        vaccinator: opt(b, 'vaccinator'),
        expectedVersion: typeof b.version === 'number' ? b.version : undefined,
      },
      actorOf(p),
      str(b, 'reason') ?? '',
    );
    return json(c, withWarnings(doseJson(r.dose), r.warnings));
  }, opts);

  mountRoute(app, SPECS.voidDose, async (c, input) => {
    const p = principalOf(c);
    const id = num(input.params.id);
    await authorizeDose(db, p, id);
    return json(c, doseJson(await voidDose(db, id, str(body(input), 'reason') ?? '', actorOf(p))));
  }, opts);

  mountRoute(app, SPECS.listDoses, async (c, { params, query }) => {
    const f = await getFacilityByCode(db, String(params.code));
    authorize(principalOf(c), { action: 'facility.read', facilityCode: f.code, provinceCode: f.provinceCode });
    const s = (k: string): string | undefined => (typeof query[k] === 'string' ? query[k] : undefined);
    const page = await listFacilityDoses(db, f.code, {
      from: s('from'),
      to: s('to'),
      productId: s('product'),
      status: s('status') as DoseStatus | undefined,
      doseNumber: typeof query.dose_number === 'number' ? query.dose_number : undefined,
      limit: typeof query.limit === 'number' ? query.limit : undefined,
      cursor: s('cursor'),
    });
    return json(c, { items: page.items.map(doseJson), next_cursor: page.nextCursor });
  }, opts);

  return app;
}
