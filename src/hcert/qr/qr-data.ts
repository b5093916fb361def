/**
 * Data encodation (ISO/IEC 18004:2015 7.4): text → one segment in the densest single mode that can
 * hold it (numeric, alphanumeric, else UTF-8 bytes), smallest version that fits, terminator and
 * pad codewords, then Reed-Solomon blocks interleaved (7.6) into the final codeword sequence.
 * HC1 payloads are base45, whose alphabet is exactly the alphanumeric set: 5.5 bits per character
 * instead of 8, which is what keeps a 580-character certificate at version 15 (M).
 * One segment, not a mixed-mode optimisation: inside base45 text digit runs are short, and mixing
 * would cost more in code than it saves in modules. Byte mode carries UTF-8 without an ECI
 * header, like most encoders: readers (ZXing, phone cameras) detect UTF-8, and some older ones
 * mishandle ECI.
 */
import { QrDataTooLongError } from './qr-errors.js';
import { rsEncodeInto } from './reed-solomon.js';
import { blockLayout, type EccLevel } from './qr-tables.js';

/** The one segment mode a symbol's text is stored in. */
export type QrMode = 'numeric' | 'alphanumeric' | 'byte';

const MODE_INDICATOR: Readonly<Record<QrMode, number>> = { numeric: 1, alphanumeric: 2, byte: 4 };

// Character-count field widths for versions 1-9, 10-26, 27-40 (Table 3).
const COUNT_BITS: Readonly<Record<QrMode, readonly [number, number, number]>> = {
  numeric: [10, 12, 14],
  alphanumeric: [9, 11, 13],
  byte: [8, 16, 16],
};

/** Alphanumeric value of each ASCII code, -1 when the character is outside the set. */
const ALNUM = new Int8Array(128).fill(-1);
const ALNUM_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
for (let i = 0; i < ALNUM_CHARS.length; i++) ALNUM[ALNUM_CHARS.charCodeAt(i)] = i;

/** A segment ready for bit packing. */
interface Segment {
  readonly mode: QrMode;
  /** character count as the count field states it (bytes for byte mode) */
  readonly count: number;
  /** data bits after mode indicator and count */
  readonly dataBits: number;
  /** UTF-8 bytes (byte mode only) */
  readonly bytes?: Uint8Array;
}

/** The codewords of one symbol and the version they were laid out for. */
export interface QrCodewords {
  readonly version: number;
  readonly mode: QrMode;
  /** data and ECC codewords, interleaved, in placement order */
  readonly codewords: Uint8Array;
}

function chooseSegment(text: string): Segment {
  let numeric = text.length > 0;
  let alnum = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ALNUM[c]! < 0) {
      alnum = numeric = false;
      break;
    }
    if (c < 48 || c > 57) numeric = false;
  }
  const n = text.length;
  if (numeric) return { mode: 'numeric', count: n, dataBits: Math.floor(n / 3) * 10 + [0, 4, 7][n % 3]! };
  if (alnum) return { mode: 'alphanumeric', count: n, dataBits: (n >> 1) * 11 + (n & 1) * 6 };
  const bytes = Buffer.from(text, 'utf8');
  return { mode: 'byte', count: bytes.length, dataBits: bytes.length * 8, bytes };
}

function countBits(mode: QrMode, version: number): number {
  return COUNT_BITS[mode][version < 10 ? 0 : version < 27 ? 1 : 2];
}

/** Big-endian bit writer over a zeroed codeword buffer; whole bytes leave an accumulator. */
class BitWriter {
  /** bits written so far */
  bit = 0;
  private acc = 0;
  private pending = 0;
  constructor(readonly buf: Uint8Array) {}
  /** Appends the low `len` (≤ 16) bits of `value`. */
  put(value: number, len: number): void {
    this.acc = (this.acc << len) | value;
    this.pending += len;
    this.bit += len;
    while (this.pending >= 8) {
      this.pending -= 8;
      this.buf[(this.bit - this.pending - 8) >>> 3] = (this.acc >>> this.pending) & 0xff;
    }
    this.acc &= (1 << this.pending) - 1;
  }
  /** Writes out a last partial byte. */
  flush(): void {
    if (this.pending > 0) this.buf[this.bit >>> 3] = (this.acc << (8 - this.pending)) & 0xff;
  }
}

function writeSegment(w: BitWriter, seg: Segment, text: string, version: number): void {
  w.put(MODE_INDICATOR[seg.mode], 4);
  w.put(seg.count, countBits(seg.mode, version));
  const n = text.length;
  switch (seg.mode) {
    case 'numeric': {
      let i = 0;
      for (; i + 3 <= n; i += 3) w.put(+text.slice(i, i + 3), 10);
      if (i < n) w.put(+text.slice(i), n - i === 2 ? 7 : 4);
      break;
    }
    case 'alphanumeric': {
      let i = 0;
      for (; i + 2 <= n; i += 2) w.put(ALNUM[text.charCodeAt(i)]! * 45 + ALNUM[text.charCodeAt(i + 1)]!, 11);
      if (i < n) w.put(ALNUM[text.charCodeAt(i)]!, 6);
      break;
    }
    case 'byte':
      for (const b of seg.bytes!) w.put(b, 8);
      break;
  }
}

/**
 * Encodes text into the interleaved codewords of the smallest symbol that holds it.
 * @param text - content; any string (non-alphanumeric text is stored as UTF-8 bytes)
 * @param ecc - error-correction level
 * @param minVersion - smallest version to consider (1..40)
 */
export function encodeCodewords(text: string, ecc: EccLevel, minVersion = 1): QrCodewords {
  const seg = chooseSegment(text);
  let version = Math.max(1, Math.min(40, Math.floor(minVersion)));
  let layout = blockLayout(version, ecc);
  for (; ; layout = blockLayout(++version, ecc)) {
    const cb = countBits(seg.mode, version);
    if (seg.count < 1 << cb && 4 + cb + seg.dataBits <= layout.dataCodewords * 8) break;
    if (version === 40) {
      throw new QrDataTooLongError(`text of ${text.length} characters does not fit a QR code at level ${ecc}`, {
        mode: seg.mode,
        bits: 4 + cb + seg.dataBits,
        capacityBits: layout.dataCodewords * 8,
        ecc,
      });
    }
  }

  const { dataCodewords, totalCodewords, eccPerBlock, blocks, shortBlocks, shortDataLen } = layout;
  const data = new Uint8Array(dataCodewords);
  const w = new BitWriter(data);
  writeSegment(w, seg, text, version);
  w.flush();
  // The terminator (up to four zero bits) and the zero bits up to a codeword boundary are already
  // there, the buffer being zeroed; pad codewords start after both.
  const padStart = (Math.min(w.bit + 4, dataCodewords * 8) + 7) >>> 3;
  for (let i = padStart, pad = 0xec; i < dataCodewords; i++, pad ^= 0xec ^ 0x11) data[i] = pad;

  // ECC per block, then interleave: data column by column, the long blocks' extra codeword last,
  // then the ECC codewords column by column.
  const ecc2 = new Uint8Array(blocks * eccPerBlock);
  const starts = new Int32Array(blocks + 1);
  for (let b = 0; b < blocks; b++) {
    const len = shortDataLen + (b < shortBlocks ? 0 : 1);
    starts[b + 1] = starts[b]! + len;
    rsEncodeInto(data, starts[b]!, len, eccPerBlock, ecc2, b * eccPerBlock);
  }
  const out = new Uint8Array(totalCodewords);
  let o = 0;
  for (let i = 0; i <= shortDataLen; i++) {
    for (let b = i < shortDataLen ? 0 : shortBlocks; b < blocks; b++) out[o++] = data[starts[b]! + i]!;
  }
  for (let i = 0; i < eccPerBlock; i++) {
    for (let b = 0; b < blocks; b++) out[o++] = ecc2[b * eccPerBlock + i]!;
  }
  return { version, mode: seg.mode, codewords: out };
}
