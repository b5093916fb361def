/** Doses: record, correct, void, list. */
export { MAX_PAGE, correctDose, getDose, listFacilityDoses, recordDose, voidDose } from './dose-service.js';
export type { DoseResult } from './dose-service.js';
export { activeDosesOf, findDose } from './dose-repository.js';
export { validateDose } from './validate-dose.js';
export type { CleanDose, DoseCheck } from './validate-dose.js';
export { DOSE_SOURCES, DOSE_STATUSES } from './dose-types.js';
export type { Dose, DoseListQuery, DosePage, DosePatch, DoseSource, DoseStatus, NewDose } from './dose-types.js';
