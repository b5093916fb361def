/**
 * Our national PKI: CSCA, DSCs, the facility CA and facility/province certificates, the
 * trust-list signer; the active DSC as a counting Signer; our trust lists, signed for publishing.
 */
export { DCC_EKU_OIDS, buildCertificate } from './build-certificate.js';
export type { CertificateSpec, Issuer, Profile } from './build-certificate.js';
export { KeyCustody, pkiOptionsFromEnv } from './key-custody.js';
export type { KeyBackend, KeyRef, NewKey, PkiOptions, RawSign } from './key-custody.js';
export { countingSigner, keyUsage, loadActiveDscSigner } from './dsc-signer.js';
export type { CountingSigner, KeyUsageRow } from './dsc-signer.js';
export { DEFAULT_DSC_DAYS, certificateOf, issueDsc, issueFacilityCert, listCertificates, ourTrustedKeys, pkiInit, revokeDsc, rotateDsc } from './pki-service.js';
export type { DscOptions, PkiCertificate, PkiContext, PkiInitResult } from './pki-service.js';
export { TrustListPublisher, p1363ToDer, verifyPublishedTrustList } from './publish-trust-list.js';
export type { PublishedTrustList, TrustListEntry, TrustListKind, TrustListVerdict } from './publish-trust-list.js';
