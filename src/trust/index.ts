/**
 * Trust and keys: signing certificates, trust stores. (Codec → trust → domain → api/web/cli.)
 */
export { makeDevSigner } from './dev-signer.js';
export type { DevSigner } from './dev-signer.js';
export { DbTrustStore, loadDbTrustStore, trustFingerprint } from './db-trust-store.js';
export type { DbTrustStoreOptions, TrustLoadProblem } from './db-trust-store.js';
export { checkChain, importCscaList, importTrustList, trustedKeysFromFiles } from './trust-list-import.js';
export type { FileTrust, ImportEntryResult, ImportInput, ImportOptions, ImportResult, ImportStatus } from './trust-list-import.js';
export { listImportedTrust, revokeTrustedDsc } from './trust-list-import-repository.js';
export type { ImportedCertificate } from './trust-list-import-repository.js';
export { REVOCATION_HASH_TYPES, REVOCATION_REASONS, listRevocations, revokeCertificate } from './revocation.js';
export type { ListRevocationsOptions, RevocationListJson, RevocationReason, RevokeOptions, RevokeOutcome, RevokeRequest } from './revocation.js';
export { RevocationList } from './revocation-list.js';
export * from './pki/index.js';
