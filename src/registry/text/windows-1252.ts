/**
 * Windows-1252 as WHATWG defines it (encoding.spec.whatwg.org, index-windows-1252): Latin-1 with
 * 0x80–0x9F mapped to € ‚ ƒ „ … and friends; the five undefined bytes stay the C1 controls.
 * Node 20's `new TextDecoder('windows-1252')` decodes as plain Latin-1 instead (0x85 → U+0085, not
 * "…"), which would break every mojibake and legacy-font repair, so we do not use it.
 */

// prettier-ignore
const HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

/** Code unit for each byte 0–255. */
const CODE = Uint16Array.from({ length: 256 }, (_, b) => (b >= 0x80 && b < 0xa0 ? (HIGH[b - 0x80] ?? b) : b));

/** The 256 characters of Windows-1252, indexed by byte. */
export const WINDOWS_1252_CHARS = String.fromCharCode(...CODE);

const LATIN1 = new TextDecoder('latin1'); // on Node 20 this really is ISO-8859-1: fast for 0x00–0x7F/0xA0–0xFF
const UTF16LE = new TextDecoder('utf-16le');

/**
 * Decodes bytes as WHATWG Windows-1252.
 * @param buf - bytes in Windows-1252
 */
export function decodeWindows1252(buf: Uint8Array): string {
  let needsTable = false;
  for (const b of buf) {
    if (b >= 0x80 && b < 0xa0) {
      needsTable = true;
      break;
    }
  }
  if (!needsTable) return LATIN1.decode(buf);
  const units = new Uint16Array(buf.length);
  for (let i = 0; i < buf.length; i++) units[i] = CODE[buf[i] ?? 0] ?? 0;
  return UTF16LE.decode(units);
}
