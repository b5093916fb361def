import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkForKey, findDeviation, parseDeviations } from './index.js';
import { hexBytes, parseInstant, readCertificate } from './inputs.js';
import { contentDifference } from './same-content.js';

describe('checkForKey: flag spellings', () => {
  const cases: [string, string | undefined][] = [
    ['EXPECTEDVERIFY', 'VERIFY'],
    ['expectedValidJson', 'VALIDJSON'],
    ['EXPECTED_B45DECODE', 'B45DECODE'],
    ['EXPTECTEDEXPIRED', 'EXPIRATIONCHECK'], // BG 1-4
    ['EXPECTEDCOMPRESSSION', 'COMPRESSION'],
    ['EXPECTEDVALIDJSOM', 'VALIDJSON'],
    ['EXPECTEDKEYUSAGES', 'KEYUSAGE'],
    ['EXPECTEDENCODE', 'ENCODE'],
    ['EXPECTEDDECODE', 'DECODE'],
    ['EXPECTEDCODE', undefined], // one edit from both ENCODE and DECODE: ambiguous
    ['EXPECTEDRESULTS', undefined],
    ['DESCRIPTION', undefined],
  ];
  for (const [key, check] of cases) it(`${key} → ${String(check)}`, () => assert.equal(checkForKey(key), check));
});

describe('parseInstant: validation clocks as written in dgc-testdata', () => {
  const cases: [string, string][] = [
    ['2021-05-03T20:00:00+02:00', '2021-05-03T18:00:00.000Z'],
    ['2021-06-08T20:17:27.9906293Z', '2021-06-08T20:17:27.990Z'],
    ['2021-06-09T18:33:10.0361019+03:00', '2021-06-09T15:33:10.036Z'],
    ['2021-06-01T10:00:00.123+0200', '2021-06-01T08:00:00.123Z'],
    ['2021-06-01T10:00:00.123456', '2021-06-01T10:00:00.123Z'], // no zone: UTC, as upstream's harness
    ['2021-06-01T10:00:00.123456789Z', '2021-06-01T10:00:00.123Z'],
    ['2021-06-01', '2021-06-01T00:00:00.000Z'],
  ];
  for (const [text, iso] of cases) {
    it(text, () => {
      const t = parseInstant(text);
      assert.ok(t.ok);
      assert.equal(new Date(t.value).toISOString(), iso);
    });
  }
  it('refuses text that is no time', () => assert.equal(parseInstant('yesterday').ok, false));
});

describe('inputs', () => {
  it('reads hex in either case, with spaces, and refuses odd lengths', () => {
    const a = hexBytes('X', 'D2 84 0a');
    assert.ok(a.ok);
    assert.deepEqual([...a.value], [0xd2, 0x84, 0x0a]);
    assert.equal(hexBytes('X', 'abc').ok, false);
    assert.equal(hexBytes('X', 'zz').ok, false);
  });

  it('explains a certificate that is neither X.509 nor a public key', () => {
    const r = readCertificate('bm90IGEga2V5');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /neither an X.509 certificate nor a public key/);
    assert.equal(readCertificate(undefined).ok, false);
  });

  it('compares content, not encoding: map order and date-time notation do not matter', () => {
    const cbor = new Map<unknown, unknown>([['b', 1], ['a', [new Map([['sc', '2021-04-25T14:45:31+02:00']])]]]);
    assert.equal(contentDifference(cbor, { a: [{ sc: '2021-04-25T12:45:31Z' }], b: 1 }), undefined);
    assert.match(contentDifference(cbor, { a: [{ sc: '2021-04-25T12:45:32Z' }], b: 1 }) ?? '', /^\/a\/0\/sc: /);
    assert.match(contentDifference({ dob: '1990-01-01' }, { dob: '1990-01-01T00:00:00Z' }) ?? '', /^\/dob: /);
  });
});

describe('deviations', () => {
  const text = [
    'file,check,reason',
    '# comment',
    'NL/**/0*-NL-test.json,SCHEMAVALIDATION,"NL flags, by its own rule"',
    'common/2DCode/raw/B?.json,*,no picture, no input',
  ].join('\n');

  it('parses quotes, comments, and commas in the last column', () => {
    const d = parseDeviations(text);
    assert.deepEqual(
      d.map((x) => [x.pattern, x.check, x.reason, x.line]),
      [
        ['NL/**/0*-NL-test.json', 'SCHEMAVALIDATION', 'NL flags, by its own rule', 3],
        ['common/2DCode/raw/B?.json', '*', 'no picture, no input', 4],
      ],
    );
  });

  it('matches globs case-insensitively, * within a folder, ** across', () => {
    const d = parseDeviations(text);
    assert.equal(findDeviation(d, 'NL/2DCode/raw/001-NL-test.json', 'SCHEMAVALIDATION')?.line, 3);
    assert.equal(findDeviation(d, 'nl/2dcode/RAW/001-NL-test.json', 'schemavalidation')?.line, 3);
    assert.equal(findDeviation(d, 'NL/2DCode/raw/101-NL-test.json', 'SCHEMAVALIDATION'), undefined);
    assert.equal(findDeviation(d, 'NL/2DCode/raw/001-NL-test.json', 'VERIFY'), undefined);
    assert.equal(findDeviation(d, 'common/2DCode/raw/B1.json', 'PICTUREDECODE')?.line, 4);
    assert.equal(findDeviation(d, 'common/2DCode/raw/B12.json', 'PICTUREDECODE'), undefined);
  });

  it('refuses a line without a reason', () => {
    assert.throws(() => parseDeviations('X/1.json,VERIFY,'), /expected "file-or-glob,check,reason"/);
  });
});
