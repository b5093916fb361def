import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { base45Decode, base45DecodeChecked, base45Encode } from './base45.js';
import { HcertError } from './errors.js';

describe('base45 (RFC 9285)', () => {
  const vectors: [string, string][] = [
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
    ['', ''],
  ];
  for (const [plain, encoded] of vectors) {
    it(`encodes and decodes ${JSON.stringify(plain)}`, () => {
      assert.equal(base45Encode(Buffer.from(plain)), encoded);
      assert.equal(base45Decode(encoded).toString(), plain);
    });
  }

  it('encodes only the viewed range of a Buffer slice', () => {
    const whole = Buffer.from('xxABxx');
    assert.equal(base45Encode(whole.subarray(2, 4)), 'BB8');
  });

  it('round-trips random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => Buffer.from(base45Decode(base45Encode(b))).equals(Buffer.from(b))), { numRuns: 2000 });
    const big = randomBytes(10_000);
    assert.ok(base45Decode(base45Encode(big)).equals(big));
  });

  it('rejects bad characters, dangling characters and overflowing triplets with their position', () => {
    assert.throws(() => base45Decode('BB8a'), (e: HcertError) => e.code === 'HC1_BASE45' && /dangling/.test(e.message));
    assert.throws(() => base45Decode('BBa'), (e: HcertError) => e.code === 'HC1_BASE45' && /position 2/.test(e.message));
    assert.throws(() => base45Decode('GGW'), (e: HcertError) => e.code === 'HC1_BASE45' && /65536/.test(e.message));
    assert.throws(() => base45Decode(':::'), (e: HcertError) => e.code === 'HC1_BASE45');
    assert.throws(() => base45Decode('ĀĀĀ'), (e: HcertError) => e.code === 'HC1_BASE45');
  });

  it('decodes and fails exactly as the checked reference loop (fast-check)', () => {
    const outcome = (f: () => Buffer): string => {
      try {
        return f().toString('hex');
      } catch (e) {
        assert.ok(e instanceof HcertError);
        return `${e.code} ${e.message}`;
      }
    };
    const chars = fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...Array.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:')) },
      { weight: 1, arbitrary: fc.constantFrom('a', '\0', 'ÿ', 'Ā', '\ud800', '😷', '\n', 'Ạ', '~') },
    );
    const texts = fc.oneof(fc.array(chars, { maxLength: 60 }).map((a) => a.join('')), fc.uint8Array({ maxLength: 40 }).map((b) => base45Encode(b)));
    fc.assert(fc.property(texts, (t) => outcome(() => base45Decode(t)) === outcome(() => base45DecodeChecked(t))), { numRuns: 5000 });
    const long = 'A'.repeat(20_001) + '0'; // beyond the fast loop's scratch: the checked loop alone
    assert.equal(outcome(() => base45Decode(long)), outcome(() => base45DecodeChecked(long)));
  });
});
