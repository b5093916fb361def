/**
 * FHIR Bundle (any type: collection, searchset, transaction…) → import rows, one per
 * Immunization, joined with the Patient it references. rowNumber = the 1-based entry index.
 */
import type { ImportRow, RowProblem } from '../import/import-row.js';
import { isObject } from './fhir-json.js';
import { describe, issue, toRowProblem } from './fhir-problem.js';
import { immunizationToRow } from './immunization-to-row.js';
import { PatientIndex, type Place } from './patient-index.js';
import { readPatient } from './read-patient.js';

/** What {@link bundleToRows} produced. */
export interface BundleRows {
  /** One per valid, completed Immunization, in entry order. */
  readonly rows: ImportRow[];
  /** Every problem, in entry order; `row` 0 = the Bundle as a whole. */
  readonly problems: RowProblem[];
}

const entryPlace = (row: number): Place => ({ en: `entry ${row}`, vi: `mục ${row}` });

/**
 * Reads a Bundle's Patients and Immunizations into import rows. Patients are indexed first, so
 * an Immunization may come before its Patient. Never throws: malformed input gives problems.
 * @param bundle - the parsed Bundle (a JSON string is parsed first)
 * @returns the rows and the problems
 */
export function bundleToRows(bundle: unknown): BundleRows {
  const rows: ImportRow[] = [];
  const problems: RowProblem[] = [];
  let doc = bundle;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch (e) {
      problems.push(toRowProblem(0, issue('Bundle', 'FHIR_INVALID_JSON', { detail: (e as Error).message })));
      return { rows, problems };
    }
  }
  if (!isObject(doc) || doc.resourceType !== 'Bundle') {
    const got = isObject(doc) ? `resourceType ${describe(doc.resourceType)}` : describe(doc);
    problems.push(toRowProblem(0, issue('Bundle', 'FHIR_NOT_A_BUNDLE', { detail: got })));
    return { rows, problems };
  }
  const entries = doc.entry ?? [];
  if (!Array.isArray(entries)) {
    problems.push(toRowProblem(0, issue('Bundle.entry', 'FHIR_INVALID', { expected: 'an array', got: describe(entries) })));
    return { rows, problems };
  }

  const patients = new PatientIndex(entryPlace);
  const immunizations: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const row = i + 1;
    const entry: unknown = entries[i];
    if (!isObject(entry)) {
      problems.push(toRowProblem(row, issue('Bundle.entry', 'FHIR_INVALID', { expected: 'an object', got: describe(entry) })));
      continue;
    }
    const { resource, fullUrl } = entry;
    if (fullUrl !== undefined && typeof fullUrl !== 'string') {
      problems.push(toRowProblem(row, issue('Bundle.entry.fullUrl', 'FHIR_INVALID', { expected: 'a uri', got: describe(fullUrl) })));
      continue;
    }
    if (!isObject(resource)) {
      problems.push(toRowProblem(row, issue('Bundle.entry.resource', resource === undefined ? 'FHIR_REQUIRED' : 'FHIR_INVALID', {
        expected: 'a resource object',
        got: describe(resource),
      })));
      continue;
    }
    if (resource.resourceType === 'Patient') {
      const read = readPatient(resource);
      for (const it of read.issues) problems.push(toRowProblem(row, it));
      const dup = patients.add(read, row, fullUrl);
      if (dup !== undefined) problems.push(toRowProblem(row, dup));
    } else if (resource.resourceType === 'Immunization') {
      immunizations.push(i);
    } else {
      problems.push(toRowProblem(row, issue('Bundle.entry.resource', 'FHIR_UNSUPPORTED_RESOURCE', { got: describe(resource.resourceType) })));
    }
  }

  for (const i of immunizations) {
    const result = immunizationToRow((entries[i] as { resource: Record<string, unknown> }).resource, i + 1, patients);
    if (Array.isArray(result)) problems.push(...result);
    else rows.push(result);
  }
  // Patients' problems were found in the first pass; list everything in entry order.
  problems.sort((a, b) => a.row - b.row);
  return { rows, problems };
}
