/**
 * FHIR R4 intake through the bulk import pipeline: a Bundle (JSON file) or Bulk Data NDJSON
 * (one stream with Patients before their Immunizations, or a separate Patient file). Valid
 * Immunizations are imported like CSV rows; each entry/line with an error is quarantined with
 * its problems and, when known, its resource JSON, so the facility can correct it through the
 * API. The job, summary and error report are the CSV import's.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { bundleToRows, fileLines, ndjsonFilesToRows, ndjsonToRows, readImmunization, readPatient } from '../fhir/index.js';
import type { NdjsonItem } from '../fhir/index.js';
import { csvCell, importRows } from '../import/index.js';
import type { ImportOptions, ImportSummary, RawRecord, RowProblem } from '../import/index.js';
import { fhirRows, wholeInputError } from './fhir-rows.js';
import type { RowOrigin } from './fhir-rows.js';

/** The import summary plus what FHIR intake adds. */
export interface FhirImportSummary extends ImportSummary {
  readonly errorReport: string | null;
  /** Entries skipped with a warning (unsupported resource type, Immunization not completed). */
  readonly skipped: readonly RowProblem[];
  /** Problems of a separate Patient file's lines (`row` = that file's line). */
  readonly notes: readonly RowProblem[];
}

/** Options of the FHIR imports: the pipeline's, plus the file name recorded on the job. */
export type FhirImportOptions = ImportOptions & { readonly fileName?: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Writes the skipped entries and notes to the error report the pipeline left. */
async function reportExtras(report: string | null, extras: readonly RowProblem[]): Promise<void> {
  if (report === null || extras.length === 0) return;
  const lines = extras.map((p) => `${p.row},${csvCell(p.column)},${p.code},${p.severity},${csvCell(p.message)},${csvCell(p.messageVi)},\n`);
  await appendFile(report, lines.join(''));
}

/** A resource's person or dose values (partial), to prefill its quarantine row. */
function valuesOf(res: Json, patientOf: (ref: string) => Json | undefined): RawRecord {
  if (res.resourceType === 'Patient') return { ...readPatient(res).values };
  if (res.resourceType !== 'Immunization') return {};
  const read = readImmunization(res);
  const patient = read.patientRef === undefined ? undefined : patientOf(read.patientRef);
  return { ...(patient === undefined ? {} : readPatient(patient).values), ...read.values };
}

/**
 * Imports a FHIR Bundle file (JSON; any Bundle type) for one facility.
 * @param db - database
 * @param dialect - its engine
 * @param file - the Bundle's path
 * @param options - facility, actor, report (default none), file name for the job
 * @returns the summary, with skipped entries
 * @throws AppError FHIR_INVALID_JSON / FHIR_NOT_A_BUNDLE / FHIR_INVALID (422) when the file is not a Bundle; FACILITY_NOT_FOUND
 */
export async function importFhirBundle(db: Kysely<Database>, dialect: DbDialect, file: string, options: FhirImportOptions): Promise<FhirImportSummary> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new AppError('IMPORT_FILE', `cannot read ${file}: ${(e as Error).message}`, 400, { file }, { cause: e });
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new AppError('FHIR_INVALID_JSON', `the file is not valid JSON: ${(e as Error).message}`, 422);
  }
  const read = bundleToRows(doc);
  const whole = read.problems.filter((p) => p.row === 0);
  if (whole.length > 0) throw wholeInputError(whole);

  // Entries by number, and Patients by reference, to give rejected rows their source.
  const entries = isObject(doc) && Array.isArray(doc.entry) ? (doc.entry as unknown[]) : [];
  const patients = new Map<string, Json>();
  for (const e of entries) {
    if (!isObject(e) || !isObject(e.resource) || e.resource.resourceType !== 'Patient') continue;
    if (typeof e.fullUrl === 'string') patients.set(e.fullUrl, e.resource);
    if (typeof e.resource.id === 'string') patients.set(`Patient/${e.resource.id}`, e.resource);
  }
  const patientOf = (ref: string): Json | undefined => patients.get(ref) ?? patients.get(/(Patient\/[^/]+)(?:\/_history\/[^/]+)?$/.exec(ref)?.[1] ?? '');
  const originOf = (row: number): RowOrigin | undefined => {
    const entry = entries[row - 1];
    if (!isObject(entry)) return entry === undefined ? undefined : { source: JSON.stringify(entry) };
    const res = entry.resource;
    return isObject(res) ? { source: JSON.stringify(res), values: valuesOf(res, patientOf) } : { source: JSON.stringify(entry) };
  };

  const skipped: RowProblem[] = [];
  const summary = await importRows(db, dialect, fhirRows(mergeByRow(read.rows, read.problems), { skipped, originOf }), { fileName: options.fileName ?? basename(file), sha256, format: 'fhir-bundle' }, options);
  await reportExtras(summary.errorReport, skipped);
  return { ...summary, skipped, notes: [] };
}

/** Rows and problems (each sorted by row) merged into one stream in row order. */
function* mergeByRow(rows: readonly { rowNumber: number }[], problems: readonly RowProblem[]): Generator<NdjsonItem> {
  let i = 0;
  let j = 0;
  while (i < rows.length || j < problems.length) {
    const r = rows[i];
    const p = problems[j];
    if (p !== undefined && (r === undefined || p.row <= r.rowNumber)) {
      yield p;
      j++;
    } else if (r !== undefined) {
      yield r as NdjsonItem;
      i++;
    }
  }
}

const PATIENT_FILE_PREFIX = 'Patient file line ';

/**
 * Imports FHIR Bulk Data NDJSON for one facility: one file with Patients before the
 * Immunizations that reference them, or `options.patients` (Patient.ndjson) plus the
 * Immunization file. Streams: only the Patients are held in memory.
 * @param db - database
 * @param dialect - its engine
 * @param file - the NDJSON file (Immunizations, with or without Patients)
 * @param options - facility, actor, report (default none), `patients` file
 * @returns the summary, with skipped lines and the Patient file's problems (`notes`)
 * @throws AppError FACILITY_NOT_FOUND, IMPORT_FILE
 */
export async function importFhirNdjson(
  db: Kysely<Database>,
  dialect: DbDialect,
  file: string,
  options: FhirImportOptions & { readonly patients?: string },
): Promise<FhirImportSummary> {
  const hash = createHash('sha256');
  for (const f of options.patients === undefined ? [file] : [options.patients, file]) {
    try {
      hash.update(await sha256File(f));
    } catch (e) {
      throw new AppError('IMPORT_FILE', `cannot read ${f}: ${(e as Error).message}`, 400, { file: f }, { cause: e });
    }
  }
  const skipped: RowProblem[] = [];
  const notes: RowProblem[] = [];
  let items: AsyncIterable<NdjsonItem>;
  let originOf: ((row: number) => RowOrigin | undefined) | undefined;
  if (options.patients === undefined) {
    // Remember the line just read: the reader reports a line's problems right after reading it.
    let last = { row: 0, text: '' };
    const lines = (async function* () {
      let row = 0;
      for await (const text of fileLines(file)) {
        last = { row: ++row, text };
        yield text;
      }
    })();
    items = ndjsonToRows(lines);
    originOf = (row) => {
      if (last.row !== row) return undefined;
      let res: unknown;
      try {
        res = JSON.parse(last.text);
      } catch {
        return { source: last.text };
      }
      return { source: last.text, values: isObject(res) ? valuesOf(res, () => undefined) : {} };
    };
  } else {
    // The readers keep no line text for two files; rejected rows hold their problems only.
    items = ndjsonFilesToRows(options.patients, file);
  }
  const summary = await importRows(
    db,
    dialect,
    fhirRows(items, { skipped, notes, isNote: (p) => p.message.startsWith(PATIENT_FILE_PREFIX), ...(originOf ? { originOf } : {}) }),
    { fileName: options.fileName ?? basename(file), sha256: hash.digest('hex'), format: 'fhir-ndjson' },
    options,
  );
  await reportExtras(summary.errorReport, [...notes, ...skipped]);
  return { ...summary, skipped, notes };
}
