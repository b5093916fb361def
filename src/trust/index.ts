/**
 * Trust and keys: signing certificates, trust stores. (Codec → trust → domain → api/web/cli.)
 */
export { makeDevSigner } from './dev-signer.js';
export type { DevSigner } from './dev-signer.js';
export { loadCertificates, parseCertificates } from './load-certificates.js';
export type { LoadedCertificates } from './load-certificates.js';
