/**
 * Deterministic synthetic data for `vaxpass seed`: a province's facilities and residents with
 * their true identity (the police register), what the vaccination facility recorded (with
 * injected errors and encoding-only variants, each labelled) and their 2021–2022 doses; plus
 * writers for the ministry CSV/XLSX import template, the register extract and the answer key.
 */
export { benchSeed } from './bench-seed.js';
export type { SeedBenchResult } from './bench-seed.js';
export { DEFAULT_ENCODING_RATE, DEFAULT_ERROR_RATE, generateProvince } from './generate-province.js';
export { ENCODING_MIX, FIELD_OF_KIND, REAL_ERROR_MIX } from './inject-errors.js';
export type { EncodingKind, RealErrorKind } from './inject-errors.js';
export { SCHEDULE_DATES } from './plan-doses.js';
export { Sfc32 } from './sfc32.js';
export type {
  GenerateProvinceOptions,
  Identity,
  IdentityField,
  InjectedError,
  InjectedErrorKind,
  SeedDose,
  SeedFacility,
  SeedFacilityType,
  SeedPerson,
  SeedProvince,
} from './seed-types.js';
export { VACCINE_SPELLINGS } from './vaccine-spellings.js';
export { FACILITIES_HEADER, INJECTED_HEADER, RECORDS_HEADER, REGISTER_HEADER, writeSeedCsv } from './write-seed-files.js';
export type { SeedFilesSummary } from './write-seed-files.js';
export { XLSX_DATES_AS_DATES, XLSX_ID_AS_NUMBER, writeSeedXlsx } from './write-seed-xlsx.js';
export { seedDatabase } from './seed-database.js';
export type { SeedDbOptions, SeedDbSummary } from './seed-database.js';
