/**
 * Everything about a symbol that depends on its version only (ISO/IEC 18004:2015 6.3, 7.7, 7.8):
 * function patterns, the zig-zag order in which codeword bits fill the data modules, and the eight
 * data masks as XOR planes. Built once per version and cached, so encoding a symbol is a handful of
 * linear passes over typed arrays instead of per-module geometry and mask arithmetic.
 */
import { packedGeometry, packLines, type PackedGeometry } from './qr-penalty.js';
import { alignmentCentres, versionBits } from './qr-tables.js';

/** Version-only geometry of a symbol; matrices are row-major, one byte (0 light, 1 dark) per module. */
export interface QrLayout {
  readonly version: number;
  /** modules per side, 4·version + 17 */
  readonly size: number;
  /** function patterns drawn, format areas light, data area 0; length padded to a multiple of 4 */
  readonly base: Uint8Array;
  /** module index of every data bit, in placement order (remainder bits included) */
  readonly order: Int32Array;
  /** per mask 0..7: 1 on every data module the mask inverts, 0 elsewhere; same length as `base` */
  readonly maskPlanes: readonly Uint8Array[];
  /** module index of format bit i (bit 0 = least significant), first copy, around the top-left finder */
  readonly formatA: Int32Array;
  /** module index of format bit i, second copy, split between the other two finders */
  readonly formatB: Int32Array;
  /** bit-stream geometry for mask scoring */
  readonly packed: PackedGeometry;
  /** `maskPlanes` packed as row streams and as column streams */
  readonly maskRows: readonly Int32Array[];
  readonly maskCols: readonly Int32Array[];
  /** stream bit position of format bit i (i < 15: first copy, else second copy of bit i − 15) */
  readonly formatRowBits: Int32Array;
  readonly formatColBits: Int32Array;
}

const cache: (QrLayout | undefined)[] = [];

/** Whether mask pattern m inverts the module at row i, column j (Table 10). */
function maskInverts(m: number, i: number, j: number): boolean {
  switch (m) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i + j) % 2) + ((i * j) % 3)) % 2 === 0;
  }
}

function build(version: number): QrLayout {
  const size = version * 4 + 17;
  const padded = (size * size + 3) & ~3;
  const base = new Uint8Array(padded);
  const fn = new Uint8Array(size * size);
  const set = (x: number, y: number, dark: boolean): void => {
    fn[y * size + x] = 1;
    base[y * size + x] = dark ? 1 : 0;
  };

  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0); // timing patterns
    set(i, 6, i % 2 === 0);
  }
  // Finder patterns with their light separators: concentric squares, rings 2 and 4 light.
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        const ring = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, ring !== 2 && ring !== 4);
      }
    }
  }
  const centres = alignmentCentres(version);
  const last = centres.length - 1;
  for (let a = 0; a <= last; a++) {
    for (let b = 0; b <= last; b++) {
      if ((a === 0 && b === 0) || (a === 0 && b === last) || (a === last && b === 0)) continue; // under a finder
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) set(centres[a]! + dx, centres[b]! + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
  }

  // Format information positions (7.9.1); reserved now, written per mask by the encoder.
  const formatA = new Int32Array(15);
  const formatB = new Int32Array(15);
  for (let i = 0; i < 15; i++) {
    const [ax, ay] = i < 6 ? [8, i] : i === 6 ? [8, 7] : i === 7 ? [8, 8] : i === 8 ? [7, 8] : [14 - i, 8];
    const [bx, by] = i < 8 ? [size - 1 - i, 8] : [8, size - 15 + i];
    formatA[i] = ay * size + ax;
    formatB[i] = by * size + bx;
    set(ax, ay, false);
    set(bx, by, false);
  }
  set(8, size - 8, true); // the dark module beside the bottom-left format copy
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, dark);
      set(b, a, dark);
    }
  }

  // Zig-zag placement (7.7.3): column pairs from the right, alternately upwards and downwards,
  // skipping the vertical timing column.
  const order: number[] = [];
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < size; v++) {
      const y = upward ? size - 1 - v : v;
      for (let x = right; x >= right - 1; x--) if (fn[y * size + x] === 0) order.push(y * size + x);
    }
  }

  const maskPlanes: Uint8Array[] = [];
  for (let m = 0; m < 8; m++) {
    const plane = new Uint8Array(padded);
    for (const idx of order) if (maskInverts(m, Math.floor(idx / size), idx % size)) plane[idx] = 1;
    maskPlanes.push(plane);
  }
  const packed = packedGeometry(size);
  const pack = (plane: Uint8Array, columns: boolean): Int32Array => {
    const out = new Int32Array(packed.words);
    packLines(plane, packed, out, columns);
    return out;
  };
  const formatRowBits = new Int32Array(30);
  const formatColBits = new Int32Array(30);
  for (let i = 0; i < 30; i++) {
    const idx = i < 15 ? formatA[i]! : formatB[i - 15]!;
    const y = Math.floor(idx / size);
    const x = idx % size;
    formatRowBits[i] = y * packed.stride + x;
    formatColBits[i] = x * packed.stride + y;
  }
  return {
    version,
    size,
    base,
    order: Int32Array.from(order),
    maskPlanes,
    formatA,
    formatB,
    packed,
    maskRows: maskPlanes.map((p) => pack(p, false)),
    maskCols: maskPlanes.map((p) => pack(p, true)),
    formatRowBits,
    formatColBits,
  };
}

/**
 * The cached layout of a version.
 * @param version - 1..40
 */
export function qrLayout(version: number): QrLayout {
  return (cache[version] ??= build(version));
}
