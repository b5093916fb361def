/**
 * Central issuance (issue 6, step 3): the Ministry's DSC signs each eligible person's passport
 * (EU DCC, HC1), stored with its UVCI, data version and status; automatic re-issuance through
 * the issuance outbox; the national batch on worker threads; renewal; revocation on identity
 * corrections and when a person is no longer eligible; QR images rendered on demand and cached.
 */
export { CERTIFICATE_ISSUER, TG_COVID19, assertIssuable, buildVaccinationDcc, doseSeries, latestDose, payloadSha256, vpFor } from './build-vaccination-dcc.js';
export type { BuildDccOptions, DccDose, DccPerson, ProductLookup } from './build-vaccination-dcc.js';
export { VALIDITY_MONTHS, certificateTimes, signCertificate } from './sign-certificate.js';
export type { CertificateTimes, CertificateWork, SignedCertificate } from './sign-certificate.js';
export { WITHDRAW_NOT_VERIFIED, WITHDRAW_NO_SIGNED_DOSE, dataVersionOf, loadCandidates, planIssue } from './load-candidates.js';
export type { Candidate, CandidateDose, CandidateFilter, CertificateHead, IssuePlan, PlanOptions, Withdrawal } from './load-candidates.js';
export { certificatesOfPerson, completePendingRevocations, findActiveCertificate, findCertificateByUvci, findQr, markRevoked, saveQr, storeCertificates, withdrawCertificates } from './certificate-repository.js';
export type { CertificateRow, CompletedRevocations, StoreContext, StoreItem, StoreResult, WithdrawnCertificate } from './certificate-repository.js';
export { issueForPeople, issueForPerson } from './issue-for-people.js';
export type { IssueForPeopleOptions, IssueOutcome } from './issue-for-people.js';
export { drainIssuanceOutbox, enqueueIssuance, issuancePass, runIssuanceWorker } from './issuance-outbox.js';
export type { DrainOptions, DrainResult, IssuanceReason, PassResult, WorkerOptions } from './issuance-outbox.js';
export { SCAN_WATERMARK_REASON, changedPeople, readScanWatermark, scanIssuanceChanges, writeScanWatermark } from './scan-issuance-changes.js';
export type { ScanOptions, ScanResult } from './scan-issuance-changes.js';
export { issuePendingCertificates } from './issue-pending.js';
export type { IssuePendingOptions } from './issue-pending.js';
export { loadDscMaterial } from './dsc-material.js';
export { signerFromMaterial } from './material-signer.js';
export type { DscMaterial } from './dsc-material.js';
export { IssuePool } from './issue-pool.js';
export { issueAll } from './issue-all.js';
export type { IssueAllOptions, IssueAllProgress, IssueAllSummary } from './issue-all.js';
export { seedEligible } from './seed-eligible.js';
export type { SeedEligibleResult } from './seed-eligible.js';
export { benchIssuance } from './bench-issuance.js';
export type { IssuanceBenchOptions, IssuanceBenchResult } from './bench-issuance.js';
