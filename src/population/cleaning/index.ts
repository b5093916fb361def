/**
 * The data-cleaning loop: the facility worklist (accept a register suggestion or correct by
 * hand, then re-verify), escalation to the local police (confirm or correct identity), and
 * citizen reports routed to the facility with an SLA clock, an audit trail and notifications.
 */
export { acceptSuggestion, patchOfValues } from './accept-suggestion.js';
export type { AcceptResult } from './accept-suggestion.js';
export { changeReportStatus } from './change-report-status.js';
export type { ReportChange, ReportTransition } from './change-report-status.js';
export { REPORT_TOKEN_PREFIX, createReport, getReport, getReportByToken, listReports, reportTrail } from './citizen-reports.js';
export type { ReportListQuery } from './citizen-reports.js';
export {
  DEFAULT_REPORT_SLA_DAYS,
  IDENTITY_CASE_STATUSES,
  REPORT_FIELDS,
  REPORT_STATUSES,
  WORKLIST_MAX_PAGE,
  WORKLIST_STATUSES,
} from './cleaning-types.js';
export type {
  CitizenReport,
  IdentityCase,
  IdentityCaseStatus,
  IdentityCorrection,
  NewReport,
  Page,
  PoliceArea,
  ReportField,
  ReportOptions,
  ReportStatus,
  ReportTrailEntry,
  Reverification,
  ReverifyOptions,
  WorklistItem,
  WorklistQuery,
  WorklistReason,
  WorklistStatus,
} from './cleaning-types.js';
export { facilityWorklist } from './facility-worklist.js';
export { caseInArea, confirmIdentity, correctIdentity, escalateToPolice, getIdentityCase, listIdentityCases, policeAreaOf, policeConfirmation } from './identity-cases.js';
export type { PoliceCorrection } from './identity-cases.js';
export { reverifyPerson } from './reverify-person.js';
