/**
 * Validation failures of registry services: one AppError (`VALIDATION`, 422) listing EVERY
 * failing field, each in English and Vietnamese, so a form can show all problems at once.
 */
import { AppError } from '../../errors/index.js';
import type { FieldIssue } from '../validate/index.js';

/**
 * An error issue for a field the row validators do not cover (facility code, signing mode…).
 * @param field - the field as the API names it (snake_case, like the record fields)
 * @param code - stable code
 * @param en - English message
 * @param vi - Vietnamese message
 */
export function customIssue(field: string, code: string, en: string, vi: string): FieldIssue {
  return { field, code, severity: 'error', en, vi };
}

/**
 * The AppError for a list of issues: message = the English messages joined.
 * @param issues - at least one error issue (warnings are listed too)
 */
export function validationError(issues: readonly FieldIssue[]): AppError {
  const errors = issues.filter((i) => i.severity === 'error');
  return new AppError('VALIDATION', errors.map((i) => `${i.field}: ${i.en}`).join('; '), 422, { issues: [...issues] });
}

/**
 * Throws {@link validationError} when any issue is an error; warnings alone pass.
 * @param issues - collected issues
 */
export function throwIfIssues(issues: readonly FieldIssue[]): void {
  if (issues.some((i) => i.severity === 'error')) throw validationError(issues);
}
