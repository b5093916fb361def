/**
 * Vietnamese phone numbers, normalised to E.164 (`+84…`), the form FHIR `telecom` and SMS
 * gateways expect. Mobile: 10 national digits `0[35789]x xxx xxxx` (2018 numbering);
 * landline: 11 national digits `02xx …` (2017 area codes). Tolerates spaces, dots, dashes,
 * brackets, `+84` / `84` / `0084` prefixes (with or without the trunk 0), a leading 0 lost in
 * Excel, and converts the 11-digit `01xx` mobile prefixes retired in 2018 (with a warning).
 * The phone is optional: anything else gives `value: null` with a PHONE_INVALID warning.
 */
import { makeIssue, NO_ISSUES, ok, show } from './field-issue.js';
import type { Cell, FieldIssue, Parsed } from './field-issue.js';

// Mobile prefixes in use (2018 plan): 032–039, 052/055/056/058/059, 070/076–079, 081–089, 090–099.
const MOBILE3 = new Set(['32', '33', '34', '35', '36', '37', '38', '39', '52', '55', '56', '58', '59', '70', '76', '77', '78', '79', '81', '82', '83', '84', '85', '86', '87', '88', '89', '90', '91', '92', '93', '94', '95', '96', '97', '98', '99']);

// 11-digit mobile prefixes converted in 2018 (MIC Decision 798/QĐ-BTTTT): old → new (without the 0).
const OLD_PREFIX = new Map<string, string>([
  ['162', '32'], ['163', '33'], ['164', '34'], ['165', '35'], ['166', '36'], ['167', '37'], ['168', '38'], ['169', '39'],
  ['120', '70'], ['121', '79'], ['122', '77'], ['126', '76'], ['128', '78'],
  ['123', '83'], ['124', '84'], ['125', '85'], ['127', '81'], ['129', '82'],
  ['186', '56'], ['188', '58'], ['199', '59'],
]);

// Two digits after the trunk 0 → 1 for a mobile prefix in use.
const MOBILE_TABLE = new Uint8Array(100);
for (const p of MOBILE3) MOBILE_TABLE[+p] = 1;

/** Fast path: `0` + a mobile prefix + 8 more digits, already clean. */
function isMobile10(s: string): boolean {
  for (let i = 1; i < 10; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return MOBILE_TABLE[(s.charCodeAt(1) - 48) * 10 + s.charCodeAt(2) - 48] === 1;
}

function invalid(display: string, reason: string, reasonVi: string): Parsed<string | null> {
  return { ok: true, value: null, warnings: [makeIssue('phone', 'PHONE_INVALID', { value: display, reason, reasonVi })] };
}

/**
 * Parses a phone cell to `+84…` (E.164), or `null` (empty, or invalid with a warning).
 * @param raw - the cell (XLSX numbers included)
 */
export function parsePhone(raw: Cell): Parsed<string | null> {
  if (raw === null || raw === undefined) return ok(null);
  if (typeof raw === 'string' && raw.length === 10 && raw.charCodeAt(0) === 48 && isMobile10(raw)) return ok(`+84${raw.slice(1)}`);
  const s = typeof raw === 'string' ? raw : show(raw);
  let d = '';
  let plus = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) d += s.charAt(i);
    else if (c === 43 && d === '') plus = true;
    else if (c !== 32 && c !== 46 && c !== 45 && c !== 40 && c !== 41 && c !== 0xa0 && c !== 9 && !(c === 39 && i === 0)) {
      return invalid(show(raw), `it contains ${JSON.stringify(s[i])}`, `có ký tự ${JSON.stringify(s[i])}`);
    }
  }
  if (d === '') return s.trim() === '' || plus ? ok(null) : invalid(show(raw), 'no digits', 'không có chữ số');
  // Strip the country code to a national number without its trunk 0.
  let n = d;
  if (n.startsWith('0084')) n = n.slice(4);
  else if (n.startsWith('84') && (plus || n.length >= 11)) n = n.slice(2);
  if (n.startsWith('0')) n = n.slice(1);
  let warnings: readonly FieldIssue[] = NO_ISSUES;
  if (n.length === 10 && n.charCodeAt(0) === 49 /* 1 */) {
    const to = OLD_PREFIX.get(n.slice(0, 3));
    if (to === undefined) return invalid(show(raw), `0${n.slice(0, 3)} is not a mobile prefix`, `0${n.slice(0, 3)} không phải đầu số di động`);
    const converted = to + n.slice(3);
    warnings = [makeIssue('phone', 'PHONE_OLD_PREFIX', { value: show(raw), old: `0${n.slice(0, 3)}`, number: `+84${converted}` })];
    n = converted;
  }
  const first = n.charCodeAt(0);
  if (first === 50 /* 2: landline */) {
    if (n.length !== 10) return invalid(show(raw), `a landline has 11 digits (02x…), this has ${n.length + 1}`, `số cố định có 11 chữ số (02x…), số này có ${n.length + 1}`);
    return ok(`+84${n}`, warnings);
  }
  if (n.length !== 9) return invalid(show(raw), `a mobile number has 10 digits, this has ${n.length + 1}`, `số di động có 10 chữ số, số này có ${n.length + 1}`);
  if (!MOBILE3.has(n.slice(0, 2))) return invalid(show(raw), `0${n.slice(0, 2)} is not a mobile prefix`, `0${n.slice(0, 2)} không phải đầu số di động`);
  return ok(`+84${n}`, warnings);
}
