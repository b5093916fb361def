/**
 * Date cells as they arrive from CSV/XLSX, the REST API and FHIR, read into `yyyy-mm-dd`.
 *
 * Accepted: `dd/mm/yyyy`, `d/m/yyyy`, `d/m/yy`, `dd-mm-yyyy`, `dd.mm.yyyy`, `yyyy-mm-dd`
 * (also with `/` or `.`), compact `yyyymmdd`/`ddmmyyyy`, a trailing time (`15/07/2021 08:30`,
 * `2021-07-15T08:30:00+07:00`), Excel serial numbers (as numbers or digit strings, 1900 date
 * system) and JS `Date` objects.
 *
 * Day/month order: a slashed, dashed or dotted date that does not start with a 4-digit year is
 * ALWAYS day/month/year, as written in Viet Nam: `03/04/2021` is 3 April 2021, never March 4.
 * There is no guessing from values > 12; `04/13/2021` is an error (month 13), not a US date.
 *
 * Two-digit years: for events (dose dates) `yy` is 20yy. For birth dates `yy` is 20yy when that
 * is not after the current year, else 19yy (`01/01/30` → 1930 in 2022), with a warning because
 * a 100-year-old and a baby share `yy`.
 *
 * Times with an offset (`Z`, `+07:00`) are converted to the Viet Nam calendar day; times without
 * one are taken as local. `Date` objects: XLSX readers produce UTC midnight, some local midnight;
 * both land on the intended day by reading the instant in UTC+7.
 */
import { daysFromCivil, daysInMonth, isoFromDays, isoFromParts, vnDayOfInstant } from './calendar.js';
import { fail, makeIssue, ok, show } from './field-issue.js';
import type { Cell, FieldIssue, FieldName, Parsed } from './field-issue.js';

/** How a two-digit year is widened: events are 20yy, birth years must not be in the future. */
export type DateKind = 'dob' | 'event';

export interface ParseDateOptions {
  /** Default: `dob` for the `dob` field, `event` for any other. */
  readonly kind?: DateKind;
  /** `yyyy-mm-dd`, for the two-digit-year pivot of birth dates; default: today in Viet Nam. */
  readonly today?: string;
}

/** Excel serial range accepted: 1 (1900-01-01) to 73050 (2099-12-31). */
export const EXCEL_SERIAL_MIN = 1;
export const EXCEL_SERIAL_MAX = 73050;
/** Serial 25569 is 1970-01-01 for serials ≥ 61; below 60 Excel is one day ahead of the calendar. */
const EXCEL_UNIX_EPOCH = 25569;

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Reads an Excel serial (1900 date system, including Lotus' phantom 1900-02-29 = 60) as a day
 * number since 1970-01-01, or returns the issue.
 * @param serial - the cell number; a fraction (time of day) is ignored
 * @param field - for the message
 * @param display - the raw value as shown in the message
 */
export function excelSerialToDays(serial: number, field: FieldName, display: string): number | FieldIssue {
  if (!Number.isFinite(serial)) return makeIssue(field, 'DATE_FORMAT', { value: display });
  const s = Math.floor(serial);
  if (s < EXCEL_SERIAL_MIN || s > EXCEL_SERIAL_MAX) {
    return makeIssue(field, 'DATE_SERIAL_RANGE', { value: display, min: EXCEL_SERIAL_MIN, max: EXCEL_SERIAL_MAX, from: '1900-01-01', to: '2099-12-31' });
  }
  if (s === 60) return makeIssue(field, 'DATE_EXCEL_1900_02_29', { value: display });
  return s < 60 ? s - EXCEL_UNIX_EPOCH + 1 : s - EXCEL_UNIX_EPOCH;
}

/**
 * Converts a `yyyy-mm-dd` date to its Excel serial (for tests and exports).
 * @param iso - a valid date from 1900-03-01 on
 */
export function isoToExcelSerial(iso: string): number {
  const y = +iso.slice(0, 4);
  const m = +iso.slice(5, 7);
  const d = +iso.slice(8, 10);
  const days = daysFromCivil(y, m, d);
  return days + EXCEL_UNIX_EPOCH - (days < -25508 ? 1 : 0); // -25508 = 1900-03-01
}

// ── tokenizer (module scratch: parsing is synchronous, results are read immediately) ──────────

/** Up to three digit groups, their lengths, and where a time tail starts (-1: none). */
const G = [0, 0, 0];
const L = [0, 0, 0];
let tailStart = -1;

/** Splits `s` into 1–3 digit groups joined by one repeated separator (`/`, `-`, `.`). Returns the group count, 0 if malformed. */
function tokenize(s: string): number {
  tailStart = -1;
  let n = 0;
  let sep = 0;
  let i = 0;
  const len = s.length;
  for (;;) {
    let v = 0;
    const start = i;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + c - 48;
      i++;
    }
    const gl = i - start;
    if (gl === 0 || gl > 8) return 0;
    G[n] = v;
    L[n] = gl;
    n++;
    if (i === len) return n;
    const c = s.charCodeAt(i);
    if (n === 3) {
      if (c === 32 || c === 84 /* T */) {
        tailStart = i + 1;
        return n;
      }
      return 0;
    }
    if (c !== 47 && c !== 45 && c !== 46) return 0;
    if (sep === 0) sep = c;
    else if (c !== sep) return 0;
    i++;
  }
}

/** Parses `HH:MM[:SS[.fff]][Z|±HH[:MM]]` from `tailStart`; returns the day shift for an offset, or NaN if malformed. */
function timeTailDayShift(s: string): number {
  let i = tailStart;
  const len = s.length;
  while (i < len && s.charCodeAt(i) === 32) i++;
  let minutes = 0;
  let parts = 0;
  while (i < len && parts < 3) {
    const a = s.charCodeAt(i) - 48;
    const b = s.charCodeAt(i + 1) - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9) return NaN;
    if (parts === 0) minutes = (a * 10 + b) * 60;
    else if (parts === 1) minutes += a * 10 + b;
    parts++;
    i += 2;
    if (s.charCodeAt(i) === 58 /* : */ && parts < 3) i++;
    else break;
  }
  if (parts < 2 || minutes >= 24 * 60) return NaN;
  if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
    i++;
    while (i < len && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  }
  if (i === len) return 0;
  const c = s.charCodeAt(i);
  if (c === 90 /* Z */ && i + 1 === len) return Math.floor((minutes + 7 * 60) / 1440);
  if (c !== 43 && c !== 45) return NaN;
  const rest = s.slice(i + 1).replace(':', '');
  if (!/^\d{2}(\d{2})?$/.test(rest)) return NaN;
  const off = (+rest.slice(0, 2) * 60 + (rest.length === 4 ? +rest.slice(2) : 0)) * (c === 45 ? -1 : 1);
  return Math.floor((minutes - off + 7 * 60) / 1440);
}

/** Result of `readDate`: the parts; `yy` ≥ 0 when the year was written with two digits. */
export interface DateParts {
  y: number;
  m: number;
  d: number;
  yy: number;
}
const P: DateParts = { y: 0, m: 0, d: 0, yy: -1 };

function currentYear(today: string | undefined): number {
  return today !== undefined ? +today.slice(0, 4) : new Date().getUTCFullYear();
}

function setFromDays(days: number): void {
  const iso = isoFromDays(days);
  P.y = +iso.slice(0, 4);
  P.m = +iso.slice(5, 7);
  P.d = +iso.slice(8, 10);
  P.yy = -1;
}

/**
 * Reads a full date into the shared `DateParts` it returns, or returns the issue. With
 * `allowZero`, a 00 day or month passes through as 0 (old birth records use 00 for "unknown").
 * @param raw - the cell
 * @param field - for messages
 * @param kind - two-digit-year pivot
 * @param today - `yyyy-mm-dd` or undefined for now
 * @param allowZero - let day/month 0 through
 */
export function readDate(raw: Cell, field: FieldName, kind: DateKind, today: string | undefined, allowZero: boolean): DateParts | FieldIssue {
  if (raw === null || raw === undefined) return makeIssue(field, 'FIELD_REQUIRED', {});
  if (raw instanceof Date) {
    const t = raw.getTime();
    if (Number.isNaN(t)) return makeIssue(field, 'DATE_FORMAT', { value: show(raw) });
    setFromDays(vnDayOfInstant(t));
    return P;
  }
  if (typeof raw === 'number') return readSerial(raw, field, kind, String(raw));
  const s = raw.trim();
  if (s === '') return makeIssue(field, 'FIELD_REQUIRED', {});
  const n = tokenize(s);
  // Digits only (or a 5-digit serial with a time fraction, "44197.5"): compact date or Excel serial.
  if (n === 1 || (n === 2 && L[0] === 5 && s.charCodeAt(5) === 46)) {
    if (n === 1 && L[0] === 8) return readCompact(s, field);
    return readSerial(Number(s), field, kind, s);
  }
  if (n !== 3) return makeIssue(field, n === 2 ? 'DATE_INCOMPLETE' : 'DATE_FORMAT', { value: s });
  let y: number;
  let m: number;
  let d: number;
  let yy = -1;
  if (L[0] === 4 && L[1]! <= 2 && L[2]! <= 2) {
    y = G[0]!;
    m = G[1]!;
    d = G[2]!;
  } else if (L[0]! <= 2 && L[1]! <= 2 && (L[2] === 4 || L[2] === 2)) {
    d = G[0]!;
    m = G[1]!;
    y = G[2]!;
    if (L[2] === 2) {
      yy = y;
      y = kind === 'event' || 2000 + yy <= currentYear(today) ? 2000 + yy : 1900 + yy;
    }
  } else return makeIssue(field, 'DATE_FORMAT', { value: s });
  const bad = checkParts(s, field, y, m, d, allowZero);
  if (bad !== null) return bad;
  if (tailStart >= 0) {
    const shift = timeTailDayShift(s);
    if (Number.isNaN(shift)) return makeIssue(field, 'DATE_FORMAT', { value: s });
    if (shift !== 0 && m !== 0 && d !== 0) {
      setFromDays(daysFromCivil(y, m, d) + shift);
      return P;
    }
  }
  P.y = y;
  P.m = m;
  P.d = d;
  P.yy = yy;
  return P;
}

function checkParts(s: string, field: FieldName, y: number, m: number, d: number, allowZero: boolean): FieldIssue | null {
  if (y < 1000) return makeIssue(field, 'DATE_YEAR_RANGE', { value: s, year: y });
  if (m > 12 || (m === 0 && !allowZero)) return makeIssue(field, 'DATE_INVALID_MONTH', { value: s, month: m });
  if (d === 0 && allowZero) return null;
  const dim = m === 0 ? 31 : daysInMonth(y, m);
  if (d < 1 || d > dim) {
    const mm = m === 0 ? 1 : m;
    return makeIssue(field, 'DATE_INVALID_DAY', { value: s, day: d, month: mm, monthEn: MONTHS_EN[mm - 1] ?? '', year: y, days: dim });
  }
  return null;
}

/** `yyyymmdd`, or `ddmmyyyy` when that is not a valid date (both can never be valid at once). */
function readCompact(s: string, field: FieldName): DateParts | FieldIssue {
  const v = G[0]!;
  const a = Math.floor(v / 10000);
  const am = Math.floor(v / 100) % 100;
  const ad = v % 100;
  if (a >= 1900 && a <= 2099 && am >= 1 && am <= 12 && ad >= 1 && ad <= daysInMonth(a, am)) {
    P.y = a;
    P.m = am;
    P.d = ad;
    P.yy = -1;
    return P;
  }
  const d = Math.floor(v / 1_000_000);
  const m = Math.floor(v / 10000) % 100;
  const y = v % 10000;
  if (y < 1900 || y > 2099) return makeIssue(field, 'DATE_FORMAT', { value: s });
  const bad = checkParts(s, field, y, m, d, false);
  if (bad !== null) return bad;
  P.y = y;
  P.m = m;
  P.d = d;
  P.yy = -1;
  return P;
}

function readSerial(serial: number, field: FieldName, kind: DateKind, display: string): DateParts | FieldIssue {
  // A whole number 1900–2099 in a birth-date column is a year, not the serial of a day in 1905.
  if (kind === 'dob' && Number.isInteger(serial) && serial >= 1900 && serial <= 2099) {
    return makeIssue(field, 'DATE_INCOMPLETE', { value: display });
  }
  const days = excelSerialToDays(serial, field, display);
  if (typeof days !== 'number') return days;
  setFromDays(days);
  return P;
}

/**
 * Parses a full date to `yyyy-mm-dd` (years 1900–2099); see the module comment for formats.
 * @param raw - string, number (Excel serial) or Date; null/empty → FIELD_REQUIRED
 * @param field - canonical field name, used in messages and for the default `kind`
 * @param options - two-digit-year pivot
 */
export function parseDate(raw: Cell, field: FieldName, options: ParseDateOptions = {}): Parsed<string> {
  const kind = options.kind ?? (field === 'dob' ? 'dob' : 'event');
  const r = readDate(raw, field, kind, options.today, false);
  if (!('y' in r)) return fail(r);
  if (r.y < 1900 || r.y > 2099) return fail(makeIssue(field, 'DATE_YEAR_RANGE', { value: show(raw), year: r.y }));
  const iso = isoFromParts(r.y, r.m, r.d);
  if (r.yy >= 0 && kind === 'dob') {
    return ok(iso, [makeIssue(field, 'DATE_TWO_DIGIT_YEAR', { value: show(raw), yy: r.yy < 10 ? `0${r.yy}` : r.yy, year: r.y })]);
  }
  return ok(iso);
}
