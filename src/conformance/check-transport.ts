/**
 * The transport checks of dgc-testdata (README "Code Validation" 1-3 and 9): picture → PREFIX,
 * PREFIX → BASE45, BASE45 → COMPRESSED, COMPRESSED → COSE. Each compares our codec's output for
 * one field with the vector's next field. Results say whether the step succeeded, and why not.
 */
import { readFile } from 'node:fs/promises';
import { base45Decode, unprefix, zlibInflate, MAX_INFLATED_BYTES } from '../hcert/index.js';
import { hexBytes, no, ok } from './inputs.js';
import type { Read } from './inputs.js';
import { attempt, message } from './vector-data.js';
import type { VectorData } from './vector-data.js';

/** Decodes the QR codes in a PNG/JPEG picture (src/hcert/qr decodeQrImage). */
export type PictureDecoder = (bytes: Uint8Array) => Promise<string[]>;

function bytesDiffer(what: string, actual: Uint8Array, expected: Uint8Array): string | undefined {
  if (Buffer.compare(actual, expected) === 0) return undefined;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  return `${what} differ at byte ${i} (ours ${actual.length} bytes, vector ${expected.length})`;
}

/**
 * EXPECTEDUNPREFIX: PREFIX carries the `HC1:` context identifier and the rest equals BASE45.
 * @param data - the vector's layers
 */
export function checkUnprefix(data: VectorData): Read<string> {
  const prefix = data.prefix();
  if (!prefix.ok) return prefix;
  const rest = attempt('unprefix', () => unprefix(prefix.value));
  if (!rest.ok) return rest;
  const b45 = data.vector.fields.BASE45;
  if (b45 === undefined) return ok('PREFIX has the HC1: context identifier (vector has no BASE45 to compare)');
  return rest.value === b45 ? ok('PREFIX without HC1: equals BASE45') : no('PREFIX without HC1: differs from BASE45');
}

/**
 * EXPECTEDB45DECODE: BASE45 decodes and equals COMPRESSED (when the vector has no COMPRESSED,
 * the decoded bytes must inflate to COSE instead).
 * @param data - the vector's layers
 */
export function checkBase45(data: VectorData): Read<string> {
  const b45 = data.base45();
  if (!b45.ok) return b45;
  const decoded = attempt('base45-decode', () => base45Decode(b45.value));
  if (!decoded.ok) return decoded;
  const compressedField = data.vector.fields.COMPRESSED;
  if (compressedField !== undefined) {
    const expected = hexBytes('COMPRESSED', compressedField);
    if (!expected.ok) return expected;
    const d = bytesDiffer('base45-decoded BASE45 and COMPRESSED', decoded.value, expected.value);
    return d ? no(d) : ok('base45-decoded BASE45 equals COMPRESSED');
  }
  const cose = data.vector.fields.COSE === undefined ? undefined : hexBytes('COSE', data.vector.fields.COSE);
  if (!cose) return no('vector has neither COMPRESSED nor COSE to compare the decoded BASE45 with');
  if (!cose.ok) return cose;
  const inflated = attempt('inflate the decoded BASE45', () => zlibInflate(decoded.value, MAX_INFLATED_BYTES));
  if (!inflated.ok) return inflated;
  const d = bytesDiffer('inflated BASE45 and COSE', inflated.value, cose.value);
  return d ? no(d) : ok('vector has no COMPRESSED: the decoded BASE45 inflates to COSE');
}

/**
 * EXPECTEDCOMPRESSION: COMPRESSED (or, when absent, the decoded BASE45) inflates to COSE.
 * @param data - the vector's layers
 */
export function checkCompression(data: VectorData): Read<string> {
  const compressed = data.compressed();
  if (!compressed.ok) return compressed;
  const source = data.derived.has('COMPRESSED') ? 'the decoded BASE45 (vector has no COMPRESSED)' : 'COMPRESSED';
  const inflated = attempt(`inflate ${source}`, () => zlibInflate(compressed.value, MAX_INFLATED_BYTES));
  if (!inflated.ok) return inflated;
  if (data.vector.fields.COSE === undefined) return no('vector has no COSE to compare the inflated bytes with');
  const cose = hexBytes('COSE', data.vector.fields.COSE);
  if (!cose.ok) return cose;
  const d = bytesDiffer(`inflated ${source} and COSE`, inflated.value, cose.value);
  return d ? no(d) : ok(`${source} inflates to COSE`);
}

/**
 * EXPECTEDPICTUREDECODE: the 2DCODE picture holds a QR code whose text equals PREFIX.
 * @param data - the vector's layers
 * @param decode - the QR picture decoder
 */
export async function checkPicture(data: VectorData, decode: PictureDecoder): Promise<Read<string>> {
  const picture = data.picture();
  if (!picture.ok) return picture;
  const prefix = data.prefix();
  if (!prefix.ok) return prefix;
  let texts: string[];
  try {
    const bytes = Buffer.isBuffer(picture.value) ? picture.value : await readFile(picture.value.file);
    texts = await decode(bytes);
  } catch (e) {
    return no(`QR picture not decodable: ${message(e)}`);
  }
  const where = Buffer.isBuffer(picture.value) ? '2DCODE' : `picture file ${picture.value.file}`;
  if (texts.length === 0) return no(`no QR code found in ${where}`);
  return texts.some((t) => t === prefix.value || t.trim() === prefix.value.trim())
    ? ok(`QR code in ${where} reads as PREFIX`)
    : no(`QR code in ${where} reads ${JSON.stringify(texts[0]!.slice(0, 24))}..., not PREFIX`);
}
