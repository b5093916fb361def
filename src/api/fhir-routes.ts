/**
 * A small FHIR R4 surface under `/api/v1/fhir` (answers are `application/fhir+json`):
 * - `GET /fhir/Patient/{id}`: one person as a Patient (`person.read`).
 * - `GET /fhir/Bundle?facility=CODE`: a facility's doses as a searchset Bundle of Immunizations
 *   with their Patients (`facility.read`). Built in memory: for bulk use `vaxpass fhir export`.
 * - `POST /facilities/{code}/fhir`: import a Bundle (or Bulk Data NDJSON) through the import
 *   pipeline, answering the import summary (`facility.write`).
 * The mapping is documented in `src/registry/fhir/MAPPING.md`.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { authorize } from '../auth/index.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { exportBundle, personToPatient, readPersonPages } from '../registry/fhir/index.js';
import { getFacilityByCode } from '../registry/index.js';
import { authenticate, principalOf } from './auth-middleware.js';
import type { AuthEnv } from './auth-middleware.js';
import { IMPORT_SCHEMAS, handleUpload, uploadContext } from './import-routes.js';
import type { ImportRoutesOptions } from './import-routes.js';
import { mountRoute, ref } from './openapi/index.js';
import type { ApiSection, ResponseSpec, RouteSpec } from './openapi/index.js';

const P = '/api/v1';
const FHIR_JSON = 'application/fhir+json';
const problem = (description: string): ResponseSpec => ({ description, schema: ref('Problem'), contentType: 'application/problem+json' });
const validation = (description: string): ResponseSpec => ({ description, schema: ref('ValidationProblem'), contentType: 'application/problem+json' });
const CODE = { schema: { type: 'string', minLength: 1, maxLength: 40 } };
const RESOURCE = (name: string): ResponseSpec => ({ description: `A FHIR R4 ${name}`, schema: { type: 'object', description: `FHIR R4 ${name} (http://hl7.org/fhir/R4/)`, properties: { resourceType: { const: name } } }, contentType: FHIR_JSON });

const SPECS = {
  patient: {
    method: 'get', path: `${P}/fhir/Patient/{id}`, operationId: 'fhirReadPatient', summary: 'A person as a FHIR Patient', tags: ['fhir'],
    auth: { roles: ['ministry', 'province', 'facility'] }, pathParams: { id: { schema: { type: 'integer', minimum: 1 } } },
    responses: { '200': RESOURCE('Patient'), '404': problem('PERSON_NOT_FOUND') },
  },
  bundle: {
    method: 'get', path: `${P}/fhir/Bundle`, operationId: 'fhirExportBundle', summary: "A facility's doses as a FHIR searchset Bundle", tags: ['fhir'],
    description: 'Immunizations recorded by the facility (`match`) and their Patients (`include`), EU DCC codes on each Immunization. For large exports use `vaxpass fhir export --out DIR` (NDJSON).',
    auth: { roles: ['ministry', 'province', 'facility'] }, query: { facility: { ...CODE, required: true, description: 'Facility code' } },
    responses: { '200': RESOURCE('Bundle'), '404': problem('FACILITY_NOT_FOUND') },
  },
  import: {
    method: 'post', path: `${P}/facilities/{code}/fhir`, operationId: 'fhirImport', summary: 'Import a FHIR Bundle (or Bulk Data NDJSON)', tags: ['fhir'],
    description: 'Same pipeline as the file import: valid Immunizations are recorded, entries with errors are quarantined (with the resource JSON) and listed in the error report.',
    auth: { roles: ['facility'] }, pathParams: { code: CODE }, query: { filename: { schema: { type: 'string', maxLength: 200 }, description: 'File name recorded on the job' } },
    body: { description: 'A FHIR R4 Bundle, or NDJSON with each Patient before its Immunizations', contentTypes: { 'application/fhir+json': { type: 'object' }, 'application/fhir+ndjson': { type: 'string' } } },
    responses: { '200': { description: 'The import summary', schema: ref('ImportSummary') }, '404': problem('FACILITY_NOT_FOUND'), '413': problem('BODY_TOO_LARGE'), '415': problem('UNSUPPORTED_MEDIA_TYPE'), '422': validation('FHIR_NOT_A_BUNDLE, FHIR_INVALID_JSON') },
  },
} satisfies Record<string, RouteSpec>;

/** The FHIR section of the OpenAPI document (its import answer uses `ImportSummary` from the imports section). */
export const FHIR_SECTION: ApiSection = {
  tags: [{ name: 'fhir', description: 'FHIR R4 Patient and Immunization (mapping: src/registry/fhir/MAPPING.md)' }],
  specs: Object.values(SPECS),
  schemas: { ImportSummary: IMPORT_SCHEMAS.ImportSummary ?? {} },
};

/**
 * The FHIR router (full paths under /api/v1; mount at `/`, with the imports section mounted too).
 * @param db - database
 * @param options - as for the import routes (dialect, report dir, upload limit)
 */
export function fhirRoutes(db: Kysely<Database>, options: ImportRoutesOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const opts = { authenticate: authenticate(db) };
  const ctx = uploadContext(db, options);
  const fhir = (data: unknown): Response => new Response(JSON.stringify(data), { status: 200, headers: { 'content-type': FHIR_JSON } });

  mountRoute(app, SPECS.patient, async (c, { params }) => {
    authorize(principalOf(c), { action: 'person.read' });
    const id = Number(params.id);
    for await (const page of readPersonPages(db, { personIds: [id] })) {
      const found = page[0];
      if (found !== undefined) return fhir(personToPatient(found.person, found.documents));
    }
    throw new AppError('PERSON_NOT_FOUND', `no person ${id}`, 404, { id });
  }, opts);

  mountRoute(app, SPECS.bundle, async (c, { query }) => {
    const f = await getFacilityByCode(db, String(query.facility));
    authorize(principalOf(c), { action: 'facility.read', facilityCode: f.code, provinceCode: f.provinceCode });
    return fhir(await exportBundle(db, { facilityCode: f.code, type: 'searchset' }));
  }, opts);

  mountRoute(app, SPECS.import, async (c, { params, query }) => c.json(await handleUpload(c, ctx, String(params.code), query, ['fhir-bundle', 'fhir-ndjson'])), opts);

  return app;
}
