import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppError } from '../../errors/index.js';
import { UVCI_CHECKSUM_ALPHABET, generateUvci, uvciChecksum, validateUvci } from './uvci.js';
import { conformanceVectors, readSharedText } from './test-helpers/shared-data.js';

describe('uvciChecksum: Luhn mod 38', () => {
  it('gives the eu-dcc-schema FAQ example its documented check character (read in place)', () => {
    const faq = readSharedText('reference', 'eu-dcc-schema', 'wiki', 'FAQ.md');
    const m = /`(URN:UVCI:[^`#]+)` using the \[charset above\].*?checksum character `(.)`/s.exec(faq);
    assert.ok(m?.[1] && m[2], 'FAQ example not found');
    assert.equal(m[1], 'URN:UVCI:01:NL:187/37512422923');
    assert.equal(uvciChecksum(m[1]), m[2]);
    assert.equal(m[2], 'Z');
  });

  it('returns undefined for characters outside the alphabet', () => {
    assert.equal(uvciChecksum('URN:UVCI:01:NL:abc'), undefined);
  });

  // Issuers whose test vectors carry '#' checksums computed with the FAQ algorithm.
  const luhnIssuers = ['AT', 'GR', 'HU', 'LT', 'SI', 'common'];
  const withChecksum = conformanceVectors().flatMap((v) =>
    (['v', 't', 'r'] as const).flatMap((g) => {
      const entries = v.payload[g];
      return Array.isArray(entries)
        ? entries.flatMap((e: unknown) => {
            const ci = (e as { ci?: unknown } | null)?.ci;
            return typeof ci === 'string' && ci.includes('#') ? [{ id: v.id, country: v.country, ci }] : [];
          })
        : [];
    }),
  );

  it('agrees with every checksummed ci of AT, GR, HU, LT, SI and common dgc-testdata (read in place)', () => {
    const agreeing = withChecksum.filter((x) => luhnIssuers.includes(x.country));
    assert.ok(agreeing.length >= 20, `only ${agreeing.length} vectors`);
    for (const { id, ci } of agreeing) assert.deepEqual(validateUvci(ci).ok, true, `${id}: ${ci}`);
  });

  it('rejects the RO vectors, whose check characters follow another algorithm', () => {
    const ro = withChecksum.filter((x) => x.country === 'RO');
    assert.ok(ro.length >= 4);
    for (const { ci } of ro) {
      const result = validateUvci(ci);
      assert.equal(result.ok ? 'ok' : result.code, 'UVCI_CHECKSUM_MISMATCH', ci);
    }
  });
});

describe('generateUvci', () => {
  it('makes URN:UVCI:01:VN:<26 random A-Z0-9>#<check> that validates', () => {
    const uvci = generateUvci();
    assert.match(uvci, /^URN:UVCI:01:VN:[A-Z0-9]{26}#[A-Z0-9/:]$/);
    assert.ok(uvci.length <= 80);
    const result = validateUvci(uvci, { requireChecksum: true });
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.uvci.country, 'VN');
  });

  it('does not repeat itself', () => {
    const seen = new Set(Array.from({ length: 20_000 }, () => generateUvci()));
    assert.equal(seen.size, 20_000);
  });

  it('takes a given opaque part', () => {
    assert.equal(
      generateUvci('187/37512422923'),
      `URN:UVCI:01:VN:187/37512422923#${uvciChecksum('URN:UVCI:01:VN:187/37512422923') ?? ''}`,
    );
  });

  it('throws on an opaque part that would make an invalid UVCI', () => {
    for (const bad of ['', 'abc', 'A#B', 'A:B', 'A//B', '/A', 'Ư', 'A'.repeat(64)]) {
      assert.throws(
        () => generateUvci(bad),
        (e: unknown) => e instanceof AppError && e.code === 'UVCI_INVALID_OPAQUE',
        bad,
      );
    }
    assert.ok(generateUvci('A'.repeat(63)).length === 80);
  });

  it('property: every generated UVCI validates, and any single changed character is caught', () => {
    const opaque = fc.stringMatching(/^[A-Z0-9]{1,20}(\/[A-Z0-9]{1,20}){0,2}$/);
    fc.assert(
      fc.property(opaque, fc.nat(), fc.nat(), (o, pos, sym) => {
        const uvci = generateUvci(o);
        assert.equal(validateUvci(uvci, { requireChecksum: true }).ok, true);
        // Luhn mod N detects every single-character substitution within the alphabet.
        const body = uvci.slice('URN:UVCI:01:VN:'.length, uvci.indexOf('#'));
        const i = pos % body.length;
        const replacement = /[A-Z0-9]/.test(body.charAt(i)) ? '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ' : '/';
        const c = replacement.charAt(sym % replacement.length);
        fc.pre(c !== body.charAt(i));
        const mutated = `URN:UVCI:01:VN:${body.slice(0, i)}${c}${body.slice(i + 1)}${uvci.slice(uvci.indexOf('#'))}`;
        const result = validateUvci(mutated);
        assert.equal(result.ok ? 'ok' : result.code, 'UVCI_CHECKSUM_MISMATCH', mutated);
      }),
    );
  });
});

describe('validateUvci', () => {
  const good = 'URN:UVCI:01:NL:187/37512422923#Z';

  it('accepts the prefixed and bare forms, the prefix in any case, checksum optional', () => {
    for (const s of [
      good,
      '01:NL:187/37512422923#Z',
      'urn:uvci:01:NL:187/37512422923#Z',
      'URN:UVCI:01:NL:187/37512422923',
    ]) {
      assert.equal(validateUvci(s).ok, true, s);
    }
    assert.deepEqual(validateUvci(good), {
      ok: true,
      uvci: { version: '01', country: 'NL', unique: '187/37512422923', checksum: 'Z' },
    });
  });

  it('accepts versions 01, 02 and 03', () => {
    for (const version of ['01', '02', '03']) {
      const body = `URN:UVCI:${version}:VN:ABC123`;
      assert.equal(validateUvci(`${body}#${uvciChecksum(body) ?? ''}`).ok, true, version);
    }
  });

  const cases: [string, string][] = [
    ['', 'UVCI_EMPTY'],
    [`URN:UVCI:01:VN:${'A'.repeat(70)}`, 'UVCI_TOO_LONG'],
    ['urn:uvci:01:NL:e616ea9bde374c98b2c1770faf70058d', 'UVCI_BAD_CHARACTER'],
    ['URN:UVCI:01:VN:ABC 123', 'UVCI_BAD_CHARACTER'],
    ['URN:UVCI:01:VN:ĐẶNG', 'UVCI_BAD_CHARACTER'],
    ['URN:UVCI:01:NL:187/37512422923#Y', 'UVCI_CHECKSUM_MISMATCH'],
    ['URN:UVCI:01:NL:187/37512422923#ZZ', 'UVCI_BAD_CHECKSUM_FORMAT'],
    ['URN:UVCI:01:NL:187#Z#Z', 'UVCI_BAD_CHECKSUM_FORMAT'],
    ['URN:UVCI:01:NL:187/37512422923#', 'UVCI_BAD_CHECKSUM_FORMAT'],
    ['URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W', 'UVCI_BAD_STRUCTURE'],
    ['URN:UVCI:01:NL', 'UVCI_BAD_STRUCTURE'],
    ['URN:UVCI:01:NL:187//3751', 'UVCI_BAD_STRUCTURE'],
    ['URN:UVCI:01:NL:187:3751', 'UVCI_BAD_STRUCTURE'],
    ['URN:UVCI:V1:AE:8KST0RH057HI8XKW3M8K2NAD06', 'UVCI_BAD_VERSION'],
    ['URN:UVCI:04:VN:ABC', 'UVCI_BAD_VERSION'],
    ['URN:UVCI:01:VNM:ABC', 'UVCI_BAD_COUNTRY'],
    ['URN:UVCI:01:V1:ABC', 'UVCI_BAD_COUNTRY'],
  ];
  for (const [input, code] of cases) {
    it(`rejects ${JSON.stringify(input.slice(0, 50))} with ${code}`, () => {
      const result = validateUvci(input);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.code, code);
      assert.ok(!result.ok && result.reason.length > 0);
    });
  }

  it('can demand a checksum', () => {
    const result = validateUvci('URN:UVCI:01:NL:187/37512422923', { requireChecksum: true });
    assert.equal(result.ok ? 'ok' : result.code, 'UVCI_BAD_CHECKSUM_FORMAT');
  });

  it('property: never throws, and anything accepted is within the charset and 80 characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^(URN:UVCI:)?0[1-4]:[A-Z]{2}:[A-Z0-9/]{0,30}(#.)?$/)),
        (s) => {
          const result = validateUvci(s);
          if (result.ok) {
            assert.ok(s.length <= 80);
            assert.match(
              s.replace(/^urn:uvci:/i, ''),
              new RegExp(`^[A-Z0-9/:]+(#[${UVCI_CHECKSUM_ALPHABET.replace('/', '\\/')}])?$`),
            );
          }
        },
      ),
    );
  });
});
