// GENERATED FILE, DO NOT EDIT. Regenerate with `node scripts/gen-dcc-types.mjs`.
// Source: ehn-dcc-development/eu-dcc-schema@9fe38ededb7922644d95743ac31fa04b182f3536 DCC.combined-schema.json (release 1.3.3, Apache-2.0)

/**
 * Types of the EU Digital COVID Certificate payload (HCERT claim -260 / 1), schema release 1.3.3.
 * Value-set fields are plain strings here; their codes are checked at run time by checkValueSets().
 */

/**
 * EU DCC.
 * EU Digital Covid Certificate. The schema requires exactly one of: v, t, r.
 */
export type DccPayload = DccPayloadFields & (
  | (Required<Pick<DccPayloadFields, 'v'>> & { t?: never; r?: never })
  | (Required<Pick<DccPayloadFields, 't'>> & { v?: never; r?: never })
  | (Required<Pick<DccPayloadFields, 'r'>> & { v?: never; t?: never })
);

/** The properties of {@link DccPayload}; see there for which of them are required. */
export interface DccPayloadFields {
  /**
   * Schema version.
   * Version of the schema, according to Semantic versioning (ISO, https://semver.org/ version 2.0.0 or newer)
   * Pattern: `^\d+.\d+.\d+$`
   * Examples: "1.0.0", "1.3.0", "1.3.1", "1.3.2", "1.3.3"
   */
  ver: string;
  /**
   * Surname(s), forename(s) - in that order
   */
  nam: PersonName;
  /**
   * Date of birth.
   * Date of Birth of the person addressed in the DCC. ISO 8601 date format restricted to range 1900-2099 or empty
   * Pattern: `^((19|20)\d\d(-\d\d){0,2}){0,1}$`
   * Examples: "1979-04-14", "1950", "1901-08", ""
   */
  dob: string;
  /**
   * Vaccination Group
   */
  v?: [VaccinationEntry];
  /**
   * Test Group
   */
  t?: [TestEntry];
  /**
   * Recovery Group
   */
  r?: [RecoveryEntry];
}

/**
 * Dose Number / Total doses in Series: positive integer
 * Minimum: 1
 */
export type DosePosint = number;

/**
 * Certificate Issuer
 * Max length: 80
 */
export type Issuer = string;

/**
 * Person name: The person's name consisting at least of a separate standardised surname, or a standardised forename, or both - with standardisation done according to the rules defined in ICAO Doc 9303 Part 3. The schema requires at least one of: fnt, gnt.
 */
export type PersonName = PersonNameFields & (
  | Required<Pick<PersonNameFields, 'fnt'>>
  | Required<Pick<PersonNameFields, 'gnt'>>
);

/** The properties of {@link PersonName}; see there for which of them are required. */
export interface PersonNameFields {
  /**
   * Surname.
   * The surname or primary name(s) of the person addressed in the certificate
   * Max length: 80
   * Examples: "d'Červenková Panklová"
   */
  fn?: string;
  /**
   * Standardised surname.
   * The surname(s) of the person, transliterated ICAO 9303
   * Pattern: `^[A-Z<]*$`
   * Max length: 80
   * Examples: "DCERVENKOVA<PANKLOVA"
   */
  fnt?: string;
  /**
   * Forename.
   * The forename(s) of the person addressed in the certificate
   * Max length: 80
   * Examples: "Jiřina-Maria Alena"
   */
  gn?: string;
  /**
   * Standardised forename.
   * The forename(s) of the person, transliterated ICAO 9303
   * Pattern: `^[A-Z<]*$`
   * Max length: 80
   * Examples: "JIRINA<MARIA<ALENA"
   */
  gnt?: string;
}

/**
 * Certificate Identifier, format as per UVCI: Annex 2 in  https://ec.europa.eu/health/sites/health/files/ehealth/docs/vaccination-proof_interoperability-guidelines_en.pdf
 * Max length: 80
 */
export type CertificateId = string;

/**
 * Vaccination Entry
 */
export interface VaccinationEntry {
  /**
   * disease or agent targeted
   */
  tg: DiseaseAgentTargeted;
  /**
   * vaccine or prophylaxis
   */
  vp: VaccineProphylaxis;
  /**
   * vaccine medicinal product
   */
  mp: VaccineMedicinalProduct;
  /**
   * Marketing Authorization Holder - if no MAH present, then manufacturer
   */
  ma: VaccineMahManf;
  /**
   * Dose Number
   */
  dn: DosePosint;
  /**
   * Total Series of Doses
   */
  sd: DosePosint;
  /**
   * ISO8601 complete date: Date of Vaccination
   * Format: date
   */
  dt: string;
  /**
   * Country of Vaccination
   */
  co: CountryVt;
  /**
   * Certificate Issuer
   */
  is: Issuer;
  /**
   * Unique Certificate Identifier: UVCI
   */
  ci: CertificateId;
}

/**
 * Test Entry
 */
export interface TestEntry {
  /**
   * disease or agent targeted
   */
  tg: DiseaseAgentTargeted;
  /**
   * Type of Test
   */
  tt: TestType;
  /**
   * NAA Test Name
   * Max length: 80
   */
  nm?: string;
  /**
   * RAT Test name and manufacturer
   */
  ma?: TestManf;
  /**
   * Date/Time of Sample Collection
   * Format: date-time
   */
  sc: string;
  /**
   * Test Result
   */
  tr: TestResult;
  /**
   * Testing Centre
   * Max length: 80
   */
  tc?: string;
  /**
   * Country of Test
   */
  co: CountryVt;
  /**
   * Certificate Issuer
   */
  is: Issuer;
  /**
   * Unique Certificate Identifier, UVCI
   */
  ci: CertificateId;
}

/**
 * Recovery Entry
 */
export interface RecoveryEntry {
  /**
   * disease or agent targeted
   */
  tg: DiseaseAgentTargeted;
  /**
   * ISO 8601 complete date of first positive NAA test result
   * Format: date
   */
  fr: string;
  /**
   * Country of Test
   */
  co: CountryVt;
  /**
   * Certificate Issuer
   */
  is: Issuer;
  /**
   * ISO 8601 complete date: Certificate Valid From
   * Format: date
   */
  df: string;
  /**
   * ISO 8601 complete date: Certificate Valid Until
   * Format: date
   */
  du: string;
  /**
   * Unique Certificate Identifier, UVCI
   */
  ci: CertificateId;
}

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Section 2.1
 * Value set: valuesets/disease-agent-targeted.json
 */
export type DiseaseAgentTargeted = string;

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Section 2.2
 * Value set: valuesets/vaccine-prophylaxis.json
 */
export type VaccineProphylaxis = string;

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Section 2.3
 * Value set: valuesets/vaccine-medicinal-product.json
 */
export type VaccineMedicinalProduct = string;

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Section 2.4
 * Value set: valuesets/vaccine-mah-manf.json
 */
export type VaccineMahManf = string;

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Section 2.6 - Country of Vaccination / Test, ISO 3166 alpha-2 where possible
 * Pattern: `[A-Z]{1,10}`
 * Value set: valuesets/country-2-codes.json
 */
export type CountryVt = string;

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Section 2.8
 * Value set: valuesets/test-manf.json
 */
export type TestManf = string;

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Section 2.9
 * Value set: valuesets/test-result.json
 */
export type TestResult = string;

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Section 2.7
 * Value set: valuesets/test-type.json
 */
export type TestType = string;

/**
 * EU eHealthNetwork: Value Sets for Digital Covid Certificates. Version 1.14, 2023-01-25, Annex A
 * Value set: valuesets/vaccine-encoding-instructions.json
 */
export type VaccineEncodingInstructions = string;
