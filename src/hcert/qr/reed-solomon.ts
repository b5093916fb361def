/**
 * Reed-Solomon error-correction codewords for QR (ISO/IEC 18004:2015 7.5.2): GF(256) with the
 * primitive polynomial x^8+x^4+x^3+x^2+1 (0x11D), generator roots α^0..α^(n-1).
 * Division by the generator uses a product table per generator degree (256 factors × degree
 * bytes, ≤ 8 KB), cached: a symbol reuses one degree for all its blocks and a run reuses a handful
 * of degrees. Log/antilog tables build those products.
 */

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

const tableCache = new Map<number, Int32Array>();

/**
 * Product table of the generator of a degree: for each factor f, the products f·g_i packed
 * big-endian four to a 32-bit word (zero bytes after the last coefficient).
 */
function productTable(degree: number): Int32Array {
  let t = tableCache.get(degree);
  if (t) return t;
  const poly = new Uint8Array(degree); // product of (x - α^i), highest power first, leading 1 dropped
  poly[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      const c = poly[j]!;
      poly[j] = (c === 0 ? 0 : EXP[LOG[c]! + LOG[root]!]!) ^ (j + 1 < degree ? poly[j + 1]! : 0);
    }
    root = EXP[LOG[root]! + 1]!;
  }
  const words = (degree + 3) >>> 2;
  t = new Int32Array(256 * words);
  for (let f = 1; f < 256; f++) {
    for (let i = 0; i < degree; i++) {
      const p = poly[i] === 0 ? 0 : EXP[LOG[poly[i]!]! + LOG[f]!]!;
      t[f * words + (i >>> 2)]! |= p << (24 - 8 * (i & 3));
    }
  }
  tableCache.set(degree, t);
  return t;
}

/**
 * Writes the `degree` ECC codewords of `data[start .. start+len)` into `out[outStart ..]`.
 * The remainder register is kept as big-endian 32-bit words, so one data codeword costs a
 * byte shift and one table XOR per four ECC codewords instead of a multiply per codeword.
 * @param data - codeword buffer holding the block
 * @param start - first data codeword of the block
 * @param len - data codewords in the block
 * @param degree - ECC codewords to produce
 * @param out - destination buffer
 * @param outStart - where the ECC codewords go
 */
export function rsEncodeInto(data: Uint8Array, start: number, len: number, degree: number, out: Uint8Array, outStart: number): void {
  const t = productTable(degree);
  const words = (degree + 3) >>> 2;
  const rem = new Int32Array(words + 1); // one zero word past the end feeds the shifts
  for (let k = start, end = start + len; k < end; k++) {
    const base = (data[k]! ^ (rem[0]! >>> 24)) * words;
    for (let j = 0; j < words; j++) rem[j] = ((rem[j]! << 8) | (rem[j + 1]! >>> 24)) ^ t[base + j]!;
  }
  for (let i = 0; i < degree; i++) out[outStart + i] = rem[i >>> 2]! >>> (24 - 8 * (i & 3));
}
