/**
 * How the importer turns a file's bytes into text: UTF-8 when the bytes are valid UTF-8 (a BOM is
 * dropped), otherwise Windows-1252 as WHATWG defines it (undefined bytes 0x81 0x8D 0x8F 0x90 0x9D
 * become the C1 controls U+0081…). TCVN3/VNI/Windows-1258 files therefore arrive as Windows-1252
 * characters, which `detectEncoding`/`repairText` then undo.
 */
import { decodeWindows1252 } from './windows-1252.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes file bytes as UTF-8, falling back to Windows-1252 when they are not valid UTF-8.
 * @param buf - the raw bytes of a file (or of a chunk that ends on a line boundary)
 * @returns the text and the decoder used
 */
export function decodeBytes(buf: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: UTF8.decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(buf), encoding: 'windows-1252' };
  }
}
