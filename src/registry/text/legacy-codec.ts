/**
 * Decoders and encoders for pre-Unicode Vietnamese text as it reaches us after the importer read
 * the file as Windows-1252 (vietnamese-text.md §1.3): TCVN3 (ABC), VNI-Windows, VIQR, Windows-1258,
 * and UTF-8 mis-decoded as Windows-1252 ("Nguyá»…n"). Decoders return NFC text.
 */
import { LEGACY_ROWS } from './legacy-charsets.js';
import { WINDOWS_1252_CHARS, decodeWindows1252 } from './windows-1252.js';

/** The encodings we can undo. */
export type LegacyEncoding = 'tcvn3' | 'vni' | 'viqr' | 'mojibake-cp1252' | 'cp1258';

type Pairs = ReadonlyMap<string, readonly (readonly [src: string, dst: string])[]>;

/** Greedy longest-match tables keyed by first character; equal lengths keep row order. */
function buildDecoder(pairs: readonly (readonly [string, string])[]): Pairs {
  const byFirst = new Map<string, [string, string][]>();
  for (const [src, dst] of pairs) {
    const first = src.charAt(0);
    const list = byFirst.get(first) ?? [];
    list.push([src, dst]);
    byFirst.set(first, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b[0].length - a[0].length);
  return byFirst;
}

// VNI writes ỳ ý ỷ ỹ ỵ as y + tone byte; the reference table only has yø/yù and maps ỹ to `ì`, which
// collides with ì. These decode-only aliases accept the y + tone-byte spellings as well.
const VNI_ALIASES: readonly (readonly [string, string])[] = [
  ['yõ', 'ỹ'],
  ['YÕ', 'Ỹ'],
  ['yû', 'ỷ'],
  ['YÛ', 'Ỷ'],
  ['yï', 'ỵ'],
  ['YÏ', 'Ỵ'],
];

const VNI_DECODE = buildDecoder([...LEGACY_ROWS.map(([u, v]) => [v, u] as const), ...VNI_ALIASES]);
const TCVN3_DECODE = buildDecoder(LEGACY_ROWS.map(([u, , t]) => [t, u] as const));
// VIQR Đ/đ (DD/dd) are handled before the table, as in the reference.
const VIQR_DECODE = buildDecoder(
  LEGACY_ROWS.filter(([, , , q]) => q !== 'DD' && q !== 'dd').map(([u, , , q]) => [q, u] as const),
);

function greedy(s: string, table: Pairs): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const ch = s.charAt(i);
    const list = table.get(ch);
    let matched = false;
    if (list !== undefined) {
      for (const [src, dst] of list) {
        if (s.startsWith(src, i)) {
          out += dst;
          i += src.length;
          matched = true;
          break;
        }
      }
    }
    if (!matched) {
      out += ch;
      i++;
    }
  }
  return out;
}

// ---------------------------------------------------------------- single-byte code pages

// Node's ICU decodes windows-1258 correctly (unlike windows-1252, see windows-1252.ts).
const CP1258_CHARS = new TextDecoder('windows-1258').decode(Uint8Array.from({ length: 256 }, (_, i) => i));
const CP1252_CHARS = WINDOWS_1252_CHARS;

/** Character as shown by a Windows-1252 (or Latin-1) reader → the byte behind it. */
const CP1252_BYTE = new Map<string, number>();
for (let b = 0; b < 256; b++) CP1252_BYTE.set(CP1252_CHARS.charAt(b), b);
// A Latin-1 reader shows 0x80–0x9F as C1 controls; accept that spelling too.
for (let b = 0x80; b < 0xa0; b++) if (!CP1252_BYTE.has(String.fromCharCode(b))) CP1252_BYTE.set(String.fromCharCode(b), b);

/** Windows-1258 character → byte, for the encoder. */
const CP1258_BYTE = new Map<string, number>();
for (let b = 0; b < 256; b++) CP1258_BYTE.set(CP1258_CHARS.charAt(b), b);

/**
 * Whether every character of `s` can be a byte read as Windows-1252/Latin-1: only such strings can
 * be TCVN3, VNI, Windows-1258 or mojibake (a string with "ỗ" cannot).
 * @param s - NFC text
 */
export function isCp1252Repertoire(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 && !CP1252_BYTE.has(s.charAt(i))) return false;
  }
  return true;
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Undoes UTF-8 bytes shown as Windows-1252: `Nguyá»…n` → `Nguyễn`. `Đ` is `C4 90` and 0x90 is
 * undefined in Windows-1252, so a reader may have turned it into `?` or U+FFFD: `Ä?`/`Ä\uFFFD` are
 * read back as Đ. Returns `undefined` unless the whole string round-trips to valid UTF-8 with at least
 * one multi-byte character.
 * @param s - text as shown by the Windows-1252 reader
 */
export function decodeMojibake(s: string): string | undefined {
  const bytes = new Uint8Array(s.length * 2);
  let n = 0;
  let multibyte = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    const b = CP1252_BYTE.get(ch);
    if (b === undefined) {
      if (ch !== '\uFFFD' || n === 0 || bytes[n - 1] !== 0xc4) return undefined;
      bytes[n++] = 0x90;
      continue;
    }
    if (b >= 0x80) multibyte = true;
    if (ch === '?' && n > 0 && bytes[n - 1] === 0xc4) {
      bytes[n++] = 0x90;
      continue;
    }
    bytes[n++] = b;
  }
  if (!multibyte) return undefined;
  try {
    return UTF8_STRICT.decode(bytes.subarray(0, n)).normalize('NFC');
  } catch {
    return undefined;
  }
}

/** Reads Windows-1252-decoded characters back as Windows-1258 (tones are combining bytes there). */
function decodeCp1258(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    const b = CP1252_BYTE.get(ch);
    out += b === undefined ? ch : CP1258_CHARS.charAt(b);
  }
  return out;
}

/**
 * Decodes `s` from a legacy encoding, without checking whether it is one (see `repairText`).
 * @param s - NFC text as read by a Windows-1252 reader (VIQR: plain ASCII)
 * @param encoding - the encoding the column was written in
 * @returns NFC Unicode; for `mojibake-cp1252`, `s` when it does not round-trip
 */
export function decodeLegacy(s: string, encoding: LegacyEncoding): string {
  switch (encoding) {
    case 'tcvn3':
      return greedy(s, TCVN3_DECODE).normalize('NFC');
    case 'vni':
      return greedy(s, VNI_DECODE).normalize('NFC');
    case 'viqr':
      return greedy(s.replace(/DD|Dd/g, 'Đ').replace(/dd/g, 'đ'), VIQR_DECODE).normalize('NFC');
    case 'cp1258':
      return decodeCp1258(s).normalize('NFC');
    case 'mojibake-cp1252':
      return decodeMojibake(s) ?? s;
  }
}

// ---------------------------------------------------------------- encoders (synthetic data, tests)

function buildEncoder(col: 1 | 2 | 3): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  for (const row of LEGACY_ROWS) if (!m.has(row[0])) m.set(row[0], row[col]);
  return m;
}
const VNI_ENCODE = new Map([...buildEncoder(1), ['ỹ', 'yõ'], ['Ỹ', 'YÕ']]);
const TCVN3_ENCODE = buildEncoder(2);
const VIQR_ENCODE = buildEncoder(3);
const TONE_BYTES = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);

function encodeTable(text: string, table: ReadonlyMap<string, string>): string {
  let out = '';
  for (const ch of text) out += table.get(ch) ?? ch;
  return out;
}

/** Windows-1258 bytes (base letter + combining tone byte where needed), shown as Windows-1252. */
function encodeCp1258(text: string): string {
  const bytes: number[] = [];
  for (const ch of text) {
    const direct = CP1258_BYTE.get(ch);
    if (direct !== undefined) {
      bytes.push(direct);
      continue;
    }
    const parts = Array.from(ch.normalize('NFD'));
    const tones = parts.filter((p) => TONE_BYTES.has(p));
    const base = parts.filter((p) => !TONE_BYTES.has(p)).join('').normalize('NFC');
    const baseByte = CP1258_BYTE.get(base);
    const toneBytes = tones.map((t) => CP1258_BYTE.get(t));
    if (baseByte === undefined || toneBytes.some((b) => b === undefined)) {
      bytes.push(0x3f); // '?', as Windows does for unmappable characters
      continue;
    }
    bytes.push(baseByte, ...toneBytes.filter((b): b is number => b !== undefined));
  }
  return decodeWindows1252(Uint8Array.from(bytes));
}

/**
 * Writes Unicode text the way a legacy source would hand it to our importer (after the importer
 * read the bytes as Windows-1252): for synthetic import files and round-trip tests.
 * @param text - Unicode text (any normalisation form)
 * @param encoding - `tcvn3` (ABC fonts), `vni`, `viqr`, `cp1258`, or `mojibake-cp1252` (UTF-8 bytes
 *   shown as Windows-1252, e.g. a UTF-8 CSV opened in Excel; Đ keeps its 0x90 byte as U+0090)
 * @returns the legacy spelling; characters the encoding lacks are kept as they are (`?` for cp1258)
 */
export function encodeLegacy(text: string, encoding: LegacyEncoding): string {
  const nfc = text.normalize('NFC');
  switch (encoding) {
    case 'tcvn3':
      return encodeTable(nfc, TCVN3_ENCODE);
    case 'vni':
      return encodeTable(nfc, VNI_ENCODE);
    case 'viqr':
      return encodeTable(nfc, VIQR_ENCODE);
    case 'cp1258':
      return encodeCp1258(nfc);
    case 'mojibake-cp1252':
      return decodeWindows1252(new TextEncoder().encode(nfc));
  }
}
