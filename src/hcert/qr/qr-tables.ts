/**
 * QR Code model 2 constants from ISO/IEC 18004:2015: error-correction block structure (Table 9),
 * character-count field widths (Table 3), format and version information (7.9, 7.10, Annex C/D).
 * Derived quantities (raw module count, alignment centres) are computed rather than tabled, since
 * the formulas are exact and a 40-row table is easy to mistype.
 */

/** Error-correction level: L ~7 %, M ~15 %, Q ~25 %, H ~30 % of codewords recoverable. */
export type EccLevel = 'L' | 'M' | 'Q' | 'H';

/** Row index of each level in the tables below. */
export const ECC_INDEX: Readonly<Record<EccLevel, number>> = { L: 0, M: 1, Q: 2, H: 3 };

/** The two-bit indicator each level has in the format information (Table 12). */
const ECC_FORMAT_BITS: Readonly<Record<EccLevel, number>> = { L: 1, M: 0, Q: 3, H: 2 };

// ECC codewords per block, indexed [level][version]; index 0 is unused padding.
// prettier-ignore
const ECC_PER_BLOCK: readonly (readonly number[])[] = [
  [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
];

// Number of error-correction blocks, indexed [level][version].
// prettier-ignore
const BLOCKS: readonly (readonly number[])[] = [
  [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

/** How the codewords of one (version, level) pair split into Reed-Solomon blocks. */
export interface BlockLayout {
  /** all codewords in the symbol (data + ECC), remainder bits excluded */
  readonly totalCodewords: number;
  /** data codewords in the symbol */
  readonly dataCodewords: number;
  /** ECC codewords in every block */
  readonly eccPerBlock: number;
  /** number of blocks */
  readonly blocks: number;
  /** blocks that carry one data codeword less than the others; they come first */
  readonly shortBlocks: number;
  /** data codewords in a short block */
  readonly shortDataLen: number;
}

/**
 * Modules left for codewords (and remainder bits) once every function pattern is drawn.
 * @param version - 1..40
 */
export function rawDataModules(version: number): number {
  let n = (16 * version + 128) * version + 64; // all modules minus finders, separators, timing, format
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    n -= (25 * align - 10) * align - 55; // alignment patterns, less their overlap with timing
    if (version >= 7) n -= 36; // two 6x3 version-information blocks
  }
  return n;
}

/**
 * Block layout for a version and level.
 * @param version - 1..40
 * @param ecc - error-correction level
 */
export function blockLayout(version: number, ecc: EccLevel): BlockLayout {
  const e = ECC_INDEX[ecc];
  const blocks = BLOCKS[e]![version]!;
  const eccPerBlock = ECC_PER_BLOCK[e]![version]!;
  const totalCodewords = rawDataModules(version) >> 3;
  const shortBlocks = blocks - (totalCodewords % blocks);
  const shortDataLen = Math.floor(totalCodewords / blocks) - eccPerBlock;
  return { totalCodewords, dataCodewords: totalCodewords - blocks * eccPerBlock, eccPerBlock, blocks, shortBlocks, shortDataLen };
}

/**
 * Centres of the alignment patterns on either axis (Annex E), ascending; empty for version 1.
 * @param version - 1..40
 */
export function alignmentCentres(version: number): number[] {
  if (version === 1) return [];
  const size = version * 4 + 17;
  const count = Math.floor(version / 7) + 2;
  // Spacing is even and equal except the first gap; version 32 is the one irregular entry.
  const step = version === 32 ? 26 : Math.ceil((size - 13) / (count * 2 - 2)) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < count; pos -= step) out.splice(1, 0, pos);
  return out;
}

/**
 * The 15-bit format information: level and mask, BCH(15,5) protected, XOR-masked with 0x5412.
 * @param ecc - error-correction level
 * @param mask - mask pattern 0..7
 */
export function formatBits(ecc: EccLevel, mask: number): number {
  const data = (ECC_FORMAT_BITS[ecc] << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

/**
 * The 18-bit version information for versions 7..40: version, BCH(18,6) protected.
 * @param version - 7..40
 */
export function versionBits(version: number): number {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | rem;
}
