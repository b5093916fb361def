import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateRecord } from '../import/index.js';
import type { RawRecord } from '../import/index.js';
import { findProduct } from '../reference/index.js';
import { bundleToRows, doseToImmunization, personToPatient, type Bundle, type BundleEntry } from './index.js';
import { FACILITY, sampleRecords, sampleRows } from './test-helpers/fhir-fixtures.js';

const TODAY = { today: '2022-05-01' };

/** What the pipeline would store for a record (throws with the issues if it is invalid). */
function canonical(values: RawRecord): unknown {
  const check = validateRecord(values, TODAY);
  if (!check.ok) throw new Error(`invalid: ${JSON.stringify(check.issues)}`);
  return check.record;
}

function sampleBundle(): Bundle {
  const entry: BundleEntry[] = [];
  for (const { person, documents, doses } of sampleRows()) {
    entry.push({ fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(person.id).padStart(12, '0')}`, resource: personToPatient(person, documents) });
    for (const d of doses) {
      const ref = `urn:uuid:00000000-0000-4000-8000-${String(person.id).padStart(12, '0')}`;
      entry.push({ resource: doseToImmunization(d, findProduct(d.product_id), FACILITY, ref) });
    }
  }
  return { resourceType: 'Bundle', type: 'collection', entry };
}

test('round trip: rows → registry rows → Bundle (JSON text) → rows gives the same canonical values', () => {
  const original = sampleRecords();
  const bundle = JSON.parse(JSON.stringify(sampleBundle())) as unknown;
  const { rows, problems } = bundleToRows(bundle);
  assert.deepEqual(problems, []);
  assert.equal(rows.length, original.length);
  for (const [i, row] of rows.entries()) {
    const want = original[i];
    assert.ok(want);
    assert.deepEqual(row.values, want, `row ${row.rowNumber}`);
    assert.deepEqual(canonical(row.values), canonical(want));
  }
  // Entry numbers: Patient 1 at entry 1, its three doses at 2-4, Patient 2 at entry 5…
  assert.deepEqual(
    rows.map((r) => r.rowNumber),
    [2, 3, 4, 6, 8, 10],
  );
});

test('Patient/<id> references (relative, absolute, versioned), Immunization before its Patient, foreign codings', () => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        resource: {
          resourceType: 'Immunization',
          status: 'completed',
          vaccineCode: { coding: [{ system: 'http://ec.europa.eu/temp/vaccineproductname', code: 'BBIBP-CorV' }] },
          patient: { reference: 'Patient/p1' },
          // 23:30 UTC is already the next day in Ho Chi Minh City.
          occurrenceDateTime: '2021-08-01T23:30:00Z',
          protocolApplied: [{ doseNumberPositiveInt: 2 }],
        },
      },
      {
        fullUrl: 'https://other.example/fhir/Patient/p1',
        resource: {
          resourceType: 'Patient',
          id: 'p1',
          name: [{ use: 'old', text: 'Nguyen Thi Cu' }, { use: 'official', family: 'Phạm', given: ['Thị', 'Lan'] }],
          gender: 'female',
          birthDate: '1972-02-28',
          identifier: [
            { system: 'http://other.example/mrn', value: 'MRN-1' },
            { system: 'https://vaxpass.gov.vn/fhir/sid/cmnd', value: '012345678', use: 'old' },
            { system: 'https://vaxpass.gov.vn/fhir/sid/cccd', value: '001172012345' },
          ],
          address: [{ state: 'Thành phố Hồ Chí Minh' }],
        },
      },
      {
        resource: {
          resourceType: 'Immunization',
          status: 'completed',
          vaccineCode: { text: 'AstraZeneca' },
          patient: { reference: 'https://other.example/fhir/Patient/p1/_history/3' },
          occurrenceDateTime: '2021-09-01T08:00:00+07:00',
        },
      },
      {
        resource: {
          resourceType: 'Immunization',
          status: 'entered-in-error',
          vaccineCode: { text: 'AstraZeneca' },
          patient: { reference: 'Patient/p1' },
          occurrenceDateTime: '2021-09-01',
        },
      },
    ],
  };
  const { rows, problems } = bundleToRows(bundle);
  const person = { full_name: 'Phạm Thị Lan', dob: '1972-02-28', sex: 'F', id_number: '001172012345', province_code: '79' };
  assert.deepEqual(rows, [
    { rowNumber: 1, values: { ...person, vaccine: 'BBIBP-CorV', dose_date: '2021-08-02', dose_number: 2 } },
    { rowNumber: 3, values: { ...person, vaccine: 'AstraZeneca', dose_date: '2021-09-01' } },
  ]);
  assert.deepEqual(
    problems.map((p) => [p.row, p.code, p.severity]),
    [[4, 'FHIR_NOT_COMPLETED', 'warning']],
  );
});

test('broken entries give precise problems with entry numbers and FHIR paths, in English and Vietnamese', () => {
  const good = sampleBundle().entry;
  const patient = good[0];
  const imm = good[1]?.resource;
  assert.ok(patient?.resource?.resourceType === 'Patient' && imm?.resourceType === 'Immunization');
  const entry: unknown[] = [
    patient, // 1
    { resource: { ...imm, occurrenceDateTime: '01/07/2021' } }, // 2
    { resource: { ...imm, patient: { reference: 'urn:uuid:nobody' } } }, // 3
    'not an entry', // 4
    { resource: { ...imm, status: undefined, protocolApplied: [{ doseNumberPositiveInt: 0 }] } }, // 5
    { fullUrl: 'urn:uuid:bad-patient', resource: { resourceType: 'Patient', id: 'x', birthDate: 19900101, gender: 'M' } }, // 6
    { resource: { ...imm, patient: { reference: 'urn:uuid:bad-patient' } } }, // 7
    { resource: { resourceType: 'Observation' } }, // 8
    { resource: { ...imm, vaccineCode: { coding: [{ system: 'http://snomed.info/sct', code: '1119349007' }] } } }, // 9
    {}, // 10
    { resource: { ...imm, lotNumber: 42 } }, // 11
    { resource: { ...imm } }, // 12: fine
  ];
  const { rows, problems } = bundleToRows({ resourceType: 'Bundle', type: 'collection', entry });
  assert.deepEqual(
    rows.map((r) => r.rowNumber),
    [12],
  );
  assert.equal(rows[0]?.values.full_name, 'Nguyễn Văn An');
  assert.deepEqual(
    problems.map((p) => [p.row, p.column, p.code, p.severity]),
    [
      [2, 'Immunization.occurrenceDateTime', 'FHIR_INVALID', 'error'],
      [3, 'Immunization.patient.reference', 'FHIR_PATIENT_MISSING', 'error'],
      [4, 'Bundle.entry', 'FHIR_INVALID', 'error'],
      [5, 'Immunization.status', 'FHIR_REQUIRED', 'error'],
      [5, 'Immunization.protocolApplied[0].doseNumberPositiveInt', 'FHIR_INVALID', 'error'],
      [6, 'Patient.birthDate', 'FHIR_INVALID', 'error'],
      [6, 'Patient.gender', 'FHIR_INVALID', 'error'],
      [7, 'Immunization.patient.reference', 'FHIR_PATIENT_INVALID', 'error'],
      [8, 'Bundle.entry.resource', 'FHIR_UNSUPPORTED_RESOURCE', 'warning'],
      [9, 'Immunization.vaccineCode', 'FHIR_VACCINE_UNMAPPED', 'error'],
      [10, 'Bundle.entry.resource', 'FHIR_REQUIRED', 'error'],
      [11, 'Immunization.lotNumber', 'FHIR_INVALID', 'error'],
    ],
  );
  const byRow = (row: number): (typeof problems)[number] | undefined => problems.find((p) => p.row === row);
  assert.equal(
    byRow(2)?.message,
    'Immunization.occurrenceDateTime is not valid FHIR R4: expected a dateTime (yyyy-mm-dd, or with a time and a zone), got "01/07/2021"',
  );
  assert.match(byRow(2)?.messageVi ?? '', /không hợp lệ theo FHIR R4/);
  assert.equal(byRow(3)?.message, 'Immunization.patient refers to urn:uuid:nobody, which is not in the input');
  assert.match(byRow(7)?.message ?? '', /urn:uuid:bad-patient \(entry 6\), which is invalid: Patient\.birthDate is not valid FHIR R4.*number 19900101/);
  assert.match(byRow(7)?.messageVi ?? '', /\(mục 6\), bản ghi này không hợp lệ: Patient\.birthDate không hợp lệ/);
});

test('not a Bundle, not JSON, entry not an array: one problem on row 0', () => {
  for (const [input, code] of [
    [{ resourceType: 'Patient' }, 'FHIR_NOT_A_BUNDLE'],
    [[1, 2], 'FHIR_NOT_A_BUNDLE'],
    ['{"resourceType": "Bundle", ', 'FHIR_INVALID_JSON'],
    [{ resourceType: 'Bundle', entry: {} }, 'FHIR_INVALID'],
  ] as const) {
    const { rows, problems } = bundleToRows(input);
    assert.deepEqual(rows, []);
    assert.deepEqual(
      problems.map((p) => [p.row, p.code]),
      [[0, code]],
    );
  }
  assert.deepEqual(bundleToRows({ resourceType: 'Bundle', type: 'collection' }), { rows: [], problems: [] });
});

test('duplicate Patient ids: the second is reported and ignored', () => {
  const p = { resourceType: 'Patient', id: 'a', name: [{ text: 'Lê Văn Một' }] };
  const { problems } = bundleToRows({ resourceType: 'Bundle', entry: [{ resource: p }, { resource: { ...p, name: [{ text: 'Lê Văn Hai' }] } }] });
  assert.deepEqual(
    problems.map((x) => [x.row, x.code, x.message]),
    [[2, 'FHIR_PATIENT_DUPLICATE', 'Patient/a appears twice in the input (first at entry 1); this one is ignored']],
  );
});
