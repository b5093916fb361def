import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { derToRawEcdsa, rawToDerEcdsa } from './signer.js';

describe('ECDSA signature encodings (COSE r‖s ⇄ DER)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('DER → r‖s → DER gives the bytes OpenSSL produced', () => {
    for (let i = 0; i < 300; i++) {
      const der = sign('sha256', randomBytes(40), privateKey);
      assert.deepEqual(rawToDerEcdsa(derToRawEcdsa(der)), der);
    }
  });

  it('writes minimal integers: leading zeros dropped, 0x00 before a high bit, zero as one byte', () => {
    const raw = Buffer.alloc(64);
    raw[31] = 0x05; // r = 5
    raw[32] = 0x80; // s has its high bit set
    assert.equal(rawToDerEcdsa(raw).toString('hex'), `3026020105022100${raw.subarray(32).toString('hex')}`);
    assert.equal(rawToDerEcdsa(Buffer.alloc(64)).toString('hex'), '3006020100020100');
  });

  it('verifying through DER answers exactly as Node does with dsaEncoding ieee-p1363', () => {
    const data = randomBytes(300);
    const good = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    assert.equal(verify('sha256', data, publicKey, rawToDerEcdsa(good)), true);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (bytes) => {
        const raw = Buffer.from(bytes);
        const viaOption = verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw);
        assert.equal(verify('sha256', data, publicKey, rawToDerEcdsa(raw)), viaOption);
      }),
      { numRuns: 300 },
    );
  });
});
