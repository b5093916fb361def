/**
 * FHIR Bulk Data NDJSON (one resource per line) → import rows, streamed: one row per
 * Immunization line, rowNumber = its 1-based line number. Patients must come before the
 * Immunizations that reference them (in the same stream, or in a Patient file read first);
 * only the Patients are held in memory.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ImportRow, RowProblem } from '../import/import-row.js';
import { isObject } from './fhir-json.js';
import { describe, issue, toRowProblem } from './fhir-problem.js';
import { immunizationToRow } from './immunization-to-row.js';
import { PatientIndex, type Place } from './patient-index.js';
import { readPatient } from './read-patient.js';

/** An item of the streams below: a row to validate and write, or a problem to report. */
export type NdjsonItem = ImportRow | RowProblem;

const linePlace = (row: number): Place => ({ en: `line ${row}`, vi: `dòng ${row}` });
const patientFilePlace = (row: number): Place => ({ en: `Patient file line ${row}`, vi: `dòng ${row} của tệp Patient` });

/** Reads one line: indexes a Patient, turns an Immunization into a row, or reports. */
function readLine(text: string, row: number, patients: PatientIndex, patientsOnly = false): NdjsonItem | NdjsonItem[] | undefined {
  // Blank lines (a trailing newline, CRLF leftovers) are not resources.
  if (text.charCodeAt(0) !== 0x7b /* { */ && text.trim() === '') return undefined;
  let res: unknown;
  try {
    res = JSON.parse(text);
  } catch (e) {
    return toRowProblem(row, issue('(line)', 'FHIR_INVALID_JSON', { detail: (e as Error).message }));
  }
  if (!isObject(res)) return toRowProblem(row, issue('(line)', 'FHIR_INVALID', { expected: 'a resource object', got: describe(res) }));
  if (res.resourceType === 'Immunization') {
    if (patientsOnly) return toRowProblem(row, issue('resourceType', 'FHIR_WRONG_FILE', { got: 'Immunization' }));
    const result = immunizationToRow(res, row, patients);
    return Array.isArray(result) && result.length === 1 ? result[0] : result;
  }
  if (res.resourceType === 'Patient') {
    const read = readPatient(res);
    const problems = read.issues.map((i) => toRowProblem(row, i));
    const dup = patients.add(read, row, undefined);
    if (dup !== undefined) problems.push(toRowProblem(row, dup));
    return problems.length === 0 ? undefined : problems;
  }
  return toRowProblem(row, issue('resourceType', 'FHIR_UNSUPPORTED_RESOURCE', { got: describe(res.resourceType) }));
}

/**
 * Streams import rows and problems from NDJSON lines holding Patients and Immunizations (a
 * Patient before the Immunizations that reference it, as `exportNdjson` writes them).
 * @param lines - the lines, without their newlines (e.g. a `readline` interface)
 * @returns rows and problems, in line order
 */
export async function* ndjsonToRows(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<NdjsonItem> {
  const patients = new PatientIndex(linePlace);
  let row = 0;
  for await (const text of lines) {
    row++;
    const out = readLine(text, row, patients);
    if (out === undefined) continue;
    if (Array.isArray(out)) yield* out;
    else yield out;
  }
}

/**
 * The lines of a UTF-8 text file, streamed.
 * @param path - the file
 */
export function fileLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}

/**
 * Streams import rows from Bulk Data output files: first indexes every Patient of
 * `patientFile` in memory (≈0.3 KB each, see `MAPPING.md`), then streams `immunizationFile`.
 * Row numbers are lines of the Immunization file; a problem inside the Patient file has the
 * Patient file's line as `row` and says so in its message ("Patient file line 5: …").
 * @param patientFile - path of `Patient.ndjson`
 * @param immunizationFile - path of `Immunization.ndjson`
 * @returns rows and problems
 */
export async function* ndjsonFilesToRows(patientFile: string, immunizationFile: string): AsyncGenerator<NdjsonItem> {
  const patients = new PatientIndex(patientFilePlace);
  let row = 0;
  for await (const text of fileLines(patientFile)) {
    row++;
    const out = readLine(text, row, patients, true) as RowProblem | RowProblem[] | undefined;
    if (out === undefined) continue;
    for (const item of Array.isArray(out) ? out : [out]) {
      const place = patientFilePlace(row);
      yield { ...item, message: `${place.en}: ${item.message}`, messageVi: `${capitalise(place.vi)}: ${item.messageVi}` };
    }
  }
  row = 0;
  for await (const text of fileLines(immunizationFile)) {
    row++;
    const out = readLine(text, row, patients);
    if (out === undefined) continue;
    if (Array.isArray(out)) yield* out;
    else yield out;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
