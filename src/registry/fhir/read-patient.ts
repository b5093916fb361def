/**
 * FHIR Patient → the person fields of an import row (full_name, dob, sex, id_number, phone,
 * province_code). Mapping table in `MAPPING.md`.
 */
import { PROVINCES } from '../reference/index.js';
import { FHIR_SYSTEMS } from './fhir-systems.js';
import { FHIR_DATE, FHIR_ID, isObject, type JsonObject } from './fhir-json.js';
import { describe, issue, type FhirIssue } from './fhir-problem.js';

/** The person part of an import row, as read from a Patient. */
export interface PatientValues {
  full_name?: string;
  dob?: string;
  sex?: string;
  id_number?: string;
  phone?: string;
  province_code?: string;
}

/** What {@link readPatient} found. */
export interface PatientRead {
  /** `Patient.id`, if present and valid. */
  readonly id: string | undefined;
  readonly values: PatientValues;
  /** Problems; any `error` makes the Patient unusable. */
  readonly issues: FhirIssue[];
}

/** Rank of each document system: lower wins (CCCD over CMND over passport). */
const ID_RANK: ReadonlyMap<string, number> = new Map([
  [FHIR_SYSTEMS.cccd, 0],
  [FHIR_SYSTEMS.cmnd, 1],
  [FHIR_SYSTEMS.passport, 2],
]);

// A Map, not an object literal: `gender` is untrusted and "constructor" must not match.
const GENDER_SEX: ReadonlyMap<string, string> = new Map([
  ['male', 'M'],
  ['female', 'F'],
  ['other', 'other'],
  ['unknown', 'unknown'],
]);

let provinceByName: Map<string, string> | undefined;

/** Province code for a province name (any case, with or without diacritics, or an alias). */
function provinceCodeByName(name: string): string | undefined {
  if (provinceByName === undefined) {
    provinceByName = new Map();
    for (const p of PROVINCES) {
      for (const n of [p.name, p.nameAscii, ...p.aliases]) provinceByName.set(n.normalize('NFC').toLowerCase(), p.code);
    }
  }
  return provinceByName.get(name.normalize('NFC').trim().toLowerCase());
}

function readName(names: unknown, issues: FhirIssue[]): string | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names)) {
    issues.push(issue('Patient.name', 'FHIR_INVALID', { expected: 'an array of HumanName', got: describe(names) }));
    return undefined;
  }
  let chosen: JsonObject | undefined;
  let index = -1;
  for (let i = 0; i < names.length; i++) {
    const n: unknown = names[i];
    if (!isObject(n)) {
      issues.push(issue(`Patient.name[${i}]`, 'FHIR_INVALID', { expected: 'a HumanName object', got: describe(n) }));
      return undefined;
    }
    if (chosen === undefined || ((n.use === 'official' || n.use === 'usual') && chosen.use !== 'official')) {
      chosen = n;
      index = i;
    }
  }
  if (chosen === undefined) return undefined;
  const path = `Patient.name[${index}]`;
  const { text, family, given } = chosen;
  if (text !== undefined && typeof text !== 'string') {
    issues.push(issue(`${path}.text`, 'FHIR_INVALID', { expected: 'a string', got: describe(text) }));
    return undefined;
  }
  if (typeof text === 'string' && text.trim() !== '') return text;
  if (family !== undefined && typeof family !== 'string') {
    issues.push(issue(`${path}.family`, 'FHIR_INVALID', { expected: 'a string', got: describe(family) }));
    return undefined;
  }
  const parts: string[] = typeof family === 'string' && family !== '' ? [family] : [];
  if (given !== undefined) {
    if (!Array.isArray(given) || !given.every((g) => typeof g === 'string')) {
      issues.push(issue(`${path}.given`, 'FHIR_INVALID', { expected: 'an array of strings', got: describe(given) }));
      return undefined;
    }
    for (const g of given) if (g !== '') parts.push(g);
  }
  // Vietnamese order: family name first.
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function readIdNumber(identifiers: unknown, issues: FhirIssue[]): string | undefined {
  if (identifiers === undefined) return undefined;
  if (!Array.isArray(identifiers)) {
    issues.push(issue('Patient.identifier', 'FHIR_INVALID', { expected: 'an array of Identifier', got: describe(identifiers) }));
    return undefined;
  }
  let best: string | undefined;
  let bestRank = Infinity;
  for (let i = 0; i < identifiers.length; i++) {
    const id: unknown = identifiers[i];
    if (!isObject(id)) {
      issues.push(issue(`Patient.identifier[${i}]`, 'FHIR_INVALID', { expected: 'an Identifier object', got: describe(id) }));
      return undefined;
    }
    if (typeof id.system !== 'string') continue;
    const rank = ID_RANK.get(id.system);
    if (rank === undefined) continue;
    if (typeof id.value !== 'string') {
      issues.push(issue(`Patient.identifier[${i}].value`, 'FHIR_INVALID', { expected: 'a string', got: describe(id.value) }));
      return undefined;
    }
    // A document marked `old` (a CMND replaced by a CCCD) only counts when nothing else is there.
    const r = rank + (id.use === 'old' ? 10 : 0);
    if (r < bestRank) {
      bestRank = r;
      best = id.value;
    }
  }
  return best;
}

function readPhone(telecom: unknown, issues: FhirIssue[]): string | undefined {
  if (telecom === undefined) return undefined;
  if (!Array.isArray(telecom)) {
    issues.push(issue('Patient.telecom', 'FHIR_INVALID', { expected: 'an array of ContactPoint', got: describe(telecom) }));
    return undefined;
  }
  for (let i = 0; i < telecom.length; i++) {
    const t: unknown = telecom[i];
    if (!isObject(t) || t.system !== 'phone') continue;
    if (typeof t.value !== 'string') {
      issues.push(issue(`Patient.telecom[${i}].value`, 'FHIR_INVALID', { expected: 'a string', got: describe(t.value) }));
      return undefined;
    }
    return t.value;
  }
  return undefined;
}

function readProvince(addresses: unknown, issues: FhirIssue[]): string | undefined {
  if (addresses === undefined) return undefined;
  if (!Array.isArray(addresses)) {
    issues.push(issue('Patient.address', 'FHIR_INVALID', { expected: 'an array of Address', got: describe(addresses) }));
    return undefined;
  }
  const home: unknown = addresses.find((a) => isObject(a) && a.use === 'home') ?? addresses[0];
  if (!isObject(home)) return undefined;
  if (Array.isArray(home.extension)) {
    for (const ext of home.extension as unknown[]) {
      if (isObject(ext) && ext.url === FHIR_SYSTEMS.provinceCodeExt && typeof ext.valueCode === 'string') return ext.valueCode;
    }
  }
  // Not from VaxPass: the province by name, or the name itself for the pipeline to report.
  if (typeof home.state === 'string' && home.state.trim() !== '') return provinceCodeByName(home.state) ?? home.state;
  return undefined;
}

/**
 * Reads the person fields of an import row from a Patient. Never throws.
 * @param res - a parsed resource whose `resourceType` is `Patient`
 * @returns the id, the values found and the problems
 */
export function readPatient(res: JsonObject): PatientRead {
  const issues: FhirIssue[] = [];
  const values: PatientValues = {};
  let id: string | undefined;
  if (res.id !== undefined) {
    if (typeof res.id === 'string' && FHIR_ID.test(res.id)) id = res.id;
    else issues.push(issue('Patient.id', 'FHIR_INVALID', { expected: 'an id (1-64 of A-Z a-z 0-9 - .)', got: describe(res.id) }));
  }
  const fullName = readName(res.name, issues);
  if (fullName !== undefined) values.full_name = fullName;
  const { birthDate, gender } = res;
  if (birthDate !== undefined) {
    if (typeof birthDate === 'string' && FHIR_DATE.test(birthDate)) values.dob = birthDate;
    else issues.push(issue('Patient.birthDate', 'FHIR_INVALID', { expected: 'a date (yyyy, yyyy-mm or yyyy-mm-dd)', got: describe(birthDate) }));
  }
  if (gender !== undefined) {
    const sex = typeof gender === 'string' ? GENDER_SEX.get(gender) : undefined;
    if (sex !== undefined) values.sex = sex;
    else issues.push(issue('Patient.gender', 'FHIR_INVALID', { expected: 'male, female, other or unknown', got: describe(gender) }));
  }
  const idNumber = readIdNumber(res.identifier, issues);
  if (idNumber !== undefined) values.id_number = idNumber;
  const phone = readPhone(res.telecom, issues);
  if (phone !== undefined) values.phone = phone;
  const province = readProvince(res.address, issues);
  if (province !== undefined) values.province_code = province;
  return { id, values, issues };
}
