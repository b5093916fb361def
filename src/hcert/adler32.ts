/**
 * Adler-32 checksum (RFC 1950 §8.2), the zlib trailer.
 * @param data - bytes to sum
 */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  const n = data.length;
  let i = 0;
  while (i < n) {
    // 5552 is the largest run for which b cannot overflow 2^32 before the modulo.
    const end = Math.min(i + 5552, n);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
