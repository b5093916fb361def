/**
 * Problems found while reading FHIR input, with their codes and English/Vietnamese messages.
 * The FHIR reader rejects only what is not valid FHIR R4 (for the elements it reads) or cannot
 * be mapped; values that are valid FHIR but break registry rules (a future date, an unknown
 * vaccine name) pass through to the import pipeline, which reports them per field.
 */
import type { RowProblem } from '../import/import-row.js';

interface FhirProblemTemplate {
  readonly severity: 'error' | 'warning';
  readonly en: string;
  readonly vi: string;
}

/** Every code the FHIR reader reports. Codes are stable API; wording may improve. */
export const FHIR_PROBLEM_CODES = {
  FHIR_NOT_A_BUNDLE: {
    severity: 'error',
    en: 'The document is not a FHIR Bundle: {detail}',
    vi: 'Tài liệu không phải là FHIR Bundle: {detail}',
  },
  FHIR_INVALID_JSON: {
    severity: 'error',
    en: 'The line is not valid JSON: {detail}',
    vi: 'Dòng này không phải JSON hợp lệ: {detail}',
  },
  FHIR_INVALID: {
    severity: 'error',
    en: '{path} is not valid FHIR R4: expected {expected}, got {got}',
    vi: '{path} không hợp lệ theo FHIR R4: cần {expected}, nhận được {got}',
  },
  FHIR_REQUIRED: {
    severity: 'error',
    en: '{path} is required (FHIR R4) but missing',
    vi: '{path} là bắt buộc (FHIR R4) nhưng bị thiếu',
  },
  FHIR_UNSUPPORTED_RESOURCE: {
    severity: 'warning',
    en: 'Resource type {got} is not imported (only Patient and Immunization); skipped',
    vi: 'Không nhập loại tài nguyên {got} (chỉ nhập Patient và Immunization); đã bỏ qua',
  },
  FHIR_WRONG_FILE: {
    severity: 'warning',
    en: 'A {got} in the Patient file is not read (Immunizations go in their own file); skipped',
    vi: 'Không đọc {got} trong tệp Patient (Immunization phải ở tệp riêng); đã bỏ qua',
  },
  FHIR_NOT_COMPLETED: {
    severity: 'warning',
    en: 'Immunization status is {got}, not completed: no dose was given, skipped',
    vi: 'Trạng thái Immunization là {got}, không phải completed: không có mũi tiêm nào, đã bỏ qua',
  },
  FHIR_PATIENT_MISSING: {
    severity: 'error',
    en: 'Immunization.patient refers to {got}, which is not in the input',
    vi: 'Immunization.patient tham chiếu tới {got}, không có trong dữ liệu gửi lên',
  },
  FHIR_PATIENT_INVALID: {
    severity: 'error',
    en: 'Immunization.patient refers to {got} ({where}), which is invalid: {detail}',
    vi: 'Immunization.patient tham chiếu tới {got} ({whereVi}), bản ghi này không hợp lệ: {detailVi}',
  },
  FHIR_PATIENT_DUPLICATE: {
    severity: 'error',
    en: '{got} appears twice in the input (first at {where}); this one is ignored',
    vi: '{got} xuất hiện hai lần trong dữ liệu (lần đầu ở {whereVi}); bản này bị bỏ qua',
  },
  FHIR_VACCINE_UNMAPPED: {
    severity: 'error',
    en: 'Immunization.vaccineCode has no EU DCC product (mp) coding, no VaxPass product coding and no text',
    vi: 'Immunization.vaccineCode không có mã sản phẩm EU DCC (mp), mã sản phẩm VaxPass hay tên vắc xin',
  },
} as const satisfies Record<string, FhirProblemTemplate>;

/** A FHIR problem code. */
export type FhirProblemCode = keyof typeof FHIR_PROBLEM_CODES;

/** A problem found inside one resource, before it is tied to a row number. */
export interface FhirIssue {
  /** FHIR path, e.g. `Immunization.occurrenceDateTime`. */
  readonly path: string;
  readonly code: FhirProblemCode;
  readonly params: Readonly<Record<string, string>>;
}

function fill(template: string, params: Readonly<Record<string, string>>, path: string): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'path' ? path : (params[k] ?? `{${k}}`)));
}

/**
 * Builds the RowProblem for an issue.
 * @param row - the Bundle entry number (1-based) or NDJSON line number
 * @param issue - what and where
 */
export function toRowProblem(row: number, issue: FhirIssue): RowProblem {
  const t = FHIR_PROBLEM_CODES[issue.code];
  return {
    row,
    column: issue.path,
    code: issue.code,
    message: fill(t.en, issue.params, issue.path),
    messageVi: fill(t.vi, issue.params, issue.path),
    severity: t.severity,
  };
}

/**
 * Shorthand for an issue.
 * @param path - FHIR path
 * @param code - the problem code
 * @param params - template values
 */
export function issue(path: string, code: FhirProblemCode, params: Readonly<Record<string, string>> = {}): FhirIssue {
  return { path, code, params };
}

/**
 * A short description of an unexpected JSON value for messages (`a number (19900101)`).
 * @param value - what was found
 */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * True for a {@link RowProblem} (as opposed to an ImportRow) in a mixed stream.
 * @param item - an item from `ndjsonToRows`
 */
export function isRowProblem(item: object): item is RowProblem {
  return 'code' in item && 'row' in item;
}
