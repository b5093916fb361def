/**
 * Issuance (issue 6): facility signing of dose records (step 2); central issuance of passports,
 * renewal and revocation are added here by their modules.
 */
export {
  DOSE_FORM,
  assertNoInvalidSignature,
  authorizeSigning,
  canonicalDose,
  ensureSigningCert,
  loadUnitSigner,
  signFacilityRecords,
  signedDosesFor,
  signedDosesForPeople,
  verifyDoseSignature,
  verifyUnitSignature,
  vietnamDayRange,
} from './signing/index.js';
export type { DoseFacts, DoseSignatureVerdict, SignOptions, SignResult, SignatureInfo, SignatureStatus, SignedAttributes, UnitSigner } from './signing/index.js';
export {
  CERTIFICATE_ISSUER,
  benchIssuance,
  buildVaccinationDcc,
  certificateTimes,
  certificatesOfPerson,
  dataVersionOf,
  doseSeries,
  drainIssuanceOutbox,
  enqueueIssuance,
  findActiveCertificate,
  findCertificateByUvci,
  issueAll,
  issueForPeople,
  issueForPerson,
  issuePendingCertificates,
  issuancePass,
  scanIssuanceChanges,
  loadDscMaterial,
  runIssuanceWorker,
  seedEligible,
  signerFromMaterial,
} from './central/index.js';
export type { DscMaterial, IssuePendingOptions, PassResult, ScanResult, IssuanceBenchOptions, IssuanceBenchResult, IssuanceReason, IssueAllOptions, IssueAllSummary, IssueForPeopleOptions, IssueOutcome } from './central/index.js';
