/**
 * The reference population register: its tables, loading from CSV, batched lookups, and the
 * HTTP service that answers the national contract (`vaxpass population serve`).
 */
export { DbRegister } from './db-register.js';
export { clearRegister, loadRegister } from './load-register.js';
export type { LoadRegisterOptions } from './load-register.js';
export { importRegisterCsv } from './import-register-csv.js';
export type { ImportRegisterCsvOptions, RegisterImportSummary, RegisterRowError } from './import-register-csv.js';
export { parseRegisterRow } from './parse-register-row.js';
export type { ParsedRegisterRow, RegisterRowProblem } from './parse-register-row.js';
export { createRegisterService } from './create-register-service.js';
export type { RegisterService, RegisterServiceOptions, RegisterServiceStats } from './create-register-service.js';
export { checkFaultOptions, planFault, seededRandom } from './faults.js';
export type { FaultOptions, FaultPlan } from './faults.js';
export { populationOpenApi } from './population-openapi.js';
export { MAX_RECORDS_PER_REQUEST, parseVerifyRequest, parseVerifyResponse, recordsSha256, toWireRecord, toWireResult } from './wire-format.js';
export type { WireIssue, WireRecord, WireResult, WireSuggestion } from './wire-format.js';
