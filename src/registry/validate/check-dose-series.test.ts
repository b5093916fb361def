import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOOSTER_MIN_DAYS, checkDoseSeries, classifyDose } from './check-dose-series.js';
import type { DoseFact } from './check-dose-series.js';
import { findProduct } from '../reference/index.js';

const d = (productId: string, date: string, doseNumber: number, status?: DoseFact['status']): DoseFact =>
  status === undefined ? { productId, date, doseNumber } : { productId, date, doseNumber, status };
const codes = (existing: DoseFact[], c: DoseFact) => checkDoseSeries(existing, c).map((i) => i.code);

describe('classifyDose', () => {
  it('dose numbers above the primary series are boosters', () => {
    assert.equal(classifyDose(2, findProduct('astrazeneca')!), 'primary');
    assert.equal(classifyDose(3, findProduct('astrazeneca')!), 'booster');
    assert.equal(classifyDose(3, findProduct('abdala')!), 'primary');
    assert.equal(classifyDose(2, findProduct('janssen')!), 'booster');
  });
});

describe('checkDoseSeries', () => {
  const az1 = d('astrazeneca', '2021-07-01', 1);
  it('a clean series has no issues', () => {
    assert.deepEqual(codes([], az1), []);
    assert.deepEqual(codes([az1], d('astrazeneca', '2021-08-01', 2)), []);
    assert.deepEqual(codes([az1, d('astrazeneca', '2021-08-01', 2)], d('comirnaty', '2021-11-01', 3)), []);
  });

  it('same product, same day → DOSE_DUPLICATE only', () => {
    const issues = checkDoseSeries([az1], d('astrazeneca', '2021-07-01', 2));
    assert.deepEqual(issues.map((i) => i.code), ['DOSE_DUPLICATE']);
    assert.equal(issues[0]!.severity, 'warning');
  });

  it('inactive doses are ignored', () => {
    assert.deepEqual(codes([d('astrazeneca', '2021-07-01', 1, 'voided')], az1), []);
  });

  it('a different product on the same day', () => {
    assert.deepEqual(codes([az1], d('spikevax', '2021-07-01', 2)), ['DOSE_SAME_DAY', 'DOSE_INTERVAL_SHORT']);
  });

  it('a dose number already taken on another day', () => {
    assert.deepEqual(codes([az1], d('astrazeneca', '2021-07-20', 1)), ['DOSE_NUMBER_CONFLICT']);
  });

  it('dose numbers follow date order, both ways', () => {
    const r = checkDoseSeries([az1], d('astrazeneca', '2021-06-01', 2));
    assert.deepEqual(r.map((i) => i.code), ['DOSE_ORDER']);
    assert.equal(r[0]!.en, 'Dose 2 on 2021-06-01 is out of order: dose 1 is on 2021-07-01');
    assert.deepEqual(codes([d('astrazeneca', '2021-08-01', 2)], d('astrazeneca', '2021-09-01', 1)), ['DOSE_ORDER']);
  });

  it('minimum interval between consecutive primary doses (warning)', () => {
    const r = checkDoseSeries([az1], d('astrazeneca', '2021-07-20', 2));
    assert.deepEqual(r.map((i) => i.code), ['DOSE_INTERVAL_SHORT']);
    assert.equal(r[0]!.severity, 'warning');
    assert.ok(r[0]!.en.includes('19 days apart; the minimum for AstraZeneca is 28 days'));
    assert.deepEqual(codes([d('vero_cell', '2021-07-01', 1)], d('vero_cell', '2021-07-22', 2)), []); // 21 days
    // mixed AZ → Pfizer: AZ's 28 days applies
    assert.deepEqual(codes([az1], d('comirnaty', '2021-07-25', 2)), ['DOSE_INTERVAL_SHORT']);
    // inserting dose 1 before an existing dose 2
    assert.deepEqual(codes([d('astrazeneca', '2021-07-20', 2)], az1), ['DOSE_INTERVAL_SHORT']);
  });

  it(`booster at least ${BOOSTER_MIN_DAYS} days after the last primary dose (warning)`, () => {
    const series = [az1, d('astrazeneca', '2021-08-01', 2)];
    const r = checkDoseSeries(series, d('comirnaty', '2021-10-01', 3));
    assert.deepEqual(r.map((i) => i.code), ['DOSE_BOOSTER_TOO_EARLY']);
    assert.ok(r[0]!.en.includes('61 days after the last primary dose (2021-08-01)'));
    assert.deepEqual(codes(series, d('comirnaty', '2021-10-30', 3)), []); // 90 days
    assert.deepEqual(codes([d('janssen', '2021-08-01', 1)], d('comirnaty', '2021-09-01', 2)), ['DOSE_BOOSTER_TOO_EARLY']);
  });

  it('the product of dose 1 decides the primary series (AZ, AZ, then Abdala = booster)', () => {
    const series = [az1, d('astrazeneca', '2021-08-01', 2)];
    assert.deepEqual(codes(series, d('abdala', '2021-09-01', 3)), ['DOSE_BOOSTER_TOO_EARLY']);
    // an Abdala primary series has 3 doses 14 days apart
    const ab = [d('abdala', '2021-09-01', 1), d('abdala', '2021-09-15', 2)];
    assert.deepEqual(codes(ab, d('abdala', '2021-10-01', 3)), []);
  });

  it('unknown product ids', () => {
    assert.deepEqual(codes([], d('sinovac', '2021-07-01', 1)), ['DOSE_PRODUCT_UNKNOWN']);
  });
});
