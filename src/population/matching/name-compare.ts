/**
 * Name comparison for identity matching: equality by the text toolkit's match key (NFC, tone
 * placement, case, spacing, Đ look-alikes) after undoing legacy encodings on the record side,
 * and a deliberately narrow "close" relation that only ever produces a suggestion.
 */
import { foldName, isVietnameseSyllable, nameMatchKey, repairText, repairVietnamese } from '../../registry/text/index.js';
import type { TextEncoding } from '../../registry/text/index.js';

const LEGACY: readonly TextEncoding[] = ['tcvn3', 'vni', 'mojibake-cp1252', 'cp1258', 'viqr'];

/** Every word of a match key is a possible Vietnamese syllable (hyphenated parts separately). */
function isPlausibleVietnamese(key: string): boolean {
  let start = 0;
  const n = key.length;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 32 : key.charCodeAt(i);
    if (c !== 32 && c !== 45) continue;
    if (i > start && !isVietnameseSyllable(key.slice(start, i))) return false;
    start = i + 1;
  }
  return true;
}

/**
 * The one best-guess match key of a recorded name without context (to store or index it):
 * `nameMatchKey`, after `repairVietnamese` when the text is not plausible Vietnamese (TCVN3, VNI,
 * VIQR, UTF-8 read as Windows-1252). Plausible text is never re-read. Matching against a register
 * entry does better with `sameName`, which has the register's name as context.
 * @param raw - the recorded name, any Unicode form or legacy encoding
 */
export function recordNameKey(raw: string): string {
  const key = nameMatchKey(raw);
  if (isPlausibleVietnamese(key)) return key;
  const repaired = repairVietnamese(raw).text;
  return repaired === raw ? key : nameMatchKey(repaired);
}

// Windows-1252 characters above U+00FF: legacy text read as Windows-1252 can contain only these.
const CP1252_HIGH_CHARS = 'ŒœŠšŸŽžƒˆ˜–—‘’‚“”„†‡•…‰‹›€™';
const CP1252_HIGH = new Set(Array.from({ length: CP1252_HIGH_CHARS.length }, (_, i) => CP1252_HIGH_CHARS.charCodeAt(i)));
const VIQR_MARK = /[\^(+`'?~.]|dd/i;

/** Cheap pre-check: could any legacy reading change this text? (Most Unicode names have ễ/ư/ă… and cannot.) */
function mayBeLegacy(raw: string): boolean {
  let ascii = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x80) continue;
    ascii = false;
    if (c >= 0x100 && !(c >= 0x300 && c <= 0x36f) && !CP1252_HIGH.has(c)) return false;
  }
  return !ascii || VIQR_MARK.test(raw);
}

/**
 * Match keys of every legacy reading of a name that changes it (TCVN3, VNI, UTF-8 read as
 * Windows-1252, Windows-1258, VIQR; each only where possible at all, see `repairText`).
 * Text with Vietnamese letters outside Windows-1252 (ễ, ư, ơ, ă, đ…) has none.
 * @param raw - the recorded name
 */
export function legacyReadingKeys(raw: string): string[] {
  const out: string[] = [];
  if (!mayBeLegacy(raw)) return out;
  const nfc = raw.normalize('NFC');
  for (const enc of LEGACY) {
    const text = repairText(raw, enc);
    if (text === raw || text === nfc) continue;
    const key = nameMatchKey(text);
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

/**
 * Every key a recorded name may stand for: its own match key, then its legacy readings' keys.
 * Used to look the name up when there is no register entry to compare with (suggestions).
 * @param raw - the recorded name
 */
export function recordNameKeys(raw: string): string[] {
  const own = nameMatchKey(raw);
  const keys = [own];
  for (const k of legacyReadingKeys(raw)) if (k !== own) keys.push(k);
  return keys;
}

/**
 * Whether a recorded name is the register's name. Equal match keys (Unicode form, tone
 * placement, case, spacing, Đ look-alike), after undoing a legacy encoding: with the register's
 * name as context, any legacy reading that gives exactly that name counts (one value alone is
 * weak evidence: "Phan Thò Linh" is plausible Unicode and plausible VNI for Phan Thị Linh). Only
 * text wholly in the Windows-1252 repertoire (or ASCII, for VIQR) has legacy readings, and one
 * must hit the register's name exactly; a different name is never equal (Ân ≠ An, Lý ≠ Lí,
 * Hưng ≠ Hùng, Quý ≠ Quí: the doc's pairs are tested through the engine).
 * @param recorded - the record's name, raw
 * @param registerName - the register's clean NFC name
 * @param registerKey - `nameMatchKey(registerName)` if already known
 */
export function sameName(recorded: string, registerName: string, registerKey = nameMatchKey(registerName)): boolean {
  if (recorded === registerName) return true;
  return nameMatchKey(recorded) === registerKey || legacyReadingKeys(recorded).includes(registerKey);
}

/**
 * Optimal-string-alignment (restricted Damerau–Levenshtein) distance, giving up above `max`.
 * Code units of NFC keys: every Vietnamese letter with its marks is one unit.
 */
export function editDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] ?? max + 1;
}

/** `longer` is `shorter` with exactly one word inserted somewhere. */
function oneWordInserted(longer: readonly string[], shorter: readonly string[]): boolean {
  if (longer.length !== shorter.length + 1) return false;
  let skipped = false;
  for (let i = 0, j = 0; i < longer.length; i++) {
    if (j < shorter.length && longer[i] === shorter[j]) j++;
    else if (skipped) return false;
    else skipped = true;
  }
  return true;
}

/** Largest edit distance (on match keys) that still counts as a typo. */
export const NAME_CLOSE_MAX_EDITS = 2;

/**
 * Whether two different names are close enough to suggest one for the other (NAME_CLOSE): they
 * differ only in diacritics (same `foldName`: Anh/Ánh, Hưng/Hùng), or by at most two letter
 * edits (insert, delete, substitute, swap neighbours) on the match keys, or by one whole word
 * (a dropped middle name). Only ever used for suggestions, together with an equal ID and dob.
 * @param aKey - match key of one name
 * @param bKey - match key of the other
 */
export function isNameClose(aKey: string, bKey: string): boolean {
  if (aKey === bKey) return true;
  if (editDistance(aKey, bKey, NAME_CLOSE_MAX_EDITS) <= NAME_CLOSE_MAX_EDITS) return true;
  if (foldName(aKey) === foldName(bKey)) return true;
  const aw = aKey.split(' ');
  const bw = bKey.split(' ');
  return oneWordInserted(aw, bw) || oneWordInserted(bw, aw);
}
