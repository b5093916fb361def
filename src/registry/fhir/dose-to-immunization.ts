/**
 * Registry dose → FHIR R4 Immunization carrying the EU DCC codes (mp, ma, vp) of its product.
 * Mapping table in `MAPPING.md`.
 */
import type { Selectable } from 'kysely';
import type { DoseTable, FacilityTable } from '../../db/index.js';
import type { VaccineProduct } from '../reference/index.js';
import { COVID19_SNOMED, FHIR_SYSTEMS, maSystem, mpSystem, vpSystem } from './fhir-systems.js';
import type { Coding, Immunization, ImmunizationPerformer } from './fhir-types.js';

/** The dose columns the mapping reads. */
export type FhirDoseRow = Pick<
  Selectable<DoseTable>,
  'id' | 'product_id' | 'lot' | 'dose_date' | 'dose_number' | 'dose_kind' | 'vaccinator' | 'source' | 'status' | 'void_reason' | 'version' | 'updated_at'
>;

/** The facility columns the mapping reads. */
export type FhirFacilityRow = Pick<Selectable<FacilityTable>, 'code' | 'name'>;

/** Sources where the recording facility saw the dose given (not transcribed from other records). */
const PRIMARY_SOURCES = new Set(['form', 'api']);

const TARGET_COVID19 = [{ coding: [{ system: FHIR_SYSTEMS.snomed, code: COVID19_SNOMED, display: 'COVID-19' }] }];

function vaccineCodings(productId: string, product: VaccineProduct | undefined): Coding[] {
  const coding: Coding[] = [];
  if (product?.mp != null) coding.push({ system: mpSystem(product.mp), code: product.mp });
  if (product?.vp != null) coding.push({ system: vpSystem(product.vp), code: product.vp });
  coding.push({ system: FHIR_SYSTEMS.vaccineProduct, code: productId, ...(product !== undefined ? { display: product.name } : {}) });
  return coding;
}

/**
 * Maps a dose to a FHIR Immunization whose `id` is the dose id. A voided dose becomes
 * `entered-in-error` (FHIR's status for a record that should never have existed).
 * @param dose - the `dose` row
 * @param product - its product from `VACCINE_PRODUCTS` (`findProduct(dose.product_id)`); undefined
 *   for an id no longer in the reference data (then only the VaxPass product coding is written)
 * @param facility - the facility that recorded the dose
 * @param patientRef - the reference to the Patient, e.g. `Patient/42` or a `urn:uuid:` fullUrl
 * @returns the Immunization resource
 */
export function doseToImmunization(
  dose: FhirDoseRow,
  product: VaccineProduct | undefined,
  facility: FhirFacilityRow,
  patientRef: string,
): Immunization {
  const performer: ImmunizationPerformer[] = [
    { actor: { type: 'Organization', identifier: { system: FHIR_SYSTEMS.facility, value: facility.code }, display: facility.name } },
  ];
  if (dose.vaccinator !== null && dose.vaccinator !== '') {
    performer.push({
      function: { coding: [{ system: FHIR_SYSTEMS.v2PerformerFunction, code: 'AP', display: 'Administering Provider' }] },
      actor: { type: 'Practitioner', display: dose.vaccinator },
    });
  }
  const immunization: Immunization = {
    resourceType: 'Immunization',
    id: String(dose.id),
    meta: { versionId: String(dose.version), lastUpdated: dose.updated_at },
    identifier: [{ system: FHIR_SYSTEMS.dose, value: String(dose.id) }],
    status: dose.status === 'voided' ? 'entered-in-error' : 'completed',
    vaccineCode: { coding: vaccineCodings(dose.product_id, product), ...(product !== undefined ? { text: product.name } : {}) },
    patient: { reference: patientRef },
    occurrenceDateTime: dose.dose_date,
    primarySource: PRIMARY_SOURCES.has(dose.source),
  };
  if (product?.ma != null) immunization.manufacturer = { identifier: { system: maSystem(product.ma), value: product.ma } };
  if (dose.lot !== null && dose.lot !== '') immunization.lotNumber = dose.lot;
  immunization.performer = performer;
  if (dose.status === 'voided' && dose.void_reason !== null && dose.void_reason !== '') immunization.note = [{ text: dose.void_reason }];
  immunization.protocolApplied = [
    {
      series: dose.dose_kind,
      targetDisease: TARGET_COVID19,
      doseNumberPositiveInt: dose.dose_number,
      ...(product !== undefined ? { seriesDosesPositiveInt: product.primarySeriesDoses } : {}),
    },
  ];
  return immunization;
}
