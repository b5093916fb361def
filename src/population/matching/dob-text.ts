/**
 * Dates of birth as the register contract writes them: `yyyy`, `yyyy-mm` or `yyyy-mm-dd` (the EU
 * DCC `dob` shapes). Compared as exact text: a partial date never equals a fuller one.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * The canonical text of a date of birth, or null when it is not a real `yyyy`, `yyyy-mm` or
 * `yyyy-mm-dd` date (surrounding spaces are ignored; years 1000–2999).
 * @param raw - the value as sent
 * @returns e.g. `1990-05-12`; null for `1990-13-01`, `12/05/1990`, `1990-02-30`
 */
export function dobText(raw: string): string | null {
  const s = raw.length > 0 && (raw.charCodeAt(0) === 32 || raw.charCodeAt(raw.length - 1) === 32) ? raw.trim() : raw;
  const n = s.length;
  if (n !== 4 && n !== 7 && n !== 10) return null;
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  if (hi < 10 || hi > 29 || lo < 0) return null;
  if (n === 4) return s;
  if (s.charCodeAt(4) !== 45) return null;
  const month = twoDigits(s, 5);
  if (month < 1 || month > 12) return null;
  if (n === 7) return s;
  if (s.charCodeAt(7) !== 45) return null;
  const day = twoDigits(s, 8);
  const max = month === 2 && isLeap(hi * 100 + lo) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
  return day >= 1 && day <= max ? s : null;
}

/**
 * The same full date with day and month exchanged, or null when that is not a date (or the same).
 * @param dob - canonical `yyyy-mm-dd` (partial dates have nothing to swap)
 */
export function swapDayMonth(dob: string): string | null {
  if (dob.length !== 10) return null;
  const swapped = `${dob.slice(0, 4)}-${dob.slice(8, 10)}-${dob.slice(5, 7)}`;
  return swapped !== dob && dobText(swapped) !== null ? swapped : null;
}
