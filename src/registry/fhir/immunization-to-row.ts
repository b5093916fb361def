/**
 * One Immunization + its Patient → one import row, or the problems that stop it.
 */
import type { ImportRow, RawRecord, RowProblem } from '../import/import-row.js';
import type { JsonObject } from './fhir-json.js';
import { issue, toRowProblem } from './fhir-problem.js';
import type { PatientIndex } from './patient-index.js';
import { readImmunization, type ImmunizationValues } from './read-immunization.js';
import type { PatientValues } from './read-patient.js';

/**
 * Reads an Immunization and joins it with its indexed Patient.
 * @param res - a parsed resource whose `resourceType` is `Immunization`
 * @param row - its entry or line number (the row's `rowNumber`)
 * @param patients - the Patients read so far
 * @returns the row, or its problems (a lone warning when the Immunization is skipped)
 */
export function immunizationToRow(res: JsonObject, row: number, patients: PatientIndex): ImportRow | RowProblem[] {
  const read = readImmunization(res);
  if (read.issues.length > 0) return read.issues.map((i) => toRowProblem(row, i));
  const ref = read.patientRef;
  // readImmunization reports a missing reference as an issue, so ref is set here.
  if (ref === undefined) return [];
  const patient = patients.resolve(ref);
  if (patient === undefined) return [toRowProblem(row, issue('Immunization.patient.reference', 'FHIR_PATIENT_MISSING', { got: ref }))];
  if (patient.invalid !== undefined) {
    const where = patients.place(patient.row);
    const detail = patient.invalid;
    return [
      toRowProblem(
        row,
        issue('Immunization.patient.reference', 'FHIR_PATIENT_INVALID', {
          got: ref,
          where: where.en,
          whereVi: where.vi,
          detail: detail.en,
          detailVi: detail.vi,
        }),
      ),
    ];
  }
  return { rowNumber: row, values: joinValues(patient.values, read.values) };
}

/** Person then dose fields, only those present (plain assignments: faster than object spread). */
function joinValues(p: PatientValues, d: ImmunizationValues): RawRecord {
  const v: RawRecord = {};
  if (p.full_name !== undefined) v.full_name = p.full_name;
  if (p.dob !== undefined) v.dob = p.dob;
  if (p.sex !== undefined) v.sex = p.sex;
  if (p.id_number !== undefined) v.id_number = p.id_number;
  if (p.phone !== undefined) v.phone = p.phone;
  if (p.province_code !== undefined) v.province_code = p.province_code;
  if (d.vaccine !== undefined) v.vaccine = d.vaccine;
  if (d.lot !== undefined) v.lot = d.lot;
  if (d.dose_date !== undefined) v.dose_date = d.dose_date;
  if (d.dose_number !== undefined) v.dose_number = d.dose_number;
  return v;
}
