/**
 * Sex as written in Vietnamese records: Nam / Nữ first (any case, with or without diacritics,
 * "Nu" included), then Trai / Gái (children's lists), M / F, Male / Female, and the FHIR codes.
 *
 * Numeric codes are rejected by default: 1 = male everywhere, but 0 is female in many
 * Vietnamese spreadsheets and "unknown" in ISO/IEC 5218 (where 2 = female). An importer that
 * knows the file's convention passes `numeric`.
 */
import { fail, makeIssue, ok, show } from './field-issue.js';
import type { Cell, Parsed } from './field-issue.js';
import { foldKey } from './fold-key.js';

export interface ParseSexOptions {
  /** `vn01`: 1 = Nam, 0 = Nữ. `iso5218`: 1 = male, 2 = female. Default: numbers are an error. */
  readonly numeric?: 'vn01' | 'iso5218';
}

const BY_KEY = new Map<string, 'M' | 'F'>([
  ['nam', 'M'],
  ['nu', 'F'],
  ['gioitinhnam', 'M'],
  ['gioitinhnu', 'F'],
  ['trai', 'M'],
  ['gai', 'F'],
  ['contrai', 'M'],
  ['congai', 'F'],
  ['m', 'M'],
  ['f', 'F'],
  ['male', 'M'],
  ['female', 'F'],
]);
// Exact spellings that skip folding (the common ones).
const EXACT = new Map<string, 'M' | 'F'>([
  ['Nam', 'M'],
  ['nam', 'M'],
  ['NAM', 'M'],
  ['Nữ', 'F'],
  ['nữ', 'F'],
  ['NỮ', 'F'],
  ['Nu', 'F'],
  ['M', 'M'],
  ['F', 'F'],
  ['male', 'M'],
  ['female', 'F'],
]);

/**
 * Parses a sex cell to `M` or `F`.
 * @param raw - the cell
 * @param options - how to read numeric codes, if the file uses them
 */
export function parseSex(raw: Cell, options: ParseSexOptions = {}): Parsed<'M' | 'F'> {
  if (raw === null || raw === undefined) return fail(makeIssue('sex', 'FIELD_REQUIRED', {}));
  if (typeof raw === 'string') {
    const hit = EXACT.get(raw);
    if (hit !== undefined) return ok(hit);
  }
  const s = show(raw);
  if (s === '') return fail(makeIssue('sex', 'FIELD_REQUIRED', {}));
  const key = foldKey(s);
  const byKey = BY_KEY.get(key);
  if (byKey !== undefined) return ok(byKey);
  if (/^\d+$/.test(key)) {
    const n = +key;
    if (options.numeric === 'vn01' && (n === 0 || n === 1)) return ok(n === 1 ? 'M' : 'F');
    if (options.numeric === 'iso5218' && (n === 1 || n === 2)) return ok(n === 1 ? 'M' : 'F');
    return fail(makeIssue('sex', 'SEX_NUMERIC_CODE', { value: s }));
  }
  return fail(makeIssue('sex', 'SEX_UNKNOWN', { value: s }));
}
