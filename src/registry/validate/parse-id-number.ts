/**
 * Vietnamese personal ID numbers: 12-digit CCCD / personal identification number
 * (`PPP G YY RRRRRR`, Decree 137/2015 Art. 13, codes per Circular 59/2021/TT-BCA), the old 9-digit
 * CMND, and passport numbers for foreigners. Port of `shared/reference/vn/tools/vn_id.py`
 * (see cccd.md) with these deliberate differences:
 * - a number that lost two leading zeros (10 digits, province 001–008) is restored like the
 *   11-digit case when the result has a real province code (vn_id.py rejects it);
 * - scientific notation is recovered when the mantissa still holds every digit;
 * - separators are stripped silently (`repaired: 'spaces'`, no warning: nothing was lost);
 * - a missing ID is not an error (old records lack IDs; the importer keeps them as NOT_SENT).
 */
import { makeIssue, NO_ISSUES, settle, show } from './field-issue.js';
import type { Cell, FieldIssue, Parsed } from './field-issue.js';
import { foldKey } from './fold-key.js';
import type { PartialDate } from './parse-dob.js';
import { PROVINCES } from '../reference/index.js';

/** A parsed ID number. `repaired` says what transport damage was undone. */
export interface IdNumber {
  readonly kind: 'CCCD' | 'CMND' | 'PASSPORT';
  readonly number: string;
  readonly repaired?: 'leading_zero' | 'scientific' | 'spaces';
}

/** What the rest of the row says about the person, for consistency checks. */
export interface IdContext {
  readonly dob?: PartialDate;
  readonly sex?: 'M' | 'F';
  /** `yyyy-mm-dd`; only needed to reject birth years in the future (default: now). */
  readonly today?: string;
}

/** What a CCCD number encodes. */
export interface CccdInfo {
  readonly provinceCccdCode: string;
  /** 2-digit province code, undefined for a prefix that is not one of the 63 (e.g. abroad). */
  readonly provinceCode: string | undefined;
  readonly sex: 'M' | 'F';
  readonly birthYear: number;
  readonly serial: string;
}

// 3-digit CCCD province prefix → 2-digit province code, as a flat table for the hot path.
const PROVINCE_BY_CCCD: (string | undefined)[] = new Array<string | undefined>(1000).fill(undefined);
for (const p of PROVINCES) PROVINCE_BY_CCCD[+p.cccdCode] = p.code;

// Folded words people put in the ID column instead of leaving it empty.
const PLACEHOLDERS = new Set(['na', 'nil', 'null', 'none', 'x', 'xx', 'xxx', 'ko', 'k', 'kco', 'kc', 'chuaco', 'chua', 'khong', 'khongco', 'tremem', 'treem']);
const LABEL = /^(?:s[ốôo]\s*)?(?:cccd|cmnd|cmt|cc|đdcn|ddcn|passport|hộ\s*chiếu|ho\s*chieu)(?:\s*[:.#-]\s*|\s+)/iu;

/**
 * The 4th CCCD digit for a birth year and sex: 0/1 = 1900s male/female, 2/3 = 2000s, … up to 8/9 = 2300s.
 * @param year - birth year, 1900–2399
 * @param sex - `M` or `F`
 */
export function cccdCenturySexDigit(year: number, sex: 'M' | 'F'): number {
  if (!Number.isInteger(year) || year < 1900 || year > 2399) throw new RangeError(`CCCD encodes birth years 1900–2399, got ${year}`);
  return (Math.floor(year / 100) - 19) * 2 + (sex === 'F' ? 1 : 0);
}

/**
 * A synthetic CCCD number consistent with birth year and sex (for seed data and tests).
 * @param provinceCccdCode - 3-digit birth-registration code, e.g. `079`
 * @param birthYear - 1900–2399
 * @param sex - `M` or `F`
 * @param serial - the random part, 0–999999
 */
export function generateCccd(provinceCccdCode: string, birthYear: number, sex: 'M' | 'F', serial: number): string {
  if (!/^\d{3}$/.test(provinceCccdCode)) throw new RangeError(`province CCCD code must be 3 digits, got ${provinceCccdCode}`);
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999) throw new RangeError(`serial must be 0–999999, got ${serial}`);
  const g = cccdCenturySexDigit(birthYear, sex);
  const yy = birthYear % 100;
  return `${provinceCccdCode}${g}${yy < 10 ? '0' : ''}${yy}${String(serial).padStart(6, '0')}`;
}

/**
 * Decodes a 12-digit CCCD number (no validation beyond the shape).
 * @param number - 12 ASCII digits
 */
export function decodeCccd(number: string): CccdInfo | undefined {
  if (number.length !== 12 || !isAllDigits(number)) return undefined;
  const g = number.charCodeAt(3) - 48;
  return {
    provinceCccdCode: number.slice(0, 3),
    provinceCode: PROVINCE_BY_CCCD[+number.slice(0, 3)],
    sex: g % 2 === 0 ? 'M' : 'F',
    birthYear: 1900 + (g >> 1) * 100 + +number.slice(4, 6),
    serial: number.slice(6),
  };
}

function isAllDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

function isZeros(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

function missing(): Parsed<IdNumber | null> {
  return { ok: true, value: null, warnings: [makeIssue('id_number', 'ID_MISSING', {})] };
}

function placeholder(display: string): Parsed<IdNumber | null> {
  return { ok: true, value: null, warnings: [makeIssue('id_number', 'ID_PLACEHOLDER', { value: display }), makeIssue('id_number', 'ID_MISSING', {})] };
}

function err(issue: FieldIssue, before: readonly FieldIssue[] = NO_ISSUES): Parsed<IdNumber | null> {
  return { ok: false, issues: before.length === 0 ? [issue] : [...before, issue] };
}

const SEX_EN = { M: 'male', F: 'female' } as const;
const SEX_VI = { M: 'nam', F: 'nữ' } as const;

/** Checks a 12-digit CCCD against the province table and the row's sex and birth year. */
function checkCccd(number: string, ctx: IdContext, repaired: IdNumber['repaired'], warnings: readonly FieldIssue[]): Parsed<IdNumber | null> {
  const prefix = (number.charCodeAt(0) - 48) * 100 + (number.charCodeAt(1) - 48) * 10 + number.charCodeAt(2) - 48;
  const g = number.charCodeAt(3) - 48;
  const yy = (number.charCodeAt(4) - 48) * 10 + number.charCodeAt(5) - 48;
  const century = 1900 + (g >> 1) * 100;
  const year = century + yy;
  const idSex = (g & 1) === 0 ? 'M' : 'F';
  const dobYear = ctx.dob === undefined ? -1 : ctx.dob.year;
  const badProvince = PROVINCE_BY_CCCD[prefix] === undefined;
  const badFuture = year > 2020 && year > (ctx.today !== undefined ? +ctx.today.slice(0, 4) : new Date().getUTCFullYear());
  const badSex = ctx.sex !== undefined && ctx.sex !== idSex;
  const badCentury = dobYear >= 0 && (dobYear < century || dobYear > century + 99);
  const badYy = dobYear >= 0 && dobYear % 100 !== yy;
  const value: IdNumber = repaired === undefined ? { kind: 'CCCD', number } : { kind: 'CCCD', number, repaired };
  if (!badProvince && !badFuture && !badSex && !badCentury && !badYy) return { ok: true, value, warnings };
  // Slow path: say exactly what is wrong.
  const issues = [...warnings];
  if (badProvince) issues.push(makeIssue('id_number', 'ID_PROVINCE_UNKNOWN', { number, code: number.slice(0, 3) }));
  if (badFuture) issues.push(makeIssue('id_number', 'ID_BIRTH_YEAR_FUTURE', { number, digits: number.slice(3, 6), year }));
  const band = { number, digit: g, idSex: SEX_EN[idSex], idSexVi: SEX_VI[idSex], from: century, to: century + 99 };
  if (badSex && ctx.sex !== undefined) issues.push(makeIssue('id_number', 'ID_SEX_MISMATCH', { ...band, sex: ctx.sex, sexVi: SEX_VI[ctx.sex] }));
  if (badCentury) issues.push(makeIssue('id_number', 'ID_CENTURY_MISMATCH', { ...band, year: dobYear }));
  if (badYy) {
    const e = dobYear % 100;
    issues.push(makeIssue('id_number', 'ID_BIRTH_YEAR_MISMATCH', { number, yy: number.slice(4, 6), year: dobYear, expected: e < 10 ? `0${e}` : e }));
  }
  return settle(value, issues);
}

/** Routes a digits-only value by length, restoring lost leading zeros where that yields a valid shape. */
function fromDigits(d: string, display: string, ctx: IdContext, repaired: IdNumber['repaired'], warnings: readonly FieldIssue[]): Parsed<IdNumber | null> {
  switch (d.length) {
    case 12:
      return checkCccd(d, ctx, repaired, warnings);
    case 9:
      return { ok: true, value: repaired === undefined ? { kind: 'CMND', number: d } : { kind: 'CMND', number: d, repaired }, warnings };
    case 11:
    case 10: {
      // Every province prefix starts with 0 (001–096); 10 digits = prefix 00x lost both zeros.
      const padded = d.length === 11 ? `0${d}` : `00${d}`;
      if (PROVINCE_BY_CCCD[+padded.slice(0, 3)] === undefined) return err(makeIssue('id_number', 'ID_LENGTH', { value: display, digits: d.length }), warnings);
      const w = [...warnings, makeIssue('id_number', 'ID_LEADING_ZERO_RESTORED', { value: display, digits: d.length, number: padded })];
      return checkCccd(padded, ctx, repaired ?? 'leading_zero', w);
    }
    case 8: {
      const padded = `0${d}`;
      const w = [...warnings, makeIssue('id_number', 'ID_LEADING_ZERO_RESTORED', { value: display, digits: 8, number: padded })];
      return { ok: true, value: { kind: 'CMND', number: padded, repaired: repaired ?? 'leading_zero' }, warnings: w };
    }
    default:
      return err(makeIssue('id_number', 'ID_LENGTH', { value: display, digits: d.length }), warnings);
  }
}

/** `1.23457E+11` / `1,23457e11`: the digits if all survived, else the issue; undefined if not this shape. */
function fromScientific(s: string, display: string): { digits: string } | FieldIssue | undefined {
  const m = /^(\d)(?:[.,](\d{1,20}))?[eE]\+?(\d{1,2})$/.exec(s);
  if (m === null) return undefined;
  const int = m[1] ?? '';
  const frac = m[2] ?? '';
  const exp = +(m[3] ?? '0');
  if (frac.length > exp) return makeIssue('id_number', 'ID_NOT_INTEGER', { value: display });
  const total = 1 + exp;
  const kept = 1 + frac.length;
  if (kept < total) return makeIssue('id_number', 'ID_SCIENTIFIC_LOST', { value: display, kept, total });
  return { digits: int + frac };
}

function parsePassport(s: string, display: string): Parsed<IdNumber | null> {
  let p = '';
  let hasDigit = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 45) continue;
    if (c >= 48 && c <= 57) hasDigit = true;
    else if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return err(makeIssue('id_number', 'ID_PASSPORT_FORMAT', { value: display }));
    p += s.charAt(i);
  }
  p = p.toUpperCase();
  if (!hasDigit || p.length < 6 || p.length > 9) return err(makeIssue('id_number', 'ID_PASSPORT_FORMAT', { value: display }));
  return { ok: true, value: { kind: 'PASSPORT', number: p }, warnings: NO_ISSUES };
}

/**
 * Parses an ID number cell: CCCD (12 digits), CMND (9 digits) or, when it starts with a letter,
 * a passport number. Undoes spreadsheet damage (lost leading zeros, scientific notation that
 * kept every digit, separators, full-width digits, Excel's leading apostrophe) and checks a CCCD
 * against the province table and the row's `dob`/`sex`. Empty or placeholder values ("không",
 * "N/A", "000000000000") give `value: null` with an `ID_MISSING` warning, not an error.
 * @param raw - the cell as read (XLSX numbers included)
 * @param ctx - the row's parsed `dob`, `sex` (and `today`) for consistency checks
 */
export function parseIdNumber(raw: Cell, ctx: IdContext = {}): Parsed<IdNumber | null> {
  if (raw === null || raw === undefined) return missing();
  if (raw instanceof Date) return err(makeIssue('id_number', 'ID_INVALID_CHARACTER', { value: show(raw), char: '"-"', pos: 5 }));
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || !Number.isInteger(raw) || raw < 0) return err(makeIssue('id_number', 'ID_NOT_INTEGER', { value: String(raw) }));
    if (raw === 0) return placeholder('0');
    const d = String(raw);
    return fromDigits(d, d, ctx, undefined, NO_ISSUES);
  }
  // Fast path: already clean.
  if ((raw.length === 12 || raw.length === 9) && isAllDigits(raw) && !isZeros(raw)) {
    return raw.length === 12 ? checkCccd(raw, ctx, undefined, NO_ISSUES) : { ok: true, value: { kind: 'CMND', number: raw }, warnings: NO_ISSUES };
  }
  let s = raw.trim();
  if (s.charCodeAt(0) === 39 || s.charCodeAt(0) === 0x2019) s = s.slice(1).trim(); // Excel's text marker
  if (s === '') return missing();
  const display = show(raw);
  const c0 = s.charCodeAt(0);
  if ((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || (c0 >= 0xc0 && (c0 < 0xff10 || c0 > 0xff19))) {
    const key = foldKey(s);
    if (PLACEHOLDERS.has(key) || key.startsWith('khong') || key.startsWith('chua')) return placeholder(display);
    const label = LABEL.exec(s);
    if (label !== null && label[0].length < s.length) {
      const rest = parseIdNumber(s.slice(label[0].length), ctx);
      if (rest.ok && rest.value !== null && rest.value.repaired === undefined) return { ...rest, value: { ...rest.value, repaired: 'spaces' } };
      return rest;
    }
    return parsePassport(s, display);
  }
  if (c0 >= 48 && c0 <= 57 && (s.includes('E') || s.includes('e'))) {
    const sci = fromScientific(s, display);
    if (sci !== undefined) {
      if (!('digits' in sci)) return err(sci);
      const w = [makeIssue('id_number', 'ID_SCIENTIFIC_RECOVERED', { value: display, number: sci.digits })];
      return fromDigits(sci.digits, display, ctx, 'scientific', w);
    }
  }
  let d = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) d += s.charAt(i);
    else if (c >= 0xff10 && c <= 0xff19) {
      d += String.fromCharCode(c - 0xff10 + 48);
    } else if (c !== 32 && c !== 46 && c !== 45 && c !== 9 && c !== 0xa0 && c !== 0x2013) {
      if (d === '' && !/[\p{L}\p{N}]/u.test(s)) return placeholder(display); // "-", "...", "?"
      return err(makeIssue('id_number', 'ID_INVALID_CHARACTER', { value: display, char: JSON.stringify(s[i]), pos: i + 1 }));
    }
  }
  if (d === '') return placeholder(display);
  if (isZeros(d)) return placeholder(display);
  return fromDigits(d, display, ctx, d !== s ? 'spaces' : undefined, NO_ISSUES);
}
