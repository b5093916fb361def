/**
 * Name handling for the DCC `nam` object: ICAO Doc 9303 Part 3 transliteration for the standardised
 * names `fnt`/`gnt` (schema: `^[A-Z<]*$`, at most 80 characters), and the Vietnamese
 * family/given split for `fn`/`gn`.
 * Follows ../shared/reference/vn/vietnamese-text.md (sections 1.4, 1.6 and recipe step 9) and its
 * reference implementation tools/vn_normalize.py.
 */

/** Longest `fnt`/`gnt` the DCC schema allows. */
export const ICAO_MAX_LENGTH = 80;

/**
 * Letters that lose information under "decompose and drop marks": ICAO 9303 Table A gives them
 * multi-letter or explicit transliterations. Đ/đ have no Unicode decomposition at all (NFD keeps
 * "Đặng" as "Đang"), and the Icelandic eth Ð/ð is a look-alike of Đ/đ found in Latin-1 data.
 * Vietnamese has none of the diaeresis/ring letters, so they follow the German/Nordic MRZ practice
 * (Ä→AE, Ö→OE, Ü→UE, Å→AA) that the dgc-testdata vectors use (e.g. GÖSSINGER → GOESSINGER).
 */
// prettier-ignore
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  Đ: 'D', đ: 'd', Ð: 'D', ð: 'd',
  Æ: 'AE', æ: 'ae', Ä: 'AE', ä: 'ae', Å: 'AA', å: 'aa',
  Ö: 'OE', ö: 'oe', Ø: 'OE', ø: 'oe', Œ: 'OE', œ: 'oe',
  Ü: 'UE', ü: 'ue', ß: 'SS', ẞ: 'SS', Þ: 'TH', þ: 'th',
  Ĳ: 'IJ', ĳ: 'ij', Ł: 'L', ł: 'l', Ħ: 'H', ħ: 'h', Ŧ: 'T', ŧ: 't', Ŋ: 'N', ŋ: 'n', ı: 'i',
};

// Whitespace of any kind and hyphen/dash characters separate name parts and become '<'.
const SEPARATORS = /[\s\p{Zs}\-\u2010-\u2015\u2212\uFE63\uFF0D]+/gu;
// Copy-paste debris: soft hyphen, zero-width space/joiners, word joiner, BOM.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/**
 * Transliterates a name to ICAO 9303 form for the DCC `fnt`/`gnt` fields: marks removed (including
 * Vietnamese horn/breve/circumflex and tones), Đ→D, upper case, spaces and hyphens → `<`, repeated
 * `<` collapsed, anything else outside A-Z dropped (apostrophes: `H'Hen` → `HHEN`), at most 80
 * characters. Names in non-Latin scripts come out empty: transliterate those before calling.
 * @param name - a family or given name, e.g. `Thị Ngọc Ánh`
 * @returns e.g. `THI<NGOC<ANH`; always matches `^[A-Z<]*$`
 */
export function toIcao(name: string): string {
  // Word by word through a memo: transliterating a word never depends on its neighbours (spaces
  // are separators, marks and invisible characters stay inside their word), and national
  // issuance meets the same few thousand Vietnamese syllables millions of times, where the
  // Unicode normalisations and regular expressions of `transliterate` cost ~3 µs per name.
  let out = '';
  for (const word of name.split(' ')) {
    let t = icaoWords.get(word);
    if (t === undefined) {
      t = transliterate(word);
      if (icaoWords.size >= ICAO_MEMO_MAX) icaoWords.clear();
      icaoWords.set(word, t);
    }
    if (t !== '') out = out === '' ? t : `${out}<${t}`;
  }
  return out.length > ICAO_MAX_LENGTH ? out.slice(0, ICAO_MAX_LENGTH).replace(/<+$/, '') : out;
}

/** Transliterated words (see {@link toIcao}). */
const icaoWords = new Map<string, string>();
const ICAO_MEMO_MAX = 50_000;

/** One word (or any text) in ICAO form: `<` separated, trimmed, not yet cut to length. */
function transliterate(name: string): string {
  let mapped = '';
  // NFC first, so that e.g. "A + combining diaeresis" is seen as Ä by the table above.
  for (const ch of name.normalize('NFC').replace(INVISIBLE, '')) mapped += TRANSLITERATIONS[ch] ?? ch;
  // NFKD also unfolds compatibility forms (ligature ﬁ, full-width letters) into plain letters.
  return mapped
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(SEPARATORS, '<')
    .replace(/[^A-Z<]/g, '')
    .replace(/<{2,}/g, '<')
    .replace(/^<+|<+$/g, '');
}

/**
 * Family names of more than one word. Only unambiguous ones: "Nguyễn Phúc" (royal lineage) is left
 * out on purpose, because Phúc is also one of the most common middle names.
 */
const COMPOUND_FAMILY_NAMES: readonly (readonly string[])[] = [
  'Công Tằng Tôn Nữ',
  'Công Tôn Nữ',
  'Tôn Thất',
  'Tôn Nữ',
  'Âu Dương',
]
  .map((n) => n.toLowerCase().split(' '))
  .sort((a, b) => b.length - a.length);

/** NFC, look-alike Ð/ð → Đ/đ, invisible characters removed, whitespace collapsed and trimmed. */
function cleanName(full: string): string {
  return full
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\u00D0/g, 'Đ')
    .replace(/\u00F0/g, 'đ')
    .replace(/[\s\p{Zs}]+/gu, ' ')
    .trim();
}

/**
 * Splits a Vietnamese full name (order FAMILY [MIDDLE...] GIVEN) into the DCC's `fn` (family name)
 * and `gn` (middle and given names): "Nguyễn Thị Ngọc Ánh" → fn "Nguyễn", gn "Thị Ngọc Ánh", not the
 * Western last-space split (fn "Nguyễn Thị Ngọc", gn "Ánh"). Known compound family names such as
 * "Tôn Thất" or "Công Tằng Tôn Nữ" stay whole. Spelling is kept as given (NFC, cleaned spaces);
 * tone-placement canonicalisation belongs to identity matching, not to what is printed.
 * @param full - the full name as registered
 * @returns `fn` and `gn`; `gn` is empty for a one-word name
 */
export function splitVietnameseName(full: string): { fn: string; gn: string } {
  const clean = cleanName(full);
  if (clean === '') return { fn: '', gn: '' };
  const words = clean.split(' ');
  const lower = words.map((w) => w.toLowerCase());
  const compound = COMPOUND_FAMILY_NAMES.find((c) => c.length <= words.length && c.every((w, i) => w === lower[i]));
  const familyWords = compound?.length ?? 1;
  return { fn: words.slice(0, familyWords).join(' '), gn: words.slice(familyWords).join(' ') };
}
