/**
 * Checks one row of a register file (`id_number,full_name,dob,sex`). The register is the
 * reference truth, so it is held to the strict format: a row that does not fit is reported and
 * not loaded, never guessed at.
 */
import type { RegisterEntry } from '../verifier.js';

/** Why a register row was refused. */
export interface RegisterRowProblem {
  readonly field: 'id_number' | 'full_name' | 'dob' | 'sex' | 'row';
  readonly reason: string;
}

/** Outcome of {@link parseRegisterRow}. */
export type ParsedRegisterRow = { readonly ok: true; readonly entry: RegisterEntry } | { readonly ok: false; readonly problems: readonly RegisterRowProblem[] };

const ID_RE = /^(?:\d{9}|\d{12})$/;
const DOB_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Control characters and anything a name cannot contain (digits, most punctuation). */
const BAD_NAME_CHAR = /[\p{Cc}\p{Cf}\p{N}!-&(-,./:-@[-`{-~]/u;

function dobProblem(dob: string, thisYear: number): string | undefined {
  const m = DOB_RE.exec(dob);
  if (m === null) return `"${dob}" is not yyyy-mm-dd, yyyy-mm or yyyy`;
  const year = Number(m[1]);
  if (year < 1900 || year > thisYear) return `year ${year} outside 1900–${thisYear}`;
  if (m[2] === undefined) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return `month ${m[2]} outside 01–12`;
  if (m[3] === undefined) return undefined;
  const day = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const max = month === 2 && !leap ? 28 : (DAYS[month - 1] ?? 31);
  if (day < 1 || day > max) return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;
  return undefined;
}

/**
 * Parses the four cells of a register row. The name is stored as NFC with spaces collapsed;
 * `sex` accepts `M`/`F` in either case.
 * @param idNumber - the `id_number` cell
 * @param fullName - the `full_name` cell
 * @param dob - the `dob` cell
 * @param sex - the `sex` cell
 * @param thisYear - latest acceptable birth year (default: the current UTC year)
 */
export function parseRegisterRow(idNumber: string, fullName: string, dob: string, sex: string, thisYear = new Date().getUTCFullYear()): ParsedRegisterRow {
  const problems: RegisterRowProblem[] = [];
  const id = idNumber.trim();
  if (!ID_RE.test(id)) problems.push({ field: 'id_number', reason: id === '' ? 'missing' : `"${id}" is not 9 (CMND) or 12 (CCCD) digits` });
  let name = fullName.trim();
  if (name !== '' && !isPlainSpaced(name)) name = name.replace(/\s+/g, ' ');
  if (name !== '' && !isAscii(name)) name = name.normalize('NFC');
  if (name === '') problems.push({ field: 'full_name', reason: 'missing' });
  else if (name.length > 200) problems.push({ field: 'full_name', reason: `${name.length} characters; at most 200` });
  else if (BAD_NAME_CHAR.test(name)) problems.push({ field: 'full_name', reason: `"${name}" contains a character no name has` });
  const d = dob.trim();
  const dobReason = d === '' ? 'missing' : dobProblem(d, thisYear);
  if (dobReason !== undefined) problems.push({ field: 'dob', reason: dobReason });
  const s = sex.trim().toUpperCase();
  if (s !== 'M' && s !== 'F') problems.push({ field: 'sex', reason: s === '' ? 'missing' : `"${sex.trim()}" is not M or F` });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, entry: { idNumber: id, fullName: name, dob: d, sex: s === 'M' ? 'M' : 'F' } };
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** No runs of spaces and no other whitespace: the common case skips the regex replace. */
function isPlainSpaced(s: string): boolean {
  let prevSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if (c < 0x20 || c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000 || c === 0x85) {
      return false;
    } else prevSpace = false;
  }
  return true;
}
