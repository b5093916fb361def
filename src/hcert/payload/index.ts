/**
 * The DCC payload (HCERT claim -260 / 1): generated types, schema and value-set validation, UVCI
 * identifiers and ICAO name transliteration. Pure functions: the current schema release and value
 * sets are bundled (generated/); older schema releases, or another value-set folder, are read from
 * disk once, on first use, when asked for.
 * @module
 */
export type {
  CertificateId,
  CountryVt,
  DccPayload,
  DccPayloadFields,
  DiseaseAgentTargeted,
  DosePosint,
  Issuer,
  PersonName,
  PersonNameFields,
  RecoveryEntry,
  TestEntry,
  TestManf,
  TestResult,
  TestType,
  VaccinationEntry,
  VaccineMahManf,
  VaccineMedicinalProduct,
  VaccineProphylaxis,
} from './dcc.generated.js';
export { DCC_SCHEMA_VERSION } from './generated/dcc-combined-schema.generated.js';
export { validateSchema } from './validate-schema.js';
export type { SchemaError, SchemaValidationResult } from './validate-schema.js';
export { availableSchemaReleases, selectSchemaRelease } from './schema-validators.js';
export { checkValueSets } from './check-value-sets.js';
export type {
  ValueSetCheckOptions,
  ValueSetCheckResult,
  ValueSetError,
  ValueSetErrorCode,
} from './check-value-sets.js';
export { loadValueSets } from './load-value-sets.js';
export type { EncodingInstruction, ValueSet, ValueSetEntry, ValueSetName, ValueSets } from './load-value-sets.js';
export { generateUvci, validateUvci, uvciChecksum } from './uvci.js';
export type { ParsedUvci, UvciErrorCode, UvciValidationOptions, UvciValidationResult } from './uvci.js';
export { toIcao, splitVietnameseName } from './icao.js';
