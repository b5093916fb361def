/**
 * Dose number 1–9 as written: `2`, `2.0` (spreadsheet number), `Mũi 2`, `mũi thứ 2`,
 * `Mũi thứ hai`, `Liều 2`, `Dose 2`, `#2`, or `2/3` (EU DCC dn/sd, the first number counts).
 */
import { fail, makeIssue, ok, show } from './field-issue.js';
import type { Cell, Parsed } from './field-issue.js';
import { foldKey } from './fold-key.js';

const WORDS = new Map<string, number>([
  ['mot', 1],
  ['nhat', 1],
  ['hai', 2],
  ['ba', 3],
  ['bon', 4],
  ['tu', 4],
  ['nam', 5],
  ['sau', 6],
  ['bay', 7],
  ['tam', 8],
  ['chin', 9],
]);
const LEADING = ['muithu', 'mui', 'lieuthu', 'lieu', 'dose', 'so', 'no', 'thu'];

function range(n: number, display: string): Parsed<number> {
  return n >= 1 && n <= 9 ? ok(n) : fail(makeIssue('dose_number', 'DOSE_NUMBER_RANGE', { value: display }));
}

/**
 * Parses a dose number cell.
 * @param raw - the cell (XLSX numbers included)
 */
export function parseDoseNumber(raw: Cell): Parsed<number> {
  if (raw === null || raw === undefined) return fail(makeIssue('dose_number', 'FIELD_REQUIRED', {}));
  if (typeof raw === 'number') {
    return Number.isInteger(raw) ? range(raw, String(raw)) : fail(makeIssue('dose_number', 'DOSE_NUMBER_INVALID', { value: String(raw) }));
  }
  if (typeof raw === 'string' && raw.length === 1) {
    const c = raw.charCodeAt(0);
    if (c >= 49 && c <= 57) return ok(c - 48);
  }
  const s = show(raw);
  if (s === '') return fail(makeIssue('dose_number', 'FIELD_REQUIRED', {}));
  // "2.0" / "2,0" from a number cell; "2/3" as dn/sd.
  const m = /^(\d{1,3})(?:[.,]0+|\s*\/\s*\d{1,2})?$/.exec(s);
  if (m !== null) return range(+(m[1] ?? ''), s);
  let key = foldKey(s);
  for (const w of LEADING) {
    if (key.startsWith(w)) {
      key = key.slice(w.length);
      break;
    }
  }
  if (key.startsWith('thu')) key = key.slice(3);
  if (/^\d{1,3}$/.test(key)) return range(+key, s);
  const word = WORDS.get(key);
  if (word !== undefined) return ok(word);
  return fail(makeIssue('dose_number', 'DOSE_NUMBER_INVALID', { value: s }));
}
