/**
 * Base45 (RFC 9285): two bytes → three characters of the QR alphanumeric set.
 * Hand-written because the npm packages are either slow (string concatenation per char) or wrong
 * on Buffer slices (@digitalbazaar/base45 reads the whole underlying ArrayBuffer); this is on the
 * issue and verify hot paths.
 */
import { Base45DecodeError } from './errors.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const ENC = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DEC = new Int8Array(256).fill(-1);
for (let i = 0; i < ENC.length; i++) DEC[ENC[i]!] = i;

/**
 * Encodes bytes as base45 text.
 * @param bytes - any bytes (a view is honoured: only its own range is read)
 */
export function base45Encode(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = Buffer.allocUnsafe(Math.floor(n / 2) * 3 + (n % 2) * 2);
  let o = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let x = bytes[i]! * 256 + bytes[i + 1]!;
    const e = (x / 2025) | 0;
    x -= e * 2025;
    const d = (x / 45) | 0;
    out[o++] = ENC[x - d * 45]!;
    out[o++] = ENC[d]!;
    out[o++] = ENC[e]!;
  }
  if (i < n) {
    const x = bytes[i]!;
    const d = (x / 45) | 0;
    out[o++] = ENC[x - d * 45]!;
    out[o++] = ENC[d]!;
  }
  return out.toString('latin1', 0, o);
}

// ASCII bytes of the text being decoded: TextEncoder.encodeInto is one native call, after which
// the loop reads a typed array instead of calling charCodeAt on a (usually sliced) string.
const TEXT_BYTES = new Uint8Array(16 * 1024);
const encoder = new TextEncoder();

/**
 * Decodes base45 text; throws Base45DecodeError naming the first bad position.
 * @param text - base45 characters only (no prefix, no whitespace)
 */
export function base45Decode(text: string): Buffer {
  const n = text.length;
  if (n % 3 === 1) throw new Base45DecodeError(`base45: length ${n} leaves a single dangling character`);
  if (n > TEXT_BYTES.length) return decodeChecked(text);
  const r = encoder.encodeInto(text, TEXT_BYTES);
  // Anything but ASCII is invalid base45: the checked loop names it.
  if (r.read !== n || r.written !== n) return decodeChecked(text);
  const t = TEXT_BYTES;
  const out = Buffer.allocUnsafe(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const a = DEC[t[i]!]!;
    const b = DEC[t[i + 1]!]!;
    const c = DEC[t[i + 2]!]!;
    const v = a + b * 45 + c * 2025;
    if ((a | b | c) < 0 || v > 0xffff) return decodeChecked(text);
    out[o++] = v >> 8;
    out[o++] = v & 0xff;
  }
  if (i < n) {
    const a = DEC[t[i]!]!;
    const b = DEC[t[i + 1]!]!;
    const v = a + b * 45;
    if ((a | b) < 0 || v > 0xff) return decodeChecked(text);
    out[o++] = v;
  }
  return out;
}

/**
 * The reference loop: every check in order, so the first bad position is the one reported.
 * Exported for tests.
 * @param text - base45 characters only
 */
export function base45DecodeChecked(text: string): Buffer {
  const n = text.length;
  if (n % 3 === 1) throw new Base45DecodeError(`base45: length ${n} leaves a single dangling character`);
  return decodeChecked(text);
}

function decodeChecked(text: string): Buffer {
  const n = text.length;
  const out = Buffer.allocUnsafe(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const c = digit(text, i) + digit(text, i + 1) * 45 + digit(text, i + 2) * 2025;
    if (c > 0xffff) throw new Base45DecodeError(`base45: triplet at ${i} encodes ${c} > 65535`, { position: i });
    out[o++] = c >> 8;
    out[o++] = c & 0xff;
  }
  if (i < n) {
    const c = digit(text, i) + digit(text, i + 1) * 45;
    if (c > 0xff) throw new Base45DecodeError(`base45: final pair at ${i} encodes ${c} > 255`, { position: i });
    out[o++] = c;
  }
  return out;
}

function digit(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 256 ? DEC[code]! : -1;
  if (v < 0) {
    throw new Base45DecodeError(`base45: invalid character ${JSON.stringify(text[i])} at position ${i}`, { position: i });
  }
  return v;
}
