/**
 * Mask evaluation (ISO/IEC 18004:2015 7.8.3, Table 11): the encoder keeps the mask whose symbol
 * scores lowest. Where the standard leaves room, this follows ZXing, the reference reader:
 * - N1: a run of k ≥ 5 same-colour modules in a row or column scores 3 + (k − 5);
 * - N2: every 2×2 block of one colour scores 3 (overlapping blocks each count);
 * - N3: every 1:1:3:1:1 dark-light-dark-light-dark pattern with 4 light modules before or after it
 *   scores 40, once; the quiet zone outside the symbol counts as light;
 * - N4: 10 per full 5 % that the dark share deviates from 50 %.
 *
 * Eight masks are scored per symbol, so this is the encoder's hot loop. A module-by-module scan
 * branches on every colour change, which the CPU cannot predict on masked data (~60-100 µs per
 * mask at version 15). Instead each symbol is packed twice into bit streams — rows one after the
 * other, and columns one after the other — each line followed by 4 zero bits that stand for the
 * quiet zone, and all four rules are evaluated with 32-bit word operations, 32 modules at a time.
 * Bit p of a stream lives in word p >>> 5 at bit 31 − (p & 31), so shifting left moves later
 * modules into place.
 */

/** Bit-stream geometry for one symbol size. */
export interface PackedGeometry {
  readonly size: number;
  /** bits per line: size + 4 zero bits of quiet zone */
  readonly stride: number;
  /** words that hold modules */
  readonly used: number;
  /** words to allocate per stream (zero words past the end for look-ahead) */
  readonly words: number;
  /** bit p set when modules p and p + 1 are on the same line (N1 neighbours) */
  readonly pairs: Int32Array;
  /** bit p set when the 2×2 block at p lies inside the symbol (N2), for the row stream */
  readonly blocks: Int32Array;
}

const POP16 = new Uint8Array(65536);
for (let i = 1; i < 65536; i++) POP16[i] = (i & 1) + POP16[i >>> 1]!;

function pop(x: number): number {
  return POP16[x & 0xffff]! + POP16[x >>> 16]!;
}

const geometries = new Map<number, PackedGeometry>();

/**
 * Cached stream geometry of a symbol size.
 * @param size - modules per side
 */
export function packedGeometry(size: number): PackedGeometry {
  let g = geometries.get(size);
  if (g) return g;
  const stride = size + 4; // 4·v + 21: odd, so `stride & 31` is never 0 or 31 (see scanStream)
  const used = Math.ceil((size * stride) / 32);
  const words = used + (stride >>> 5) + 3;
  const pairs = new Int32Array(words);
  const blocks = new Int32Array(words);
  for (let line = 0; line < size; line++) {
    for (let k = 0; k < size - 1; k++) {
      const p = line * stride + k;
      pairs[p >>> 5]! |= 0x80000000 >>> (p & 31);
      if (line < size - 1) blocks[p >>> 5]! |= 0x80000000 >>> (p & 31);
    }
  }
  g = { size, stride, used, words, pairs, blocks };
  geometries.set(size, g);
  return g;
}

/**
 * Packs a byte matrix into a bit stream of its rows (or, transposed, of its columns).
 * @param m - row-major modules, 1 dark, 0 light
 * @param g - geometry of the symbol size
 * @param out - stream of `g.words` words; fully overwritten
 * @param columns - pack columns instead of rows
 */
export function packLines(m: Uint8Array, g: PackedGeometry, out: Int32Array, columns: boolean): void {
  const { size } = g;
  out.fill(0);
  let acc = 0;
  let bits = 0;
  let w = 0;
  const along = columns ? size : 1;
  const across = columns ? 1 : size;
  for (let line = 0; line < size; line++) {
    for (let k = 0, idx = line * across; k < size + 4; k++, idx += along) {
      acc = (acc << 1) | (k < size ? m[idx]! : 0);
      if (++bits === 32) {
        out[w++] = acc;
        acc = 0;
        bits = 0;
      }
    }
  }
  if (bits > 0) out[w] = acc << (32 - bits);
}

/** N1 and N3 over one stream, plus N2 and the dark count when it is the row stream. */
function scanStream(s: Int32Array, g: PackedGeometry, rows: boolean): number {
  const { used, pairs, blocks, stride } = g;
  const vq = stride >>> 5; // the module below p is at p + stride: word offset and shift
  const vr = stride & 31;
  let pen = 0;
  let dark = 0;
  let prevA = 0;
  let prevRun = 0;
  let A = s[0]!;
  let B = s[1]!;
  let E = ~(A ^ ((A << 1) | (B >>> 31))) & pairs[0]!;
  for (let j = 0; j < used; j++) {
    const C = s[j + 2]!;
    const X1 = (A << 1) | (B >>> 31);
    // N1: E marks "same colour as the next module". A run of k modules is k − 1 consecutive E bits;
    // `run` marks the starts of 4 consecutive E bits, of which a run has k − 4, so its score
    // k − 2 is popcount(run) plus 2 for the run's first such start.
    const En = ~(B ^ ((B << 1) | (C >>> 31))) & pairs[j + 1]!;
    const run = E & ((E << 1) | (En >>> 31)) & ((E << 2) | (En >>> 30)) & ((E << 3) | (En >>> 29));
    pen += pop(run) + 2 * pop(run & ~((run >>> 1) | (prevRun << 31)));
    prevRun = run;
    // N3: 1011101 starting at p, then light p+7..p+10 or p−4..p−1. Computed without branching
    // on partial matches, which are too frequent on masked data to predict.
    const hit =
      A & ~X1 & ((A << 2) | (B >>> 30)) & ((A << 3) | (B >>> 29)) & ((A << 4) | (B >>> 28)) & ~((A << 5) | (B >>> 27)) & ((A << 6) | (B >>> 26));
    if (hit !== 0) {
      const after = (A << 7) | (B >>> 25) | (A << 8) | (B >>> 24) | (A << 9) | (B >>> 23) | (A << 10) | (B >>> 22);
      const before = (A >>> 1) | (prevA << 31) | (A >>> 2) | (prevA << 30) | (A >>> 3) | (prevA << 29) | (A >>> 4) | (prevA << 28);
      pen += 40 * pop(hit & (~after | ~before));
    }
    if (rows) {
      // N2: p, p+1, and the two modules below them all equal the colour at p.
      const P = s[j + vq]!;
      const Q = s[j + vq + 1]!;
      const Z0 = (P << vr) | (Q >>> (32 - vr));
      const Z1 = (P << (vr + 1)) | (Q >>> (31 - vr));
      pen += 3 * pop(~(A ^ X1) & ~(A ^ Z0) & ~(X1 ^ Z1) & blocks[j]!);
      dark += pop(A);
    }
    prevA = A;
    A = B;
    B = C;
    E = En;
  }
  if (rows) {
    const total = g.size * g.size;
    pen += Math.floor((Math.abs(dark * 2 - total) * 10) / total) * 10; // N4
  }
  return pen;
}

/**
 * Penalty of a symbol given as its two packed streams.
 * @param rowStream - rows packed by `packLines(…, false)`
 * @param colStream - columns packed by `packLines(…, true)`
 * @param g - geometry of the symbol size
 */
export function packedPenalty(rowStream: Int32Array, colStream: Int32Array, g: PackedGeometry): number {
  return scanStream(rowStream, g, true) + scanStream(colStream, g, false);
}

/**
 * Penalty score of a finished symbol (convenience form of `packedPenalty`).
 * @param m - row-major modules, 1 dark, 0 light
 * @param size - modules per side
 */
export function maskPenalty(m: Uint8Array, size: number): number {
  const g = packedGeometry(size);
  const rows = new Int32Array(g.words);
  const cols = new Int32Array(g.words);
  packLines(m, g, rows, false);
  packLines(m, g, cols, true);
  return packedPenalty(rows, cols, g);
}
