/**
 * FHIR R4 intake: Bundles and Bulk Data NDJSON through the bulk import pipeline (rows imported
 * or quarantined, never dropped), and the adapter from the FHIR readers' items to import rows.
 */
export { importFhirBundle, importFhirNdjson } from './import-fhir.js';
export type { FhirImportOptions, FhirImportSummary } from './import-fhir.js';
export { fhirRows, toRowIssue, wholeInputError } from './fhir-rows.js';
export type { FhirRowsOptions, RowOrigin } from './fhir-rows.js';
