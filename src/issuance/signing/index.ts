/**
 * Facility signing (issue 6, step 2): dose records signed in canonical form (RFC 8785) with the
 * data-signing key of their facility or of their province's focal unit, and verified whenever
 * signed data is read.
 */
export { DOSE_BATCH_FORM, DOSE_FORM, canonicalBatch, canonicalDose } from './canonical-dose.js';
export type { BatchAttributes, DoseFacts, SignedAttributes } from './canonical-dose.js';
export { decodeProof, encodeProof, leafHash, merkleTree } from './merkle.js';
export type { MerkleTree } from './merkle.js';
export { signFacilityRecords, vietnamDayRange } from './sign-facility-records.js';
export type { SignOptions, SignResult } from './sign-facility-records.js';
export { SigningCertCache, assertNoInvalidSignature, signedDoseRecordsForPeople, signedDosesFor, signedDosesForPeople, verifyDoseSignature } from './verify-dose-signature.js';
export type { DoseSignatureVerdict, JudgedDose, SignatureInfo, SignatureStatus, VerdictOptions } from './verify-dose-signature.js';
export { checkDoseSignature, invalidSignatureMessage } from './check-dose-signature.js';
export type { DoseSignatureCheck } from './check-dose-signature.js';
export { ensureSigningCert, loadUnitSigner } from './unit-signer.js';
export { verifyUnitSignature } from './unit-signature.js';
export type { UnitSigner } from './unit-signer.js';
export { authorizeSigning } from './authorize-signing.js';
