import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { base64Of, kidKey } from './kid-text.js';

describe('kid text forms', () => {
  it('base64Of equals Buffer base64, for views too (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(), (b, cut) => {
        const view = b.subarray(cut % (b.length + 1));
        return base64Of(view) === Buffer.from(view).toString('base64');
      }),
      { numRuns: 3000 },
    );
  });

  it('kidKey is one character per byte, so distinct kids never share a key (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => kidKey(b) === Buffer.from(b).toString('latin1') && kidKey(b).length === b.length),
      { numRuns: 3000 },
    );
    const big = new Uint8Array(200).subarray(3, 100);
    assert.equal(kidKey(big), Buffer.from(big).toString('latin1'));
  });
});
