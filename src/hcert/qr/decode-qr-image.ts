/**
 * PNG/JPEG image → the texts of every QR code in it, through ZXing-C++ compiled to WebAssembly
 * (zxing-wasm). The package would fetch its .wasm from a CDN; production hosts have no such
 * access, so the binary shipped in node_modules is read and handed over as `wasmBinary`.
 * The module is instantiated once, on first use.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import { QrImageInvalidError } from './qr-errors.js';

// Photos of printed codes come rotated, low-contrast, sometimes inverted and often far larger than
// the code: let ZXing try all of that. Only QR is looked for (faster, and no false 1D reads).
// Plain text mode: the content exactly, without ZXing's escaping of control characters.
const READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  textMode: 'Plain',
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 16,
};

let ready: Promise<unknown> | undefined;

function init(): Promise<unknown> {
  ready ??= (async () => {
    const path = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const bin = await readFile(path);
    const wasmBinary = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
    return prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })().catch((err: unknown) => {
    ready = undefined; // let a later call retry instead of caching the failure
    throw err;
  });
  return ready;
}

/** The image formats we accept, by their magic numbers. */
function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/**
 * Finds and decodes every QR code in a PNG or JPEG image.
 * @param bytes - the image file's bytes
 * @returns the decoded texts, in the order ZXing reports them; empty when the image has no
 *   readable QR code
 * @throws QrImageInvalidError (`QR_IMAGE_INVALID`) when the bytes are not a decodable PNG or JPEG
 */
export async function decodeQrImage(bytes: Uint8Array): Promise<string[]> {
  const kind = imageKind(bytes);
  if (!kind) {
    throw new QrImageInvalidError('not a PNG or JPEG image (unrecognised file signature)', { bytes: bytes.length });
  }
  await init();
  let results;
  try {
    results = await readBarcodes(bytes, READER_OPTIONS);
  } catch (err) {
    throw new QrImageInvalidError(`the ${kind.toUpperCase()} image could not be decoded`, { bytes: bytes.length }, { cause: err });
  }
  // ZXing reports an image it cannot load as a single invalid result, not as an exception.
  const loadFailure = results.find((r) => !r.isValid && /load image/i.test(r.error));
  if (loadFailure) {
    throw new QrImageInvalidError(`the ${kind.toUpperCase()} image could not be decoded: ${loadFailure.error}`, { bytes: bytes.length });
  }
  return results.filter((r) => r.isValid).map((r) => r.text);
}

/**
 * Loads the decoder now rather than on the first image (e.g. at server start-up, so the first
 * request does not pay the ~1 MB WebAssembly compile).
 */
export async function warmUpQrDecoder(): Promise<void> {
  await init();
}
