/**
 * The result shape shared by every field parser: a value plus warnings, or the issues that
 * stopped it. Parsers never throw for bad input (one bad row must not stop a 5M-row import).
 */
import { ISSUE_CODES } from './issue-codes.js';
import type { IssueCode, IssueParams } from './issue-codes.js';

/** One problem with one field, in English and Vietnamese. */
export interface FieldIssue {
  readonly field: string;
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly en: string;
  readonly vi: string;
}

/** A parse result: `ok` with the clean value (and warnings), or the issues (errors and warnings). */
export type Parsed<T> = { ok: true; value: T; warnings: readonly FieldIssue[] } | { ok: false; issues: readonly FieldIssue[] };

/** A raw cell as CSV/XLSX readers, JSON bodies and FHIR mappers deliver it. */
export type Cell = string | number | Date | null | undefined;

/** Canonical field names of a vaccination record row. */
export type FieldName =
  | 'full_name'
  | 'dob'
  | 'sex'
  | 'id_number'
  | 'phone'
  | 'province_code'
  | 'vaccine'
  | 'lot'
  | 'dose_date'
  | 'dose_number';

/** Human labels used for `{field}` in messages. */
export const FIELD_LABELS: Readonly<Record<FieldName, { readonly en: string; readonly vi: string }>> = {
  full_name: { en: 'Full name', vi: 'Họ và tên' },
  dob: { en: 'Date of birth', vi: 'Ngày sinh' },
  sex: { en: 'Sex', vi: 'Giới tính' },
  id_number: { en: 'ID number', vi: 'Số CCCD/CMND' },
  phone: { en: 'Phone', vi: 'Số điện thoại' },
  province_code: { en: 'Province', vi: 'Tỉnh/thành phố' },
  vaccine: { en: 'Vaccine', vi: 'Vắc xin' },
  lot: { en: 'Lot', vi: 'Số lô' },
  dose_date: { en: 'Dose date', vi: 'Ngày tiêm' },
  dose_number: { en: 'Dose number', vi: 'Mũi tiêm' },
};

/** Shared empty list so the happy path allocates no warnings array. */
export const NO_ISSUES: readonly FieldIssue[] = Object.freeze([]);

function fill(template: string, params: Readonly<Record<string, string | number>>, field: string): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'field' ? field : String(params[k] ?? `{${k}}`)));
}

/**
 * Builds an issue from its code's templates (only on the error path, so formatting cost is fine).
 * @param field - the canonical field name
 * @param code - a code from `ISSUE_CODES`
 * @param params - the template values
 */
export function makeIssue<C extends IssueCode>(field: FieldName, code: C, params: IssueParams<C>): FieldIssue {
  const t = ISSUE_CODES[code];
  const labels = FIELD_LABELS[field];
  const p = params as Readonly<Record<string, string | number>>;
  return { field, code, severity: t.severity, en: fill(t.en, p, labels.en), vi: fill(t.vi, p, labels.vi) };
}

/** `ok` result; `warnings` defaults to the shared empty list. */
export function ok<T>(value: T, warnings: readonly FieldIssue[] = NO_ISSUES): Parsed<T> {
  return { ok: true, value, warnings };
}

/** Result from collected issues: failed if any is an error, else ok with them as warnings. */
export function settle<T>(value: T, issues: readonly FieldIssue[]): Parsed<T> {
  for (const i of issues) if (i.severity === 'error') return { ok: false, issues };
  return { ok: true, value, warnings: issues.length === 0 ? NO_ISSUES : issues };
}

/** Failed result with a single issue. */
export function fail<T>(issue: FieldIssue): Parsed<T> {
  return { ok: false, issues: [issue] };
}

/** Shows a raw cell value in a message (Date objects as ISO, strings trimmed). */
export function show(raw: unknown): string {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.toISOString();
  if (typeof raw === 'string') return raw.trim();
  return String(raw);
}
