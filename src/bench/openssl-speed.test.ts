import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOpensslCounts, parseOpensslSpeed } from './openssl-speed.js';

// Captured from `openssl speed -elapsed -seconds 1 ecdsap256 rsa2048 2>&1`, OpenSSL 3.0.19.
const SAMPLE = `You have chosen to measure elapsed time instead of user CPU time.
Doing 2048 bits private rsa's for 1s: 3609 2048 bits private RSA's in 1.00s
Doing 2048 bits public rsa's for 1s: 58512 2048 bits public RSA's in 1.00s
Doing 256 bits sign ecdsa's for 1s: 47224 256 bits ECDSA signs in 1.00s
Doing 256 bits verify ecdsa's for 1s: 15932 256 bits ECDSA verify in 1.00s
version: 3.0.19
built on: Fri Apr  3 12:29:32 2026 UTC
options: bn(64,64)
CPUINFO: OPENSSL_ia32cap=0xfed83203178bffff:0x18005f42f1bb03a9
                  sign    verify    sign/s verify/s
rsa 2048 bits 0.000277s 0.000017s   3609.0  58512.0
                              sign    verify    sign/s verify/s
 256 bits ecdsa (nistp256)   0.0000s   0.0001s  47224.0  15932.0
`;

describe('parseOpensslSpeed', () => {
  it('reads the sign/s and verify/s columns of OpenSSL 3.0', () => {
    assert.deepEqual(parseOpensslSpeed(SAMPLE), {
      rsa2048_sign_per_s: 3609,
      rsa2048_verify_per_s: 58512,
      es256_sign_per_s: 47224,
      es256_verify_per_s: 15932,
    });
  });

  it('reads the examples of the issue', () => {
    const r = parseOpensslSpeed('rsa 2048 bits 0.000305s 0.000017s 3274.3 57802.7\n 256 bits ecdsa (nistp256) 0.0000s 0.0001s 52124.3 19291.2\n');
    assert.equal(r.rsa2048_sign_per_s, 3274.3);
    assert.equal(r.es256_verify_per_s, 19291.2);
  });

  it('leaves algorithms that were not run unset', () => {
    assert.deepEqual(parseOpensslSpeed(SAMPLE.replace(/^rsa 2048.*$/m, '')), { es256_sign_per_s: 47224, es256_verify_per_s: 15932 });
    assert.deepEqual(parseOpensslSpeed('Error: unknown algorithm'), {});
  });
});

describe('parseOpensslCounts', () => {
  it('reads wall-clock rates from the progress lines (count / seconds of the test)', () => {
    // Without -elapsed the CPU time differs from the test's wall-clock length: 47224 in 1 s, 0.95 s CPU.
    const stderr = `Doing 256 bits sign ecdsa's for 1s: 47224 256 bits ECDSA signs in 0.95s
Doing 256 bits verify ecdsa's for 1s: 15932 256 bits ECDSA verify in 0.87s
Doing 2048 bits private rsa's for 2s: 7218 2048 bits private RSA's in 1.90s
Doing 2048 bits public rsa's for 2s: 117024 2048 bits public RSA's in 1.99s
`;
    assert.deepEqual(parseOpensslCounts(stderr), {
      es256_sign_per_s: 47224,
      es256_verify_per_s: 15932,
      rsa2048_sign_per_s: 3609,
      rsa2048_verify_per_s: 58512,
    });
    assert.deepEqual(parseOpensslCounts(SAMPLE), parseOpensslSpeed(SAMPLE));
  });
});
