import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { readBarcodes } from 'zxing-wasm/reader';
import { decodeQrImage, warmUpQrDecoder } from './decode-qr-image.js';
import { qrMatrix } from './qr-matrix.js';
import { pngFromMatrix, renderPng } from './render-png.js';
import { sampleHc1Text } from './qr-bench.js';
import type { EccLevel } from './qr-tables.js';

const LEVELS: readonly EccLevel[] = ['L', 'M', 'Q', 'H'];

describe('renderPng', () => {
  before(() => warmUpQrDecoder());

  it('draws every module as scale × scale pixels inside a quiet zone', () => {
    const q = qrMatrix('HC1:TEST', { ecc: 'Q' });
    const png = PNG.sync.read(pngFromMatrix(q, { scale: 3, margin: 4 }));
    const side = (q.size + 8) * 3;
    assert.equal(png.width, side);
    assert.equal(png.height, side);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const mx = Math.floor(x / 3) - 4;
        const my = Math.floor(y / 3) - 4;
        const dark = mx >= 0 && my >= 0 && mx < q.size && my < q.size && q.modules[my * q.size + mx] === 1;
        assert.equal(png.data[(y * side + x) * 4], dark ? 0 : 255, `pixel ${x},${y}`);
      }
    }
  });

  it('is a small 1-bit image (~1.4 KB for a version-15 HC1 at 4 px/module)', () => {
    const png = renderPng(sampleHc1Text(580));
    assert.ok(png.length < 4000, `${png.length} bytes`);
    assert.equal(png.readUInt32BE(16), 85 * 4);
  });

  it('round-trips through ZXing for several lengths at every level, with the version we chose', async () => {
    for (const len of [24, 150, 400, 580, 1100]) {
      for (const ecc of LEVELS) {
        const text = sampleHc1Text(len, len);
        const q = qrMatrix(text, { ecc });
        const png = pngFromMatrix(q, { scale: 2 });
        assert.deepEqual(await decodeQrImage(png), [text], `${len} chars at ${ecc}`);
        // ZXing's own reading of the symbol's format and version information must agree with ours.
        const [r] = await readBarcodes(png, { formats: ['QRCode'] });
        const seen = JSON.parse(r?.extra ?? '{}') as { Version?: string; ECLevel?: string; DataMask?: number };
        assert.deepEqual(seen, { ...seen, Version: String(q.version), ECLevel: ecc, DataMask: q.mask });
      }
    }
  });

  it('round-trips byte-mode and numeric-mode text', async () => {
    for (const text of ['Nguyễn Văn A, sinh 1990 — Hà Nội ✓', 'https://vaxpass.vn/verify?id=abc', '\u0000\u00ff binary-ish', '01234567890123456789']) {
      assert.deepEqual(await decodeQrImage(renderPng(text)), [text]);
    }
  });

  it('round-trips a forced mask of each kind', async () => {
    for (let mask = 0; mask < 8; mask++) {
      const text = sampleHc1Text(300, mask);
      assert.deepEqual(await decodeQrImage(pngFromMatrix(qrMatrix(text, { mask }))), [text], `mask ${mask}`);
    }
  });
});
