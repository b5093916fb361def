import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Parsed } from './field-issue.js';
import { PROVINCES } from '../reference/index.js';
import { cccdCenturySexDigit, decodeCccd, generateCccd, parseIdNumber } from './parse-id-number.js';
import type { IdNumber } from './parse-id-number.js';

const TODAY = '2022-04-15';
const yearOnly = (y: number) => ({ text: String(y), year: y });

function codes(r: Parsed<unknown>): string[] {
  return (r.ok ? r.warnings : r.issues).map((i) => i.code);
}
function value(r: Parsed<IdNumber | null>): IdNumber | null {
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
}

describe('parseIdNumber: vn_id.py reference cases', () => {
  // [raw, dob year, sex, expected: ok | warn | error, codes]
  const cases: [string | number, number | undefined, 'M' | 'F' | undefined, 'ok' | 'warn' | 'error', string[]][] = [
    ['001089012345', 1989, 'M', 'ok', []],
    ['079301000123', 2001, 'F', 'ok', []],
    ['079301000123', 2001, 'M', 'error', ['ID_SEX_MISMATCH']],
    ['038195012345', 1996, 'F', 'error', ['ID_BIRTH_YEAR_MISMATCH']],
    ['040210001234', 2010, 'M', 'ok', []],
    ['099089012345', 1989, 'M', 'warn', ['ID_PROVINCE_UNKNOWN']],
    ['001489012345', undefined, 'M', 'error', ['ID_BIRTH_YEAR_FUTURE']],
    ['01089012345', 1989, 'M', 'warn', ['ID_LEADING_ZERO_RESTORED']],
    // vn_id.py rejects this float (two zeros lost); we restore it because province 001 is real.
    [1089012345, 1989, 'M', 'warn', ['ID_LEADING_ZERO_RESTORED']],
    ['1.23457E+11', undefined, undefined, 'error', ['ID_SCIENTIFIC_LOST']],
    // vn_id.py warns; stripping separators loses nothing, so we only mark `repaired`.
    ['001 089 012 345', 1989, 'M', 'ok', []],
    ['225123456', undefined, undefined, 'ok', []],
    // vn_id.py errors; the brief asks for an 8-digit CMND with its leading 0 restored.
    ['22512345', undefined, undefined, 'warn', ['ID_LEADING_ZERO_RESTORED']],
  ];
  for (const [raw, y, sex, want, wantCodes] of cases) {
    it(`${JSON.stringify(raw)} dob=${y ?? '-'} sex=${sex ?? '-'} → ${want}`, () => {
      const r = parseIdNumber(raw, { ...(y === undefined ? {} : { dob: yearOnly(y) }), ...(sex === undefined ? {} : { sex }), today: TODAY });
      const got = !r.ok ? 'error' : r.warnings.length > 0 ? 'warn' : 'ok';
      assert.equal(got, want, JSON.stringify(r));
      assert.deepEqual(codes(r), wantCodes);
    });
  }
});

describe('parseIdNumber: CCCD rules', () => {
  it('decodes the cccd.md example 079301000123 (TP HCM, female, 2001)', () => {
    assert.deepEqual(decodeCccd('079301000123'), { provinceCccdCode: '079', provinceCode: '79', sex: 'F', birthYear: 2001, serial: '000123' });
    assert.equal(decodeCccd('12345'), undefined);
  });

  it('says which digit and why in the sex mismatch message (en and vi)', () => {
    const r = parseIdNumber('001203004567', { sex: 'F' });
    assert.ok(!r.ok);
    const i = r.issues[0]!;
    assert.equal(i.en, 'CCCD 001203004567: digit 4 (century/sex) is 2 = male born 2000–2099, but sex is F');
    assert.equal(i.vi, 'Số CCCD 001203004567: chữ số thứ 4 (thế kỷ/giới tính) là 2 = nam sinh năm 2000–2099, nhưng giới tính là nữ');
  });

  it('reports a century mismatch (a parent’s ID) together with the year digits', () => {
    const r = parseIdNumber('001165012345', { dob: { text: '2010-03-01', year: 2010, month: 3, day: 1 }, sex: 'F' });
    assert.deepEqual(codes(r), ['ID_CENTURY_MISMATCH', 'ID_BIRTH_YEAR_MISMATCH']);
    assert.ok(!r.ok && r.issues[1]!.en.includes('digits 5–6 (birth year) are 65, but the date of birth is in 2010 (expected 10)'));
  });

  it('compares only the year of a partial dob', () => {
    assert.deepEqual(codes(parseIdNumber('001089012345', { dob: { text: '1989-05', year: 1989, month: 5 } })), []);
  });

  it('accepts a CCCD with no context at all', () => {
    assert.deepEqual(value(parseIdNumber('079301000123')), { kind: 'CCCD', number: '079301000123' });
  });

  it('keeps an unknown province prefix as a warning (possible country code)', () => {
    const r = parseIdNumber('003089012345');
    assert.deepEqual(codes(r), ['ID_PROVINCE_UNKNOWN']);
    assert.ok(r.ok && r.warnings[0]!.en.includes('(003)'));
  });
});

describe('parseIdNumber: spreadsheet damage', () => {
  it('restores one lost zero (11 digits) and two (10 digits, province 00x)', () => {
    assert.deepEqual(value(parseIdNumber('79301000123')), { kind: 'CCCD', number: '079301000123', repaired: 'leading_zero' });
    assert.deepEqual(value(parseIdNumber(1203004567)), { kind: 'CCCD', number: '001203004567', repaired: 'leading_zero' });
    assert.deepEqual(value(parseIdNumber(79301000123)), { kind: 'CCCD', number: '079301000123', repaired: 'leading_zero' });
  });

  it('rejects 10/11 digits that do not pad to a real province', () => {
    assert.deepEqual(codes(parseIdNumber('99301000123')), ['ID_LENGTH']);
    assert.deepEqual(codes(parseIdNumber('3301000123')), ['ID_LENGTH']);
  });

  it('recovers scientific notation that kept every digit, with . or , decimals', () => {
    const r = parseIdNumber('7.9301000123E+10');
    assert.deepEqual(value(r), { kind: 'CCCD', number: '079301000123', repaired: 'scientific' });
    assert.deepEqual(codes(r), ['ID_SCIENTIFIC_RECOVERED', 'ID_LEADING_ZERO_RESTORED']);
    const r2 = parseIdNumber('1,20300456789E+11');
    assert.equal(value(r2)?.number, '120300456789');
    assert.deepEqual(codes(r2), ['ID_SCIENTIFIC_RECOVERED', 'ID_PROVINCE_UNKNOWN']);
  });

  it('explains lost scientific digits', () => {
    const r = parseIdNumber('1,23457E+11');
    assert.ok(!r.ok);
    assert.equal(r.issues[0]!.code, 'ID_SCIENTIFIC_LOST');
    assert.match(r.issues[0]!.en, /only 6 of its 12 digits survive/);
    assert.match(r.issues[0]!.vi, /chỉ còn 6 trên 12 chữ số/);
  });

  it('rejects decimals', () => {
    assert.deepEqual(codes(parseIdNumber(1089012345.5)), ['ID_NOT_INTEGER']);
    assert.deepEqual(codes(parseIdNumber('1.2345678901234E+11')), ['ID_NOT_INTEGER']);
  });

  it('strips separators, apostrophes and full-width digits', () => {
    assert.deepEqual(value(parseIdNumber("'001089012345")), { kind: 'CCCD', number: '001089012345' });
    assert.deepEqual(value(parseIdNumber('001.089.012.345')), { kind: 'CCCD', number: '001089012345', repaired: 'spaces' });
    assert.deepEqual(value(parseIdNumber('001-089-012-345')), { kind: 'CCCD', number: '001089012345', repaired: 'spaces' });
    assert.deepEqual(value(parseIdNumber('００１０８９０１２３４５')), { kind: 'CCCD', number: '001089012345', repaired: 'spaces' });
    assert.deepEqual(value(parseIdNumber(' 225123456 ')), { kind: 'CMND', number: '225123456' });
  });

  it('strips a "CCCD:" / "Số CMND" label', () => {
    assert.deepEqual(value(parseIdNumber('CCCD: 001089012345')), { kind: 'CCCD', number: '001089012345', repaired: 'spaces' });
    assert.deepEqual(value(parseIdNumber('Số CMND 225123456')), { kind: 'CMND', number: '225123456', repaired: 'spaces' });
  });

  it('names the offending character', () => {
    const r = parseIdNumber('00108901234O');
    assert.deepEqual(codes(r), ['ID_INVALID_CHARACTER']);
    assert.ok(!r.ok && r.issues[0]!.en.includes('"O" at position 12'));
  });

  it('rejects other lengths', () => {
    const r = parseIdNumber('1234567');
    assert.deepEqual(codes(r), ['ID_LENGTH']);
    assert.ok(!r.ok && r.issues[0]!.en.includes('has 7 digits'));
  });
});

describe('parseIdNumber: missing, placeholders, passports', () => {
  for (const raw of ['', '   ', null, undefined]) {
    it(`treats ${JSON.stringify(raw)} as missing (a warning, not an error)`, () => {
      const r = parseIdNumber(raw);
      assert.deepEqual(r.ok && r.value, null);
      assert.deepEqual(codes(r), ['ID_MISSING']);
    });
  }
  for (const raw of ['Không có', 'chưa có CCCD', 'N/A', 'x', '-', '...', '000000000000', 0]) {
    it(`treats placeholder ${JSON.stringify(raw)} as missing`, () => {
      const r = parseIdNumber(raw);
      assert.deepEqual(r.ok && r.value, null);
      assert.deepEqual(codes(r), ['ID_PLACEHOLDER', 'ID_MISSING']);
    });
  }
  it('accepts passport numbers starting with a letter', () => {
    assert.deepEqual(value(parseIdNumber('C1234567')), { kind: 'PASSPORT', number: 'C1234567' });
    assert.deepEqual(value(parseIdNumber('ab 123456')), { kind: 'PASSPORT', number: 'AB123456' });
    assert.deepEqual(value(parseIdNumber('Passport: K12345678')), { kind: 'PASSPORT', number: 'K12345678', repaired: 'spaces' });
  });
  it('rejects non-passports that start with a letter', () => {
    assert.deepEqual(codes(parseIdNumber('NGUYEN')), ['ID_PASSPORT_FORMAT']);
    assert.deepEqual(codes(parseIdNumber('B12')), ['ID_PASSPORT_FORMAT']);
    assert.deepEqual(codes(parseIdNumber('B123_4567')), ['ID_PASSPORT_FORMAT']);
  });
});

describe('generateCccd', () => {
  it('encodes century and sex like Circular 59/2021 Annex', () => {
    assert.equal(cccdCenturySexDigit(1989, 'M'), 0);
    assert.equal(cccdCenturySexDigit(1989, 'F'), 1);
    assert.equal(cccdCenturySexDigit(2001, 'M'), 2);
    assert.equal(cccdCenturySexDigit(2001, 'F'), 3);
    assert.equal(cccdCenturySexDigit(2399, 'F'), 9);
    assert.throws(() => cccdCenturySexDigit(1899, 'M'), RangeError);
    assert.equal(generateCccd('079', 2001, 'F', 123), '079301000123');
    assert.throws(() => generateCccd('79', 2001, 'F', 1), RangeError);
    assert.throws(() => generateCccd('079', 2001, 'F', 1_000_000), RangeError);
  });

  it('always produces numbers that parse ok with the same province, year and sex', () => {
    const codes3 = PROVINCES.map((p) => p.cccdCode);
    fc.assert(
      fc.property(
        fc.constantFrom(...codes3),
        fc.integer({ min: 1900, max: 2022 }),
        fc.constantFrom<'M' | 'F'>('M', 'F'),
        fc.integer({ min: 0, max: 999_999 }),
        (prov, year, sex, serial) => {
          const n = generateCccd(prov, year, sex, serial);
          const r = parseIdNumber(n, { dob: yearOnly(year), sex, today: TODAY });
          assert.ok(r.ok && r.warnings.length === 0, JSON.stringify(r));
          assert.deepEqual(r.value, { kind: 'CCCD', number: n });
          const info = decodeCccd(n);
          assert.equal(info?.provinceCccdCode, prov);
          assert.equal(info?.birthYear, year);
          assert.equal(info?.sex, sex);
          // and the Excel-damaged form comes back identical
          const damaged = parseIdNumber(Number(n), { dob: yearOnly(year), sex, today: TODAY });
          assert.equal(damaged.ok && damaged.value?.number, n);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
