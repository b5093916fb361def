import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Parsed } from './field-issue.js';
import { parseDob } from './parse-dob.js';
import type { PartialDate } from './parse-dob.js';
import { findProduct } from '../reference/index.js';
import { CAMPAIGN_START, parseDoseDate } from './parse-dose-date.js';

const today = '2022-04-15';
function val<T>(r: Parsed<T>): T {
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
}
function codes(r: Parsed<unknown>): string[] {
  return (r.ok ? r.warnings : r.issues).map((i) => i.code);
}

describe('parseDob', () => {
  it('full dates in every parseDate form', () => {
    assert.deepEqual(val(parseDob('04/05/1989', { today })), { text: '1989-05-04', year: 1989, month: 5, day: 4 });
    assert.deepEqual(val(parseDob('1989-05-04', { today })), { text: '1989-05-04', year: 1989, month: 5, day: 4 });
    assert.deepEqual(val(parseDob(32632, { today })), { text: '1989-05-04', year: 1989, month: 5, day: 4 });
    assert.deepEqual(val(parseDob(new Date(Date.UTC(1989, 4, 4)), { today })), { text: '1989-05-04', year: 1989, month: 5, day: 4 });
  });

  it('year-month and year-only (EU DCC partial dates)', () => {
    assert.deepEqual(val(parseDob('05/1989', { today })), { text: '1989-05', year: 1989, month: 5 });
    assert.deepEqual(val(parseDob('5/1989', { today })), { text: '1989-05', year: 1989, month: 5 });
    assert.deepEqual(val(parseDob('1989-05', { today })), { text: '1989-05', year: 1989, month: 5 });
    assert.deepEqual(val(parseDob('1989', { today })), { text: '1989', year: 1989 });
    assert.deepEqual(val(parseDob(1989, { today })), { text: '1989', year: 1989 });
    assert.deepEqual(codes(parseDob('13/1989', { today })), ['DATE_INVALID_MONTH']);
  });

  it('00 for an unknown day or month becomes a partial date, with a warning', () => {
    const r = parseDob('00/05/1960', { today });
    assert.deepEqual(val(r), { text: '1960-05', year: 1960, month: 5 });
    assert.deepEqual(codes(r), ['DOB_ZERO_PARTS']);
    assert.deepEqual(val(parseDob('00/00/1960', { today })), { text: '1960', year: 1960 });
    assert.deepEqual(val(parseDob('00/1960', { today })), { text: '1960', year: 1960 });
    assert.deepEqual(codes(parseDob('00/00/1960', { today })), ['DOB_ZERO_PARTS']);
  });

  it('not in the future, at the value’s own precision', () => {
    assert.deepEqual(codes(parseDob('16/04/2022', { today })), ['DOB_IN_FUTURE']);
    assert.ok(parseDob('15/04/2022', { today }).ok);
    assert.ok(parseDob('04/2022', { today }).ok);
    assert.ok(parseDob('2022', { today }).ok);
    assert.deepEqual(codes(parseDob('05/2022', { today })), ['DOB_IN_FUTURE']);
    assert.deepEqual(codes(parseDob('2023', { today })), ['DOB_IN_FUTURE']);
  });

  it('not before 1900', () => {
    assert.deepEqual(codes(parseDob('1899', { today })), ['DOB_BEFORE_1900']);
    assert.deepEqual(codes(parseDob('31/12/1899', { today })), ['DOB_BEFORE_1900']);
    assert.ok(parseDob('01/01/1900', { today }).ok);
  });

  it('two-digit years pivot to the past, with a warning', () => {
    const r = parseDob('1/7/30', { today });
    assert.deepEqual(val(r), { text: '1930-07-01', year: 1930, month: 7, day: 1 });
    assert.deepEqual(codes(r), ['DATE_TWO_DIGIT_YEAR']);
    assert.equal(val(parseDob('1/7/15', { today })).year, 2015);
  });

  it('reports empty and impossible dates', () => {
    assert.deepEqual(codes(parseDob('', { today })), ['FIELD_REQUIRED']);
    assert.deepEqual(codes(parseDob(null, { today })), ['FIELD_REQUIRED']);
    assert.deepEqual(codes(parseDob('30/02/1990', { today })), ['DATE_INVALID_DAY']);
  });
});

describe('parseDoseDate', () => {
  const az = findProduct('astrazeneca')!;
  const paed = findProduct('comirnaty_paediatric')!;
  it('accepts a normal dose date', () => {
    assert.equal(val(parseDoseDate('15/07/2021', { today, product: az })), '2021-07-15');
    assert.equal(val(parseDoseDate(44392, { today })), '2021-07-15');
  });
  it('not in the future', () => {
    assert.deepEqual(codes(parseDoseDate('16/04/2022', { today })), ['DOSE_DATE_IN_FUTURE']);
  });
  it(`not before ${CAMPAIGN_START}`, () => {
    assert.deepEqual(codes(parseDoseDate('31/12/2020', { today })), ['DOSE_DATE_BEFORE_CAMPAIGN']);
    assert.deepEqual(codes(parseDoseDate(1990, { today })), ['DOSE_DATE_BEFORE_CAMPAIGN']); // serial → 1905
  });
  it('not before the product was available', () => {
    const r = parseDoseDate('20/12/2021', { today, product: paed });
    assert.deepEqual(codes(r), ['DOSE_DATE_BEFORE_PRODUCT']);
    assert.ok(!r.ok && r.issues[0]!.en.includes('(2022-01-01)'));
    assert.deepEqual(codes(parseDoseDate('15/01/2021', { today, product: az })), ['DOSE_DATE_BEFORE_PRODUCT']);
  });
  it('not before the date of birth', () => {
    const dob: PartialDate = { text: '2021-08', year: 2021, month: 8 };
    assert.deepEqual(codes(parseDoseDate('31/07/2021', { today, dob })), ['DOSE_DATE_BEFORE_DOB']);
    assert.ok(parseDoseDate('01/08/2021', { today, dob }).ok);
  });
  it('two-digit years are 20yy', () => {
    assert.equal(val(parseDoseDate('15/7/21', { today })), '2021-07-15');
  });
});
