/**
 * Fast path for the common shape of an HCERT (eu-dcc-hcert-spec §3): a COSE_Sign1 (RFC 8152
 * §4.2, tag 18 or none) with int-labelled headers, and a CWT (RFC 8392) of iss/iat/exp and the
 * hcert claim, whose EU DCC is plain JSON data (string keys, text, integers, arrays, maps).
 *
 * Why: the generic path (cbor-x into Maps, then cborToJson) is a fifth of a verification's
 * non-signature time. This reader builds the JSON-shaped DCC directly in one pass. It accepts only
 * a subset of CBOR on which it provably yields what the generic path yields, and answers
 * `undefined` for anything else (tags, floats, 64-bit or indefinite lengths, byte strings or
 * undefined in the DCC, non-text keys, `__proto__`, invalid UTF-8, a leading BOM, unknown claims or
 * header labels, repeated labels, trailing bytes…): the caller then runs the generic path, which
 * produces the result or the error. So it never throws and never decides an error itself.
 *
 * Repeated keys inside the DCC need no fallback: the generic path keeps a Map entry at its first
 * position with its last value, then assigns keys in that order to a fresh object; assigning them
 * here in input order gives the same object.
 */
import type { CoseSign1 } from './cose.js';
import type { DecodedCwt } from './cwt.js';
import type { DccPayload } from './payload/index.js';

/** A reader's answer when the input leaves the fast path's subset. */
const BAIL: unique symbol = Symbol('bail');
type Bail = typeof BAIL;

/** Deeper nesting than any DCC (3 levels) goes to the generic path. */
const MAX_DEPTH = 16;
/** Longer strings are decoded by TextDecoder (String.fromCharCode.apply has an argument limit). */
const JS_STRING_MAX = 64;

const EMPTY = new Uint8Array(0);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const fromCharCode = String.fromCharCode;

// Reader state: decoding is synchronous, so one module-level cursor serves every call.
let src: Uint8Array = EMPTY;
let pos = 0;
let end = 0;
/** Argument of the last head read: the value, length or count. */
let arg = 0;

/** The input as a latin1 string, made on the first ASCII string read from it. */
let latin1: string | undefined;
// Code units of a short non-ASCII string, then an argument list of exactly its length for
// String.fromCharCode.apply: no allocation but the string itself.
const UNITS = new Uint16Array(JS_STRING_MAX);
const CHARS: number[][] = Array.from({ length: JS_STRING_MAX + 1 }, (_, n) => new Array<number>(n).fill(0));

function start(bytes: Uint8Array, from: number, to: number): void {
  src = bytes;
  pos = from;
  end = to;
  latin1 = undefined;
}

/**
 * Reads an item head, leaving its argument in `arg`; returns the major type, or -1 for heads
 * outside the subset: truncated, 64-bit or indefinite arguments, floats and simple values in
 * two bytes.
 */
function head(): number {
  if (pos >= end) return -1;
  const b = src[pos++]!;
  const ai = b & 31;
  if (ai < 24) {
    arg = ai;
    return b >> 5;
  }
  if (b >> 5 === 7) return -1;
  if (ai === 24) {
    if (pos >= end) return -1;
    arg = src[pos++]!;
  } else if (ai === 25) {
    if (pos + 2 > end) return -1;
    arg = (src[pos]! << 8) | src[pos + 1]!;
    pos += 2;
  } else if (ai === 26) {
    if (pos + 4 > end) return -1;
    arg = ((src[pos]! << 24) | (src[pos + 1]! << 16) | (src[pos + 2]! << 8) | src[pos + 3]!) >>> 0;
    pos += 4;
  } else {
    return -1;
  }
  return b >> 5;
}

/** An integer item (major type 0 or 1), or BAIL. */
function readInt(): number | Bail {
  const mt = head();
  if (mt === 0) return arg;
  if (mt === 1) return -1 - arg;
  return BAIL;
}

/** A byte string item as a view of the input, or BAIL. */
function readBytes(): Uint8Array | Bail {
  if (head() !== 2 || arg > end - pos) return BAIL;
  return src.subarray(pos, (pos += arg));
}

/** The text of `n` bytes at the cursor, or BAIL for invalid UTF-8 and a leading BOM. */
function readText(n: number): string | Bail {
  if (n > end - pos) return BAIL;
  const from = pos;
  const to = from + n;
  let i = from;
  while (i < to && src[i]! < 0x80) i++;
  if (i === to) {
    pos = to;
    // ASCII: a slice of the latin1 image of the input (one native call per input, not per string)
    latin1 ??= Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('latin1');
    return latin1.slice(from, to);
  }
  if (n <= JS_STRING_MAX) return readUtf8(from, to);
  // A leading BOM is dropped by some of cbor-x's string readers and kept by others.
  if (src[from] === 0xef && src[from + 1] === 0xbb && src[from + 2] === 0xbf) return BAIL;
  try {
    const s = strictUtf8.decode(src.subarray(from, to));
    pos = to;
    return s;
  } catch {
    return BAIL;
  }
}

/** Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF) of a short string. */
function readUtf8(from: number, to: number): string | Bail {
  if (to - from >= 3 && src[from] === 0xef && src[from + 1] === 0xbb && src[from + 2] === 0xbf) return BAIL;
  const u = UNITS;
  let m = 0;
  let p = from;
  while (p < to) {
    const b1 = src[p++]!;
    if (b1 < 0x80) {
      u[m++] = b1;
    } else if (b1 < 0xc2) {
      return BAIL;
    } else if (b1 < 0xe0) {
      if (p >= to) return BAIL;
      const b2 = src[p++]!;
      if ((b2 & 0xc0) !== 0x80) return BAIL;
      u[m++] = ((b1 & 0x1f) << 6) | (b2 & 0x3f);
    } else if (b1 < 0xf0) {
      if (p + 2 > to) return BAIL;
      const b2 = src[p++]!;
      const b3 = src[p++]!;
      if ((b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80 || (b1 === 0xe0 && b2 < 0xa0) || (b1 === 0xed && b2 >= 0xa0)) return BAIL;
      u[m++] = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
    } else if (b1 < 0xf5) {
      if (p + 3 > to) return BAIL;
      const b2 = src[p++]!;
      const b3 = src[p++]!;
      const b4 = src[p++]!;
      if ((b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80 || (b4 & 0xc0) !== 0x80 || (b1 === 0xf0 && b2 < 0x90) || (b1 === 0xf4 && b2 >= 0x90)) return BAIL;
      const cp = (((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f)) - 0x10000;
      u[m++] = 0xd800 | (cp >> 10);
      u[m++] = 0xdc00 | (cp & 0x3ff);
    } else {
      return BAIL;
    }
  }
  pos = to;
  const chars = CHARS[m]!;
  for (let i = 0; i < m; i++) chars[i] = u[i]!;
  // eslint-disable-next-line prefer-spread -- apply is ~25% faster than a spread call here (measured)
  return fromCharCode.apply(null, chars);
}

/** Any JSON-shaped item, or BAIL. */
function readJson(depth: number): unknown {
  switch (head()) {
    case 0:
      return arg;
    case 1:
      return -1 - arg;
    case 3:
      return readText(arg);
    case 4:
      return readArray(arg, depth + 1);
    case 5:
      return readObject(arg, depth + 1);
    case 7:
      return arg === 20 ? false : arg === 21 ? true : arg === 22 ? null : BAIL;
    default:
      return BAIL;
  }
}

function readArray(n: number, depth: number): unknown[] | Bail {
  if (depth > MAX_DEPTH || n > end - pos) return BAIL;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const v = readJson(depth);
    if (v === BAIL) return BAIL;
    out.push(v);
  }
  return out;
}

// Keys of up to 3 ASCII characters (every DCC key) come from a direct-mapped cache of internalized
// strings: property stores with them skip V8's string-table lookup of a fresh key.
const KEY_SLOTS = 1024;
const keyCodes = new Int32Array(KEY_SLOTS).fill(-1);
const keyStrings: string[] = new Array<string>(KEY_SLOTS).fill('');

function readKey(n: number): string | Bail {
  if (n > 3 || n > end - pos) return readText(n);
  let code = n << 24;
  for (let i = 0; i < n; i++) {
    const c = src[pos + i]!;
    if (c >= 0x80) return readText(n);
    code |= c << (8 * i);
  }
  const slot = Math.imul(code, 0x9e3779b1) >>> 22;
  if (keyCodes[slot] !== code) {
    const k = fromCharCode(...src.subarray(pos, pos + n));
    keyStrings[slot] = Object.keys({ [k]: 0 })[0]!; // the internalized copy
    keyCodes[slot] = code;
  }
  pos += n;
  return keyStrings[slot]!;
}

function readObject(n: number, depth: number): Record<string, unknown> | Bail {
  if (depth > MAX_DEPTH || n > (end - pos) / 2) return BAIL;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    if (head() !== 3) return BAIL;
    const k = readKey(arg);
    if (k === BAIL || k === '__proto__') return BAIL;
    const v = readJson(depth);
    if (v === BAIL) return BAIL;
    out[k] = v;
  }
  return out;
}

const HDR_ALG = 1;
const HDR_KID = 4;

/** alg and kid of one header map; `undefined` outside the subset. */
interface Header {
  alg: number | undefined;
  kid: Uint8Array | undefined;
}

/** A header map of alg (integer) and kid (bytes) only, each at most once; BAIL otherwise. */
function readHeader(): Header | Bail {
  if (head() !== 5) return BAIL;
  const h: Header = { alg: undefined, kid: undefined };
  for (let n = arg; n > 0; n--) {
    const label = readInt();
    if (label === HDR_ALG && h.alg === undefined) {
      const alg = readInt();
      if (alg === BAIL) return BAIL;
      h.alg = alg;
    } else if (label === HDR_KID && h.kid === undefined) {
      const kid = readBytes();
      if (kid === BAIL) return BAIL;
      h.kid = kid;
    } else {
      return BAIL;
    }
  }
  return h;
}

const NO_HEADER: Header = { alg: undefined, kid: undefined };

/**
 * Parses a COSE_Sign1 of the common shape; `undefined` means "use the generic parser".
 * @param bytes - the decompressed COSE bytes
 */
export function parseCoseFast(bytes: Uint8Array): CoseSign1 | undefined {
  const out = parseSign1(bytes);
  src = EMPTY;
  return out;
}

function parseSign1(bytes: Uint8Array): CoseSign1 | undefined {
  start(bytes, bytes[0] === 0xd2 ? 1 : 0, bytes.length); // tag 18 (COSE_Sign1), optional
  if (head() !== 4 || arg !== 4) return undefined;
  const prot = readBytes();
  if (prot === BAIL) return undefined;
  const protEnd = pos;
  const unprot = readHeader();
  if (unprot === BAIL) return undefined;
  const payload = readBytes();
  if (payload === BAIL) return undefined;
  const signature = readBytes();
  if (signature === BAIL || pos !== end) return undefined;
  let p = NO_HEADER;
  if (prot.length > 0) {
    start(bytes, protEnd - prot.length, protEnd);
    const h = readHeader();
    if (h === BAIL || pos !== end) return undefined;
    p = h;
  }
  // Same fields, in the same order, as the generic parser.
  const out: CoseSign1 = { protectedBytes: prot, payload, signature };
  const algId = p.alg ?? unprot.alg;
  if (algId !== undefined) {
    out.algId = algId;
    if (algId === -7) out.alg = 'ES256';
    else if (algId === -37) out.alg = 'PS256';
  }
  if (p.kid) {
    out.kid = p.kid;
    out.kidIn = 'protected';
  } else if (unprot.kid) {
    out.kid = unprot.kid;
    out.kidIn = 'unprotected';
  }
  return out;
}

const CWT_ISS = 1;
const CWT_EXP = 4;
const CWT_IAT = 6;
const CWT_HCERT = -260;

/**
 * Decodes CWT claims of the common shape (iss, iat, exp, hcert {1: DCC}, each at most once);
 * `undefined` means "use the generic decoder".
 * @param bytes - the COSE payload
 */
export function decodeCwtFast(bytes: Uint8Array): DecodedCwt | undefined {
  start(bytes, 0, bytes.length);
  const out = readClaims();
  src = EMPTY;
  latin1 = undefined;
  return out;
}

function readClaims(): DecodedCwt | undefined {
  if (head() !== 5) return undefined;
  let iss: string | undefined;
  let iat: number | undefined;
  let exp: number | undefined;
  let dcc: Record<string, unknown> | undefined;
  for (let n = arg; n > 0; n--) {
    const label = readInt();
    if (label === CWT_ISS && iss === undefined) {
      if (head() !== 3) return undefined;
      const s = readText(arg);
      if (s === BAIL) return undefined;
      iss = s;
    } else if (label === CWT_IAT && iat === undefined) {
      const v = readInt();
      if (v === BAIL) return undefined;
      iat = v;
    } else if (label === CWT_EXP && exp === undefined) {
      const v = readInt();
      if (v === BAIL) return undefined;
      exp = v;
    } else if (label === CWT_HCERT && dcc === undefined) {
      // {1: DCC}: a one-entry map under the EU DCC v1 key
      if (head() !== 5 || arg !== 1 || head() !== 0 || arg !== 1 || head() !== 5) return undefined;
      const d = readObject(arg, 1);
      if (d === BAIL) return undefined;
      dcc = d;
    } else {
      return undefined;
    }
  }
  if (dcc === undefined || pos !== end) return undefined;
  // Same fields, in the same order, as the generic decoder.
  const out: DecodedCwt = { dcc: dcc as unknown as DccPayload };
  if (iss !== undefined) out.iss = iss;
  if (iat !== undefined) out.iat = iat;
  if (exp !== undefined) out.exp = exp;
  return out;
}
