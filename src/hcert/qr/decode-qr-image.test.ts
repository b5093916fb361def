import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeQrImage, warmUpQrDecoder } from './decode-qr-image.js';
import { QrImageInvalidError } from './qr-errors.js';
import { qrMatrix } from './qr-matrix.js';
import { pngFromMatrix, renderPng } from './render-png.js';
import { sampleHc1Text } from './qr-bench.js';
import { synthPhoto } from './test-helpers/synth-photo.js';

// The EU conformance vectors live in shared/ beside the repository and are read in place.
const SHARED = process.env.VAXPASS_SHARED_DIR ?? fileURLToPath(new URL('../../../../shared', import.meta.url));
const DGC_TESTDATA = resolve(SHARED, 'conformance', 'dgc-testdata');

interface PictureVector {
  readonly id: string;
  readonly png: Buffer;
  readonly prefix: string;
  /** EXPECTEDPICTUREDECODE: false marks a picture that must not decode to PREFIX */
  readonly expected: boolean;
}

function pictureVectors(): PictureVector[] {
  const out: PictureVector[] = [];
  for (const country of readdirSync(DGC_TESTDATA).sort()) {
    const dir = join(DGC_TESTDATA, country, '2DCode', 'raw');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const v = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const code = v['2DCODE'];
      const prefix = v.PREFIX;
      if (typeof code !== 'string' || code === '' || typeof prefix !== 'string') continue;
      const expected = (v.EXPECTEDRESULTS as Record<string, unknown> | undefined)?.EXPECTEDPICTUREDECODE !== false;
      out.push({ id: `${country}/${file}`, png: Buffer.from(code, 'base64'), prefix, expected });
    }
  }
  return out;
}

function greyPng(width: number, height: number, grey: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(grey);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return PNG.sync.write(png);
}

const isInvalidImage = (e: unknown): boolean => e instanceof QrImageInvalidError && e.code === 'QR_IMAGE_INVALID';

describe('decodeQrImage', () => {
  before(() => warmUpQrDecoder());

  it('reads the EU dgc-testdata pictures (2DCODE) back to their PREFIX', { skip: !existsSync(DGC_TESTDATA) && `no ${DGC_TESTDATA}` }, async () => {
    const vectors = pictureVectors();
    assert.ok(vectors.length > 300, `only ${vectors.length} picture vectors`);
    const positive = vectors.filter((v) => v.expected);
    // Every positive vector (~350 PNGs, under a second), and the negative ones must not match.
    for (const v of positive) assert.deepEqual(await decodeQrImage(v.png), [v.prefix], v.id);
    const negative = vectors.filter((v) => !v.expected);
    assert.ok(negative.length >= 1);
    for (const v of negative) {
      // e.g. common/Q1.json, whose picture is not even an image: rejecting it is a right answer too.
      const texts = await decodeQrImage(v.png).catch((e: unknown): string[] => {
        if (isInvalidImage(e)) return [];
        throw e;
      });
      assert.ok(!texts.includes(v.prefix), v.id);
    }
  });

  it('reads a phone photo of a printed HC1 code (rotated, skewed, blurred, noisy, unevenly lit, JPEG q70)', async () => {
    const text = sampleHc1Text(580, 2021);
    const q = qrMatrix(text);
    const photo = synthPhoto(q, { seed: 7 });
    assert.equal(photo[0], 0xff); // a JPEG
    assert.deepEqual(await decodeQrImage(photo), [text]);
  });

  it('reads a smaller, more tilted photo (~4 px per module, 11°, strong perspective)', async () => {
    const text = sampleHc1Text(580, 84);
    const photo = synthPhoto(qrMatrix(text), { seed: 3, coverage: 0.5, rotateDeg: -11, perspective: 0.2, width: 640, height: 800 });
    assert.deepEqual(await decodeQrImage(photo), [text]);
  });

  it('reads a plain JPEG rendering', async () => {
    const png = PNG.sync.read(renderPng('HC1:JPEG TEST', { scale: 5 }));
    const jpg = jpeg.encode({ data: png.data, width: png.width, height: png.height }, 70).data;
    assert.deepEqual(await decodeQrImage(jpg), ['HC1:JPEG TEST']);
  });

  it('finds every code in an image', async () => {
    const texts = ['HC1:FIRST', 'HC1:SECOND CODE', 'third, byte mode'];
    const parts = texts.map((t) => PNG.sync.read(pngFromMatrix(qrMatrix(t), { scale: 4 })));
    const width = parts.reduce((s, p) => s + p.width, 0);
    const height = Math.max(...parts.map((p) => p.height));
    const img = new PNG({ width, height });
    img.data.fill(255);
    let x0 = 0;
    for (const p of parts) {
      PNG.bitblt(p, img, 0, 0, p.width, p.height, x0, 0);
      x0 += p.width;
    }
    assert.deepEqual((await decodeQrImage(PNG.sync.write(img))).sort(), [...texts].sort());
  });

  it('returns [] for an image without a QR code', async () => {
    assert.deepEqual(await decodeQrImage(greyPng(200, 150, 255)), []);
    assert.deepEqual(await decodeQrImage(greyPng(64, 64, 0)), []);
  });

  it('rejects bytes that are not an image with QR_IMAGE_INVALID', async () => {
    await assert.rejects(decodeQrImage(new Uint8Array(0)), isInvalidImage);
    await assert.rejects(decodeQrImage(Buffer.from('HC1:NCFOXN%TS3DH not an image')), isInvalidImage);
    await assert.rejects(decodeQrImage(Buffer.from('GIF89a......')), isInvalidImage);
  });

  it('rejects a corrupt or truncated PNG/JPEG with QR_IMAGE_INVALID', async () => {
    const png = renderPng(sampleHc1Text(300));
    await assert.rejects(decodeQrImage(png.subarray(0, 60)), isInvalidImage);
    const garbled = Buffer.from(png);
    for (let i = 40; i < garbled.length; i += 7) garbled[i] = garbled[i]! ^ 0x5a;
    await assert.rejects(decodeQrImage(garbled), isInvalidImage);
    await assert.rejects(decodeQrImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])), isInvalidImage);
  });
});
