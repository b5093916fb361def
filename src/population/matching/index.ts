/**
 * Identity matching against the population register: the pure engine (`matchRecord`,
 * `matchBatch`), an in-memory register, the in-process verifier and the file tool.
 */
export { benchMatching } from './bench-matching.js';
export type { MatchingBenchOptions, MatchingBenchResult } from './bench-matching.js';
export { dobText, swapDayMonth } from './dob-text.js';
export { isOneDigitAway } from './id-neighbours.js';
export { LocalVerifier } from './local-verifier.js';
export { matchBatch } from './match-batch.js';
export { RECORD_COLUMNS, RESULT_COLUMNS, matchCsvFile, resultRow, suggestionCell } from './match-file.js';
export type { MatchFileOptions, MatchFileSummary } from './match-file.js';
export { MAX_SUGGESTIONS, candidateQueries, checkRecord, matchRecord, resolveRecord } from './match-record.js';
export type { CheckedRecord, Comparison, NameDobKey } from './match-record.js';
export { MemoryRegister, REGISTER_COLUMNS, loadRegisterCsv } from './memory-register.js';
export type { RegisterLoadResult } from './memory-register.js';
export { NAME_CLOSE_MAX_EDITS, editDistance, isNameClose, legacyReadingKeys, recordNameKey, recordNameKeys, sameName } from './name-compare.js';
