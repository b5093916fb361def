/**
 * Code systems, identifier systems and extension URLs used by the FHIR mapping. The `vaxpass`
 * ones are defined by VaxPass (no OID has been assigned for Vietnamese identity documents); the
 * EU DCC ones are copied from the eHealth Network value sets (`vaccine-medicinal-product.json`,
 * `vaccine-mah-manf.json`, `vaccine-prophylaxis.json`), which give each code its `system`.
 */

const VAXPASS_FHIR = 'https://vaxpass.gov.vn/fhir';

/** Every URI the mapping writes or recognises (see `MAPPING.md`). */
export const FHIR_SYSTEMS = {
  /** VaxPass-defined: 12-digit citizen identity card (Căn cước công dân). */
  cccd: `${VAXPASS_FHIR}/sid/cccd`,
  /** VaxPass-defined: 9-digit identity card (Chứng minh nhân dân), superseded by the CCCD. */
  cmnd: `${VAXPASS_FHIR}/sid/cmnd`,
  /** VaxPass-defined: passport number; the issuing state is in `identifier.assigner`. */
  passport: `${VAXPASS_FHIR}/sid/passport`,
  /** VaxPass-defined: our person id. */
  person: `${VAXPASS_FHIR}/sid/person`,
  /** VaxPass-defined: our dose id. */
  dose: `${VAXPASS_FHIR}/sid/dose`,
  /** VaxPass-defined: facility code (`facility.code`). */
  facility: `${VAXPASS_FHIR}/sid/facility`,
  /** VaxPass-defined: our vaccine product id (`astrazeneca`, `comirnaty_paediatric`…). */
  vaccineProduct: `${VAXPASS_FHIR}/CodeSystem/vaccine-product`,
  /** VaxPass-defined extensions on Patient.address: GSO administrative unit codes. */
  provinceCodeExt: `${VAXPASS_FHIR}/StructureDefinition/province-code`,
  districtCodeExt: `${VAXPASS_FHIR}/StructureDefinition/district-code`,
  wardCodeExt: `${VAXPASS_FHIR}/StructureDefinition/ward-code`,
  /** EU DCC `mp` for products in the EU community register (`EU/1/…`). */
  euCommunityRegister: 'https://ec.europa.eu/health/documents/community-register/html/',
  /** EU DCC `mp` for products outside the EU register (`BBIBP-CorV`, `Sputnik-V`…). */
  dccVaccineProductName: 'http://ec.europa.eu/temp/vaccineproductname',
  /** EU DCC `ma` for organisations in EMA's SPOR (`ORG-…`). */
  emaSpor: 'https://spor.ema.europa.eu/v1/organisations',
  /** EU DCC `ma` for other manufacturers (`Bharat-Biotech`, `CIGB`…). */
  dccVaccineManufacturer: 'http://ec.europa.eu/temp/vaccinemanufacturer',
  snomed: 'http://snomed.info/sct',
  atc: 'http://www.whocc.no/atc',
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  v2PerformerFunction: 'http://terminology.hl7.org/CodeSystem/v2-0443',
  iso3166: 'urn:iso:std:iso:3166',
  patientNationality: 'http://hl7.org/fhir/StructureDefinition/patient-nationality',
} as const;

/** SNOMED CT 840539006 "COVID-19", the DCC's `tg`. */
export const COVID19_SNOMED = '840539006';

/**
 * The system of an EU DCC `mp` code: EU-registered products (`EU/1/…`) use the community
 * register, all others the DCC's own value set.
 * @param mp - the medicinal product code
 */
export function mpSystem(mp: string): string {
  return mp.startsWith('EU/') ? FHIR_SYSTEMS.euCommunityRegister : FHIR_SYSTEMS.dccVaccineProductName;
}

/**
 * The system of an EU DCC `ma` code: SPOR organisation ids (`ORG-…`) or the DCC's own value set.
 * @param ma - the marketing authorisation holder / manufacturer code
 */
export function maSystem(ma: string): string {
  return ma.startsWith('ORG-') ? FHIR_SYSTEMS.emaSpor : FHIR_SYSTEMS.dccVaccineManufacturer;
}

/**
 * The system of an EU DCC `vp` code: SNOMED CT concept ids are all digits, ATC codes are not.
 * @param vp - the vaccine/prophylaxis code
 */
export function vpSystem(vp: string): string {
  return /^\d+$/.test(vp) ? FHIR_SYSTEMS.snomed : FHIR_SYSTEMS.atc;
}
