/**
 * QR → PNG (ISO/IEC 15948): a 1-bit greyscale image, the smallest lossless form of a two-colour
 * raster. Written directly (signature, IHDR, IDAT through node:zlib, IEND) because a general PNG
 * library would expand to RGBA first, 32 times the bytes to deflate.
 */
import { crc32, deflateSync } from 'node:zlib';
import { qrMatrix, type QrMatrix, type QrOptions } from './qr-matrix.js';

/** PNG rendering options. */
export interface PngOptions extends QrOptions {
  /** pixels per module; default 4 */
  scale?: number;
  /** light modules around the symbol; default 4, the minimum ISO/IEC 18004 asks for */
  margin?: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Renders an already encoded symbol as a PNG image.
 * @param q - the encoded symbol
 * @param opts - scale in px per module (default 4), margin in modules (default 4)
 */
export function pngFromMatrix(q: QrMatrix, opts: Omit<PngOptions, keyof QrOptions> = {}): Buffer {
  const scale = Math.max(1, Math.floor(opts.scale ?? 4));
  const margin = Math.max(0, Math.floor(opts.margin ?? 4));
  const { size, modules } = q;
  const px = (size + 2 * margin) * scale;
  const rowBytes = 1 + ((px + 7) >>> 3); // filter byte + packed pixels
  const raw = Buffer.alloc(rowBytes * px, 0xff); // 1 = white in greyscale; filter 0 reset below

  const line = Buffer.alloc(rowBytes - 1, 0xff);
  for (let y = 0; y < size; y++) {
    line.fill(0xff);
    const row = y * size;
    for (let x = 0; x < size; x++) {
      if (modules[row + x] !== 1) continue;
      for (let p = (x + margin) * scale, e = p + scale; p < e; p++) line[p >>> 3]! &= ~(0x80 >>> (p & 7));
    }
    for (let r = 0; r < scale; r++) line.copy(raw, ((y + margin) * scale + r) * rowBytes + 1);
  }
  for (let y = 0; y < px; y++) raw[y * rowBytes] = 0; // filter type 0 (None) on every row

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(px, 0);
  ihdr.writeUInt32BE(px, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  // compression, filter and interlace methods: 0
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

/**
 * Renders text as a QR code in PNG.
 * @param text - content, e.g. an `HC1:` string
 * @param opts - error-correction level (default M), scale in px per module (default 4), margin
 */
export function renderPng(text: string, opts: PngOptions = {}): Buffer {
  return pngFromMatrix(qrMatrix(text, opts), opts);
}
