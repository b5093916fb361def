/**
 * FHIR R4 import and export of the registry: Patient + Immunization, as a Bundle or as Bulk
 * Data NDJSON. Export reads the database in keyset pages; import produces `ImportRow`s for the
 * bulk import pipeline (it never writes). The mapping is documented in `MAPPING.md`.
 */
export { personToPatient } from './person-to-patient.js';
export type { FhirDocumentRow, FhirPersonRow } from './person-to-patient.js';
export { doseToImmunization } from './dose-to-immunization.js';
export type { FhirDoseRow, FhirFacilityRow } from './dose-to-immunization.js';
export { EXPORT_PAGE_SIZE, readDosePages, readPersonPages } from './export-queries.js';
export type { DoseWithFacility, ExportFilter, PersonWithDocuments } from './export-queries.js';
export { DEFAULT_FHIR_BASE, exportBundle } from './export-bundle.js';
export type { ExportBundleOptions } from './export-bundle.js';
export { exportNdjson, exportNdjsonFiles } from './export-ndjson.js';
export type { NdjsonExportCounts, NdjsonOutputFile } from './export-ndjson.js';
export { bundleToRows } from './bundle-to-rows.js';
export type { BundleRows } from './bundle-to-rows.js';
export { fileLines, ndjsonFilesToRows, ndjsonToRows } from './ndjson-to-rows.js';
export type { NdjsonItem } from './ndjson-to-rows.js';
export { FHIR_PROBLEM_CODES, isRowProblem } from './fhir-problem.js';
// Re-read a rejected resource's values for its quarantine row (fhir-intake).
export { readImmunization } from './read-immunization.js';
export { readPatient } from './read-patient.js';
export type { FhirProblemCode } from './fhir-problem.js';
export { COVID19_SNOMED, FHIR_SYSTEMS, maSystem, mpSystem, vpSystem } from './fhir-systems.js';
export type * from './fhir-types.js';
