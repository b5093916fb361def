/**
 * The verification pipeline: queue the people of a scope that need verification, send them in
 * batches (shared across processes, resumable, never double-counted), store every result with
 * the data sent, and read a person's verification back.
 */
export { DEFAULT_BATCH_SIZE, DEFAULT_LEASE_SECONDS, MAX_BATCH_SIZE, runVerification } from './run-verification.js';
export { currentVerification, parseFieldList, toVerificationState, verificationHistory } from './current-verification.js';
export type { StateRow } from './current-verification.js';
export { claimBatch, enqueueScope, queuedCount, releaseClaim, releaseWorker, requeuePerson } from './verification-queue.js';
export type { ClaimOptions, ClaimedPerson } from './verification-queue.js';
export { storeResults } from './store-results.js';
export type { Outcome } from './store-results.js';
export { missingFields, recordsToVerify } from './records-to-verify.js';
export type { PersonToVerify } from './records-to-verify.js';
export { resolveScope, scopeCondition } from './verification-scope.js';
export type { ResolvedScope } from './verification-scope.js';
export { benchVerification } from './bench-verification.js';
export type { VerificationBenchOptions, VerificationBenchResult } from './bench-verification.js';
export type {
  PersonVerification,
  RunVerificationOptions,
  StopReason,
  VerificationHistoryEntry,
  VerificationProgress,
  VerificationScope,
  VerificationState,
  VerificationSummary,
} from './verification-types.js';
