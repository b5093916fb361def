/** The quarantine of rejected import rows: list, correct and resubmit, or discard (audited). */
export { QUARANTINE_MAX_PAGE, QUARANTINE_STATUSES, discardQuarantined, getQuarantined, listQuarantine, resubmitQuarantined } from './quarantine-service.js';
export type { QuarantineItem, QuarantinePage, QuarantineStatus, ResubmitResult } from './quarantine-service.js';
