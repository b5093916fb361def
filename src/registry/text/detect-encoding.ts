/**
 * Per-column detection of legacy Vietnamese encodings and per-value repair (vietnamese-text.md §1.3,
 * recipe steps 1–3). Detection is a syllable-validity heuristic like `repair()` in
 * tools/vn_normalize.py, but decided over a sample of a column and biased towards "unicode": a
 * wrong repair destroys good data, a missed one only leaves visible garbage.
 */
import { decodeLegacy, decodeMojibake, isCp1252Repertoire, type LegacyEncoding } from './legacy-codec.js';
import { isVietnameseSyllable, vietnameseBase } from './vietnamese-letters.js';

/** What a column (or value) is written in. `unicode` includes NFD/half-composed text. */
export type TextEncoding = 'unicode' | LegacyEncoding;

interface Score {
  readonly words: number;
  readonly valid: number;
  readonly letters: number;
  readonly vnLetters: number;
}

const WORDS = /\p{L}+/gu;

/** Plausible-syllable counts (the reference `_score`: syllable share first, then letter share). */
function score(s: string): Score {
  let words = 0;
  let valid = 0;
  let letters = 0;
  let vnLetters = 0;
  for (const m of s.matchAll(WORDS)) {
    const w = m[0];
    words++;
    if (isVietnameseSyllable(w)) valid++;
    for (const ch of w) {
      letters++;
      if (vietnameseBase(ch) !== undefined) vnLetters++;
    }
  }
  return { words, valid, letters, vnLetters };
}

/**
 * Sign of (a − b) comparing shares as fractions; no words counts as a perfect 1.0 like the reference.
 * With `syllablesOnly`, the letter share is ignored: it may break ties between readings, but must not
 * by itself make a reading beat the raw text ("Müller" → "Mỹller" has more Vietnamese letters).
 */
function compareScore(a: Score, b: Score, syllablesOnly = false): number {
  const share = (x: number, n: number): [number, number] => (n === 0 ? [1, 1] : [x, n]);
  const [av, aw] = share(a.valid, a.words);
  const [bv, bw] = share(b.valid, b.words);
  const first = av * bw - bv * aw;
  if (first !== 0 || syllablesOnly) return Math.sign(first);
  const [al, an] = share(a.vnLetters, a.letters);
  const [bl, bn] = share(b.vnLetters, b.letters);
  return Math.sign(al * bn - bl * an);
}

const NON_ASCII = /[\u0080-\uFFFF]/;
/** A vowel followed by a VIQR mark, or DD/dd (the reference's pre-filter). */
const VIQR_HINT = /[aeiouyAEIOUY][\^(+]|[aeiouyAEIOUY^(+][`'?~.]|DD|dd/;
const CP1252_CANDIDATES: readonly LegacyEncoding[] = ['mojibake-cp1252', 'tcvn3', 'vni', 'cp1258'];

interface Tally {
  /** Values this encoding would change. */
  changed: number;
  /** Values for which this encoding gave a best reading (ties share), strictly better than the raw text. */
  wins: number;
  /** Values this encoding made less Vietnamese. */
  worse: number;
}

/**
 * Decides the encoding of a column from a sample of its values (call once per column on the first
 * N rows, then `repairText` on every value). For each value, every possible reading is scored by
 * syllable validity; the best ones, if strictly better than the raw text, score a win (the raw text
 * wins ties). A legacy encoding is chosen only if it wins for at least half of the values it would
 * change and for at least a fifth of all non-ASCII values, and makes almost none worse; correct
 * Unicode and plain ASCII/English come out as `unicode`. Single values can be ambiguous (TCVN3
 * "Vò" is also the Unicode name Vò): give it a column sample, not one cell.
 * @param values - raw cell values of one column (empty cells are ignored)
 * @returns the encoding to pass to `repairText`
 */
export function detectEncoding(values: readonly string[]): TextEncoding {
  const tallies = new Map<LegacyEncoding, Tally>();
  const tally = (enc: LegacyEncoding): Tally => {
    let t = tallies.get(enc);
    if (t === undefined) {
      t = { changed: 0, wins: 0, worse: 0 };
      tallies.set(enc, t);
    }
    return t;
  };
  let nonAscii = 0;
  let viqrLike = 0;
  const readings: { enc: LegacyEncoding; sc: Score }[] = [];
  for (const raw of values) {
    if (raw === '') continue;
    if (!NON_ASCII.test(raw)) {
      // Only VIQR changes plain ASCII; everything else leaves it alone.
      if (!VIQR_HINT.test(raw)) continue;
      viqrLike++;
      const t = tally('viqr');
      t.changed++;
      const cmp = compareScore(score(decodeLegacy(raw, 'viqr')), score(raw), true);
      if (cmp > 0) t.wins++;
      else if (cmp < 0) t.worse++;
      continue;
    }
    const s = raw.normalize('NFC');
    nonAscii++;
    if (!isCp1252Repertoire(s)) continue; // contains e.g. "ễ": Unicode Vietnamese, not legacy
    const original = score(s);
    readings.length = 0;
    for (const enc of CP1252_CANDIDATES) {
      const decoded = enc === 'mojibake-cp1252' ? decodeMojibake(s) : decodeLegacy(s, enc);
      if (decoded === undefined || decoded === s) continue;
      const t = tally(enc);
      t.changed++;
      const sc = score(decoded);
      const cmp = compareScore(sc, original, true);
      if (cmp < 0) t.worse++;
      // A full round trip through valid multi-byte UTF-8 is strong evidence by itself.
      if (cmp > 0 || (enc === 'mojibake-cp1252' && cmp === 0)) readings.push({ enc, sc });
    }
    let best: Score | undefined;
    for (const r of readings) if (best === undefined || compareScore(r.sc, best) > 0) best = r.sc;
    for (const r of readings) if (best !== undefined && compareScore(r.sc, best) === 0) tally(r.enc).wins++;
  }
  let best: TextEncoding = 'unicode';
  let bestWins = 0;
  for (const [enc, { changed, wins, worse }] of tallies) {
    const pool = enc === 'viqr' ? viqrLike : nonAscii;
    const convincing = wins > 0 && wins * 2 >= changed && wins * 5 >= pool && worse * 10 <= wins;
    if (convincing && wins > bestWins) {
      best = enc;
      bestWins = wins;
    }
  }
  return best;
}

/**
 * Repairs one value of a column whose encoding `detectEncoding` decided. Legacy decoding is only
 * applied where it is possible at all (TCVN3/VNI/cp1258: every character in the Windows-1252
 * repertoire; VIQR: ASCII; mojibake: a valid UTF-8 round trip), so a correct Unicode value in a
 * mixed column survives. Always returns NFC. Does not clean spaces or case: see `normalizeName`.
 * @param value - raw cell value
 * @param encoding - the column's encoding
 */
export function repairText(value: string, encoding: TextEncoding): string {
  if (!NON_ASCII.test(value)) return encoding === 'viqr' ? decodeLegacy(value, 'viqr') : value;
  const s = value.normalize('NFC');
  switch (encoding) {
    case 'unicode':
    case 'viqr':
      return s;
    case 'mojibake-cp1252':
      return decodeMojibake(s) ?? s;
    case 'tcvn3':
    case 'vni':
    case 'cp1258':
      return isCp1252Repertoire(s) ? decodeLegacy(s, encoding) : s;
  }
}

/**
 * Guesses the encoding of a single value and repairs it. Prefer `detectEncoding` on a column sample:
 * one value is weak evidence. Log every repair and keep the raw value.
 * @param value - raw text
 * @returns the repaired NFC text and the encoding it was read as
 */
export function repairVietnamese(value: string): { text: string; encoding: TextEncoding } {
  const encoding = detectEncoding([value]);
  return { text: repairText(value, encoding), encoding };
}
