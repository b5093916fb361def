/**
 * Province (tỉnh/thành phố trực thuộc trung ương) as a 2-digit GSO code (Decision 124/2004).
 * Accepts the code (`01`, or `1` after Excel dropped the zero), the 3-digit CCCD prefix form is
 * NOT accepted (3 digits are usually district codes), and names or aliases compared without
 * case, diacritics, spaces or punctuation, with an optional "Tỉnh" / "Thành phố" / "TP" prefix:
 * "Hà Nội", "ha noi", "HN", "TP.HCM", "Thừa Thiên - Huế".
 */
import { fail, makeIssue, ok, show } from './field-issue.js';
import type { Cell, Parsed } from './field-issue.js';
import { foldKey } from './fold-key.js';
import { PROVINCES } from '../reference/index.js';

const BY_KEY = new Map<string, string>();
for (const p of PROVINCES) {
  BY_KEY.set(p.code, p.code);
  BY_KEY.set(String(+p.code), p.code);
  for (const name of [p.name, p.nameAscii, ...p.aliases]) BY_KEY.set(foldKey(name), p.code);
}
// Common abbreviations not in the reference aliases (ambiguous ones like DN = Đà Nẵng/Đồng Nai/Đắk Nông are left out).
for (const [alias, code] of [
  ['hcm', '79'],
  ['sg', '79'],
  ['hue', '46'],
] as const) {
  if (!BY_KEY.has(alias)) BY_KEY.set(alias, code);
}
const PREFIXES = ['thanhpho', 'tinh', 'tp'];

/**
 * Parses a province cell to its 2-digit code.
 * @param raw - code or name (XLSX numbers included)
 */
export function parseProvinceCode(raw: Cell): Parsed<string> {
  if (raw === null || raw === undefined) return fail(makeIssue('province_code', 'FIELD_REQUIRED', {}));
  const s = typeof raw === 'string' ? raw : show(raw);
  const exact = BY_KEY.get(s);
  if (exact !== undefined) return ok(exact);
  const display = show(raw);
  if (display === '') return fail(makeIssue('province_code', 'FIELD_REQUIRED', {}));
  let key = foldKey(display);
  // "1.0" from a spreadsheet number cell.
  if (/^\d{1,2}[.,]0+$/.test(display)) key = String(parseInt(display, 10));
  let code = BY_KEY.get(key);
  if (code === undefined) {
    for (const p of PREFIXES) {
      if (key.startsWith(p)) {
        code = BY_KEY.get(key.slice(p.length));
        if (code !== undefined) break;
      }
    }
  }
  return code === undefined ? fail(makeIssue('province_code', 'PROVINCE_UNKNOWN', { value: display })) : ok(code);
}
