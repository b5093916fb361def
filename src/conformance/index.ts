/**
 * Conformance against the EU dgc-testdata vectors (eu-digital-green-certificates/dgc-testdata):
 * every EXPECTED* check of every vector, run through our HC1 codec and verifier, with checked-in
 * deviations for vectors known to be wrong.
 * @module
 */
export { CHECKS, checkForKey } from './checks.js';
export type { CheckName } from './checks.js';
export { loadVector, normaliseVector } from './load-vector.js';
export type { Expectation, LoadResult, Vector } from './load-vector.js';
export { runChecks } from './run-checks.js';
export type { CheckOptions, CheckResult } from './run-checks.js';
export type { PictureDecoder } from './check-transport.js';
export { DEFAULT_DEVIATIONS_FILE, findDeviation, loadDeviations, parseDeviations } from './deviations.js';
export type { Deviation } from './deviations.js';
export { findVectorFiles, runConformance } from './run-conformance.js';
export type { ConformanceOptions, ConformanceReport } from './run-conformance.js';
export { formatJson, formatText, summaryLine } from './format-report.js';
