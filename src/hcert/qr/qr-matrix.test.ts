import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeCodewords } from './qr-data.js';
import { QrDataTooLongError } from './qr-errors.js';
import { qrMatrix } from './qr-matrix.js';
import { maskPenalty } from './qr-penalty.js';
import { sampleHc1Text } from './qr-bench.js';
import { blockLayout, formatBits, versionBits, type EccLevel } from './qr-tables.js';
import { referencePenalty } from './test-helpers/reference-penalty.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const LEVELS: readonly EccLevel[] = ['L', 'M', 'Q', 'H'];

describe('encodeCodewords', () => {
  it('matches the ISO/IEC 18004 Annex I example ("01234567", 1-M)', () => {
    const { version, mode, codewords } = encodeCodewords('01234567', 'M');
    assert.equal(version, 1);
    assert.equal(mode, 'numeric');
    assert.equal(hex(codewords), '10200c566180ec11ec11ec11ec11ec11' + 'a524d4c1ed36c7872c55');
  });

  it('matches the well-known "HELLO WORLD" 1-M codewords (alphanumeric)', () => {
    const { codewords } = encodeCodewords('HELLO WORLD', 'M');
    assert.equal(hex(codewords), '205b0b78d172dc4d4340ec11ec11ec11' + 'c4232777ebd7e7e25d17');
  });

  it('puts pad codewords after the terminator, even when it spills into a new codeword', () => {
    // 'AB' at 1-L: 4 + 9 + 11 = 24 bits fill 3 codewords exactly; the 4-bit terminator makes the
    // 4th codeword 0x00 and padding (EC 11 …) starts at the 5th.
    assert.equal(hex(encodeCodewords('AB', 'L').codewords.subarray(0, 6)), '2011cd00ec11');
    // '1' at 1-L: 4 + 10 + 4 = 18 bits, terminator to 22, zero bits to 24, then EC 11.
    assert.equal(hex(encodeCodewords('1', 'L').codewords.subarray(0, 5)), '100440ec11');
  });
});

describe('format and version information', () => {
  it('matches the standard BCH codes', () => {
    assert.deepEqual(
      LEVELS.map((e) => formatBits(e, 0).toString(2).padStart(15, '0')),
      ['111011111000100', '101010000010010', '011010101011111', '001011010001001'],
    );
    assert.equal(versionBits(7), 0x07c94);
    assert.equal(versionBits(40), 0x28c69);
  });
});

describe('qrMatrix', () => {
  it('encodes a 580-character HC1 text in alphanumeric mode as version 15 at level M', () => {
    const q = qrMatrix(sampleHc1Text(580));
    assert.equal(q.mode, 'alphanumeric');
    assert.equal(q.version, 15);
    assert.equal(q.size, 77);
    assert.equal(q.ecc, 'M');
    assert.equal(q.modules.length, 77 * 77);
  });

  it('picks the smallest version: capacity boundaries of versions 14/15 at M', () => {
    // 14-M holds 365 data codewords = 528 alphanumeric characters, 15-M 415 = 600.
    assert.equal(blockLayout(14, 'M').dataCodewords, 365);
    assert.equal(blockLayout(15, 'M').dataCodewords, 415);
    assert.equal(qrMatrix(sampleHc1Text(528)).version, 14);
    assert.equal(qrMatrix(sampleHc1Text(529)).version, 15);
    assert.equal(qrMatrix(sampleHc1Text(600)).version, 15);
    assert.equal(qrMatrix(sampleHc1Text(601)).version, 16);
  });

  it('uses byte mode (UTF-8) for other text, numeric mode for digits', () => {
    assert.equal(qrMatrix('hc1:lower case').mode, 'byte');
    assert.equal(qrMatrix('Nguyễn Văn A').mode, 'byte');
    assert.equal(qrMatrix('0123456789').mode, 'numeric');
    assert.equal(qrMatrix('').version, 1);
  });

  it('rejects text beyond version 40 with QR_DATA_TOO_LONG', () => {
    assert.equal(qrMatrix(sampleHc1Text(4296), { ecc: 'L' }).version, 40);
    assert.throws(
      () => qrMatrix(sampleHc1Text(4297), { ecc: 'L' }),
      (e: unknown) => e instanceof QrDataTooLongError && e.code === 'QR_DATA_TOO_LONG',
    );
    assert.throws(() => qrMatrix('x'.repeat(1300), { ecc: 'H' }), QrDataTooLongError);
  });

  it('honours a forced mask and minimum version', () => {
    const q = qrMatrix('HELLO', { mask: 5, minVersion: 7 });
    assert.equal(q.mask, 5);
    assert.equal(q.version, 7);
  });

  it('chooses the mask with the lowest penalty (first one on ties)', () => {
    for (const [i, text] of [sampleHc1Text(580, 3), sampleHc1Text(120, 4), 'https://vaxpass.vn/v/ABC', '12345'].entries()) {
      const ecc = LEVELS[i % 4]!;
      const chosen = qrMatrix(text, { ecc });
      const scores = Array.from({ length: 8 }, (_, m) => {
        const q = qrMatrix(text, { ecc, mask: m });
        return referencePenalty(q.modules, q.size);
      });
      assert.equal(chosen.mask, scores.indexOf(Math.min(...scores)), `${text.slice(0, 12)} ${ecc}: ${scores.join(',')}`);
    }
  });
});

describe('maskPenalty (bit-packed) equals the module-by-module reference', () => {
  it('on random matrices of every version size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.double({ min: 0, max: 1, noNaN: true }), (v, seed, density) => {
        const n = 4 * v + 17;
        let s = seed;
        const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
        const m = new Uint8Array(n * n).map(() => (next() < density ? 1 : 0));
        // Plant finder-like 1011101 patterns across and down, near edges too.
        for (let k = 0; k < 12; k++) {
          const line = Math.floor(next() * n);
          const at = Math.floor(next() * (n - 6));
          const down = next() < 0.5;
          [1, 0, 1, 1, 1, 0, 1].forEach((b, i) => (m[down ? (at + i) * n + line : line * n + at + i] = b));
        }
        assert.equal(maskPenalty(m, n), referencePenalty(m, n));
      }),
      { numRuns: 150 },
    );
  });

  it('on all-light and all-dark symbols', () => {
    for (const n of [21, 77, 177]) {
      for (const fill of [0, 1]) {
        const m = new Uint8Array(n * n).fill(fill);
        assert.equal(maskPenalty(m, n), referencePenalty(m, n));
      }
    }
  });
});
