/** Bulk intake: CSV/XLSX import of the ministry template (and any canonical row stream). */
export { RECORD_FIELDS } from './import-row.js';
export type { ImportRow, ImportSummary, RawRecord, RawValue, RecordField, RowIssue, RowProblem } from './import-row.js';
export { TEMPLATE_HEADERS, headerKey, mapHeader } from './header-map.js';
export { csvCell, readCsvRecords } from './csv-records.js';
export { readXlsxRecords } from './xlsx-records.js';
export { importFile, importRows } from './run-import.js';
export type { ImportOptions, ImportProgress } from './run-import.js';
export { createRecordValidator, validateRecord } from './validate-record.js';
export type { DoseValues, PersonValues, ValidRecord } from './validate-record.js';
export { writeBatch, rawRowJson } from './bulk-writer.js';
export type { CandidateRow, RejectedRow, RowOutcome, WriterContext } from './bulk-writer.js';
export { allocateIds, bulkInsert } from './bulk-insert.js';
