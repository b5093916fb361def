/**
 * Vietnamese letter tables and the syllable-validity check used by tone placement and by legacy
 * encoding detection. Ported from `shared/reference/vn/tools/vn_normalize.py`; all letters here are
 * single UTF-16 code units in NFC, so the hot paths work on `charCodeAt` without normalising.
 */

/** NFD tone marks, index + 1 = tone number: grave, acute, tilde, hook above, dot below. */
const TONE_MARKS = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'] as const;
const LOWER_VOWELS = 'aăâeêioôơuưy';
const SHAPED_LOWER = 'ăâêôơư';
const LOWER_CONSONANTS = 'bcdđghklmnpqrstvx';

/** A toned vowel split into its untoned letter (same case) and tone number (1–5). */
interface TonedVowel {
  readonly base: string;
  readonly tone: number;
}

const toned = new Map<string, TonedVowel>();
const composeTable = new Map<string, string>();
/** Every Vietnamese letter (both cases, toned or not) → its lower-case untoned form. */
const lowerBase = new Map<string, string>();

for (const lower of LOWER_VOWELS + LOWER_VOWELS.toUpperCase()) {
  const baseLower = lower.toLowerCase();
  lowerBase.set(lower, baseLower);
  TONE_MARKS.forEach((mark, i) => {
    const ch = (lower + mark).normalize('NFC');
    toned.set(ch, { base: lower, tone: i + 1 });
    composeTable.set(lower + String(i + 1), ch);
    lowerBase.set(ch, baseLower);
  });
}
for (const c of LOWER_CONSONANTS + LOWER_CONSONANTS.toUpperCase()) lowerBase.set(c, c.toLowerCase());

/** Code-unit tables for the hot paths (all Vietnamese letters are below U+1F00). */
export const TABLE_SIZE = 0x1f00;
/** Code unit → code of its lower-case untoned letter; 0 = not a Vietnamese letter. */
export const BASE_CODE = new Uint16Array(TABLE_SIZE);
/** Code unit → tone number 1–5 of a toned vowel; 0 = none. */
export const TONE_CODE = new Uint8Array(TABLE_SIZE);
/** Lower-case untoned code → 1 vowel, 2 shaped vowel (ă â ê ô ơ ư). */
export const VOWEL_CODE = new Uint8Array(TABLE_SIZE);
for (const [ch, b] of lowerBase) BASE_CODE[ch.charCodeAt(0)] = b.charCodeAt(0);
for (const [ch, t] of toned) TONE_CODE[ch.charCodeAt(0)] = t.tone;
for (const v of LOWER_VOWELS) VOWEL_CODE[v.charCodeAt(0)] = SHAPED_LOWER.includes(v) ? 2 : 1;


/**
 * The tone of a Vietnamese vowel letter, if it carries one.
 * @param ch - one NFC character
 */
export function tonedVowel(ch: string): TonedVowel | undefined {
  return toned.get(ch);
}

/**
 * Puts tone `tone` (1–5) on the untoned vowel `base`; `base` itself for tone 0.
 * @param base - an untoned Vietnamese vowel letter (any case)
 * @param tone - 0 (none) to 5
 */
export function composeTone(base: string, tone: number): string {
  return tone === 0 ? base : (composeTable.get(base + String(tone)) ?? base);
}

/**
 * Lower-case untoned form of a Vietnamese letter, `undefined` for anything else (`f`, `j`, `w`, `z`,
 * digits, foreign letters).
 * @param ch - one NFC character
 */
export function vietnameseBase(ch: string): string | undefined {
  return lowerBase.get(ch);
}

const ONSETS = [
  ...['', 'b', 'c', 'ch', 'd', 'đ', 'g', 'gh', 'gi', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'ngh'],
  ...['nh', 'p', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x'],
].sort((a, b) => b.length - a.length);
const NUCLEI = new Set(
  `a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ
uê ui uô uơ uy ưa ưi ưu ươ yê iêu yêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu`.split(/\s+/),
);
const CODA_LIST = ['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't'].sort((a, b) => b.length - a.length);
const CODAS = new Set(CODA_LIST);

// Phonotactics the reference check lacks, which separate TCVN3/VNI/cp1258 readings of the same bytes:
// nuclei with an off-glide (ai, ao, iêu…) and open diphthongs (ia, ua, ưa) take no final consonant;
// ă, â and the diphthongs iê/yê/uô/ươ need one; a syllable has at most one tone mark; and one ending
// in a stop (c, ch, p, t) only takes the acute or dot-below tone.
const NO_CODA = new Set(
  `ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oao oay oeo uây uôi uya ươi ươu uyu`.split(' '),
);
const NEEDS_CODA = new Set('ă â oo iê yê uô ươ uyê oă uâ'.split(' '));
const STOP_CODAS = new Set(['c', 'ch', 'p', 't']);
const ACUTE = 2;
const DOT_BELOW = 5;

/**
 * Whether `word` is a possible Vietnamese syllable: onset + nucleus + coda with the usual
 * nucleus/coda and tone/coda constraints, case ignored. A rough check used to score decoding
 * candidates, not a spell checker.
 * @param word - one NFC word without spaces
 */
export function isVietnameseSyllable(word: string): boolean {
  let base = '';
  let tone = 0;
  for (const ch of word) {
    const b = lowerBase.get(ch);
    if (b === undefined) return false;
    const t = toned.get(ch);
    if (t !== undefined) {
      if (tone !== 0) return false;
      tone = t.tone;
    }
    base += b;
  }
  if (base === '') return false;
  const stopToneOk = tone === 0 || tone === ACUTE || tone === DOT_BELOW;
  for (const onset of ONSETS) {
    if (!base.startsWith(onset)) continue;
    const rest = base.slice(onset.length);
    for (const coda of CODA_LIST) {
      if (!rest.endsWith(coda)) continue;
      const nucleus = rest.slice(0, rest.length - coda.length);
      if (!NUCLEI.has(nucleus)) continue;
      if (coda === '' ? NEEDS_CODA.has(nucleus) : NO_CODA.has(nucleus)) continue;
      if (STOP_CODAS.has(coda) && !stopToneOk) continue;
      return true;
    }
    if (onset === 'gi' && (rest === '' || (CODAS.has(rest) && (!STOP_CODAS.has(rest) || stopToneOk)))) return true; // gì, gìn
  }
  return false;
}
