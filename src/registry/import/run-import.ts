/**
 * The bulk import: reads a CSV or XLSX file (or any stream of canonical rows, e.g. from FHIR),
 * repairs legacy-encoded columns, validates every row, writes valid rows in batches, keeps every
 * invalid row in quarantine, writes the error report and returns the summary.
 *
 * Large files are read, hashed, parsed and validated on a worker thread (`import-worker.ts`)
 * while this thread writes the previous batch: the database writes, which must stay on the
 * thread that owns the connection, no longer wait for the CPU work of the next batch.
 *
 * Memory stays flat whatever the file size: rows flow through in batches (a bounded number in
 * flight between the threads); only the first `SAMPLE_ROWS` rows are held to detect column
 * encodings, and at most `maxErrors` errors are kept for the summary (the report has them all).
 */
import { createWriteStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { sqliteHandleOf } from '../../db/index.js';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { todayInVietnam } from '../validate/index.js';
import type { FieldIssue } from '../validate/index.js';
import { startBackgroundCheckpoints } from './background-checkpoint.js';
import { writeBatch } from './bulk-writer.js';
import type { RowOutcome } from './bulk-writer.js';
import { csvCell } from './csv-records.js';
import { readFileRows } from './file-rows.js';
import type { FileFormat } from './file-rows.js';
import type { ImportRow, ImportSummary, RawRecord, RawValue, RecordField, RowProblem } from './import-row.js';
import { validateBatches } from './validate-batches.js';
import type { ColumnEncodings, ValidatedBatch } from './validate-batches.js';
import { validateInWorker } from './worker-batches.js';

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

/**
 * Files from this size are read and validated on a worker thread; smaller ones (most API
 * uploads) in the calling thread, where starting a worker would cost more than it saves.
 */
export const WORKER_MIN_BYTES = 1 << 20;

const REPORT_HEADER = 'row,column,code,severity,message_en,message_vi,value\n';

function shown(v: RawValue): string {
  if (v === null || v === undefined) return '';
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

/** Validated batches plus what the summary needs to know about their source. */
interface BatchSource {
  readonly batches: AsyncIterable<ValidatedBatch>;
  readonly fileName: string;
  /** Known up front, or computed from the bytes the import read (called once the rows are read). */
  readonly sha256: string | (() => Promise<string>);
  readonly format: string;
  readonly bytesRead: () => number;
  readonly totalBytes: number;
  /** Known once every batch was taken. */
  readonly encodings: () => ColumnEncodings;
  readonly fileEncoding: () => string | undefined;
  /** SQLite: checkpoint the WAL on a background thread during the import (large files). */
  readonly backgroundCheckpoints?: boolean;
}

/**
 * SQLite page cache of a large import, in KiB (the connection's default is 2 MiB). Each row
 * inserts into a dozen B-trees (people, documents, doses and their indexes), most of them at
 * random places (names, ID numbers, dedup keys): with 2 MiB their pages kept falling out and
 * were read back from the WAL. 64 MiB cut the bare inserts' CPU by ~10 % (2.98 → 2.62 s per
 * 207k doses in a scratch measurement).
 */
const IMPORT_CACHE_KIB = 65_536;

/** Widens the connection's page cache for the import; returns the restore. */
function widenPageCache(sqlite: BetterSqlite3.Database): () => void {
  const previous = Number(sqlite.pragma('cache_size', { simple: true }));
  sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  return () => {
    if (sqlite.open) sqlite.pragma(`cache_size = ${previous}`);
  };
}

function sha256Of(source: BatchSource): Promise<string> {
  return typeof source.sha256 === 'string' ? Promise.resolve(source.sha256) : source.sha256();
}

/**
 * Imports validated batches (any source) for one facility.
 * @param db - database
 * @param dialect - its engine
 * @param source - batches and file facts
 * @param options - facility, actor, report path, progress
 */
async function runImport(db: Kysely<Database>, dialect: DbDialect, source: BatchSource, options: ImportOptions): Promise<ImportSummary & { errorReport: string | null }> {
  const started = performance.now();
  const facility = await db.selectFrom('facility').select(['id', 'code']).where('code', '=', options.facilityCode).executeTakeFirst();
  if (!facility) {
    throw new AppError('FACILITY_NOT_FOUND', `unknown facility ${options.facilityCode}: add it first (vaxpass facility add ${options.facilityCode} --name … --province …)`, 404, {
      facility: options.facilityCode,
    });
  }
  const job = await db
    .insertInto('import_job')
    // A file's hash is known only once it has been read (it is hashed as it streams): '' until then.
    .values({ facility_id: facility.id, file_name: source.fileName, file_sha256: typeof source.sha256 === 'string' ? source.sha256 : '', format: source.format, actor: options.actor, status: 'running' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const importId = job.id;
  const maxErrors = options.maxErrors ?? 1000;
  const report = options.errorReport ? createWriteStream(options.errorReport) : null;
  report?.write(REPORT_HEADER);
  const ctx = { facilityId: facility.id, importId, actor: options.actor, source: source.format.startsWith('fhir') ? 'fhir' : 'import' };

  let rows = 0;
  let imported = 0;
  let duplicates = 0;
  let rejected = 0;
  let warned = 0;
  const errors: RowProblem[] = [];
  let errorsTruncated = false;
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
  const tally = (outcomes: readonly RowOutcome[], batch: ValidatedBatch): void => {
    // Raw records only for the rows that have something to report (they may be rebuilt lazily).
    let byRow: Map<number, { readonly raw: RawRecord }> | undefined;
    const rawOf = (rowNumber: number): RawRecord => {
      if (byRow === undefined) {
        byRow = new Map();
        for (const c of batch.candidates) byRow.set(c.rowNumber, c);
        for (const r of batch.rejects) byRow.set(r.rowNumber, r);
      }
      return byRow.get(rowNumber)?.raw ?? {};
    };
    for (const o of outcomes) {
      if (o.status === 'rejected') {
        rejected++;
        note(o.rowNumber, rawOf(o.rowNumber), o.issues);
        continue;
      }
      if (o.status === 'imported') imported++;
      else duplicates++;
      if (o.warnings.length > 0) {
        warned++;
        note(o.rowNumber, rawOf(o.rowNumber), o.warnings);
      }
    }
  };
  const write = async (batch: ValidatedBatch): Promise<void> => {
    const outcomes = await writeBatch(db, dialect, ctx, batch.candidates, batch.rejects);
    tally(outcomes, batch);
    if (reportBuffer !== '' && report) {
      const chunk = reportBuffer;
      reportBuffer = '';
      if (!report.write(chunk)) await new Promise<void>((res) => report.once('drain', () => res()));
    }
    options.onProgress?.({ rows: batch.rowsRead, bytesRead: source.bytesRead(), totalBytes: source.totalBytes });
  };

  let inFlight: Promise<void> = Promise.resolve();
  const sqlite = source.backgroundCheckpoints === true ? sqliteHandleOf(db) : undefined;
  const stopCheckpoints = sqlite === undefined ? undefined : startBackgroundCheckpoints(sqlite);
  const restoreCache = sqlite === undefined ? undefined : widenPageCache(sqlite);
  try {
    for await (const batch of source.batches) {
      rows = batch.rowsRead;
      // One batch writes while the next is validated; batches still commit in order.
      await inFlight;
      inFlight = write(batch);
      // Its failure is handled at the next await; meanwhile it must not count as unhandled.
      inFlight.catch(() => undefined);
    }
    await inFlight;
  } catch (err) {
    await inFlight.catch(() => undefined);
    await stopCheckpoints?.();
    restoreCache?.();
    const fileSha256 = await sha256Of(source).catch(() => '');
    await db
      .updateTable('import_job')
      .set({ status: 'failed', error: (err as Error).message, file_sha256: fileSha256, finished_at: new Date().toISOString(), rows, imported, duplicates, rejected, warnings: warned })
      .where('id', '=', importId)
      .execute();
    report?.end();
    throw err;
  }
  await stopCheckpoints?.();
  restoreCache?.();
  if (report) {
    await new Promise<void>((res, rej) => report.end(reportBuffer, () => res()).once('error', rej));
  }
  await db
    .updateTable('import_job')
    .set({ status: 'done', file_sha256: await sha256Of(source), finished_at: new Date().toISOString(), rows, imported, duplicates, rejected, warnings: warned })
    .where('id', '=', importId)
    .execute();
  const detected: Record<string, string> = {};
  for (const [k, v] of Object.entries(source.encodings())) detected[k] = v;
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

/**
 * Imports a CSV or XLSX file in the ministry template for one facility. The file is read once
 * (its SHA-256, recorded on the job, is taken from the same read).
 * @param db - database
 * @param dialect - its engine
 * @param file - path of a `.csv` or `.xlsx` file
 * @param options - facility, actor, report path (default: `<file>.errors.csv`), progress;
 *   `worker` forces the worker thread on (`true`) or off (`false`); default: from
 *   {@link WORKER_MIN_BYTES}
 * @returns the summary
 * @throws AppError FACILITY_NOT_FOUND, IMPORT_HEADER, IMPORT_FORMAT, IMPORT_EMPTY (whole-file problems only)
 */
export async function importFile(
  db: Kysely<Database>,
  dialect: DbDialect,
  file: string,
  options: ImportOptions & { readonly format?: FileFormat; readonly fileName?: string; readonly worker?: boolean },
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
  const today = options.today ?? todayInVietnam();
  const batchSize = options.batchSize ?? 5000;
  const common = { fileName: options.fileName ?? basename(file), format, totalBytes };
  const runOptions = { ...options, errorReport: options.errorReport === undefined ? `${file}.errors.csv` : options.errorReport };
  if (options.worker ?? totalBytes >= WORKER_MIN_BYTES) {
    const w = validateInWorker(file, format, { today, batchSize });
    return runImport(
      db,
      dialect,
      {
        ...common,
        batches: w.batches,
        sha256: w.sha256,
        bytesRead: w.bytesRead,
        encodings: () => w.done()?.encodings ?? {},
        fileEncoding: () => w.done()?.fileEncoding,
        backgroundCheckpoints: true,
      },
      runOptions,
    );
  }
  const f = readFileRows(file, format);
  const encodings: ColumnEncodings = {};
  return runImport(
    db,
    dialect,
    { ...common, batches: validateBatches(f.rows, { today, batchSize, encodings }), sha256: f.sha256, bytesRead: f.bytesRead, encodings: () => encodings, fileEncoding: f.fileEncoding },
    runOptions,
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
  const encodings: ColumnEncodings = {};
  const batches = validateBatches(rows, { today: options.today ?? todayInVietnam(), batchSize: options.batchSize ?? 5000, encodings });
  return runImport(
    db,
    dialect,
    { batches, ...meta, bytesRead: () => 0, totalBytes: 0, encodings: () => encodings, fileEncoding: () => undefined },
    { ...options, errorReport: options.errorReport ?? null },
  );
}
