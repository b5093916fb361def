/**
 * Row types of facility signing (migration 0008): one `dose_signature` row per signed version of
 * a dose record. Conventions as in `./database.ts`.
 */
import type { Generated, GeneratedAlways } from 'kysely';

/**
 * `dose_signature`: a facility's (or its province focal unit's) signature over the canonical
 * form of one version of a dose record (see src/issuance/signing/canonical-dose.ts). Rows are
 * never updated or deleted: a changed record gets a new row, the old one stays for history.
 */
export interface DoseSignatureTable {
  id: GeneratedAlways<number>;
  dose_id: number;
  /** `dose.version` that was signed. */
  dose_version: number;
  /** `person.version` that was signed (identity data is part of the signed form). */
  person_version: number;
  /** The signing unit: the recording facility, or its province's focal unit. */
  signer_facility_id: number;
  /** The unit's data-signing certificate (`pki_certificate`, role `facility`). */
  certificate_id: number;
  /** That certificate's kid (base64), for display and lookups. */
  kid: string;
  /** `ES256` (facility certificates are EC P-256). */
  alg: string;
  /** Hex SHA-256 of the signed canonical bytes. */
  canonical_sha256: string;
  /**
   * Base64 signature (ES256: r‖s): over the canonical bytes when `merkle_size` is null (one
   * signature per record), else over the batch's canonical root (`canonicalBatch`), which the
   * record reaches through its inclusion proof (migration 0012).
   */
  signature: string;
  /** Batch signing: the record's leaf position, the batch's leaf count, the proof (base64 of the sibling hashes). */
  merkle_index: number | null;
  merkle_size: number | null;
  merkle_proof: string | null;
  /** When it was signed (ISO-8601 UTC); part of the signed bytes. */
  signed_at: string;
  /** Who ran the signing (`cli:<user>`, `token:<id>:<name>`, `system`). */
  signed_by: string;
  created_at: Generated<string>;
}
