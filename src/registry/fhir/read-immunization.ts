/**
 * FHIR Immunization → the dose fields of an import row (vaccine, lot, dose_date, dose_number)
 * and the reference to its Patient. Mapping table in `MAPPING.md`.
 */
import { FHIR_SYSTEMS } from './fhir-systems.js';
import { FHIR_DATE_TIME, hoChiMinhDate, isObject } from './fhir-json.js';
import type { JsonObject } from './fhir-json.js';
import { describe, issue, type FhirIssue } from './fhir-problem.js';

/** The dose part of an import row, as read from an Immunization. */
export interface ImmunizationValues {
  vaccine?: string;
  lot?: string;
  dose_date?: string;
  dose_number?: number | string;
}

/** What {@link readImmunization} found. */
export interface ImmunizationRead {
  /** `Immunization.patient.reference`, when present. */
  readonly patientRef: string | undefined;
  readonly values: ImmunizationValues;
  /** Problems; any `error` rejects the Immunization, a `warning` alone means "skipped". */
  readonly issues: FhirIssue[];
  /** True when the status says no dose was given (`entered-in-error`, `not-done`). */
  readonly skipped: boolean;
}

const STATUSES = new Set(['completed', 'entered-in-error', 'not-done']);

function isMpSystem(system: unknown): boolean {
  return system === FHIR_SYSTEMS.euCommunityRegister || system === FHIR_SYSTEMS.dccVaccineProductName;
}

/**
 * The vaccine as the pipeline's resolver takes it: our product id when VaxPass wrote the
 * resource (it alone tells paediatric Comirnaty from adult, which share one mp code), else the
 * EU DCC mp code, else the text (a product name as people write it).
 */
function readVaccine(vaccineCode: unknown, issues: FhirIssue[]): string | undefined {
  if (vaccineCode === undefined) {
    issues.push(issue('Immunization.vaccineCode', 'FHIR_REQUIRED'));
    return undefined;
  }
  if (!isObject(vaccineCode)) {
    issues.push(issue('Immunization.vaccineCode', 'FHIR_INVALID', { expected: 'a CodeableConcept', got: describe(vaccineCode) }));
    return undefined;
  }
  const { coding, text } = vaccineCode;
  let mp: string | undefined;
  if (coding !== undefined) {
    if (!Array.isArray(coding)) {
      issues.push(issue('Immunization.vaccineCode.coding', 'FHIR_INVALID', { expected: 'an array of Coding', got: describe(coding) }));
      return undefined;
    }
    for (let i = 0; i < coding.length; i++) {
      const c: unknown = coding[i];
      if (!isObject(c)) {
        issues.push(issue(`Immunization.vaccineCode.coding[${i}]`, 'FHIR_INVALID', { expected: 'a Coding object', got: describe(c) }));
        return undefined;
      }
      if (typeof c.code !== 'string' || c.code === '') continue;
      if (c.system === FHIR_SYSTEMS.vaccineProduct) return c.code;
      if (isMpSystem(c.system)) mp ??= c.code;
    }
  }
  if (mp !== undefined) return mp;
  if (typeof text === 'string' && text.trim() !== '') return text;
  issues.push(issue('Immunization.vaccineCode', 'FHIR_VACCINE_UNMAPPED'));
  return undefined;
}

function readDoseNumber(protocolApplied: unknown, issues: FhirIssue[]): number | string | undefined {
  if (protocolApplied === undefined) return undefined;
  if (!Array.isArray(protocolApplied)) {
    issues.push(issue('Immunization.protocolApplied', 'FHIR_INVALID', { expected: 'an array', got: describe(protocolApplied) }));
    return undefined;
  }
  const first: unknown = protocolApplied[0];
  if (first === undefined) return undefined;
  if (!isObject(first)) {
    issues.push(issue('Immunization.protocolApplied[0]', 'FHIR_INVALID', { expected: 'an object', got: describe(first) }));
    return undefined;
  }
  const { doseNumberPositiveInt: n, doseNumberString: s } = first;
  if (n !== undefined) {
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1) return n;
    issues.push(
      issue('Immunization.protocolApplied[0].doseNumberPositiveInt', 'FHIR_INVALID', { expected: 'a positive integer', got: describe(n) }),
    );
    return undefined;
  }
  if (s !== undefined) {
    if (typeof s === 'string') return s;
    issues.push(issue('Immunization.protocolApplied[0].doseNumberString', 'FHIR_INVALID', { expected: 'a string', got: describe(s) }));
  }
  return undefined;
}

/**
 * Reads the dose fields of an import row from an Immunization. Never throws.
 * @param res - a parsed resource whose `resourceType` is `Immunization`
 * @returns the Patient reference, the values found, the problems, and whether it is skipped
 */
export function readImmunization(res: JsonObject): ImmunizationRead {
  const issues: FhirIssue[] = [];
  const values: ImmunizationValues = {};
  const { status } = res;
  if (status === undefined) {
    issues.push(issue('Immunization.status', 'FHIR_REQUIRED'));
  } else if (typeof status !== 'string' || !STATUSES.has(status)) {
    issues.push(issue('Immunization.status', 'FHIR_INVALID', { expected: 'completed, entered-in-error or not-done', got: describe(status) }));
  } else if (status !== 'completed') {
    return { patientRef: undefined, values, issues: [issue('Immunization.status', 'FHIR_NOT_COMPLETED', { got: status })], skipped: true };
  }

  let patientRef: string | undefined;
  const { patient } = res;
  if (patient === undefined) issues.push(issue('Immunization.patient', 'FHIR_REQUIRED'));
  else if (!isObject(patient)) issues.push(issue('Immunization.patient', 'FHIR_INVALID', { expected: 'a Reference', got: describe(patient) }));
  else if (typeof patient.reference === 'string' && patient.reference !== '') patientRef = patient.reference;
  else issues.push(issue('Immunization.patient.reference', 'FHIR_REQUIRED'));

  const vaccine = readVaccine(res.vaccineCode, issues);
  if (vaccine !== undefined) values.vaccine = vaccine;

  const { occurrenceDateTime: odt, occurrenceString: os } = res;
  if (odt !== undefined) {
    if (typeof odt === 'string' && FHIR_DATE_TIME.test(odt)) values.dose_date = hoChiMinhDate(odt);
    else {
      issues.push(
        issue('Immunization.occurrenceDateTime', 'FHIR_INVALID', { expected: 'a dateTime (yyyy-mm-dd, or with a time and a zone)', got: describe(odt) }),
      );
    }
  } else if (os !== undefined) {
    // Free text ("05/08/2021"); the pipeline's date parser decides.
    if (typeof os === 'string') values.dose_date = os;
    else issues.push(issue('Immunization.occurrenceString', 'FHIR_INVALID', { expected: 'a string', got: describe(os) }));
  } else {
    issues.push(issue('Immunization.occurrence[x]', 'FHIR_REQUIRED'));
  }

  const { lotNumber } = res;
  if (lotNumber !== undefined) {
    if (typeof lotNumber === 'string') values.lot = lotNumber;
    else issues.push(issue('Immunization.lotNumber', 'FHIR_INVALID', { expected: 'a string', got: describe(lotNumber) }));
  }

  const doseNumber = readDoseNumber(res.protocolApplied, issues);
  if (doseNumber !== undefined) values.dose_number = doseNumber;
  return { patientRef, values, issues, skipped: false };
}
