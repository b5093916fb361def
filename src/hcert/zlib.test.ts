import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constants, deflateRawSync, deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { zlibDeflate } from './deflate.js';
import { HcertError } from './errors.js';
import { zlibInflate } from './inflate.js';

const LIMIT = 1 << 20;
// Compressible and incompressible inputs of DCC-like sizes.
const inputs = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc.stringMatching(/^[A-J0-9 /-]{0,3000}$/).map((s) => Buffer.from(s)),
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 200 })).map(([b, n]) => Buffer.concat(Array(n).fill(Buffer.from(b)))),
);

describe('zlib', () => {
  it('node:zlib inflates what we deflate', () => {
    fc.assert(fc.property(inputs, (b) => inflateSync(zlibDeflate(b)).equals(Buffer.from(b))), { numRuns: 1500 });
  });

  it('inflates what node:zlib deflates, with every strategy and level', () => {
    const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FILTERED];
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...strategies), (b, level, strategy) =>
        Buffer.from(zlibInflate(deflateSync(b, { level, strategy }), LIMIT)).equals(Buffer.from(b)),
      ),
      { numRuns: 1500 },
    );
  });

  it('handles inputs larger than the small-input path', () => {
    const big = Buffer.alloc(100_000, 'VaxPass ');
    assert.ok(inflateSync(zlibDeflate(big)).equals(big));
    assert.ok(Buffer.from(zlibInflate(deflateSync(big), LIMIT)).equals(big));
  });

  it('refuses a zip bomb at the limit', () => {
    const bomb = deflateSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 });
    assert.ok(bomb.length < 20_000);
    assert.throws(() => zlibInflate(bomb, 64 * 1024), (e: HcertError) => e.code === 'HC1_INFLATE_LIMIT');
  });

  it('rejects broken streams with a ZlibError', () => {
    const good = deflateSync(Buffer.from('hello hello hello'));
    const cases: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from([0x78]),
      Buffer.from([0x79, 0x9c, 0, 0]), // bad method
      Buffer.from([0x78, 0x9d, 0, 0]), // bad check bits
      good.subarray(0, good.length - 2), // trailer cut
      Buffer.concat([good.subarray(0, good.length - 1), Buffer.from([good[good.length - 1]! ^ 1])]), // adler
      Buffer.concat([Buffer.from([0x78, 0x9c]), deflateRawSync(Buffer.from('x')).subarray(0, 1)]),
      Buffer.from([0x78, 0x9c, 0x07]), // block type 3
    ];
    for (const c of cases) assert.throws(() => zlibInflate(c, LIMIT), (e: HcertError) => e.code === 'HC1_ZLIB', c.toString('hex'));
  });

  it('answers random bytes behind a valid header with a result or a ZlibError, like node:zlib', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
        const data = Buffer.concat([Buffer.from([0x78, 0x9c]), body]);
        let ours: Buffer | undefined;
        try {
          ours = Buffer.from(zlibInflate(data, LIMIT));
        } catch (e) {
          if (!(e instanceof HcertError)) throw e;
        }
        let theirs: Buffer | undefined;
        try {
          theirs = inflateSync(data);
        } catch {
          theirs = undefined;
        }
        // node:zlib also accepts streams with trailing garbage and we do too; results must agree when both succeed.
        if (ours && theirs) return ours.equals(theirs);
        return true;
      }),
      { numRuns: 20_000 },
    );
  });
});
