/**
 * The subset of FHIR R4 (4.0.1) resources VaxPass reads and writes: Patient, Immunization and
 * Bundle, with only the elements the mapping in `MAPPING.md` uses. Hand-written rather than
 * generated: the full R4 type set is megabytes for a dozen elements.
 */

export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Reference {
  reference?: string;
  type?: string;
  identifier?: Identifier;
  display?: string;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system?: string;
  value?: string;
  assigner?: Reference;
}

export interface Extension {
  url: string;
  valueCode?: string;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
  extension?: Extension[];
}

export interface Meta {
  versionId?: string;
  lastUpdated?: string;
}

export interface HumanName {
  use?: 'usual' | 'official' | 'temp' | 'nickname' | 'anonymous' | 'old' | 'maiden';
  text?: string;
  family?: string;
  given?: string[];
}

export interface ContactPoint {
  system?: 'phone' | 'fax' | 'email' | 'pager' | 'url' | 'sms' | 'other';
  value?: string;
  use?: 'home' | 'work' | 'temp' | 'old' | 'mobile';
}

export interface Address {
  extension?: Extension[];
  use?: 'home' | 'work' | 'temp' | 'old' | 'billing';
  district?: string;
  state?: string;
  country?: string;
}

export interface Patient {
  resourceType: 'Patient';
  id?: string;
  meta?: Meta;
  extension?: Extension[];
  identifier?: Identifier[];
  name?: HumanName[];
  telecom?: ContactPoint[];
  gender?: 'male' | 'female' | 'other' | 'unknown';
  /** `yyyy`, `yyyy-mm` or `yyyy-mm-dd`. */
  birthDate?: string;
  address?: Address[];
}

export interface ImmunizationPerformer {
  function?: CodeableConcept;
  actor: Reference;
}

export interface ImmunizationProtocolApplied {
  series?: string;
  targetDisease?: CodeableConcept[];
  doseNumberPositiveInt?: number;
  doseNumberString?: string;
  seriesDosesPositiveInt?: number;
  seriesDosesString?: string;
}

export interface Immunization {
  resourceType: 'Immunization';
  id?: string;
  meta?: Meta;
  identifier?: Identifier[];
  status: 'completed' | 'entered-in-error' | 'not-done';
  vaccineCode: CodeableConcept;
  patient: Reference;
  occurrenceDateTime?: string;
  occurrenceString?: string;
  primarySource?: boolean;
  manufacturer?: Reference;
  lotNumber?: string;
  performer?: ImmunizationPerformer[];
  note?: { text: string }[];
  protocolApplied?: ImmunizationProtocolApplied[];
}

export type FhirResource = Patient | Immunization;

export interface BundleEntry {
  fullUrl?: string;
  resource?: FhirResource;
  search?: { mode: 'match' | 'include' };
}

export interface Bundle {
  resourceType: 'Bundle';
  id?: string;
  meta?: Meta;
  type: 'collection' | 'searchset';
  timestamp?: string;
  total?: number;
  entry: BundleEntry[];
}
