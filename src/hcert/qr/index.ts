/**
 * QR codes for HC1 certificates: encode (ISO/IEC 18004, own encoder tuned for throughput), render
 * to SVG or PNG, and read QR codes back from PNG/JPEG images, phone photos included.
 * @module
 */
export { qrMatrix } from './qr-matrix.js';
export type { QrMatrix, QrOptions } from './qr-matrix.js';
export type { EccLevel } from './qr-tables.js';
export type { QrMode } from './qr-data.js';
export { renderSvg, svgFromMatrix } from './render-svg.js';
export type { SvgOptions } from './render-svg.js';
export { renderPng, pngFromMatrix } from './render-png.js';
export type { PngOptions } from './render-png.js';
export { decodeQrImage, warmUpQrDecoder } from './decode-qr-image.js';
export { QrDataTooLongError, QrImageInvalidError } from './qr-errors.js';
export { benchQr, sampleHc1Text } from './qr-bench.js';
export type { QrBenchResult } from './qr-bench.js';
