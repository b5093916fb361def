/**
 * Vietnamese text toolkit for the bulk importer and identity matching: name display form and match
 * key, ASCII fold, legacy encoding (TCVN3, VNI, VIQR, Windows-1258, UTF-8 mojibake) detection and
 * repair, and the encoders the synthetic-data generator uses to fake legacy input.
 * See shared/reference/vn/vietnamese-text.md.
 */
export { decodeBytes } from './decode-bytes.js';
export { detectEncoding, repairText, repairVietnamese } from './detect-encoding.js';
export type { TextEncoding } from './detect-encoding.js';
export { decodeLegacy, encodeLegacy } from './legacy-codec.js';
export type { LegacyEncoding } from './legacy-codec.js';
export { foldName, nameMatchKey, normalizeName } from './normalize-name.js';
export { oldStyleTones } from './tone-placement.js';
export { isVietnameseSyllable } from './vietnamese-letters.js';
export { decodeWindows1252 } from './windows-1252.js';
