/** Helpers shared by the registry's services: the change trail and validation errors. */
export { writeAudit } from './write-audit.js';
export type { AuditEntity, AuditEntry } from './write-audit.js';
export { customIssue, throwIfIssues, validationError } from './validation-error.js';
export { isUniqueViolation } from './unique-violation.js';
