import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from './index.js';
import type { FieldIssue, Parsed } from './index.js';
import { findProduct } from '../reference/index.js';

const today = '2022-04-15';
const issuesOf = (r: Parsed<unknown>): readonly FieldIssue[] => (r.ok ? r.warnings : r.issues);
const az1: v.DoseFact = { productId: 'astrazeneca', date: '2021-07-01', doseNumber: 1 };

/** One or more calls that produce each code. */
function everyIssue(): FieldIssue[] {
  const out: FieldIssue[] = [];
  const add = (r: Parsed<unknown>) => out.push(...issuesOf(r));
  for (const raw of ['', 'N/A', '0010890123x5', 1.5, '12345', '1.23457E+11', '7.9301000123E+10', '003089012345', '001489012345', 'NGUYEN']) add(v.parseIdNumber(raw, { today }));
  add(v.parseIdNumber('001203004567', { sex: 'F', dob: { text: '1989', year: 1989 } }));
  for (const raw of ['x', '07/2021', '13/13/2021', '31/02/2021', '01/01/1800', 0, 60]) add(v.parseDate(raw, 'dose_date'));
  add(v.parseDate('1/1/80', 'dob', { today }));
  for (const raw of ['2023', '1899', '00/05/1960']) add(v.parseDob(raw, { today }));
  add(v.parseDoseDate('2022-05-01', { today }));
  add(v.parseDoseDate('2020-05-01', { today }));
  add(v.parseDoseDate('2021-01-15', { today, product: findProduct('astrazeneca')! }));
  add(v.parseDoseDate('2021-07-15', { today, dob: { text: '2021-08', year: 2021, month: 8 } }));
  add(v.parseSex(''));
  add(v.parseSex('X'));
  add(v.parseSex('0'));
  add(v.parsePhone('123'));
  add(v.parsePhone('01682345678'));
  add(v.parseProvinceCode('03'));
  add(v.resolveVaccine('Sinovac'));
  add(v.resolveVaccine('Nanocovax'));
  add(v.resolveVaccine('Pfizer trẻ em', { ageYears: 30 }));
  add(v.parseLot('A#1'));
  add(v.parseDoseNumber('abc'));
  add(v.parseDoseNumber(12));
  out.push(...v.checkDoseSeries([az1], { ...az1, doseNumber: 2 }));
  out.push(...v.checkDoseSeries([az1], { productId: 'spikevax', date: '2021-07-01', doseNumber: 2 }));
  out.push(...v.checkDoseSeries([az1], { ...az1, date: '2021-07-05' }));
  out.push(...v.checkDoseSeries([az1], { ...az1, date: '2021-06-01', doseNumber: 2 }));
  out.push(...v.checkDoseSeries([az1], { ...az1, date: '2021-07-10', doseNumber: 2 }));
  out.push(...v.checkDoseSeries([az1, { ...az1, date: '2021-08-01', doseNumber: 2 }], { ...az1, date: '2021-09-01', doseNumber: 3 }));
  out.push(...v.checkDoseSeries([], { ...az1, productId: 'nope' }));
  add(v.parseFullName(`A ${'b'.repeat(100)}`));
  add(v.parseFullName('An'));
  add(v.parseFullName('An 3'));
  return out;
}

describe('ISSUE_CODES', () => {
  const all = everyIssue();

  it('every code is produced by some input', () => {
    const seen = new Set(all.map((i) => i.code));
    const missing = Object.keys(v.ISSUE_CODES).filter((c) => !seen.has(c));
    assert.deepEqual(missing, []);
  });

  it('codes are stable UPPER_SNAKE and severities match the table', () => {
    for (const [code, t] of Object.entries(v.ISSUE_CODES)) {
      assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      assert.ok(t.en.length > 10 && t.vi.length > 10);
    }
    for (const i of all) assert.equal(i.severity, v.ISSUE_CODES[i.code as v.IssueCode].severity, i.code);
  });

  it('every issue has a filled English and Vietnamese message and a canonical field', () => {
    const fields = new Set(Object.keys(v.FIELD_LABELS));
    const vietnamese = /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/iu;
    for (const i of all) {
      assert.ok(fields.has(i.field), i.field);
      assert.ok(!/\{\w+\}/.test(i.en) && !/\{\w+\}/.test(i.vi), `${i.code}: ${i.en} / ${i.vi}`);
      assert.ok(!i.en.includes('undefined') && !i.vi.includes('undefined'), i.code);
      assert.ok(vietnamese.test(i.vi), `${i.code} vi lacks diacritics: ${i.vi}`);
      assert.notEqual(i.en, i.vi);
    }
  });
});
