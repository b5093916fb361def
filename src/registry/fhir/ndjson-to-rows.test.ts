import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ImportRow, RowProblem } from '../import/index.js';
import { findProduct } from '../reference/index.js';
import { doseToImmunization, isRowProblem, ndjsonFilesToRows, ndjsonToRows, personToPatient, type NdjsonItem } from './index.js';
import { FACILITY, sampleRecords, sampleRows } from './test-helpers/fhir-fixtures.js';

function sampleLines(): { patients: string[]; immunizations: string[] } {
  const patients: string[] = [];
  const immunizations: string[] = [];
  for (const { person, documents, doses } of sampleRows()) {
    patients.push(JSON.stringify(personToPatient(person, documents)));
    for (const d of doses) immunizations.push(JSON.stringify(doseToImmunization(d, findProduct(d.product_id), FACILITY, `Patient/${person.id}`)));
  }
  return { patients, immunizations };
}

async function collect(items: AsyncIterable<NdjsonItem>): Promise<{ rows: ImportRow[]; problems: RowProblem[] }> {
  const rows: ImportRow[] = [];
  const problems: RowProblem[] = [];
  for await (const item of items) {
    if (isRowProblem(item)) problems.push(item);
    else rows.push(item);
  }
  return { rows, problems };
}

test('one NDJSON stream (Patients first): rows numbered by line, same values as the source records', async () => {
  const { patients, immunizations } = sampleLines();
  const { rows, problems } = await collect(ndjsonToRows([...patients, ...immunizations, '']));
  assert.deepEqual(problems, []);
  assert.deepEqual(
    rows.map((r) => r.rowNumber),
    [5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(
    rows.map((r) => r.values),
    sampleRecords(),
  );
});

test('NDJSON problems: bad JSON, a non-object, an Immunization before its Patient, an invalid Patient', async () => {
  const { patients, immunizations } = sampleLines();
  const lines = [
    immunizations[0] ?? '', // 1: Patient/1 not seen yet
    patients[0] ?? '', // 2
    '{"resourceType": "Immunization",', // 3
    '[1,2]', // 4
    '   ', // 5: blank, ignored
    JSON.stringify({ resourceType: 'Patient', id: '2', gender: 'mâle' }), // 6
    immunizations[3] ?? '', // 7: Patient/2 is invalid
    immunizations[1] ?? '', // 8: fine
    JSON.stringify({ resourceType: 'Patient' }), // 9: cannot be referenced
  ];
  const { rows, problems } = await collect(ndjsonToRows(lines));
  assert.deepEqual(
    rows.map((r) => r.rowNumber),
    [8],
  );
  assert.deepEqual(
    problems.map((p) => [p.row, p.column, p.code]),
    [
      [1, 'Immunization.patient.reference', 'FHIR_PATIENT_MISSING'],
      [3, '(line)', 'FHIR_INVALID_JSON'],
      [4, '(line)', 'FHIR_INVALID'],
      [6, 'Patient.gender', 'FHIR_INVALID'],
      [7, 'Immunization.patient.reference', 'FHIR_PATIENT_INVALID'],
      [9, 'Patient.id', 'FHIR_REQUIRED'],
    ],
  );
  assert.match(problems[4]?.message ?? '', /Patient\/2 \(line 6\), which is invalid: Patient\.gender/);
});

test('10k Immunizations stream: each row is yielded before the next line is pulled', async () => {
  const PATIENTS = 100;
  const DOSES = 10_000;
  let pulled = 0;
  // A generator, so nothing exists before it is asked for.
  function* lines(): Generator<string> {
    for (let p = 1; p <= PATIENTS; p++) {
      pulled++;
      yield JSON.stringify({ resourceType: 'Patient', id: String(p), name: [{ text: `Nguyễn Văn ${p}` }], birthDate: '1990', gender: 'male' });
    }
    for (let i = 0; i < DOSES; i++) {
      pulled++;
      yield JSON.stringify({
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [{ system: 'https://ec.europa.eu/health/documents/community-register/html/', code: 'EU/1/21/1529' }] },
        patient: { reference: `Patient/${(i % PATIENTS) + 1}` },
        occurrenceDateTime: '2021-08-01',
        protocolApplied: [{ doseNumberPositiveInt: 1 }],
      });
    }
  }
  let rows = 0;
  let maxAhead = 0;
  for await (const item of ndjsonToRows(lines())) {
    assert.ok(!isRowProblem(item), JSON.stringify(item));
    rows++;
    assert.equal(item.rowNumber, PATIENTS + rows);
    assert.equal(item.values.full_name, `Nguyễn Văn ${((rows - 1) % PATIENTS) + 1}`);
    maxAhead = Math.max(maxAhead, pulled - item.rowNumber);
  }
  assert.equal(rows, DOSES);
  assert.equal(maxAhead, 0, 'the reader never runs ahead of the consumer');
});

test('Bulk Data files: Patient.ndjson indexed first, Immunization.ndjson streamed; Patient-file problems say so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-fhir-'));
  try {
    const { patients, immunizations } = sampleLines();
    const patientFile = join(dir, 'Patient.ndjson');
    const immunizationFile = join(dir, 'Immunization.ndjson');
    writeFileSync(patientFile, [...patients, '{oops', immunizations[0]].join('\r\n') + '\r\n');
    writeFileSync(immunizationFile, immunizations.join('\n') + '\n');
    const { rows, problems } = await collect(ndjsonFilesToRows(patientFile, immunizationFile));
    assert.deepEqual(
      rows.map((r) => r.rowNumber),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      rows.map((r) => r.values),
      sampleRecords(),
    );
    assert.deepEqual(
      problems.map((p) => [p.row, p.code, p.severity]),
      [
        [5, 'FHIR_INVALID_JSON', 'error'],
        [6, 'FHIR_WRONG_FILE', 'warning'],
      ],
    );
    assert.match(problems[0]?.message ?? '', /^Patient file line 5: The line is not valid JSON/);
    assert.match(problems[0]?.messageVi ?? '', /^Dòng 5 của tệp Patient: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
