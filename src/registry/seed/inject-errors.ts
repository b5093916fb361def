import { encodeLegacy, oldStyleTones } from '../text/index.js';
import { AliasTable } from './alias-table.js';
import type { IdentityField, InjectedErrorKind } from './seed-types.js';
import type { Sfc32 } from './sfc32.js';

/** Kinds that make the record name a different person (or no findable one). */
export type RealErrorKind =
  | 'wrong_id_digit'
  | 'cmnd_instead_of_cccd'
  | 'missing_id'
  | 'name_typo'
  | 'dob_day_month_swapped'
  | 'dob_defaulted_jan1'
  | 'wrong_sex';

/** Kinds that only change how the same name is written. */
export type EncodingKind = 'name_tcvn3' | 'name_vni' | 'name_mojibake' | 'name_old_style_tones' | 'name_nfd';

/**
 * Share of each real error among records with one (stats.md §3 "suggested error mix", calibrated
 * to March–April 2022: of the ~27–30% failing, ~20–26 points had an ID but wrong data or a wrong
 * or unknown ID, ~5–12 points no or a malformed ID). At the default 27% error rate this gives
 * 5.9% of vaccinated people with no ID and 21.1% with wrong data or a wrong/unknown ID.
 * A CMND drawn for someone born 2003 or later (too young for a CMND before CCCDs replaced it)
 * becomes `missing_id` (children were often registered without their number).
 */
export const REAL_ERROR_MIX: Readonly<Record<RealErrorKind, number>> = Object.freeze({
  name_typo: 0.26,
  dob_day_month_swapped: 0.1,
  dob_defaulted_jan1: 0.07,
  wrong_sex: 0.08,
  wrong_id_digit: 0.17,
  cmnd_instead_of_cccd: 0.1,
  missing_id: 0.22,
});

/**
 * Share of each encoding-only variant. `name_old_style_tones` falls back to `name_nfd` when the
 * name has no oa/oe/uy syllable to re-place; a name without any diacritic gets no variant.
 */
export const ENCODING_MIX: Readonly<Record<EncodingKind, number>> = Object.freeze({
  name_tcvn3: 0.25,
  name_vni: 0.2,
  name_mojibake: 0.25,
  name_old_style_tones: 0.15,
  name_nfd: 0.15,
});

/** The Identity field each kind touches. */
export const FIELD_OF_KIND: Readonly<Record<InjectedErrorKind, IdentityField>> = Object.freeze({
  wrong_id_digit: 'idNumber',
  cmnd_instead_of_cccd: 'idNumber',
  missing_id: 'idNumber',
  name_typo: 'fullName',
  dob_day_month_swapped: 'dob',
  dob_defaulted_jan1: 'dob',
  wrong_sex: 'sex',
  name_tcvn3: 'fullName',
  name_vni: 'fullName',
  name_mojibake: 'fullName',
  name_old_style_tones: 'fullName',
  name_nfd: 'fullName',
});

const realKinds = Object.keys(REAL_ERROR_MIX) as RealErrorKind[];
const REAL_TABLE = new AliasTable(
  realKinds,
  realKinds.map((k) => REAL_ERROR_MIX[k]),
);
const encodingKinds = Object.keys(ENCODING_MIX) as EncodingKind[];
const ENCODING_TABLE = new AliasTable(
  encodingKinds,
  encodingKinds.map((k) => ENCODING_MIX[k]),
);

/** One real error kind, weighted by REAL_ERROR_MIX. @param rng - random stream */
export function pickRealError(rng: Sfc32): RealErrorKind {
  return REAL_TABLE.pick(rng);
}

/** One encoding kind, weighted by ENCODING_MIX. @param rng - random stream */
export function pickEncoding(rng: Sfc32): EncodingKind {
  return ENCODING_TABLE.pick(rng);
}

const TONES = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
const TONE_RE = /[\u0300\u0301\u0303\u0309\u0323]/;
const MARKS_RE = /[\u0300-\u036f]/g;

function stripMarks(word: string): string {
  return word.normalize('NFD').replace(MARKS_RE, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** Replaces the tone of a word by another one, or gives a toneless word a tone. */
function retone(rng: Sfc32, word: string): string {
  const nfd = word.normalize('NFD');
  const m = TONE_RE.exec(nfd);
  if (m !== null) {
    const others = TONES.filter((t) => t !== m[0]);
    const t = others[rng.int(others.length)] ?? '\u0301';
    return (nfd.slice(0, m.index) + t + nfd.slice(m.index + 1)).normalize('NFC');
  }
  // No tone: put one after the last vowel (with its shape mark); placement is the normaliser's job.
  const v = /[aeiouyAEIOUY][\u0302\u0306\u031b]?(?=[^aeiouyAEIOUY]*$)/.exec(nfd);
  if (v === null) return word;
  const at = v.index + v[0].length;
  const t = TONES[1 + rng.int(4)] ?? '\u0301';
  return (nfd.slice(0, at) + t + nfd.slice(at)).normalize('NFC');
}

function matchKey(s: string): string {
  return oldStyleTones(s.normalize('NFC')).toLowerCase();
}

/**
 * A misspelt variant of an NFC name that names a different person once normalised (a REAL
 * mismatch): a word loses all its marks (Ánh → Anh, Đ → D), gets another tone (Hoa → Hòa), loses
 * a letter, or a middle name is dropped. Never just a tone-placement, case or encoding change.
 * @param rng - random stream
 * @param name - NFC full name
 */
export function typoName(rng: Sfc32, name: string): string {
  const words = name.split(' ');
  const n = words.length;
  const key = matchKey(name);
  for (let attempt = 0; attempt < 6; attempt++) {
    const op = rng.int(10);
    let out: string;
    if (op === 0 && n >= 3) {
      out = [...words.slice(0, 1), ...words.slice(2)].join(' ');
    } else {
      const r = rng.float();
      const i = r < 0.55 || n < 2 ? n - 1 : r < 0.8 && n >= 3 ? 1 + rng.int(n - 2) : 0;
      const w = words[i] ?? '';
      let nw: string;
      if (op <= 3) nw = stripMarks(w);
      else if (op <= 7) nw = retone(rng, w);
      else nw = w.length >= 3 ? w.slice(0, 1) + w.slice(2) : retone(rng, w);
      const copy = words.slice();
      copy[i] = nw;
      out = copy.join(' ');
    }
    if (matchKey(out) !== key) return out;
  }
  return `${name}h`;
}

/**
 * The ID with one digit changed (positions 4–12: the province code is kept, so the number still
 * looks like one of the province's; a changed 4th digit may give an impossible century/sex).
 * @param rng - random stream
 * @param id - 12-digit number
 */
export function changeIdDigit(rng: Sfc32, id: string): string {
  const pos = 3 + rng.int(id.length - 3);
  const old = id.charCodeAt(pos) - 48;
  const d = (old + 1 + rng.int(9)) % 10;
  return id.slice(0, pos) + String(d) + id.slice(pos + 1);
}

/**
 * The same name written another way, or null if this name has no such variant.
 * @param kind - which variant
 * @param name - NFC name
 * @returns the variant and the kind actually used (old-style tones fall back to NFD)
 */
export function encodeName(kind: EncodingKind, name: string): { kind: EncodingKind; text: string } | null {
  let text: string;
  switch (kind) {
    case 'name_tcvn3':
      text = encodeLegacy(name, 'tcvn3');
      break;
    case 'name_vni':
      text = encodeLegacy(name, 'vni');
      break;
    case 'name_mojibake':
      text = encodeLegacy(name, 'mojibake-cp1252');
      break;
    case 'name_old_style_tones':
      text = oldStyleTones(name);
      if (text === name) return encodeName('name_nfd', name);
      break;
    case 'name_nfd':
      text = name.normalize('NFD');
      break;
  }
  return text === name ? null : { kind, text };
}
