/** Identity verification against the national population register. */
export type {
  IdentityField,
  RegisterEntry,
  RegisterLookup,
  PopulationVerifier,
  Suggestion,
  SuggestionReason,
  VerifyBatchOptions,
  VerifyRecord,
  VerifyResult,
  VerifyStatus,
} from './verifier.js';
export { DbRegister, clearRegister, createRegisterService, importRegisterCsv, loadRegister, populationOpenApi } from './register/index.js';
export type { FaultOptions, RegisterImportSummary, RegisterRowError, RegisterService, RegisterServiceOptions, RegisterServiceStats } from './register/index.js';
export { HttpPopulationVerifier, populationVerifierFromEnv } from './client/index.js';
export type { HttpVerifierOptions, HttpVerifierStats, PopulationVerifierDeps } from './client/index.js';
export {
  LocalVerifier,
  MemoryRegister,
  benchMatching,
  checkRecord,
  loadRegisterCsv,
  matchBatch,
  matchCsvFile,
  matchRecord,
  recordNameKey,
  recordNameKeys,
  sameName,
} from './matching/index.js';
export type { MatchFileSummary, MatchingBenchResult, RegisterLoadResult } from './matching/index.js';
export {
  benchVerification,
  currentVerification,
  requeuePerson,
  runVerification,
  verificationHistory,
} from './pipeline/index.js';
export type {
  PersonVerification,
  RunVerificationOptions,
  VerificationBenchOptions,
  VerificationBenchResult,
  VerificationHistoryEntry,
  VerificationProgress,
  VerificationScope,
  VerificationState,
  VerificationSummary,
} from './pipeline/index.js';
export { funnelStats } from './stats/index.js';
export type { FunnelCounts, FunnelGroupBy, FunnelQuery, FunnelReport, FunnelRow } from './stats/index.js';
export {
  IDENTITY_CASE_STATUSES,
  REPORT_FIELDS,
  REPORT_STATUSES,
  WORKLIST_MAX_PAGE,
  WORKLIST_STATUSES,
  acceptSuggestion,
  caseInArea,
  changeReportStatus,
  confirmIdentity,
  correctIdentity,
  createReport,
  escalateToPolice,
  facilityWorklist,
  getIdentityCase,
  getReport,
  getReportByToken,
  listIdentityCases,
  listReports,
  policeAreaOf,
  policeConfirmation,
  reportTrail,
  reverifyPerson,
} from './cleaning/index.js';
export type { CitizenReport, IdentityCase, IdentityCaseStatus, IdentityCorrection, NewReport, PoliceArea, ReportField, ReportStatus, Reverification, WorklistItem, WorklistStatus } from './cleaning/index.js';
