/**
 * Vaccine lot (batch) number: optional, kept as written after trimming. Lots are short codes of
 * letters, digits and `-`, `/`, `.`; anything else is reported as a warning (the lot is not
 * needed to issue a certificate, so it never rejects a row).
 */
import { makeIssue, ok, show } from './field-issue.js';
import type { Cell, Parsed } from './field-issue.js';

export const LOT_MAX = 30;

/**
 * Parses a lot cell; empty → `null`.
 * @param raw - the cell (XLSX numbers included)
 */
export function parseLot(raw: Cell): Parsed<string | null> {
  if (raw === null || raw === undefined) return ok(null);
  const s = show(raw);
  if (s === '') return ok(null);
  if (s.length > LOT_MAX) {
    return ok(s, [makeIssue('lot', 'LOT_INVALID', { value: s, reason: `${s.length} characters, at most ${LOT_MAX} expected`, reasonVi: `dài ${s.length} ký tự, tối đa ${LOT_MAX}` })]);
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const fine = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 47 || c === 46 || c === 32;
    if (!fine) {
      const ch = JSON.stringify(s[i]);
      return ok(s, [makeIssue('lot', 'LOT_INVALID', { value: s, reason: `unexpected character ${ch} at position ${i + 1}`, reasonVi: `có ký tự lạ ${ch} ở vị trí ${i + 1}` })]);
    }
  }
  return ok(s);
}
