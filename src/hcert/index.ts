/**
 * EU Digital COVID Certificate codec (eu-dcc-hcert-spec 1.0.x): pure functions, no I/O.
 */
export { base45Decode, base45Encode } from './base45.js';
export { zlibDeflate } from './deflate.js';
export { zlibInflate } from './inflate.js';
export { cborDecode, cborEncode, cborToJson } from './cbor.js';
export { encodeCwt, decodeCwt, CWT_EXP, CWT_HCERT, CWT_IAT, CWT_ISS } from './cwt.js';
export type { CwtClaims, DecodedCwt } from './cwt.js';
export { parseCose, protectedHeader, sigStructure, signCose, verifyCoseSignature } from './cose.js';
export type { CoseSign1 } from './cose.js';
export { COSE_ALG_ID, algOfKey, keySigner, kidOf, signWithKey } from './signer.js';
export type { CoseAlg, Signer } from './signer.js';
export { MemoryTrustStore, trustedKeyFromCertificate } from './trust-store.js';
export type { TrustStore, TrustedKey } from './trust-store.js';
export { HC1_PREFIX, MAX_HC1_CHARS, MAX_INFLATED_BYTES, fromHc1, toHc1, unprefix } from './transport.js';
export { issueCose, issueHc1 } from './issue.js';
export type { IssueOptions } from './issue.js';
export { KEY_USAGE_OIDS, verifyHc1 } from './verify.js';
export type { VerifyOptions, VerifyProblem, VerifyResult } from './verify.js';
export { revocationHashes, uciOf } from './revocation-hashes.js';
export type { RevocationCheck, RevocationHashType, RevocationHashes } from './revocation-hashes.js';
export { HCERT_CODES, HcertError } from './errors.js';
export type { HcertCode } from './errors.js';
export * from './payload/index.js';
export { sampleDcc } from './sample-dcc.js';
