/**
 * Lookup keys for names people type: lower-case ASCII letters and digits only, Vietnamese
 * diacritics removed (đ → d), everything else dropped. "Hà Nội", "ha noi", "HA-NOI" → "hanoi".
 * Works on NFC and NFD input alike (combining marks are dropped). Not a name normaliser: it is
 * only for matching against fixed alias lists.
 */

// Base letter per code point for the Latin blocks Vietnamese uses, built once from NFD.
const BASE = new Map<number, string>();
for (const [from, to] of [
  [0xc0, 0x24f],
  [0x1e00, 0x1eff],
] as const) {
  for (let c = from; c <= to; c++) {
    const base = String.fromCharCode(c).normalize('NFD').charAt(0).toLowerCase();
    if (base >= 'a' && base <= 'z') BASE.set(c, base);
  }
}
BASE.set(0x110, 'd'); // Đ (no NFD decomposition)
BASE.set(0x111, 'd'); // đ
BASE.set(0xff10, '0'); // full-width digits map like ASCII digits
for (let i = 0; i < 10; i++) BASE.set(0xff10 + i, String(i));

/**
 * Folds text to a matching key.
 * @param s - any text
 */
export function foldKey(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += s.charAt(i);
    else if (c >= 65 && c <= 90) out += String.fromCharCode(c + 32);
    else if (c >= 0xc0) {
      const b = BASE.get(c);
      if (b !== undefined) out += b;
    }
  }
  return out;
}
