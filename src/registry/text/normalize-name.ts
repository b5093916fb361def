/**
 * Display form, match key and ASCII fold of a person's name (vietnamese-text.md §2, recipe steps
 * 3–8). Legacy encodings are NOT undone here: the importer decides them per column
 * (`detectEncoding` + `repairText`) before calling these.
 */
import { isWordUnit, placeTones } from './tone-placement.js';
import { vietnameseBase } from './vietnamese-letters.js';

// Copy-paste debris: soft hyphen, combining grapheme joiner, Mongolian vowel separator, zero-width
// space/joiners, direction marks and embeddings, word joiner and invisible operators, BOM.
const INVISIBLE = /\u034F|[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
const SPACES = /\s+/g;
// Ð/ð (Icelandic eth) starting a word is a look-alike of Đ/đ: no other language starts words with it.
const ETH_AT_WORD_START = /(?<![\p{L}\p{M}\p{N}])([\u00D0\u00F0])(?=\p{L})/gu;
// Characters that are NFC-stable and need no cleaning: printable ASCII except space, Latin-1 letters
// except Ð/ð, Latin Extended-A except İ (lower-cases to i + U+0307), Ơ ơ Ư ư and the Vietnamese block.
const CLEAN_SIZE = 0x1f00;
const CLEAN_CODE = new Uint8Array(CLEAN_SIZE);
const cleanRanges: readonly (readonly [number, number])[] = [
  [0x21, 0x7e], [0xc0, 0xcf], [0xd1, 0xef], [0xf1, 0x12f], [0x131, 0x17f], [0x1a0, 0x1a1], [0x1af, 0x1b0], [0x1ea0, 0x1ef9],
];
for (const [lo, hi] of cleanRanges) CLEAN_CODE.fill(1, lo, hi + 1);

/** Already NFC, single-spaced, trimmed and free of invisible characters and look-alikes. */
function isAlreadyClean(s: string): boolean {
  const n = s.length;
  let prevSpace = true; // no leading space
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if (c < CLEAN_SIZE && CLEAN_CODE[c] === 1) prevSpace = false;
    else return false;
  }
  return !prevSpace || n === 0;
}

/** NFC, invisible characters removed, spaces collapsed/trimmed, Ð→Đ look-alike fixed. */
function clean(raw: string): { text: string; slow: boolean } {
  if (isAlreadyClean(raw)) return { text: raw, slow: false };
  const text = raw
    .replace(INVISIBLE, '') // before NFC, so marks separated by e.g. a ZWSP compose
    .normalize('NFC')
    .replace(SPACES, ' ')
    .trim()
    .replace(ETH_AT_WORD_START, (eth) => (eth === '\u00D0' ? '\u0110' : '\u0111'));
  return { text, slow: true };
}

/**
 * Code unit → its upper-case code unit when that is a single character that lower-cases back
 * (so title-casing stays stable when repeated: ß → SS is skipped); 0 = leave as is.
 */
const UPPER_CODE = new Uint16Array(CLEAN_SIZE);
for (let c = 0; c < CLEAN_SIZE; c++) {
  const ch = String.fromCharCode(c);
  const up = ch.toUpperCase();
  if (up !== ch && up.length === 1 && up.toLowerCase() === ch) UPPER_CODE[c] = up.charCodeAt(0);
}

function upperOf(ch: string, c: number): string | undefined {
  if (c < CLEAN_SIZE) {
    const u = UPPER_CODE[c] ?? 0;
    return u === 0 ? undefined : String.fromCharCode(u);
  }
  const up = ch.toUpperCase();
  return up !== ch && up.length === 1 && up.toLowerCase() === ch ? up : undefined;
}

/** Upper-cases the first letter of every word of lower-case `text` (Vietnamese-aware title case). */
function titleCase(lower: string): string {
  let out = '';
  let copied = 0;
  let inWord = false;
  for (let i = 0; i < lower.length; i++) {
    const word = isWordUnit(lower, i);
    if (word && !inWord) {
      const up = upperOf(lower.charAt(i), lower.charCodeAt(i));
      if (up !== undefined) {
        out += lower.slice(copied, i) + up;
        copied = i + 1;
      }
    }
    inWord = word;
  }
  return copied === 0 ? lower : out + lower.slice(copied);
}

function canonicalLower(raw: string): { text: string; slow: boolean } {
  const { text, slow } = clean(raw);
  return { text: placeTones(text.toLowerCase(), 'new'), slow };
}

/**
 * Display form of a name: NFC, invisible characters removed, whitespace collapsed and trimmed,
 * word-initial Ð/ð → Đ/đ, tone marks in the canonical new-style place (Hoà → Hòa, Thuỷ → Thủy,
 * Qúy → Quý, Hòang → Hoàng), every word capitalised (also after `-` and `'`: H'Hen, Nguyễn-Lê).
 * Diacritics are kept. Idempotent. Undo legacy encodings first (`repairText`).
 * @param raw - the name as typed or imported
 * @returns e.g. `Lê Thị Hòa` for `  LÊ  THỊ HOÀ `
 */
export function normalizeName(raw: string): string {
  const { text, slow } = canonicalLower(raw);
  const titled = titleCase(text);
  return slow ? titled.normalize('NFC') : titled;
}

/**
 * Comparison key: `normalizeName(raw)` in lower case. Two names are the same name iff their keys are
 * equal. Every real distinction is kept (ư ≠ u, Đ ≠ D, tones, Lý ≠ Lí, word order).
 * @param raw - the name as typed or imported
 */
export function nameMatchKey(raw: string): string {
  const { text, slow } = canonicalLower(raw);
  return slow ? titleCase(text).normalize('NFC').toLowerCase() : text;
}


/** Per-code-unit ASCII fold for the Vietnamese alphabet and Latin-1/Latin Extended-A letters. */
const FOLD_CODE = new Uint16Array(CLEAN_SIZE);
for (let c = 0xc0; c < CLEAN_SIZE; c++) {
  const ch = String.fromCharCode(c);
  const base = vietnameseBase(ch) ?? (c <= 0x17f ? ch.toLowerCase() : undefined);
  if (base === undefined) continue;
  const stripped = base.normalize('NFD').replace(/\p{M}/gu, '');
  if (stripped.length === 1 && stripped < '\x80') FOLD_CODE[c] = stripped.charCodeAt(0);
}
for (const ch of 'đĐðÐ') FOLD_CODE[ch.charCodeAt(0)] = 0x64; // d

/**
 * Diacritics-free lower-case key (đ → d) for search indexes and fuzzy suggestions only: it equates
 * Hưng and Hùng, so it is never proof of identity.
 * @param raw - the name as typed or imported
 * @returns e.g. `nguyen thi thuy` for `Nguyễn Thị Thủy`; letters without an ASCII base stay as they are
 */
export function foldName(raw: string): string {
  const key = nameMatchKey(raw);
  let out = '';
  let copied = 0;
  let leftover = false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x80) continue;
    const f = c < CLEAN_SIZE ? (FOLD_CODE[c] ?? 0) : 0;
    if (f === 0) {
      leftover = true;
      continue;
    }
    out += key.slice(copied, i) + String.fromCharCode(f);
    copied = i + 1;
  }
  const folded = copied === 0 ? key : out + key.slice(copied);
  // Anything left with combining marks (rare scripts, stray marks) is stripped the slow way.
  return leftover ? folded.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC') : folded;
}
