/**
 * Canonical tone-mark placement per syllable (vietnamese-text.md §1.2, `_syllable_new_style()` in
 * tools/vn_normalize.py). Works on NFC text; words that are not Vietnamese syllables, or carry zero
 * or several tone marks, are left as they are. Runs on every imported name, so it works on code
 * units with lookup tables and allocates only when a tone actually moves.
 */
import { BASE_CODE, TABLE_SIZE, TONE_CODE, VOWEL_CODE, composeTone, tonedVowel } from './vietnamese-letters.js';

/** `new`: hòa, khỏe, thủy (our canonical form). `old`: hoà, khoẻ, thuỷ. */
export type ToneStyle = 'new' | 'old';

const Q = 0x71; // q
const U = 0x75; // u
const G = 0x67; // g
const I = 0x69; // i
const O = 0x6f; // o
const A = 0x61; // a
const E = 0x65; // e
const Y = 0x79; // y

/** Lower-case untoned code of text[i], 0 if not a Vietnamese letter. */
function baseAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < TABLE_SIZE ? (BASE_CODE[c] ?? 0) : 0;
}

function isVowelCode(b: number): boolean {
  return (VOWEL_CODE[b] ?? 0) !== 0;
}

/**
 * Where the tone of the syllable `text[start, end)` belongs, or -1 if it is not a syllable we can
 * place a tone in.
 */
function tonePosition(text: string, start: number, end: number, style: ToneStyle): number {
  for (let i = start; i < end; i++) if (baseAt(text, i) === 0) return -1;
  const n = end - start;
  let on = 0;
  const b0 = baseAt(text, start);
  const b1 = n >= 2 ? baseAt(text, start + 1) : 0;
  if (b0 === Q && b1 === U) on = 2;
  else if (n > 2 && b0 === G && b1 === I && isVowelCode(baseAt(text, start + 2))) on = 2;
  else while (on < n && !isVowelCode(baseAt(text, start + on))) on++;
  let nucEnd = on;
  while (nucEnd < n && isVowelCode(baseAt(text, start + nucEnd))) nucEnd++;
  if (nucEnd === on) return -1;
  for (let k = nucEnd; k < n; k++) if (isVowelCode(baseAt(text, start + k))) return -1;
  let pos = -1;
  for (let k = on; k < nucEnd; k++) if (VOWEL_CODE[baseAt(text, start + k)] === 2) pos = k;
  if (pos < 0) {
    const len = nucEnd - on;
    if (len === 1) pos = on;
    else if (len === 3) pos = on + 1;
    else if (len === 2) {
      const a = baseAt(text, start + on);
      const b = baseAt(text, start + on + 1);
      const oldStylePair = (a === O && (b === A || b === E)) || (a === U && b === Y);
      if (nucEnd < n) pos = on + 1;
      else if (oldStylePair) pos = style === 'new' ? on : on + 1;
      else pos = on;
    } else return -1;
  }
  return start + pos;
}

/** The word `text[start, end)` with its single tone (at `tonedAt`) moved, or undefined if unchanged. */
function placeInWord(text: string, start: number, end: number, tonedAt: number, style: ToneStyle): string | undefined {
  const pos = tonePosition(text, start, end, style);
  if (pos < 0 || pos === tonedAt) return undefined;
  const t = tonedVowel(text.charAt(tonedAt));
  if (t === undefined) return undefined;
  let out = '';
  for (let i = start; i < end; i++) {
    const ch = text.charAt(i);
    if (i === tonedAt) out += t.base;
    else if (i === pos) out += composeTone(ch, t.tone);
    else out += ch;
  }
  return out;
}

/** Letters, marks and digits form words (like Python's `\w`); everything else separates them. */
const NON_ASCII_WORD = /[\p{L}\p{M}\p{N}]/u;
const WORD_TABLE_SIZE = 0x2000;
/** Code unit → 1 if it belongs to a word (precomputed below U+2000). */
const WORD_CODE = new Uint8Array(WORD_TABLE_SIZE);
for (let c = 0; c < WORD_TABLE_SIZE; c++) WORD_CODE[c] = NON_ASCII_WORD.test(String.fromCharCode(c)) ? 1 : 0;

/**
 * Whether the code unit at `i` belongs to a word.
 * @param text - any string
 * @param i - index of a UTF-16 code unit
 */
export function isWordUnit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < WORD_TABLE_SIZE) return WORD_CODE[c] === 1;
  if (c >= 0xd800 && c <= 0xdfff) return true; // astral letters: keep pairs inside a word
  return NON_ASCII_WORD.test(text.charAt(i));
}

/**
 * Re-places the tone mark of every Vietnamese syllable in NFC `text`.
 * @param text - NFC text
 * @param style - `new` (canonical: hòa, thủy) or `old` (hoà, thuỷ)
 * @returns `text` itself when nothing moves
 */
export function placeTones(text: string, style: ToneStyle): string {
  let out = '';
  let copied = 0;
  const n = text.length;
  let start = -1; // start of the current word, -1 between words
  let tones = 0;
  let tonedAt = -1;
  let vowels = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0x20;
    const word = c < WORD_TABLE_SIZE ? WORD_CODE[c] === 1 : isWordUnit(text, i);
    if (word) {
      if (start < 0) {
        start = i;
        tones = 0;
        vowels = 0;
      }
      if (c < TABLE_SIZE) {
        if (c >= 0xc0 && TONE_CODE[c] !== 0) {
          tones++;
          tonedAt = i;
        }
        if (VOWEL_CODE[BASE_CODE[c] ?? 0] !== 0) vowels++;
      }
      continue;
    }
    // Only a word with exactly one tone and several vowels can have it in the wrong place.
    if (start >= 0 && tones === 1 && vowels > 1) {
      const fixed = placeInWord(text, start, i, tonedAt, style);
      if (fixed !== undefined) {
        out += text.slice(copied, start) + fixed;
        copied = i;
      }
    }
    start = -1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Moves tone marks to the OLD-style placement (hòa → hoà, khỏe → khoẻ, thủy → thuỷ), as typed
 * on older keyboards and fonts. For synthetic data that should look like real legacy input; the
 * importer always goes the other way (`normalizeName`).
 * @param text - any text; it is NFC-normalised first
 * @returns the text with every open oa/oe/uy syllable in old style, other syllables canonical
 */
export function oldStyleTones(text: string): string {
  return placeTones(text.normalize('NFC'), 'old');
}
