/** People and their identity documents. */
export { SEARCH_LIMIT, correctPerson, createPerson, facilitiesOfPerson, getPerson, personHistory, searchPeople } from './person-service.js';
export { findPerson } from './person-repository.js';
export { nameForms, validatePerson } from './validate-person.js';
export type { CleanPerson } from './validate-person.js';
export type {
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
} from './person-types.js';
