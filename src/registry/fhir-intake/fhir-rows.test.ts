import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../errors/index.js';
import type { ImportRow, RowProblem } from '../import/index.js';
import { fhirRows } from './fhir-rows.js';

const problem = (row: number, code: string, severity: 'error' | 'warning' = 'error', message = `${code} at ${row}`): RowProblem => ({ row, column: 'Immunization.x', code, message, messageVi: `vi ${code}`, severity });
const good = (rowNumber: number): ImportRow => ({ rowNumber, values: { full_name: 'Nguyễn Văn An' } });

async function collect(items: Iterable<ImportRow | RowProblem>, opts: Partial<Parameters<typeof fhirRows>[1]> = {}): Promise<{ rows: ImportRow[]; skipped: RowProblem[]; notes: RowProblem[] }> {
  const skipped: RowProblem[] = [];
  const notes: RowProblem[] = [];
  const rows: ImportRow[] = [];
  for await (const r of fhirRows(items, { skipped, notes, ...opts })) rows.push(r);
  return { rows, skipped, notes };
}

test('fhirRows: every entry with an error becomes one quarantinable row with all its problems; warnings alone are skipped, not dropped', async () => {
  const origins: number[] = [];
  const { rows, skipped } = await collect([good(1), problem(2, 'FHIR_INVALID'), problem(2, 'FHIR_REQUIRED'), problem(3, 'FHIR_NOT_COMPLETED', 'warning'), good(4), problem(5, 'FHIR_PATIENT_MISSING')], {
    originOf: (row) => {
      origins.push(row);
      return row === 2 ? { source: '{"resourceType":"Immunization"}', values: { lot: 'L1' } } : undefined;
    },
  });
  assert.deepEqual(rows.map((r) => [r.rowNumber, r.problems?.map((p) => p.code).join() ?? '']), [[1, ''], [2, 'FHIR_INVALID,FHIR_REQUIRED'], [4, ''], [5, 'FHIR_PATIENT_MISSING']]);
  assert.deepEqual(rows[1]?.values, { lot: 'L1' });
  assert.equal(rows[1]?.source, '{"resourceType":"Immunization"}');
  assert.deepEqual(rows[3]?.values, {});
  assert.equal(rows[3]?.source, undefined);
  assert.deepEqual(rows[1]?.problems?.[0], { field: 'Immunization.x', code: 'FHIR_INVALID', severity: 'error', en: 'FHIR_INVALID at 2', vi: 'vi FHIR_INVALID' });
  assert.deepEqual(skipped.map((p) => [p.row, p.code]), [[3, 'FHIR_NOT_COMPLETED']]);
  assert.deepEqual(origins, [2, 5], 'the origin is asked once per rejected row, when its first problem arrives');
});

test('fhirRows: a whole-input problem (row 0) fails with its code; notes go aside', async () => {
  await assert.rejects(collect([problem(0, 'FHIR_NOT_A_BUNDLE')]), (e: unknown) => e instanceof AppError && e.code === 'FHIR_NOT_A_BUNDLE' && e.status === 422);
  const { rows, notes } = await collect([problem(3, 'FHIR_INVALID', 'error', 'Patient file line 3: bad'), good(3)], { isNote: (p) => p.message.startsWith('Patient file line ') });
  assert.deepEqual(rows.map((r) => [r.rowNumber, r.problems]), [[3, undefined]]);
  assert.deepEqual(notes.map((n) => n.row), [3]);
});
