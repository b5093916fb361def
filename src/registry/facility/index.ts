/** Facilities and the per-province choice of who signs their data. */
export {
  addFacility,
  getFacilityByCode,
  getProvinceSigning,
  listFacilities,
  setProvinceSigning,
  signingUnitFor,
  updateFacility,
} from './facility-service.js';
export { findFacilityByCode, findFacilityById } from './facility-repository.js';
export { FACILITY_TYPES, FOCAL_UNIT_TYPES, SIGNING_MODES } from './facility-types.js';
export type { Facility, FacilityPatch, FacilityType, NewFacility, ProvinceSigning, ProvinceSigningInput, SigningMode } from './facility-types.js';
