/**
 * Date of birth, which may be partial: the EU DCC `dob` allows `yyyy`, `yyyy-mm` or `yyyy-mm-dd`
 * (schema pattern `^((19|20)\d\d(-\d\d){0,2}){0,1}$`), and old Vietnamese records often know
 * only the year, or write `00` for an unknown day or month (`00/05/1960`, `00/00/1960`).
 */
import { todayInVietnam } from './calendar.js';
import { makeIssue, NO_ISSUES, settle, show } from './field-issue.js';
import type { Cell, FieldIssue, Parsed } from './field-issue.js';
import { readDate } from './parse-date.js';

/** A birth date known to year, month or day precision. `text` is the EU DCC form. */
export interface PartialDate {
  /** `yyyy`, `yyyy-mm` or `yyyy-mm-dd`. */
  readonly text: string;
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
}

export interface ParseDobOptions {
  /** `yyyy-mm-dd` in Viet Nam; default: now. Pass it once per import so rows agree. */
  readonly today?: string;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

function isSep(c: number): boolean {
  return c === 47 || c === 45 || c === 46;
}

/** Reads `yyyy`, `mm/yyyy`, `m/yyyy` (also `-`/`.`) or `yyyy-mm` (also `/`); year 0 = not this shape. */
function readShort(s: string): { year: number; month: number } | null {
  const n = s.length;
  if (n === 4) {
    const y = digits(s, 0, 4);
    return y < 0 ? null : { year: y, month: 0 };
  }
  if (n < 6 || n > 7) return null;
  if (isSep(s.charCodeAt(n - 5))) {
    const y = digits(s, n - 4, n);
    const m = digits(s, 0, n - 5);
    return y < 0 || m < 0 ? null : { year: y, month: m };
  }
  if (isSep(s.charCodeAt(4))) {
    const y = digits(s, 0, 4);
    const m = digits(s, 5, n);
    return y < 0 || m < 0 ? null : { year: y, month: m };
  }
  return null;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Parses a date of birth: a full date (any `parseDate` form), a year-month or a year. Rejects
 * dates before 1900 and after `today` (compared at the value's own precision).
 * @param raw - the cell
 * @param options - `today`
 */
export function parseDob(raw: Cell, options: ParseDobOptions = {}): Parsed<PartialDate> {
  const today = options.today ?? todayInVietnam();
  const display = typeof raw === 'string' ? raw.trim() : show(raw);
  let year: number;
  let month = 0;
  let day = 0;
  let warnings: readonly FieldIssue[] = NO_ISSUES;
  const short = typeof raw === 'string' ? readShort(raw.trim()) : typeof raw === 'number' && Number.isInteger(raw) && raw >= 1000 && raw <= 9999 ? { year: raw, month: 0 } : null;
  if (short !== null) {
    year = short.year;
    month = short.month;
    if (month > 12) return { ok: false, issues: [makeIssue('dob', 'DATE_INVALID_MONTH', { value: display, month })] };
    if (month === 0 && display.length > 4) warnings = [makeIssue('dob', 'DOB_ZERO_PARTS', { value: display, text: String(year) })];
  } else {
    const r = readDate(raw, 'dob', 'dob', today, true);
    if (!('y' in r)) return { ok: false, issues: [r] };
    year = r.y;
    month = r.m;
    day = month === 0 ? 0 : r.d;
    const w: FieldIssue[] = [];
    if (r.yy >= 0) w.push(makeIssue('dob', 'DATE_TWO_DIGIT_YEAR', { value: display, yy: pad2(r.yy), year }));
    if (r.m === 0 || r.d === 0) {
      const text = month === 0 ? String(year) : `${year}-${pad2(month)}`;
      w.push(makeIssue('dob', 'DOB_ZERO_PARTS', { value: display, text }));
    }
    if (w.length > 0) warnings = w;
  }
  const text = month === 0 ? String(year) : day === 0 ? `${year}-${pad2(month)}` : `${year}-${pad2(month)}-${pad2(day)}`;
  if (year < 1900) return { ok: false, issues: [makeIssue('dob', 'DOB_BEFORE_1900', { value: text })] };
  // A shorter (partial) text sorts before every full date inside its period, so plain comparison works.
  if (text > today) return { ok: false, issues: [...warnings, makeIssue('dob', 'DOB_IN_FUTURE', { value: text, today })] };
  const value: PartialDate = month === 0 ? { text, year } : day === 0 ? { text, year, month } : { text, year, month, day };
  return settle(value, warnings);
}
