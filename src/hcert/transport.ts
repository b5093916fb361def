/**
 * Transport encoding (eu-dcc-hcert-spec §4): COSE → zlib → base45 → `HC1:` prefix, and back,
 * with size caps so hostile input (huge text, zip bombs) is refused early.
 */
import { base45Decode, base45Encode } from './base45.js';
import { zlibDeflate } from './deflate.js';
import { InputTooLargeError, PrefixError } from './errors.js';
import { zlibInflate } from './inflate.js';

export const HC1_PREFIX = 'HC1:';
/** Largest HC1 text accepted: a version-40 QR holds at most 4,296 alphanumeric characters. */
export const MAX_HC1_CHARS = 8192;
/** Largest inflated COSE accepted: real DCCs are under 2 KiB. */
export const MAX_INFLATED_BYTES = 64 * 1024;

/**
 * COSE bytes → `HC1:` text.
 * @param cose - a COSE_Sign1
 */
export function toHc1(cose: Uint8Array): string {
  return HC1_PREFIX + base45Encode(zlibDeflate(cose));
}

/**
 * Strips the context identifier; throws PrefixError / InputTooLargeError.
 * @param text - scanned text (surrounding whitespace is ignored)
 */
export function unprefix(text: string): string {
  if (text.length > MAX_HC1_CHARS + 64) throw new InputTooLargeError(`input is ${text.length} characters; at most ${MAX_HC1_CHARS} are accepted`);
  const t = text.trim();
  if (t.length > MAX_HC1_CHARS) throw new InputTooLargeError(`input is ${t.length} characters; at most ${MAX_HC1_CHARS} are accepted`);
  if (!t.startsWith(HC1_PREFIX)) {
    const shown = JSON.stringify(t.slice(0, 4));
    throw new PrefixError(`missing context identifier "HC1:" (input starts with ${shown})`);
  }
  return t.slice(HC1_PREFIX.length);
}

/**
 * `HC1:` text → the three transport layers, each step throwing its own HcertError.
 * @param text - scanned text
 */
export function fromHc1(text: string): { base45: string; compressed: Uint8Array; cose: Uint8Array } {
  const b45 = unprefix(text);
  const compressed = base45Decode(b45);
  const cose = zlibInflate(compressed, MAX_INFLATED_BYTES);
  return { base45: b45, compressed, cose };
}
