/**
 * Basic full-name check after trimming: non-empty, at least two words, at most 100 characters,
 * letters only (any script's letters and combining marks, so NFC and NFD Vietnamese both pass)
 * plus spaces, hyphens and apostrophes. Encodings and spacing are NOT repaired here (the name
 * normaliser does that); this only reports the first offending character.
 */
import { fail, makeIssue, ok, show } from './field-issue.js';
import type { Cell, Parsed } from './field-issue.js';

export const FULL_NAME_MAX = 100;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;

/** Letters of the Latin blocks Vietnamese uses, and combining diacritics, without a regex. */
function isLatinLetterOrMark(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x300 && c <= 0x36f) ||
    (c >= 0x1e00 && c <= 0x1eff)
  );
}

function isSpace(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 9;
}

function describe(ch: string): { char: string; hint: string; hintVi: string } {
  const code = ch.codePointAt(0) ?? 0;
  const char = `"${ch}" (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  if (ch === '?' || code === 0xfffd || (code >= 0x80 && code <= 0xbf)) {
    return { char, hint: ', which suggests damaged text encoding,', hintVi: ', có vẻ do lỗi bảng mã/phông chữ,' };
  }
  if (code >= 48 && code <= 57) return { char, hint: ' (a digit)', hintVi: ' (chữ số)' };
  return { char, hint: '', hintVi: '' };
}

/**
 * Checks a full name and returns it trimmed.
 * @param raw - the cell
 */
export function parseFullName(raw: Cell): Parsed<string> {
  if (raw === null || raw === undefined) return fail(makeIssue('full_name', 'FIELD_REQUIRED', {}));
  const s = show(raw);
  if (s === '') return fail(makeIssue('full_name', 'FIELD_REQUIRED', {}));
  if (s.length > FULL_NAME_MAX) return fail(makeIssue('full_name', 'NAME_TOO_LONG', { length: s.length, max: FULL_NAME_MAX }));
  let words = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      inWord = false;
      continue;
    }
    if (!isLatinLetterOrMark(c) && c !== 45 && c !== 39 && c !== 0x2019) {
      const cp = s.codePointAt(i) ?? c;
      const ch = String.fromCodePoint(cp);
      if (!LETTER_OR_MARK.test(ch)) return fail(makeIssue('full_name', 'NAME_INVALID_CHARACTER', { value: s, pos: i + 1, ...describe(ch) }));
      if (cp > 0xffff) i++;
    }
    if (!inWord) {
      words++;
      inWord = true;
    }
  }
  if (words < 2) return fail(makeIssue('full_name', 'NAME_ONE_WORD', { value: s }));
  return ok(s);
}
