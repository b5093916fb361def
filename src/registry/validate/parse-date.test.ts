import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { daysFromCivil, isoFromDays, todayInVietnam } from './calendar.js';
import type { Parsed } from './field-issue.js';
import { isoToExcelSerial, parseDate } from './parse-date.js';

function val(r: Parsed<string>): string {
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
}
function code(r: Parsed<unknown>): string | undefined {
  return r.ok ? r.warnings[0]?.code : r.issues[0]?.code;
}

describe('parseDate: text forms', () => {
  const ok: [string, string][] = [
    ['15/07/2021', '2021-07-15'],
    ['5/7/2021', '2021-07-05'],
    ['5/7/21', '2021-07-05'],
    ['15-07-2021', '2021-07-15'],
    ['15.07.2021', '2021-07-15'],
    ['2021-07-15', '2021-07-15'],
    ['2021/7/5', '2021-07-05'],
    ['20210715', '2021-07-15'],
    ['15072021', '2021-07-15'],
    [' 15/07/2021 ', '2021-07-15'],
    ['15/07/2021 08:30', '2021-07-15'],
    ['15/07/2021 00:00:00', '2021-07-15'],
    ['2021-07-15T10:00:00+07:00', '2021-07-15'],
    ['2021-07-14T18:00:00Z', '2021-07-15'], // 01:00 on the 15th in Viet Nam
    ['2021-07-14T16:59:59.999Z', '2021-07-14'], // 23:59 in Viet Nam
    ['2021-07-15T23:30:00-05:00', '2021-07-16'],
    ['29/02/2020', '2020-02-29'],
  ];
  for (const [raw, want] of ok) it(`${raw} → ${want}`, () => assert.equal(val(parseDate(raw, 'dose_date')), want));

  it('reads 03/04/2021 as 3 April (Vietnamese day/month order, never US month/day)', () => {
    assert.equal(val(parseDate('03/04/2021', 'dose_date')), '2021-04-03');
    const r = parseDate('04/13/2021', 'dose_date');
    assert.equal(code(r), 'DATE_INVALID_MONTH');
    assert.ok(!r.ok && r.issues[0]!.en.includes('month 13 does not exist'));
  });

  it('rejects impossible dates with the exact reason', () => {
    const r = parseDate('31/02/2021', 'dose_date');
    assert.ok(!r.ok);
    assert.equal(r.issues[0]!.code, 'DATE_INVALID_DAY');
    assert.equal(r.issues[0]!.en, 'Dose date "31/02/2021": day 31 does not exist, February 2021 has 28 days');
    assert.equal(r.issues[0]!.vi, 'Ngày tiêm "31/02/2021": không có ngày 31, tháng 2/2021 chỉ có 28 ngày');
    assert.equal(code(parseDate('29/02/2021', 'dose_date')), 'DATE_INVALID_DAY');
    assert.equal(code(parseDate('31/04/2021', 'dose_date')), 'DATE_INVALID_DAY');
    assert.equal(code(parseDate('00/04/2021', 'dose_date')), 'DATE_INVALID_DAY');
    assert.equal(code(parseDate('10/00/2021', 'dose_date')), 'DATE_INVALID_MONTH');
  });

  it('rejects unknown shapes, partial dates, mixed separators and bad times', () => {
    for (const raw of ['15/07-2021', 'July 15, 2021', '15/07/2021x', '2021-7-15T25:00', '123/4/2021', 'abc']) {
      assert.equal(code(parseDate(raw, 'dose_date')), 'DATE_FORMAT', raw);
    }
    assert.equal(code(parseDate('07/2021', 'dose_date')), 'DATE_INCOMPLETE');
    assert.equal(code(parseDate('', 'dose_date')), 'FIELD_REQUIRED');
    assert.equal(code(parseDate(null, 'dose_date')), 'FIELD_REQUIRED');
  });

  it('rejects years outside 1900–2099', () => {
    assert.equal(code(parseDate('15/07/1899', 'dose_date')), 'DATE_YEAR_RANGE');
    assert.equal(code(parseDate('15/07/2201', 'dose_date')), 'DATE_YEAR_RANGE');
    assert.equal(code(parseDate('15/07/0221', 'dose_date')), 'DATE_YEAR_RANGE');
  });
});

describe('parseDate: two-digit years', () => {
  it('events are always 20yy', () => {
    assert.equal(val(parseDate('1/7/21', 'dose_date')), '2021-07-01');
    assert.equal(val(parseDate('1/7/99', 'dose_date')), '2099-07-01');
  });
  it('birth years pivot on the current year, with a warning', () => {
    const today = '2022-04-15';
    const r = parseDate('1/7/22', 'dob', { today });
    assert.equal(val(r), '2022-07-01');
    assert.equal(code(r), 'DATE_TWO_DIGIT_YEAR');
    assert.equal(val(parseDate('1/7/23', 'dob', { today })), '1923-07-01');
    assert.equal(val(parseDate('1/7/89', 'dob', { today })), '1989-07-01');
    assert.equal(val(parseDate('1/7/05', 'dob', { today })), '2005-07-01');
    assert.equal(val(parseDate('1/7/89', 'dose_date', { kind: 'dob', today })), '1989-07-01');
  });
});

describe('parseDate: Excel serials and Date objects', () => {
  it('44197 = 2021-01-01, as number or digit string', () => {
    assert.equal(val(parseDate(44197, 'dose_date')), '2021-01-01');
    assert.equal(val(parseDate('44197', 'dose_date')), '2021-01-01');
    assert.equal(val(parseDate(44197.75, 'dose_date')), '2021-01-01');
    assert.equal(val(parseDate('44197.75', 'dose_date')), '2021-01-01');
    assert.equal(isoToExcelSerial('2021-01-01'), 44197);
  });

  it('handles the 1900 leap-year bug', () => {
    assert.equal(val(parseDate(1, 'dose_date')), '1900-01-01');
    assert.equal(val(parseDate(59, 'dose_date')), '1900-02-28');
    assert.equal(code(parseDate(60, 'dose_date')), 'DATE_EXCEL_1900_02_29');
    assert.equal(val(parseDate(61, 'dose_date')), '1900-03-01');
    assert.equal(isoToExcelSerial('1900-01-01'), 1);
    assert.equal(isoToExcelSerial('1900-03-01'), 61);
    assert.equal(val(parseDate(73050, 'dose_date')), '2099-12-31');
  });

  it('rejects serials outside the sane range', () => {
    for (const n of [0, -5, 73051, 999999]) assert.equal(code(parseDate(n, 'dose_date')), 'DATE_SERIAL_RANGE', String(n));
    assert.equal(code(parseDate(Number.NaN, 'dose_date')), 'DATE_FORMAT');
  });

  it('a bare year in a birth-date column is incomplete, not a 1905 serial', () => {
    assert.equal(code(parseDate(1990, 'dob')), 'DATE_INCOMPLETE');
    assert.equal(code(parseDate('1990', 'dob')), 'DATE_INCOMPLETE');
  });

  it('round-trips every serial from 1900-03-01 to 2099-12-31', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 73050 }), (serial) => {
        const iso = val(parseDate(serial, 'dose_date'));
        assert.equal(isoToExcelSerial(iso), serial);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads Date objects at UTC midnight and at Viet Nam local midnight as the same day', () => {
    assert.equal(val(parseDate(new Date(Date.UTC(2021, 6, 15)), 'dose_date')), '2021-07-15');
    assert.equal(val(parseDate(new Date('2021-07-15T00:00:00+07:00'), 'dose_date')), '2021-07-15');
    assert.equal(val(parseDate(new Date(Date.UTC(2021, 6, 15) - 1), 'dose_date')), '2021-07-15'); // float noise
    assert.equal(code(parseDate(new Date(Number.NaN), 'dose_date')), 'DATE_FORMAT');
  });
});

describe('calendar', () => {
  it('day numbers agree with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25567, max: 47481 }), (days) => {
        const iso = isoFromDays(days);
        assert.equal(iso, new Date(days * 86_400_000).toISOString().slice(0, 10));
        assert.equal(daysFromCivil(+iso.slice(0, 4), +iso.slice(5, 7), +iso.slice(8, 10)), days);
      }),
      { numRuns: 3000 },
    );
  });
  it('today in Viet Nam is UTC+7', () => {
    assert.equal(todayInVietnam(new Date('2022-04-14T17:00:00Z')), '2022-04-15');
    assert.equal(todayInVietnam(new Date('2022-04-14T16:59:59Z')), '2022-04-14');
  });
});
