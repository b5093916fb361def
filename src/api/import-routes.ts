/**
 * Bulk import over HTTP and the quarantine work queue, under `/api/v1`:
 * - `POST /facilities/{code}/imports`: the raw file as the body (CSV, XLSX, FHIR Bundle or
 *   NDJSON), streamed to a temp file (size-limited), imported synchronously; answers the
 *   summary `vaxpass import --json` prints, plus where to download the error report.
 * - `GET /imports/{id}`, `GET /imports/{id}/errors.csv`, `GET /facilities/{code}/imports`.
 * - `GET /facilities/{code}/quarantine`, `PUT /quarantine/{id}` (correct and resubmit),
 *   `POST /quarantine/{id}/discard`.
 * Uploading and the quarantine need `facility.write` on the facility (its own facility token);
 * reading jobs and reports needs `facility.read` (the facility, its province, the ministry).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { actorOf, authorize } from '../auth/index.js';
import type { Database, DbDialect } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { importFhirBundle, importFhirNdjson } from '../registry/fhir-intake/index.js';
import { RECORD_FIELDS, importFile } from '../registry/import/index.js';
import type { ImportSummary, RowProblem } from '../registry/import/index.js';
import { QUARANTINE_MAX_PAGE, QUARANTINE_STATUSES, discardQuarantined, getFacilityByCode, getQuarantined, listQuarantine, resubmitQuarantined } from '../registry/index.js';
import type { QuarantineItem, QuarantineStatus } from '../registry/index.js';
import { authenticate, principalOf } from './auth-middleware.js';
import type { AuthEnv } from './auth-middleware.js';
import { mountRoute, ref } from './openapi/index.js';
import type { ApiSection, JsonSchema, ResponseSpec, RouteSpec } from './openapi/index.js';

const P = '/api/v1';
const problem = (description: string): ResponseSpec => ({ description, schema: ref('Problem'), contentType: 'application/problem+json' });
const validation = (description: string): ResponseSpec => ({ description, schema: ref('ValidationProblem'), contentType: 'application/problem+json' });
const ID = { schema: { type: 'integer', minimum: 1 } };
const CODE = { schema: { type: 'string', minLength: 1, maxLength: 40 } };
const READERS = ['ministry', 'province', 'facility'] as const;

/** Default upload limit: 200 MB. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Upload formats by media type. */
export const UPLOAD_TYPES = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/fhir+json': 'fhir-bundle',
  'application/json': 'fhir-bundle',
  'application/fhir+ndjson': 'fhir-ndjson',
  'application/x-ndjson': 'fhir-ndjson',
  'application/ndjson': 'fhir-ndjson',
} as const;
export type UploadFormat = (typeof UPLOAD_TYPES)[keyof typeof UPLOAD_TYPES];

const EXTENSIONS: Record<UploadFormat, string> = { csv: 'csv', xlsx: 'xlsx', 'fhir-bundle': 'json', 'fhir-ndjson': 'ndjson' };

const ISSUE_LIST = { type: 'array', items: ref('FieldIssue') };
const RAW_VALUE: JsonSchema = { type: ['string', 'number', 'null'] };
const RAW_ROW: JsonSchema = {
  type: 'object',
  description: 'A row by canonical field name (the import template: full_name, dob, sex, id_number, phone, province_code, vaccine, lot, dose_date, dose_number)',
  additionalProperties: false,
  properties: Object.fromEntries(RECORD_FIELDS.map((f) => [f, RAW_VALUE])),
};

/** Named schemas of this section. */
export const IMPORT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  ImportSummary: {
    type: 'object',
    description: 'The summary `vaxpass import --json` prints; `errors` lists errors (not warnings), at most 1000 (the report has all).',
    required: ['importId', 'rows', 'imported', 'duplicates', 'rejected', 'errors'],
    properties: {
      importId: { type: 'integer' },
      rows: { type: 'integer', description: 'Data rows read (the header is not counted)' },
      imported: { type: 'integer' },
      duplicates: { type: 'integer', description: 'Rows whose dose was already recorded (including rows quarantined by an earlier upload and since corrected and resubmitted)' },
      rejected: { type: 'integer', description: 'Rows kept in quarantine for correction' },
      errors: {
        type: 'array',
        items: { type: 'object', required: ['row', 'column', 'code', 'message'], properties: { row: { type: 'integer', description: '1-based line/row, header = 1 (FHIR: entry or line)' }, column: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } },
      },
      errorsTruncated: { type: 'boolean' },
      warned: { type: 'integer' },
      encodings: { type: 'object', additionalProperties: { type: 'string' } },
      errorReport: { type: ['string', 'null'], description: 'Path of the error report (CSV) under this API' },
      seconds: { type: 'number' },
      skipped: { type: 'array', description: 'FHIR only: entries skipped with a warning', items: { type: 'object' } },
      notes: { type: 'array', description: 'FHIR only: problems of a separate Patient file', items: { type: 'object' } },
    },
  },
  ImportJob: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      facility_code: { type: 'string' },
      file_name: { type: 'string' },
      file_sha256: { type: 'string' },
      format: { type: 'string', examples: ['csv', 'xlsx', 'fhir-bundle', 'fhir-ndjson'] },
      actor: { type: 'string' },
      status: { enum: ['running', 'done', 'failed'] },
      rows: { type: 'integer' },
      imported: { type: 'integer' },
      duplicates: { type: 'integer' },
      rejected: { type: 'integer' },
      warnings: { type: 'integer' },
      error: { type: ['string', 'null'] },
      started_at: { type: 'string' },
      finished_at: { type: ['string', 'null'] },
      error_report: { type: ['string', 'null'], description: 'Path of the error report, when one was kept' },
    },
  },
  QuarantineItem: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      import_id: { type: 'integer' },
      facility_code: { type: 'string' },
      row_number: { type: 'integer' },
      raw: RAW_ROW,
      source: { type: ['string', 'null'], description: 'The original resource JSON (FHIR rows)' },
      issues: ISSUE_LIST,
      status: { enum: [...QUARANTINE_STATUSES] },
      dose_id: { type: ['integer', 'null'] },
      resolved_by: { type: ['string', 'null'] },
      resolved_at: { type: ['string', 'null'] },
      created_at: { type: 'string' },
    },
  },
};

const RESUBMIT_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['values'],
  properties: { values: { ...RAW_ROW, description: 'The FULL corrected row (every field, not only the corrected ones)' }, reason: { type: 'string', minLength: 1, maxLength: 500 } },
};
const DISCARD_BODY: JsonSchema = { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } };

const UPLOAD_DESCRIPTION =
  'The file itself is the body. CSV/XLSX in the ministry template; a FHIR R4 Bundle; or FHIR Bulk Data NDJSON with each Patient before the Immunizations that reference it. ' +
  'Optional `filename` query parameter (or `Content-Disposition: attachment; filename=…`) names the file on the job.';

const SPECS = {
  upload: {
    method: 'post', path: `${P}/facilities/{code}/imports`, operationId: 'uploadImport', summary: 'Import a vaccination list (file upload)', tags: ['imports'],
    description: 'Imports synchronously: valid rows are recorded, invalid rows quarantined (correct them with `PUT /api/v1/quarantine/{id}`), every problem listed in the error report. Re-uploading the same file creates no duplicates.',
    auth: { roles: ['facility'] }, pathParams: { code: CODE }, query: { filename: { schema: { type: 'string', maxLength: 200 }, description: 'File name recorded on the job' } },
    body: {
      description: UPLOAD_DESCRIPTION,
      contentTypes: {
        'text/csv': { type: 'string' },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { type: 'string', contentMediaType: 'application/octet-stream' },
        'application/fhir+json': { type: 'object', description: 'A FHIR R4 Bundle' },
        'application/fhir+ndjson': { type: 'string' },
      },
    },
    responses: {
      '200': { description: 'The summary', schema: ref('ImportSummary') },
      '404': problem('FACILITY_NOT_FOUND'),
      '413': problem('BODY_TOO_LARGE'),
      '415': problem('UNSUPPORTED_MEDIA_TYPE'),
      '422': validation('IMPORT_HEADER, IMPORT_EMPTY, FHIR_NOT_A_BUNDLE, FHIR_INVALID_JSON: the file as a whole cannot be imported'),
    },
  },
  listImports: {
    method: 'get', path: `${P}/facilities/{code}/imports`, operationId: 'listImports', summary: "A facility's imports, newest first", tags: ['imports'],
    auth: { roles: [...READERS] }, pathParams: { code: CODE },
    query: { limit: { schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, cursor: { schema: { type: 'string', maxLength: 20 } } },
    responses: { '200': { description: 'One page', schema: { type: 'object', properties: { items: { type: 'array', items: ref('ImportJob') }, next_cursor: { type: ['string', 'null'] } } } }, '404': problem('FACILITY_NOT_FOUND') },
  },
  getImport: {
    method: 'get', path: `${P}/imports/{id}`, operationId: 'getImport', summary: 'An import job: status, counts, who, when, file name and SHA-256', tags: ['imports'],
    auth: { roles: [...READERS] }, pathParams: { id: ID },
    responses: { '200': { description: 'The job', schema: ref('ImportJob') }, '404': problem('IMPORT_NOT_FOUND') },
  },
  errorReport: {
    method: 'get', path: `${P}/imports/{id}/errors.csv`, operationId: 'getImportErrors', summary: "An import's error report (CSV)", tags: ['imports'],
    description: 'Columns: row, column, code, severity, message_en, message_vi, value. Rows are the file\'s 1-based lines (header = 1).',
    auth: { roles: [...READERS] }, pathParams: { id: ID },
    responses: { '200': { description: 'The report', schema: { type: 'string' }, contentType: 'text/csv' }, '404': problem('IMPORT_NOT_FOUND or IMPORT_REPORT_NOT_FOUND') },
  },
  listQuarantine: {
    method: 'get', path: `${P}/facilities/{code}/quarantine`, operationId: 'listQuarantine', summary: "A facility's quarantined rows, oldest first", tags: ['imports'],
    auth: { roles: ['facility'] }, pathParams: { code: CODE },
    query: {
      status: { schema: { enum: [...QUARANTINE_STATUSES], default: 'pending' } },
      limit: { schema: { type: 'integer', minimum: 1, maximum: QUARANTINE_MAX_PAGE, default: 50 } },
      cursor: { schema: { type: 'string', maxLength: 20 } },
    },
    responses: { '200': { description: 'One page', schema: { type: 'object', properties: { items: { type: 'array', items: ref('QuarantineItem') }, next_cursor: { type: ['string', 'null'] } } } }, '404': problem('FACILITY_NOT_FOUND') },
  },
  resubmit: {
    method: 'put', path: `${P}/quarantine/{id}`, operationId: 'resubmitQuarantined', summary: 'Correct a quarantined row and resubmit it', tags: ['imports'],
    description: 'Validated exactly like an import row (fields, duplicates, dose series). On success the dose is recorded and the row is `resubmitted`; otherwise 422 with every issue, and the row stays `pending` with these issues.',
    auth: { roles: ['facility'] }, pathParams: { id: ID }, body: { name: 'QuarantineResubmission', schema: RESUBMIT_BODY },
    responses: {
      '200': { description: 'Recorded (`outcome` imported) or already recorded (`duplicate`)', schema: { type: 'object', properties: { outcome: { enum: ['imported', 'duplicate'] }, dose_id: { type: 'integer' }, person_id: { type: 'integer' }, warnings: ISSUE_LIST, item: ref('QuarantineItem') } } },
      '404': problem('QUARANTINE_NOT_FOUND'),
      '409': problem('QUARANTINE_RESOLVED: already resubmitted or discarded'),
      '422': validation('VALIDATION: every issue of the corrected row, in English and Vietnamese'),
    },
  },
  discard: {
    method: 'post', path: `${P}/quarantine/{id}/discard`, operationId: 'discardQuarantined', summary: 'Discard a quarantined row', tags: ['imports'],
    auth: { roles: ['facility'] }, pathParams: { id: ID }, body: { name: 'QuarantineDiscard', schema: DISCARD_BODY },
    responses: { '200': { description: 'Discarded', schema: ref('QuarantineItem') }, '404': problem('QUARANTINE_NOT_FOUND'), '409': problem('QUARANTINE_RESOLVED') },
  },
} satisfies Record<string, RouteSpec>;

/** The imports and quarantine section of the OpenAPI document. */
export const IMPORT_SECTION: ApiSection = {
  tags: [{ name: 'imports', description: 'Bulk import of vaccination lists, error reports and the quarantine of rejected rows' }],
  specs: Object.values(SPECS),
  schemas: IMPORT_SCHEMAS,
};

/** Options of {@link importRoutes}. */
export interface ImportRoutesOptions {
  readonly dialect: DbDialect;
  /** Where error reports are kept, as `<importId>.csv` (default `./data/import-reports`). */
  readonly reportDir?: string;
  /** Largest upload (default {@link MAX_UPLOAD_BYTES}). */
  readonly maxUploadBytes?: number;
  /** Where uploads are spooled (default the OS temp dir). */
  readonly tmpDir?: string;
  /** Today in Viet Nam (tests). */
  readonly today?: string;
}

/** Resolved options shared by the upload routes of this file and `fhir-routes.ts`. */
export interface UploadContext {
  readonly db: Kysely<Database>;
  readonly dialect: DbDialect;
  readonly reportDir: string;
  readonly maxUploadBytes: number;
  readonly tmpDir: string;
  readonly today: string | undefined;
}

/**
 * The upload context of {@link ImportRoutesOptions}.
 * @param db - database
 * @param options - the routes' options
 */
export function uploadContext(db: Kysely<Database>, options: ImportRoutesOptions): UploadContext {
  return { db, dialect: options.dialect, reportDir: options.reportDir ?? './data/import-reports', maxUploadBytes: options.maxUploadBytes ?? MAX_UPLOAD_BYTES, tmpDir: options.tmpDir ?? tmpdir(), today: options.today };
}

function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function fileNameOf(c: Context, query: Readonly<Record<string, unknown>>, format: UploadFormat): string {
  if (typeof query.filename === 'string' && query.filename !== '') return query.filename;
  const cd = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(c.req.header('content-disposition') ?? '')?.[1];
  if (cd !== undefined) {
    try {
      return decodeURIComponent(cd).split(/[\\/]/).pop() ?? cd;
    } catch {
      return cd;
    }
  }
  return `upload.${EXTENSIONS[format]}`;
}

/** Streams the request body to `path`, failing with 413 past `max` bytes. */
async function spool(c: Context, path: string, max: number): Promise<number> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  const tooLarge = (): AppError => new AppError('BODY_TOO_LARGE', `upload above ${max} bytes`, 413, { maxBytes: max });
  if (declared > max) throw tooLarge();
  const body = c.req.raw.body;
  if (body === null) throw new AppError('BAD_REQUEST', 'the request has no body: send the file as the body', 400);
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  let bytes = 0;
  try {
    for await (const chunk of Readable.fromWeb(body as WebReadableStream<Uint8Array>)) {
      const buf = chunk as Uint8Array;
      bytes += buf.length;
      if (bytes > max) throw tooLarge();
      if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
  } catch (e) {
    out.destroy();
    throw e;
  }
  out.end();
  await done;
  if (bytes === 0) throw new AppError('BAD_REQUEST', 'the request body is empty: send the file as the body', 400);
  return bytes;
}

/** The summary as `vaxpass import --json` prints it, with the report as an API path. */
export function importSummaryJson(s: ImportSummary & { skipped?: readonly RowProblem[]; notes?: readonly RowProblem[] }, reportPath: string | null): Record<string, unknown> {
  const brief = (e: RowProblem): Record<string, unknown> => ({ row: e.row, column: e.column, code: e.code, message: e.message });
  return {
    rows: s.rows,
    imported: s.imported,
    duplicates: s.duplicates,
    rejected: s.rejected,
    errors: s.errors.map(brief),
    errorsTruncated: s.errorsTruncated,
    warned: s.warned,
    encodings: s.encodings,
    importId: s.importId,
    errorReport: reportPath,
    seconds: Number(s.seconds.toFixed(3)),
    ...(s.skipped === undefined ? {} : { skipped: s.skipped.map(brief) }),
    ...(s.notes === undefined ? {} : { notes: s.notes.map(brief) }),
  };
}

/**
 * Runs an upload for a facility: authorizes, spools the body, imports it in the format its
 * media type names, keeps the error report as `<reportDir>/<importId>.csv`.
 * @param c - the request
 * @param ctx - database, dirs, limits
 * @param facilityCode - the facility importing
 * @param query - the validated query (`filename`)
 * @param allowed - formats this route takes
 * @returns the summary JSON
 */
export async function handleUpload(c: Context<AuthEnv>, ctx: UploadContext, facilityCode: string, query: Readonly<Record<string, unknown>>, allowed: readonly UploadFormat[]): Promise<Record<string, unknown>> {
  const p = principalOf(c);
  authorize(p, { action: 'facility.write', facilityCode });
  await getFacilityByCode(ctx.db, facilityCode);
  const type = mediaType(c);
  const format = (UPLOAD_TYPES as Readonly<Record<string, UploadFormat>>)[type];
  if (format === undefined || !allowed.includes(format)) {
    const accepted = Object.entries(UPLOAD_TYPES).filter(([, f]) => allowed.includes(f)).map(([t]) => t);
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send the file with Content-Type ${accepted.join(', ')} (got "${type || 'none'}")`, 415, { accepted });
  }
  const fileName = fileNameOf(c, query, format);
  const dir = await mkdtemp(join(ctx.tmpDir, 'vaxpass-upload-'));
  await mkdir(ctx.reportDir, { recursive: true });
  const pendingReport = join(ctx.reportDir, `.upload-${randomBytes(8).toString('hex')}.csv`);
  try {
    const file = join(dir, `upload.${EXTENSIONS[format]}`);
    await spool(c, file, ctx.maxUploadBytes);
    const options = { facilityCode, actor: actorOf(p), fileName, errorReport: pendingReport, ...(ctx.today === undefined ? {} : { today: ctx.today }) };
    const summary =
      format === 'fhir-bundle'
        ? await importFhirBundle(ctx.db, ctx.dialect, file, options)
        : format === 'fhir-ndjson'
          ? await importFhirNdjson(ctx.db, ctx.dialect, file, options)
          : await importFile(ctx.db, ctx.dialect, file, { ...options, format });
    await rename(pendingReport, reportFile(ctx.reportDir, summary.importId));
    return importSummaryJson(summary, `${P}/imports/${summary.importId}/errors.csv`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(pendingReport, { force: true });
  }
}

function reportFile(dir: string, importId: number): string {
  return join(dir, `${importId}.csv`);
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

type JobRow = {
  id: number;
  facility_code: string;
  province_code: string;
  file_name: string;
  file_sha256: string;
  format: string;
  actor: string;
  status: string;
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  warnings: number;
  error: string | null;
  started_at: string;
  finished_at: string | null;
};

function jobsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('import_job as j')
    .innerJoin('facility as f', 'f.id', 'j.facility_id')
    .select(['j.id', 'f.code as facility_code', 'f.province_code', 'j.file_name', 'j.file_sha256', 'j.format', 'j.actor', 'j.status', 'j.rows', 'j.imported', 'j.duplicates', 'j.rejected', 'j.warnings', 'j.error', 'j.started_at', 'j.finished_at']);
}

async function jobJson(j: JobRow, reportDir: string): Promise<Record<string, unknown>> {
  return {
    id: j.id,
    facility_code: j.facility_code,
    file_name: j.file_name,
    file_sha256: j.file_sha256,
    format: j.format,
    actor: j.actor,
    status: j.status,
    rows: j.rows,
    imported: j.imported,
    duplicates: j.duplicates,
    rejected: j.rejected,
    warnings: j.warnings,
    error: j.error,
    started_at: j.started_at,
    finished_at: j.finished_at,
    error_report: (await exists(reportFile(reportDir, j.id))) ? `${P}/imports/${j.id}/errors.csv` : null };
}

/**
 * A quarantined row as the API sends it.
 * @param q - the row
 */
export function quarantineJson(q: QuarantineItem): Record<string, unknown> {
  return {
    id: q.id,
    import_id: q.importId,
    facility_code: q.facilityCode,
    row_number: q.rowNumber,
    raw: q.raw,
    source: q.source,
    issues: q.issues,
    status: q.status,
    dose_id: q.doseId,
    resolved_by: q.resolvedBy,
    resolved_at: q.resolvedAt,
    created_at: q.createdAt,
  };
}

/**
 * The import and quarantine router (full paths under /api/v1; mount at `/`).
 * @param db - database
 * @param options - dialect, report dir, upload limit
 */
export function importRoutes(db: Kysely<Database>, options: ImportRoutesOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const opts = { authenticate: authenticate(db) };
  const ctx = uploadContext(db, options);

  const job = async (c: Context<AuthEnv>, id: number): Promise<JobRow> => {
    const j = await jobsQuery(db).where('j.id', '=', id).executeTakeFirst();
    if (!j) throw new AppError('IMPORT_NOT_FOUND', `no import ${id}`, 404, { id });
    authorize(principalOf(c), { action: 'facility.read', facilityCode: j.facility_code, provinceCode: j.province_code });
    return j;
  };

  mountRoute(app, SPECS.upload, async (c, { params, query }) => c.json(await handleUpload(c, ctx, String(params.code), query, ['csv', 'xlsx', 'fhir-bundle', 'fhir-ndjson'])), opts);

  mountRoute(app, SPECS.listImports, async (c, { params, query }) => {
    const f = await getFacilityByCode(db, String(params.code));
    authorize(principalOf(c), { action: 'facility.read', facilityCode: f.code, provinceCode: f.provinceCode });
    const limit = typeof query.limit === 'number' ? query.limit : 50;
    let q = jobsQuery(db).where('j.facility_id', '=', f.id).orderBy('j.id', 'desc').limit(limit + 1);
    if (typeof query.cursor === 'string') {
      if (!/^\d{1,15}$/.test(query.cursor)) throw new AppError('BAD_REQUEST', `cursor "${query.cursor}" is not one this API gave`, 400);
      q = q.where('j.id', '<', Number(query.cursor));
    }
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({ items: await Promise.all(page.map((j) => jobJson(j, ctx.reportDir))), next_cursor: rows.length > limit && last !== undefined ? String(last.id) : null });
  }, opts);

  mountRoute(app, SPECS.getImport, async (c, { params }) => c.json(await jobJson(await job(c, Number(params.id)), ctx.reportDir)), opts);

  mountRoute(app, SPECS.errorReport, async (c, { params }) => {
    const j = await job(c, Number(params.id));
    const path = reportFile(ctx.reportDir, j.id);
    if (!(await exists(path))) throw new AppError('IMPORT_REPORT_NOT_FOUND', `import ${j.id} has no error report`, 404, { id: j.id });
    const stream = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
    return c.body(stream, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="import-${j.id}-errors.csv"` });
  }, opts);

  mountRoute(app, SPECS.listQuarantine, async (c, { params, query }) => {
    const code = String(params.code);
    authorize(principalOf(c), { action: 'facility.write', facilityCode: code });
    const page = await listQuarantine(db, code, {
      status: typeof query.status === 'string' ? (query.status as QuarantineStatus) : undefined,
      limit: typeof query.limit === 'number' ? query.limit : undefined,
      cursor: typeof query.cursor === 'string' ? query.cursor : undefined,
    });
    return c.json({ items: page.items.map(quarantineJson), next_cursor: page.nextCursor });
  }, opts);

  mountRoute(app, SPECS.resubmit, async (c, { params, body }) => {
    const p = principalOf(c);
    const id = Number(params.id);
    authorize(p, { action: 'facility.write', facilityCode: (await getQuarantined(db, id)).facilityCode });
    const b = body as { values: Record<string, unknown>; reason?: string };
    const r = await resubmitQuarantined(db, ctx.dialect, id, b.values, actorOf(p), { reason: b.reason, today: ctx.today });
    return c.json({ outcome: r.outcome, dose_id: r.doseId, person_id: r.personId, warnings: r.warnings, item: quarantineJson(r.item) });
  }, opts);

  mountRoute(app, SPECS.discard, async (c, { params, body }) => {
    const p = principalOf(c);
    const id = Number(params.id);
    authorize(p, { action: 'facility.write', facilityCode: (await getQuarantined(db, id)).facilityCode });
    return c.json(quarantineJson(await discardQuarantined(db, id, (body as { reason: string }).reason, actorOf(p))));
  }, opts);

  return app;
}
