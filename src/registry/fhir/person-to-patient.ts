/**
 * Registry person (+ identity documents) → FHIR R4 Patient. Mapping table in `MAPPING.md`.
 */
import type { Selectable } from 'kysely';
import type { PersonDocumentTable, PersonTable } from '../../db/index.js';
import { findDistrict, findProvince } from '../reference/index.js';
import { FHIR_SYSTEMS } from './fhir-systems.js';
import type { Address, Extension, HumanName, Identifier, Patient } from './fhir-types.js';

/** The person columns the mapping reads. */
export type FhirPersonRow = Pick<
  Selectable<PersonTable>,
  'id' | 'full_name' | 'dob' | 'sex' | 'nationality' | 'phone' | 'province_code' | 'district_code' | 'ward_code' | 'version' | 'updated_at'
>;

/** The document columns the mapping reads. */
export type FhirDocumentRow = Pick<Selectable<PersonDocumentTable>, 'kind' | 'number' | 'country' | 'current'>;

const DOCUMENT_SYSTEMS: Readonly<Record<string, string>> = {
  CCCD: FHIR_SYSTEMS.cccd,
  CMND: FHIR_SYSTEMS.cmnd,
  PASSPORT: FHIR_SYSTEMS.passport,
};

/** Vietnamese order: family name first, then middle and given names ("Nguyễn Văn An"). */
function humanName(fullName: string): HumanName {
  const words = fullName.split(' ').filter((w) => w !== '');
  const name: HumanName = { use: 'official', text: fullName };
  const family = words[0];
  if (family !== undefined) name.family = family;
  if (words.length > 1) name.given = words.slice(1);
  return name;
}

function documentIdentifier(doc: FhirDocumentRow): Identifier | undefined {
  const system = DOCUMENT_SYSTEMS[doc.kind];
  if (system === undefined) return undefined;
  const passport = doc.kind === 'PASSPORT';
  const identifier: Identifier = {
    use: doc.current === 1 ? 'official' : 'old',
    type: { coding: [{ system: FHIR_SYSTEMS.v2IdentifierType, code: passport ? 'PPN' : 'NI' }], text: doc.kind },
    system,
    value: doc.number,
  };
  if (passport) identifier.assigner = { identifier: { system: FHIR_SYSTEMS.iso3166, value: doc.country }, display: doc.country };
  return identifier;
}

function address(person: FhirPersonRow): Address | undefined {
  if (person.province_code === null && person.district_code === null && person.ward_code === null) return undefined;
  const extension: Extension[] = [];
  const result: Address = { use: 'home', extension, country: 'VN' };
  if (person.province_code !== null) {
    extension.push({ url: FHIR_SYSTEMS.provinceCodeExt, valueCode: person.province_code });
    const province = findProvince(person.province_code);
    if (province !== undefined) result.state = province.name;
  }
  if (person.district_code !== null) {
    extension.push({ url: FHIR_SYSTEMS.districtCodeExt, valueCode: person.district_code });
    const district = findDistrict(person.district_code);
    if (district !== undefined) result.district = district.name;
  }
  if (person.ward_code !== null) extension.push({ url: FHIR_SYSTEMS.wardCodeExt, valueCode: person.ward_code });
  return result;
}

function gender(sex: string): Patient['gender'] {
  if (sex === 'M') return 'male';
  if (sex === 'F') return 'female';
  return 'unknown';
}

/**
 * Maps a person and their identity documents to a FHIR Patient whose `id` is the person id.
 * Current documents come first, CCCD before CMND before passport, so a reader taking the first
 * identifier gets the one in use.
 * @param person - the `person` row
 * @param documents - the person's `person_document` rows (any order)
 * @returns the Patient resource
 */
export function personToPatient(person: FhirPersonRow, documents: readonly FhirDocumentRow[]): Patient {
  const identifier: Identifier[] = [];
  const sorted = documents.length > 1 ? [...documents].sort(documentOrder) : documents;
  for (const doc of sorted) {
    const id = documentIdentifier(doc);
    if (id !== undefined) identifier.push(id);
  }
  identifier.push({ use: 'secondary', system: FHIR_SYSTEMS.person, value: String(person.id) });
  const patient: Patient = {
    resourceType: 'Patient',
    id: String(person.id),
    meta: { versionId: String(person.version), lastUpdated: person.updated_at },
    extension: [
      {
        url: FHIR_SYSTEMS.patientNationality,
        extension: [{ url: 'code', valueCodeableConcept: { coding: [{ system: FHIR_SYSTEMS.iso3166, code: person.nationality }] } }],
      },
    ],
    identifier,
    name: [humanName(person.full_name)],
    gender: gender(person.sex),
    birthDate: person.dob,
  };
  if (person.phone !== null && person.phone !== '') patient.telecom = [{ system: 'phone', value: person.phone, use: 'mobile' }];
  const addr = address(person);
  if (addr !== undefined) patient.address = [addr];
  return patient;
}

const KIND_RANK: Readonly<Record<string, number>> = { CCCD: 0, CMND: 1, PASSPORT: 2 };

function documentOrder(a: FhirDocumentRow, b: FhirDocumentRow): number {
  return b.current - a.current || (KIND_RANK[a.kind] ?? 3) - (KIND_RANK[b.kind] ?? 3);
}
