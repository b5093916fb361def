/**
 * The vaccination registry's public door: facilities and who signs their data, people and their
 * documents, doses, and the change trail. (Import pipeline exports are added by its owner.)
 */
export {
  FACILITY_TYPES,
  FOCAL_UNIT_TYPES,
  SIGNING_MODES,
  addFacility,
  findFacilityByCode,
  findFacilityById,
  getFacilityByCode,
  getProvinceSigning,
  listFacilities,
  setProvinceSigning,
  signingUnitFor,
  updateFacility,
} from './facility/index.js';
export type { Facility, FacilityPatch, FacilityType, NewFacility, ProvinceSigning, ProvinceSigningInput, SigningMode } from './facility/index.js';
export { SEARCH_LIMIT, correctPerson, createPerson, facilitiesOfPerson, findPerson, getPerson, nameForms, personHistory, searchPeople, validatePerson } from './person/index.js';
export type {
  CleanPerson,
  DocumentKind,
  HistoryEntry,
  NewPerson,
  Person,
  PersonDetail,
  PersonDocument,
  PersonPatch,
  PersonResult,
  PersonSearch,
  PersonWithDocuments,
} from './person/index.js';
export { DOSE_SOURCES, DOSE_STATUSES, MAX_PAGE, activeDosesOf, correctDose, findDose, getDose, listFacilityDoses, recordDose, validateDose, voidDose } from './dose/index.js';
export type { CleanDose, Dose, DoseCheck, DoseListQuery, DosePage, DosePatch, DoseResult, DoseSource, DoseStatus, NewDose } from './dose/index.js';
export { isUniqueViolation, validationError, writeAudit } from './common/index.js';
export type { AuditEntity, AuditEntry } from './common/index.js';
export { QUARANTINE_MAX_PAGE, QUARANTINE_STATUSES, discardQuarantined, getQuarantined, listQuarantine, resubmitQuarantined } from './quarantine/index.js';
export type { QuarantineItem, QuarantinePage, QuarantineStatus, ResubmitResult } from './quarantine/index.js';
