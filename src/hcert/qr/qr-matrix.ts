/**
 * QR Code model 2 encoder (ISO/IEC 18004:2015): text → module matrix.
 *
 * Why our own encoder: issuing renders a QR per certificate, and the benchmark goal is ≥ 2,000 SVG
 * renders per second. Measured on this (2-core, shared) machine with 580-character HC1-like
 * alphanumeric texts at level M, matrix + SVG string, all giving the correct version 15:
 * qrcode 1.5.4 ~300/s, uqr 0.1.3 ~220/s, lean-qr 2.7.4 ~110/s, qrcode-generator 2.0.4 ~90/s.
 * None comes near, so: typed arrays throughout, per-version layouts and mask planes cached
 * (qr-layout.ts), table-driven Reed-Solomon with cached generators (reed-solomon.ts), and mask
 * penalties evaluated 32 modules at a time on bit-packed rows and columns (qr-penalty.ts).
 * Ours: ~4,400-8,800/s on the same machine, depending on its load (`benchQr`).
 * For the same mode, level and mask the output matched the `qrcode` package module for module
 * (286 random texts of 1-2,000 characters, all modes and levels, checked during development).
 */
import { encodeCodewords, type QrMode } from './qr-data.js';
import { qrLayout, type QrLayout } from './qr-layout.js';
import { packedPenalty, packLines } from './qr-penalty.js';
import { ECC_INDEX, formatBits, type EccLevel } from './qr-tables.js';

/** Encoder options. */
export interface QrOptions {
  /** error-correction level; default M */
  ecc?: EccLevel;
  /** force a mask pattern 0..7 instead of the lowest-penalty one (tests, comparisons) */
  mask?: number;
  /** smallest version to use, 1..40; default 1 */
  minVersion?: number;
}

/** An encoded symbol. */
export interface QrMatrix {
  /** modules per side (without quiet zone) */
  readonly size: number;
  /** row-major, `size × size` bytes: 1 dark, 0 light */
  readonly modules: Uint8Array;
  readonly version: number;
  readonly ecc: EccLevel;
  readonly mask: number;
  readonly mode: QrMode;
}

/** Scores the eight masks on bit streams of the unmasked symbol; the first lowest score wins. */
function bestMask(raw: Uint8Array, layout: QrLayout, ecc: EccLevel): number {
  const { packed: g, maskRows, maskCols, formatRowBits, formatColBits } = layout;
  const rawRows = new Int32Array(g.words);
  const rawCols = new Int32Array(g.words);
  packLines(raw, g, rawRows, false);
  packLines(raw, g, rawCols, true);
  const rows = new Int32Array(g.words);
  const cols = new Int32Array(g.words);
  let best = 0;
  let bestScore = Infinity;
  for (let m = 0; m < 8; m++) {
    const mr = maskRows[m]!;
    const mc = maskCols[m]!;
    for (let i = 0; i < g.used; i++) {
      rows[i] = rawRows[i]! ^ mr[i]!;
      cols[i] = rawCols[i]! ^ mc[i]!;
    }
    // Format areas are light in `raw` and untouched by masks: set the dark format bits only.
    const bits = formatBits(ecc, m);
    for (let i = 0; i < 30; i++) {
      if ((bits >>> i % 15) & 1) {
        const r = formatRowBits[i]!;
        const c = formatColBits[i]!;
        rows[r >>> 5]! |= 0x80000000 >>> (r & 31);
        cols[c >>> 5]! |= 0x80000000 >>> (c & 31);
      }
    }
    const score = packedPenalty(rows, cols, g);
    if (score < bestScore) {
      bestScore = score;
      best = m;
    }
  }
  return best;
}

/** Writes both copies of the format information into a matrix. */
function writeFormat(m: Uint8Array, a: Int32Array, b: Int32Array, bits: number): void {
  for (let i = 0; i < 15; i++) {
    const v = (bits >>> i) & 1;
    m[a[i]!] = v;
    m[b[i]!] = v;
  }
}

/**
 * Encodes text into a QR matrix: densest single mode, smallest version, best mask.
 * @param text - content, e.g. an `HC1:` string (alphanumeric mode) or any Unicode text (byte mode)
 * @param opts - error-correction level (default M), optional forced mask or minimum version
 * @throws QrDataTooLongError when the text exceeds a version-40 symbol at that level
 */
export function qrMatrix(text: string, opts: QrOptions = {}): QrMatrix {
  const ecc = opts.ecc ?? 'M';
  if (!Object.hasOwn(ECC_INDEX, ecc)) throw new TypeError(`unknown QR error-correction level: ${ecc}`);
  const { version, mode, codewords } = encodeCodewords(text, ecc, opts.minVersion);
  const layout = qrLayout(version);
  const { size, order, maskPlanes, formatA, formatB } = layout;

  // Unmasked symbol: function patterns plus codeword bits, most significant bit first.
  const raw = layout.base.slice();
  for (let c = 0, k = 0; c < codewords.length; c++) {
    const v = codewords[c]!;
    for (let b = 7; b >= 0; b--, k++) raw[order[k]!] = (v >>> b) & 1;
  }

  let mask = opts.mask ?? -1;
  if (!(Number.isInteger(mask) && mask >= 0 && mask <= 7)) mask = bestMask(raw, layout, ecc);

  const out = new Uint8Array(raw.length);
  const out32 = new Uint32Array(out.buffer);
  const raw32 = new Uint32Array(raw.buffer);
  const plane = new Uint32Array(maskPlanes[mask]!.buffer);
  for (let i = 0; i < raw32.length; i++) out32[i] = raw32[i]! ^ plane[i]!;
  writeFormat(out, formatA, formatB, formatBits(ecc, mask));
  return { size, modules: out.subarray(0, size * size), version, ecc, mask, mode };
}
