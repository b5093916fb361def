/**
 * The bulk import: reads a CSV or XLSX file (or any stream of canonical rows, e.g. from FHIR),
 * repairs legacy-encoded columns, validates every row, writes valid rows in batches, keeps every
 * invalid row in quarantine, writes the error report and returns the summary.
 *
 * Memory stays flat whatever the file size: rows flow through in batches; only the first
 * {@link SAMPLE_ROWS} rows are held to detect column encodings, and at most `maxErrors` errors
 * are kept for the summary (the report file has all of them).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { detectEncoding } from '../text/index.js';
import type { LegacyEncoding } from '../text/index.js';
import { todayInVietnam } from '../validate/index.js';
import type { FieldIssue } from '../validate/index.js';
import { csvCell, readCsvRecords } from './csv-records.js';
import { mapHeader } from './header-map.js';
import type { ImportRow, ImportSummary, RawRecord, RawValue, RecordField, RowProblem } from './import-row.js';
import { writeBatch } from './bulk-writer.js';
import type { CandidateRow, RejectedRow, RowOutcome } from './bulk-writer.js';
import { createRecordValidator } from './validate-record.js';
import { readXlsxRecords } from './xlsx-records.js';

/** Rows held to decide each text column's encoding before any row is validated. */
export const SAMPLE_ROWS = 500;

/** Progress of a running import, for a progress bar. */
export interface ImportProgress {
  readonly rows: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/** Options of {@link importRows} and {@link importFile}. */
export interface ImportOptions {
  readonly facilityCode: string;
  /** Who imports: `cli:<user>`, a token name… */
  readonly actor: string;
  /** Today in Viet Nam (yyyy-mm-dd); default: now in Asia/Ho_Chi_Minh. */
  readonly today?: string;
  /** Rows per write transaction (default 5000). */
  readonly batchSize?: number;
  /** Most errors kept in the returned summary (default 1000; the report has all). */
  readonly maxErrors?: number;
  /** Error report CSV path; `null` for none. */
  readonly errorReport?: string | null;
  readonly onProgress?: (p: ImportProgress) => void;
}

const REPORT_HEADER = 'row,column,code,severity,message_en,message_vi,value\n';


function shown(v: RawValue): string {
  if (v === null || v === undefined) return '';
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

/** Source of rows plus what the summary needs to know about it. */
interface RowSource {
  readonly rows: AsyncIterable<ImportRow>;
  readonly fileName: string;
  readonly sha256: string;
  readonly format: string;
  readonly bytesRead: () => number;
  readonly totalBytes: number;
  readonly ignoredColumns: () => readonly string[];
  readonly fileEncoding: () => string | undefined;
}

/**
 * Imports canonical rows (any source) for one facility.
 * @param db - database
 * @param dialect - its engine
 * @param source - rows and file facts
 * @param options - facility, actor, batch size, report path, progress
 */
async function runImport(db: Kysely<Database>, dialect: DbDialect, source: RowSource, options: ImportOptions): Promise<ImportSummary & { errorReport: string | null }> {
  const started = performance.now();
  const facility = await db.selectFrom('facility').select(['id', 'code']).where('code', '=', options.facilityCode).executeTakeFirst();
  if (!facility) {
    throw new AppError('FACILITY_NOT_FOUND', `unknown facility ${options.facilityCode}: add it first (vaxpass facility add ${options.facilityCode} --name … --province …)`, 404, {
      facility: options.facilityCode,
    });
  }
  const job = await db
    .insertInto('import_job')
    .values({ facility_id: facility.id, file_name: source.fileName, file_sha256: source.sha256, format: source.format, actor: options.actor, status: 'running' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const importId = job.id;
  const today = options.today ?? todayInVietnam();
  const batchSize = options.batchSize ?? 5000;
  const maxErrors = options.maxErrors ?? 1000;
  const report = options.errorReport ? createWriteStream(options.errorReport) : null;
  report?.write(REPORT_HEADER);

  let rows = 0;
  let imported = 0;
  let duplicates = 0;
  let rejected = 0;
  let warned = 0;
  const errors: RowProblem[] = [];
  let errorsTruncated = false;
  const encodings: Partial<Record<'full_name' | 'lot', LegacyEncoding>> = {};
  let reportBuffer = '';

  const note = (row: number, raw: RawRecord, issues: readonly FieldIssue[]): void => {
    for (const i of issues) {
      const problem: RowProblem = { row, column: i.field, code: i.code, message: i.en, messageVi: i.vi, severity: i.severity };
      if (i.severity === 'error') {
        if (errors.length < maxErrors) errors.push(problem);
        else errorsTruncated = true;
      }
      if (report) {
        const value = i.field in raw ? shown(raw[i.field as RecordField]) : '';
        reportBuffer += `${row},${csvCell(i.field)},${i.code},${i.severity},${csvCell(i.en)},${csvCell(i.vi)},${csvCell(value)}\n`;
      }
    }
  };
  const tally = (outcomes: readonly RowOutcome[], raws: ReadonlyMap<number, RawRecord>): void => {
    for (const o of outcomes) {
      const raw = raws.get(o.rowNumber) ?? {};
      if (o.status === 'rejected') {
        rejected++;
        note(o.rowNumber, raw, o.issues);
        continue;
      }
      if (o.status === 'imported') imported++;
      else duplicates++;
      if (o.warnings.length > 0) {
        warned++;
        note(o.rowNumber, raw, o.warnings);
      }
    }
  };

  let candidates: CandidateRow[] = [];
  let rejects: RejectedRow[] = [];
  let raws = new Map<number, RawRecord>();
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    const [c, r, m] = [candidates, rejects, raws];
    candidates = [];
    rejects = [];
    raws = new Map();
    // One batch writes while the next is validated; batches still commit in order.
    await inFlight;
    inFlight = writeBatch(db, dialect, { facilityId: facility.id, importId, actor: options.actor, source: source.format.startsWith('fhir') ? 'fhir' : 'import' }, c, r).then(
      async (outcomes) => {
        tally(outcomes, m);
        if (reportBuffer !== '' && report) {
          const chunk = reportBuffer;
          reportBuffer = '';
          if (!report.write(chunk)) await new Promise<void>((res) => report.once('drain', () => res()));
        }
        options.onProgress?.({ rows, bytesRead: source.bytesRead(), totalBytes: source.totalBytes });
      },
    );
  };
  let validate: ReturnType<typeof createRecordValidator> | undefined;
  const check = (row: ImportRow): void => {
    validate ??= createRecordValidator({ today, encodings });
    if (row.problems?.some((p) => p.severity === 'error')) {
      const raw: RawRecord = row.source === undefined ? row.values : { ...row.values, source: row.source };
      raws.set(row.rowNumber, row.values);
      rejects.push({ rowNumber: row.rowNumber, raw, issues: row.problems });
      return;
    }
    const result = validate(row.values);
    raws.set(row.rowNumber, row.values);
    if (result.ok) candidates.push({ rowNumber: row.rowNumber, raw: row.values, record: result.record, warnings: result.warnings });
    else rejects.push({ rowNumber: row.rowNumber, raw: row.values, issues: result.issues });
  };

  try {
    let sample: ImportRow[] | null = [];
    for await (const row of source.rows) {
      rows++;
      if (sample !== null) {
        sample.push(row);
        if (sample.length < SAMPLE_ROWS) continue;
        detectColumns(sample, encodings);
        for (const r of sample) check(r);
        sample = null;
      } else check(row);
      if (candidates.length + rejects.length >= batchSize) await flush();
    }
    if (sample !== null) {
      detectColumns(sample, encodings);
      for (const r of sample) check(r);
    }
    await flush();
    await inFlight;
  } catch (err) {
    await inFlight.catch(() => undefined);
    await db.updateTable('import_job').set({ status: 'failed', error: (err as Error).message, finished_at: new Date().toISOString(), rows, imported, duplicates, rejected, warnings: warned }).where('id', '=', importId).execute();
    report?.end();
    throw err;
  }
  if (report) {
    await new Promise<void>((res, rej) => report.end(reportBuffer, () => res()).once('error', rej));
  }
  await db
    .updateTable('import_job')
    .set({ status: 'done', finished_at: new Date().toISOString(), rows, imported, duplicates, rejected, warnings: warned })
    .where('id', '=', importId)
    .execute();
  const detected: Record<string, string> = {};
  for (const [k, v] of Object.entries(encodings)) detected[k] = v;
  const fileEncoding = source.fileEncoding();
  if (fileEncoding) detected['*'] = fileEncoding;
  return {
    importId,
    rows,
    imported,
    duplicates,
    rejected,
    warned,
    errors,
    errorsTruncated,
    encodings: detected,
    seconds: (performance.now() - started) / 1000,
    errorReport: options.errorReport ?? null,
  };
}

/** Decides the encoding of the free-text columns from the sample rows. */
function detectColumns(sample: readonly ImportRow[], out: Partial<Record<'full_name' | 'lot', LegacyEncoding>>): void {
  for (const field of ['full_name'] as const) {
    const values: string[] = [];
    for (const r of sample) {
      const v = r.values[field];
      if (typeof v === 'string' && v !== '') values.push(v);
    }
    const enc = detectEncoding(values);
    if (enc !== 'unicode') out[field] = enc;
  }
}

/** Counts bytes as they pass, for progress. */
function counted(stream: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncIterable<Uint8Array> {
  return (async function* () {
    for await (const chunk of stream) {
      onBytes(chunk.length);
      yield chunk;
    }
  })();
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Turns file records (header first) into canonical rows. */
async function* toRows(records: AsyncIterable<{ line: number; cells: readonly RawValue[] }>, onHeader: (ignored: readonly string[]) => void): AsyncGenerator<ImportRow> {
  let columns: readonly (RecordField | null)[] | undefined;
  for await (const rec of records) {
    if (columns === undefined) {
      const header = mapHeader(rec.cells);
      columns = header.columns;
      onHeader(header.ignored);
      continue;
    }
    const values: RawRecord = {};
    const n = Math.min(columns.length, rec.cells.length);
    for (let i = 0; i < n; i++) {
      const f = columns[i];
      if (f) values[f] = rec.cells[i];
    }
    yield { rowNumber: rec.line, values };
  }
  if (columns === undefined) throw new AppError('IMPORT_EMPTY', 'the file has no header row (it is empty)', 422);
}

/**
 * Imports a CSV or XLSX file in the ministry template for one facility.
 * @param db - database
 * @param dialect - its engine
 * @param file - path of a `.csv` or `.xlsx` file
 * @param options - facility, actor, report path (default: `<file>.errors.csv`), progress
 * @returns the summary
 * @throws AppError FACILITY_NOT_FOUND, IMPORT_HEADER, IMPORT_FORMAT, IMPORT_EMPTY (whole-file problems only)
 */
export async function importFile(
  db: Kysely<Database>,
  dialect: DbDialect,
  file: string,
  options: ImportOptions & { readonly format?: 'csv' | 'xlsx'; readonly fileName?: string },
): Promise<ImportSummary & { errorReport: string | null }> {
  const ext = extname(file).toLowerCase();
  const format = options.format ?? (ext === '.xlsx' ? 'xlsx' : ext === '.csv' || ext === '.txt' ? 'csv' : undefined);
  if (format === undefined) throw new AppError('IMPORT_FORMAT', `cannot tell the format of ${basename(file)}: use a .csv or .xlsx file (or --format)`, 415);
  let totalBytes: number;
  try {
    totalBytes = statSync(file).size;
  } catch (e) {
    throw new AppError('IMPORT_FILE', `cannot read ${file}: ${(e as Error).message}`, 400, { file }, { cause: e });
  }
  const sha256 = await sha256File(file);
  let bytesRead = 0;
  let ignored: readonly string[] = [];
  let fileEncoding: string | undefined;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const records =
    format === 'csv'
      ? readCsvRecords(counted(stream, (n) => (bytesRead += n)), { onEncoding: (e) => (fileEncoding = e === 'utf-8' ? undefined : e) })
      : readXlsxRecords(file);
  if (format === 'xlsx') stream.destroy();
  return runImport(
    db,
    dialect,
    {
      rows: toRows(records, (i) => (ignored = i)),
      fileName: options.fileName ?? basename(file),
      sha256,
      format,
      bytesRead: () => (format === 'csv' ? bytesRead : 0),
      totalBytes,
      ignoredColumns: () => ignored,
      fileEncoding: () => fileEncoding,
    },
    { ...options, errorReport: options.errorReport === undefined ? `${file}.errors.csv` : options.errorReport },
  );
}

/**
 * Imports canonical rows from another intake (FHIR Bundle or NDJSON) through the same pipeline.
 * @param db - database
 * @param dialect - its engine
 * @param rows - the rows
 * @param meta - file name, hash and format (`fhir-bundle`, `fhir-ndjson`) for the job record
 * @param options - facility, actor, report
 */
export async function importRows(
  db: Kysely<Database>,
  dialect: DbDialect,
  rows: AsyncIterable<ImportRow>,
  meta: { fileName: string; sha256: string; format: string },
  options: ImportOptions,
): Promise<ImportSummary & { errorReport: string | null }> {
  return runImport(
    db,
    dialect,
    { rows, ...meta, bytesRead: () => 0, totalBytes: 0, ignoredColumns: () => [], fileEncoding: () => undefined },
    { ...options, errorReport: options.errorReport ?? null },
  );
}
