/**
 * FHIR Bulk Data style export: newline-delimited JSON, one resource per line, one file per
 * resource type (`Patient.ndjson`, `Immunization.ndjson`). Reads in keyset pages and writes as
 * it goes, so memory stays flat whatever the size of the export.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { findProduct } from '../reference/index.js';
import { doseToImmunization } from './dose-to-immunization.js';
import { readDosePages, readPersonPages, type ExportFilter } from './export-queries.js';
import { personToPatient } from './person-to-patient.js';

/** Resources written by an export. */
export interface NdjsonExportCounts {
  readonly patients: number;
  readonly immunizations: number;
}

/**
 * Streams the filter's Patients, then their Immunizations, one JSON line each.
 * @param db - the database
 * @param filter - facility, people and/or province (see {@link ExportFilter})
 * @param write - receives each line WITHOUT its trailing newline; awaited when it returns a promise
 *   (use that for back-pressure)
 * @returns how many resources of each type were written
 * @throws AppError `FACILITY_NOT_FOUND` for an unknown facility code
 */
export async function exportNdjson(
  db: Kysely<Database>,
  filter: ExportFilter,
  write: (line: string) => void | Promise<void>,
): Promise<NdjsonExportCounts> {
  let patients = 0;
  let immunizations = 0;
  for await (const page of readPersonPages(db, filter)) {
    for (const { person, documents } of page) {
      const pending = write(JSON.stringify(personToPatient(person, documents)));
      if (pending !== undefined) await pending;
      patients++;
    }
  }
  for await (const page of readDosePages(db, filter)) {
    for (const { dose, facility } of page) {
      const line = JSON.stringify(doseToImmunization(dose, findProduct(dose.product_id), facility, `Patient/${dose.person_id}`));
      const pending = write(line);
      if (pending !== undefined) await pending;
      immunizations++;
    }
  }
  return { patients, immunizations };
}

/** One output file of {@link exportNdjsonFiles}, as a Bulk Data manifest lists it. */
export interface NdjsonOutputFile {
  readonly type: 'Patient' | 'Immunization';
  readonly path: string;
  readonly count: number;
}

/** Writes `text`, waiting for the stream to drain when its buffer is full. */
async function writeChunk(out: WriteStream, text: string): Promise<void> {
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      out.off('error', onError);
      resolve();
    };
    const onError = (e: Error): void => {
      out.off('drain', onDrain);
      reject(e);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

async function closeStream(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => {
      resolve();
    });
  });
}

/**
 * Exports to `dir/Patient.ndjson` and `dir/Immunization.ndjson` (created or overwritten; the
 * directory is created if missing). Each keyset page is written as one chunk.
 * @param db - the database
 * @param filter - facility, people and/or province (see {@link ExportFilter})
 * @param dir - the output directory
 * @returns the two files with their resource counts
 * @throws AppError `FACILITY_NOT_FOUND` for an unknown facility code; I/O errors as thrown by `fs`
 */
export async function exportNdjsonFiles(db: Kysely<Database>, filter: ExportFilter, dir: string): Promise<NdjsonOutputFile[]> {
  await mkdir(dir, { recursive: true });
  const patientPath = join(dir, 'Patient.ndjson');
  const immunizationPath = join(dir, 'Immunization.ndjson');

  let patients = 0;
  const patientOut = createWriteStream(patientPath);
  try {
    for await (const page of readPersonPages(db, filter)) {
      let text = '';
      for (const { person, documents } of page) text += JSON.stringify(personToPatient(person, documents)) + '\n';
      patients += page.length;
      await writeChunk(patientOut, text);
    }
  } finally {
    await closeStream(patientOut);
  }

  let immunizations = 0;
  const immunizationOut = createWriteStream(immunizationPath);
  try {
    for await (const page of readDosePages(db, filter)) {
      let text = '';
      for (const { dose, facility } of page) {
        text += JSON.stringify(doseToImmunization(dose, findProduct(dose.product_id), facility, `Patient/${dose.person_id}`)) + '\n';
      }
      immunizations += page.length;
      await writeChunk(immunizationOut, text);
    }
  } finally {
    await closeStream(immunizationOut);
  }

  return [
    { type: 'Patient', path: patientPath, count: patients },
    { type: 'Immunization', path: immunizationPath, count: immunizations },
  ];
}
