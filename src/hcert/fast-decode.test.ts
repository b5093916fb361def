/**
 * The fast COSE/CWT reader must give exactly what the generic cbor-x path gives, or step aside:
 * checked on the sample certificate, on every dgc-testdata vector, and on generated CBOR (random
 * items, hand-framed claims and headers, mutated certificates).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cborEncode } from './cbor.js';
import { parseCose, parseCoseGeneric, signCose } from './cose.js';
import { decodeCwt, decodeCwtGeneric, encodeCwt } from './cwt.js';
import { HCERT_CODES, HcertError } from './errors.js';
import { decodeCwtFast, parseCoseFast } from './fast-decode.js';
import { sharedPath } from './payload/shared-path.js';
import { signWithKey } from './signer.js';
import type { Signer } from './signer.js';
import { sampleDcc } from './test-helpers/sample-dcc.js';
import { fromHc1 } from './transport.js';

const CODES = new Set<string>(HCERT_CODES);

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/** Byte fields as hex: the generic path leaves a `dataView` expando on views it decoded. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && 'protectedBytes' in v) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** A tree deepStrictEqual can compare across calls: a `__proto__` key gives each result its own prototype object. */
function tree(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(tree);
  if (v === null || typeof v !== 'object') return v;
  const proto: unknown = Object.getPrototypeOf(v);
  return { proto: proto === Object.prototype ? 'Object' : tree(proto), own: Object.entries(v).map(([k, x]) => [k, tree(x)]) };
}

function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: plain(fn()) };
  } catch (e) {
    assert.ok(e instanceof HcertError && CODES.has(e.code), `not an HcertError: ${String(e)}`);
    return { ok: false, code: e.code, message: e.message };
  }
}

const stats = { cwtFast: 0, cwtAll: 0, coseFast: 0, coseAll: 0 };

/** Fast answer (if any) = generic answer = public answer; returns whether the fast path answered. */
function sameCwt(bytes: Uint8Array): boolean {
  const fast = decodeCwtFast(bytes);
  const generic = outcome(() => decodeCwtGeneric(bytes));
  if (fast !== undefined) {
    assert.ok(generic.ok, `fast path decoded what the generic path refuses: ${JSON.stringify(generic)}`);
    assert.deepStrictEqual(fast, generic.value);
  }
  assert.deepStrictEqual(tree(outcome(() => decodeCwt(bytes))), tree(generic));
  stats.cwtAll++;
  if (fast !== undefined) stats.cwtFast++;
  return fast !== undefined;
}

function sameCose(bytes: Uint8Array): boolean {
  const fast = parseCoseFast(bytes);
  const generic = outcome(() => parseCoseGeneric(bytes));
  if (fast !== undefined) {
    assert.ok(generic.ok, `fast path parsed what the generic path refuses: ${JSON.stringify(generic)}`);
    assert.deepStrictEqual(plain(fast), generic.value);
    for (const k of ['protectedBytes', 'payload', 'signature', 'kid'] as const) if (fast[k]) assert.ok(fast[k] instanceof Uint8Array);
    sameCwt(fast.payload);
  }
  assert.deepStrictEqual(tree(outcome(() => parseCose(bytes))), tree(generic));
  stats.coseAll++;
  if (fast !== undefined) stats.coseFast++;
  return fast !== undefined;
}

// ---- raw CBOR framing, so tests can write what no encoder emits (repeats, long heads, odd tags)

function head(major: number, n: number | bigint, width?: 0 | 1 | 2 | 4 | 8): Buffer {
  const w = width ?? (n < 24 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x100000000 ? 4 : 8);
  const m = major << 5;
  if (w === 0) return Buffer.from([m | Number(n)]);
  const b = Buffer.alloc(1 + w);
  b[0] = m | (w === 1 ? 24 : w === 2 ? 25 : w === 4 ? 26 : 27);
  if (w === 1) b[1] = Number(n);
  else if (w === 2) b.writeUInt16BE(Number(n), 1);
  else if (w === 4) b.writeUInt32BE(Number(n), 1);
  else b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}
const int = (v: number): Buffer => (v >= 0 ? head(0, v) : head(1, -1 - v));
const text = (s: string | Uint8Array): Buffer => {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s);
  return Buffer.concat([head(3, b.length), b]);
};
const bytes = (b: Uint8Array): Buffer => Buffer.concat([head(2, b.length), b]);
const arr = (items: Buffer[]): Buffer => Buffer.concat([head(4, items.length), ...items]);
const map = (entries: [Buffer, Buffer][]): Buffer => Buffer.concat([head(5, entries.length), ...entries.flat()]);

/** A text item's content: mostly ASCII and Vietnamese, sometimes BOMs, long runs or bad UTF-8. */
const textContent: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom('Nguyễn', 'Văn An', 'Trần Thị Bích', 'ĐẶNG', '1.3.0', 'VN', '😷 mask', '\u{10ffff}', '\0', 'v', 'ci', 'constructor', 'toString', '__proto__', '1', '01', '-1') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 60, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((s) => '\ufeff' + s) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 90 }) },
  { weight: 1, arbitrary: fc.constantFrom(Uint8Array.of(0xc0, 0x80), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xf4, 0x90, 0x80, 0x80), Uint8Array.of(0xe0, 0x9f, 0xbf), Uint8Array.of(0x41, 0xe1, 0xbb), Uint8Array.of(0xef, 0xbb, 0xbf)) },
);

const intValue = fc.oneof(
  fc.integer({ min: -30, max: 30 }),
  fc.integer({ min: -70000, max: 70000 }),
  fc.constantFrom(0x7fffffff, 0x80000000, 0xffffffff, -0x80000000, -0x100000000, 2 ** 32, 2 ** 53 - 1, 2 ** 60, -(2 ** 40)),
  fc.integer(),
);

/** An integer head in any width that holds it (non-canonical ones too). */
const intItem = fc.tuple(intValue, fc.constantFrom<(1 | 2 | 4 | 8 | undefined)[]>(undefined, 1, 2, 4, 8)).map(([v, w]) => {
  const major = v >= 0 ? 0 : 1;
  const n = v >= 0 ? v : -1 - v;
  const fits = w === undefined || (w === 1 ? n < 0x100 : w === 2 ? n < 0x10000 : w === 4 ? n < 0x100000000 : true);
  return fits && n < 2 ** 53 ? head(major, n, w) : int(v);
});

/** Anything a foreign issuer might put in a DCC, and things nobody should. */
const { item } = fc.letrec<{ item: Buffer; obj: Buffer }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: textContent.map(text) },
    { weight: 4, arbitrary: intItem },
    { weight: 1, arbitrary: fc.constantFrom(0xf4, 0xf5, 0xf6, 0xf7, 0xf0, 0xf8, 0xff, 0x1c, 0x5f).map((b) => (b === 0xf8 ? Buffer.from([0xf8, 0x20]) : Buffer.from([b]))) },
    { weight: 1, arbitrary: fc.double().map((d) => cborEncode(d)) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.from('f93c00', 'hex'), Buffer.from('fa3fc00000', 'hex'), Buffer.from('fb3ff8000000000000', 'hex')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map(bytes) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0, 1, 2, 18, 24, 61, 258, 1004), tie('item')).map(([t, v]) => Buffer.concat([head(6, t), t === 0 ? text('2021-09-01T00:00:00Z') : t === 1 ? int(1630454400) : v])) },
    { weight: 1, arbitrary: fc.array(tie('item'), { maxLength: 4 }).map((xs) => Buffer.concat([Buffer.from([0x9f]), ...xs, Buffer.from([0xff])])) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.from('7f6141616242ff', 'hex'), Buffer.from('bf6161 01ff'.replace(' ', ''), 'hex')) },
    { weight: 3, arbitrary: fc.array(tie('item'), { maxLength: 4 }).map(arr) },
    { weight: 3, arbitrary: tie('obj') },
  ),
  obj: fc
    .array(
      fc.tuple(
        fc.oneof({ weight: 8, arbitrary: fc.constantFrom('ver', 'nam', 'fn', 'gnt', 'dob', 'v', 'tg', 'dn', 'ci', 'co', 'is').map(text) }, { weight: 3, arbitrary: textContent.map(text) }, { weight: 1, arbitrary: intItem }),
        tie('item'),
      ),
      { maxLength: 6 },
    )
    .chain((entries) =>
      // sometimes repeat a key
      entries.length > 0 ? fc.boolean().map((dup) => (dup ? [...entries, [entries[0]![0], entries[entries.length - 1]![1]] as [Buffer, Buffer]] : entries)) : fc.constant(entries),
    )
    .map(map),
}));

/** A DCC map mostly made of JSON-shaped data, like real certificates. */
const dccItem = fc.oneof(
  { weight: 3, arbitrary: fc.constant(encodeDcc(sampleDcc())) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((j) => cborEncode({ ver: '1.3.0', extra: j, v: [{ dn: 1 }] })) },
  { weight: 4, arbitrary: fc.array(fc.tuple(textContent.map(text), item), { maxLength: 8 }).map(map) },
  { weight: 1, arbitrary: item },
);

function encodeDcc(dcc: unknown): Buffer {
  return cborEncode(dcc);
}

/** Claims as a raw map: the usual labels with fitting or unfitting values, extra and repeated labels. */
const claims = fc
  .tuple(
    fc.option(fc.oneof(textContent.map(text), item)),
    fc.option(fc.oneof(intItem, item)),
    fc.option(fc.oneof(intItem, item)),
    fc.oneof(
      { weight: 6, arbitrary: dccItem.map((d) => map([[int(1), d]])) },
      { weight: 1, arbitrary: dccItem.map((d) => map([[int(1), d], [int(2), int(0)]])) },
      { weight: 1, arbitrary: dccItem.map((d) => map([[text('1'), d]])) },
      { weight: 1, arbitrary: item },
    ),
    fc.array(fc.tuple(fc.oneof(intItem, fc.constantFrom(int(1), int(4), int(6), int(-260)), textContent.map(text)), item), { maxLength: 2 }),
    fc.boolean(),
  )
  .map(([iss, iat, exp, hcert, extra, tagged]) => {
    const entries: [Buffer, Buffer][] = [];
    if (iss) entries.push([int(1), iss]);
    if (iat) entries.push([int(6), iat]);
    if (exp) entries.push([int(4), exp]);
    entries.push([int(-260), hcert]);
    entries.push(...extra);
    const m = map(entries);
    return tagged ? Buffer.concat([head(6, 61), m]) : m;
  });

const header = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constant(int(1)), fc.oneof(fc.constantFrom(int(-7), int(-37), int(-8)), item)),
      fc.tuple(fc.constant(int(4)), fc.oneof(fc.uint8Array({ maxLength: 10 }).map(bytes), item)),
      fc.tuple(fc.oneof(intItem, textContent.map(text)), item),
    ),
    { maxLength: 3 },
  )
  .map(map);

/** A COSE_Sign1 framed by hand: tags, headers, payload and signature vary. */
const cose = fc
  .tuple(
    fc.constantFrom(Buffer.alloc(0), head(6, 18), head(6, 61), Buffer.concat([head(6, 61), head(6, 18)]), head(6, 98)),
    fc.oneof({ weight: 4, arbitrary: header.map(bytes) }, { weight: 1, arbitrary: fc.constant(bytes(new Uint8Array(0))) }, { weight: 1, arbitrary: item }),
    fc.oneof({ weight: 4, arbitrary: fc.constant(map([])) }, { weight: 2, arbitrary: header }, { weight: 1, arbitrary: item }),
    fc.oneof({ weight: 4, arbitrary: claims.map(bytes) }, { weight: 1, arbitrary: item }),
    fc.oneof({ weight: 4, arbitrary: fc.uint8Array({ minLength: 64, maxLength: 64 }).map(bytes) }, { weight: 1, arbitrary: item }),
    fc.constantFrom(4, 3, 5),
    fc.uint8Array({ maxLength: 2 }),
  )
  .map(([tag, prot, unprot, payload, sig, n, trailing]) => Buffer.concat([tag, head(4, n), ...[prot, unprot, payload, sig, int(0)].slice(0, n), trailing]));

describe('fast HCERT decoding', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer: Signer = { kid: Buffer.from('0123456789abcdef', 'hex'), alg: 'ES256', sign: (d) => signWithKey('ES256', privateKey, d) };
  const now = 1_700_000_000;
  const sampleCwt = encodeCwt({ iss: 'VN', iat: now, exp: now + 86400, dcc: sampleDcc() });
  const sampleCose = signCose(sampleCwt, signer);

  it('takes the fast path for our own certificates, with the generic result', () => {
    assert.equal(sameCose(sampleCose), true);
    assert.equal(sameCwt(sampleCwt), true);
    assert.deepEqual(decodeCwtFast(sampleCwt)?.dcc, sampleDcc());
  });

  it('agrees with the generic path on every dgc-testdata vector', () => {
    const root = sharedPath('conformance', 'dgc-testdata');
    let seen = 0;
    let fast = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.json')) {
          let v: Record<string, unknown>;
          try {
            v = JSON.parse(readFileSync(p, 'utf8').replace(/^\ufeff/, '')) as Record<string, unknown>;
          } catch {
            continue;
          }
          const inputs: Uint8Array[] = [];
          if (typeof v.COSE === 'string' && /^[0-9a-f]+$/i.test(v.COSE)) inputs.push(Buffer.from(v.COSE, 'hex'));
          if (typeof v.CBOR === 'string' && /^[0-9a-f]+$/i.test(v.CBOR)) inputs.push(Buffer.from(v.CBOR, 'hex'));
          if (typeof v.PREFIX === 'string') {
            try {
              inputs.push(fromHc1(v.PREFIX).cose);
            } catch {
              // transport failures are not this reader's concern
            }
          }
          for (const b of inputs) {
            seen++;
            if (sameCose(b)) fast++;
            sameCwt(b);
          }
        }
      }
    };
    walk(root);
    assert.ok(seen > 300, `only ${seen} vector inputs found`);
    assert.ok(fast > seen / 3, `fast path taken for only ${fast} of ${seen} vector inputs`);
  });

  it('spots what it must leave to the generic path', () => {
    const dcc = (d: Buffer): Buffer => map([[int(1), text('VN')], [int(-260), map([[int(1), d]])]]);
    const cases: [string, Buffer][] = [
      ['a float', dcc(map([[text('dn'), Buffer.from('f93c00', 'hex')]]))],
      ['a tag', dcc(map([[text('dt'), Buffer.concat([head(6, 0), text('2021-09-01T00:00:00Z')])]]))],
      ['a 64-bit integer', dcc(map([[text('dn'), head(0, 1, 8)]]))],
      ['an indefinite map', dcc(Buffer.from('bf6164 01ff'.replace(' ', ''), 'hex'))],
      ['an integer key', dcc(map([[int(1), int(1)]]))],
      ['bytes in the DCC', dcc(map([[text('x'), bytes(Uint8Array.of(1))]]))],
      ['undefined in the DCC', dcc(map([[text('x'), Buffer.from([0xf7])]]))],
      ['a __proto__ key', dcc(map([[text('__proto__'), map([[text('polluted'), int(1)]])]]))],
      ['invalid UTF-8', dcc(map([[text('fn'), text(Uint8Array.of(0x4e, 0xc3))]]))],
      ['a leading BOM', dcc(map([[text('fn'), text('\ufeffNguyen')]]))],
      ['an unknown claim', map([[int(2), text('sub')], [int(-260), map([[int(1), map([])]])]])],
      ['a repeated claim', map([[int(4), int(1)], [int(4), int(2)], [int(-260), map([[int(1), map([])]])]])],
      ['trailing bytes', Buffer.concat([dcc(map([])), Buffer.from([0])])],
      ['a CWT tag', Buffer.concat([head(6, 61), dcc(map([]))])],
    ];
    for (const [what, b] of cases) {
      assert.equal(decodeCwtFast(b), undefined, what);
      sameCwt(b);
    }
    // Repeated DCC keys keep the first position and the last value on both paths.
    const dup = dcc(map([[text('a'), int(1)], [text('b'), int(2)], [text('a'), int(3)]]));
    assert.equal(sameCwt(dup), true);
    assert.deepStrictEqual(Object.entries(decodeCwt(dup).dcc), [['a', 3], ['b', 2]]);
  });

  it('agrees with the generic path on generated claims (fast-check)', () => {
    fc.assert(fc.property(claims, (b) => void sameCwt(b)), { numRuns: 4000 });
  });

  it('agrees with the generic path on generated COSE_Sign1 structures (fast-check)', () => {
    fc.assert(fc.property(cose, (b) => void sameCose(b)), { numRuns: 3000 });
  });

  it('agrees with the generic path on arbitrary CBOR items and bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(item, fc.uint8Array({ maxLength: 200 })), (b) => {
        sameCwt(b);
        sameCose(b);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the generic path on mutated certificates (fast-check)', () => {
    const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.boolean(), edits, fc.nat(), fc.nat(), (whole, changes, cutA, cutB) => {
        const m = Buffer.from(whole ? sampleCose : sampleCwt);
        for (const [p, x] of changes) m[p % m.length] = x;
        const a = cutA % m.length;
        const b = a + (cutB % 4);
        const cut = Buffer.concat([m.subarray(0, a), m.subarray(b)]);
        for (const input of [m, cut]) {
          if (whole) sameCose(input);
          else sameCwt(input);
        }
      }),
      { numRuns: 6000 },
    );
  });

  it('took the fast path often enough for the comparisons to mean something', () => {
    assert.ok(stats.cwtFast > stats.cwtAll / 10, `CWT fast path: ${stats.cwtFast} of ${stats.cwtAll}`);
    assert.ok(stats.coseFast > stats.coseAll / 20, `COSE fast path: ${stats.coseFast} of ${stats.coseAll}`);
  });
});
