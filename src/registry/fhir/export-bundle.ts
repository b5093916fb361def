/**
 * FHIR export as one Bundle (for API answers and small extracts): every Patient, then every
 * Immunization. The Bundle is built in memory; for large exports use `exportNdjson`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { findProduct } from '../reference/index.js';
import { doseToImmunization } from './dose-to-immunization.js';
import { readDosePages, readPersonPages, type ExportFilter } from './export-queries.js';
import type { Bundle, BundleEntry } from './fhir-types.js';
import { personToPatient } from './person-to-patient.js';

/** Base of the `fullUrl`s VaxPass writes (`<base>/Patient/42`). */
export const DEFAULT_FHIR_BASE = 'https://vaxpass.gov.vn/fhir';

/** Options of {@link exportBundle}: the filter, plus the Bundle's type and base URL. */
export interface ExportBundleOptions extends ExportFilter {
  /** `collection` (default) or `searchset` (Immunizations are matches, Patients includes). */
  readonly type?: 'collection' | 'searchset' | undefined;
  /** Base of each entry's `fullUrl`; default {@link DEFAULT_FHIR_BASE}. */
  readonly baseUrl?: string | undefined;
}

/**
 * Exports the filter's people and doses as one Bundle. Immunizations reference their Patient
 * as `Patient/<id>`, which resolves against the Patient entry's `fullUrl`.
 * @param db - the database
 * @param options - the filter (facility, people, province), Bundle type and base URL
 * @returns the Bundle (Patients first, then Immunizations, each in id order)
 * @throws AppError `FACILITY_NOT_FOUND` for an unknown facility code
 */
export async function exportBundle(db: Kysely<Database>, options: ExportBundleOptions = {}): Promise<Bundle> {
  const type = options.type ?? 'collection';
  const base = (options.baseUrl ?? DEFAULT_FHIR_BASE).replace(/\/+$/, '');
  const entry: BundleEntry[] = [];
  for await (const page of readPersonPages(db, options)) {
    for (const { person, documents } of page) {
      entry.push({
        fullUrl: `${base}/Patient/${person.id}`,
        resource: personToPatient(person, documents),
        ...(type === 'searchset' ? { search: { mode: 'include' as const } } : {}),
      });
    }
  }
  let matches = 0;
  for await (const page of readDosePages(db, options)) {
    for (const { dose, facility } of page) {
      matches++;
      entry.push({
        fullUrl: `${base}/Immunization/${dose.id}`,
        resource: doseToImmunization(dose, findProduct(dose.product_id), facility, `Patient/${dose.person_id}`),
        ...(type === 'searchset' ? { search: { mode: 'match' as const } } : {}),
      });
    }
  }
  const bundle: Bundle = { resourceType: 'Bundle', type, timestamp: new Date().toISOString(), entry };
  if (type === 'searchset') bundle.total = matches;
  return bundle;
}
