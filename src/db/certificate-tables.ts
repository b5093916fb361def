/**
 * Row types of central issuance (migration 0009): issued certificates, their cached QR images,
 * and the issuance outbox. Conventions as in `./database.ts`.
 */
import type { Generated, GeneratedAlways } from 'kysely';

/** `certificate`: one signed vaccination certificate (an HC1 text) of a person. */
export interface CertificateTable {
  id: GeneratedAlways<number>;
  /** `URN:UVCI:01:VN:…#c`, the payload's `ci`. */
  uvci: string;
  person_id: number;
  /** `person.version` the payload was built from. */
  person_version: number;
  /** The dose the `v` entry describes (the latest signed active dose). */
  dose_id: number;
  /** What the certificate was built from: `p<person.version>:<dose id>.<dose version>,…` over the signed doses. */
  data_version: string;
  /** 0 for the first certificate of a data version, n for its n-th renewal. */
  renewal: Generated<number>;
  /** Hex SHA-256 of the DCC payload's JSON as built (fixed key order). */
  payload_sha256: string;
  /** base64 kid of the DSC that signed it. */
  kid: string;
  alg: string;
  /** ISO-8601 UTC. */
  iat: string;
  exp: string;
  /** `active`, `superseded` or `revoked`. */
  status: string;
  hc1: string;
  superseded_by: number | null;
  revoked_reason: string | null;
  revoked_at: string | null;
  /** Why it was issued: `batch`, `outbox:<reason>`, `renewal`, `api`… */
  reason: string;
  actor: string;
  created_at: Generated<string>;
}

/** `certificate_qr`: a rendered QR image, made on first request and kept. */
export interface CertificateQrTable {
  certificate_id: number;
  /** `png` or `svg`. */
  format: string;
  /** PNG as base64, SVG as is. */
  body: string;
  created_at: Generated<string>;
}

/** `issuance_outbox`: "this person may need a new certificate", drained by the issuance worker. */
export interface IssuanceOutboxTable {
  id: GeneratedAlways<number>;
  person_id: number;
  /** `verified`, `dose_signed`, `correction`, … */
  reason: string;
  created_at: Generated<string>;
  /** Set once handled (issued, unchanged or not eligible). */
  processed_at: string | null;
  /** What handling it gave: `issued`, `unchanged`, `ineligible:<code>`, `error:<code>`. */
  outcome: string | null;
  attempts: Generated<number>;
  next_attempt_at: string;
}
