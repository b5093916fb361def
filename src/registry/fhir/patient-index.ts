/**
 * Patients read so far, by the keys an Immunization may use to refer to them: the entry's
 * `fullUrl` (`urn:uuid:…`, an absolute URL) and `Patient/<id>`. Each entry keeps only the six
 * person fields of the import row (see `MAPPING.md` for the memory cost).
 */
import type { PatientRead, PatientValues } from './read-patient.js';
import { issue, toRowProblem, type FhirIssue } from './fhir-problem.js';

/** Where a resource sits in the input, for messages ("entry 3", "line 12"…). */
export interface Place {
  readonly en: string;
  readonly vi: string;
}

/** One indexed Patient. */
export interface IndexedPatient {
  readonly values: PatientValues;
  /** Entry or line number where it was read. */
  readonly row: number;
  /** Its first problem when it is unusable; undefined when valid. */
  readonly invalid: Place | undefined;
}

/** `Patient/<id>` at the end of a reference, optionally with `/_history/<version>`. */
const PATIENT_REF_TAIL = /(?:^|\/)(Patient\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Patients by reference key. */
export class PatientIndex {
  private readonly byKey = new Map<string, IndexedPatient>();

  /**
   * @param place - how to name row `n` of this input in messages
   */
  constructor(readonly place: (row: number) => Place) {}

  /** Number of keys held (a Patient with both an id and a fullUrl counts twice). */
  get size(): number {
    return this.byKey.size;
  }

  /**
   * Indexes a Patient under its fullUrl and `Patient/<id>`.
   * @param read - what `readPatient` found
   * @param row - its entry or line number
   * @param fullUrl - the Bundle entry's fullUrl, if any
   * @returns an issue when it cannot be referenced or duplicates an earlier Patient
   */
  add(read: PatientRead, row: number, fullUrl: string | undefined): FhirIssue | undefined {
    const firstError = read.issues[0];
    const invalid = firstError === undefined ? undefined : toRowProblem(row, firstError);
    const entry: IndexedPatient = {
      values: read.values,
      row,
      invalid: invalid === undefined ? undefined : { en: invalid.message, vi: invalid.messageVi },
    };
    const idKey = read.id === undefined ? undefined : `Patient/${read.id}`;
    if (idKey === undefined && fullUrl === undefined) {
      return read.issues.length > 0 ? undefined : issue('Patient.id', 'FHIR_REQUIRED');
    }
    for (const key of [idKey, fullUrl]) {
      if (key === undefined) continue;
      const earlier = this.byKey.get(key);
      if (earlier !== undefined) {
        const where = this.place(earlier.row);
        return issue(key === idKey ? 'Patient.id' : 'Bundle.entry.fullUrl', 'FHIR_PATIENT_DUPLICATE', { got: key, where: where.en, whereVi: where.vi });
      }
    }
    if (idKey !== undefined) this.byKey.set(idKey, entry);
    if (fullUrl !== undefined) this.byKey.set(fullUrl, entry);
    return undefined;
  }

  /**
   * Finds the Patient a reference points to: exactly (fullUrl or `Patient/<id>`), else by the
   * `Patient/<id>` at its end (an absolute or versioned reference to a Patient in the input).
   * @param reference - `Immunization.patient.reference`
   */
  resolve(reference: string): IndexedPatient | undefined {
    const hit = this.byKey.get(reference);
    if (hit !== undefined) return hit;
    const tail = PATIENT_REF_TAIL.exec(reference)?.[1];
    return tail === undefined ? undefined : this.byKey.get(tail);
  }
}
