/**
 * The tables Kysely knows about, one interface per table. Column types follow the portable
 * conventions of `./migrations/index.ts`: timestamps are ISO-8601 UTC text with milliseconds
 * (`2025-01-02T03:04:05.678Z`, what `Date#toISOString()` gives), so they read the same on both
 * engines and sort chronologically as plain strings; JSON is stored as text.
 */
import type { GeneratedAlways, Generated } from 'kysely';
import type {
  ApiTokenTable,
  DoseTable,
  FacilityTable,
  ImportJobTable,
  ImportQuarantineTable,
  PersonDocumentTable,
  PersonTable,
  ProvinceSigningTable,
} from './registry-tables.js';
import type { DoseSignatureTable } from './signing-tables.js';
import type { CitizenReportTable, IdentityCaseTable, NotificationOutboxTable } from './cleaning-tables.js';
import type { PopulationRegisterTable, PopulationRequestTable } from './population-tables.js';
import type { VerificationQueueTable, VerificationResultTable, VerificationStateTable } from './verification-tables.js';
import type { CertificateQrTable, CertificateTable, IssuanceOutboxTable } from './certificate-tables.js';

/**
 * `audit_log`: one append-only row per change to a record (a person, a dose…). Written in the
 * same transaction as the change it describes, so the trail can never miss a committed change.
 */
export interface AuditLogTable {
  /** Assigned by the database, increasing; never reused. */
  id: GeneratedAlways<number>;
  /** When the change happened (ISO-8601 UTC); defaults to the database clock. */
  at: Generated<string>;
  /** Who made the change: a user id, `system`, or `cli:<os user>`. */
  actor: string;
  /** What was done, e.g. `create`, `update`, `delete`, `merge`. */
  action: string;
  /** The kind of record changed, e.g. `person`, `dose`. */
  entity: string;
  /** The changed record's id, as text whatever its type. */
  entity_id: string;
  /** The record before the change as JSON; `null` for a creation. */
  before_json: string | null;
  /** The record after the change as JSON; `null` for a deletion. */
  after_json: string | null;
}

/** `pki_key`: where one of our private keys lives (an encrypted file or an HSM object). */
export interface PkiKeyTable {
  /** Random id, also the key's file name / token label. */
  id: string;
  /** `ES256` or `PS256`. */
  alg: string;
  /** `file` (encrypted PKCS#8) or `pkcs11` (HSM). */
  backend: string;
  /** File path, or the PKCS#11 object label. */
  ref: string;
  /** SubjectPublicKeyInfo, base64 DER. */
  public_spki: string;
  created_at: Generated<string>;
}

/** `pki_certificate`: every certificate of our PKI. */
export interface PkiCertificateTable {
  id: GeneratedAlways<number>;
  /** `csca`, `dsc`, `facility_ca`, `facility` (data signing of a facility or province), `trustlist`. */
  role: string;
  subject: string;
  /** The issuing certificate; null for the self-signed CSCA. */
  issuer_id: number | null;
  /** Hex serial number. */
  serial: string;
  /** HCERT kid: base64 of the first 8 bytes of SHA-256 over the DER. */
  kid: string;
  /** Hex SHA-256 over the DER. */
  thumbprint: string;
  alg: string;
  key_id: string | null;
  /** ISO 3166 alpha-2, `VN` for ours. */
  country: string;
  /** Facility or province code for `facility` certificates. */
  owner: string | null;
  not_before: string;
  not_after: string;
  /** Base64 DER. */
  der: string;
  /** `active` (signs), `retired` (rotated out: verifies only), `revoked`. */
  status: Generated<string>;
  revoked_at: string | null;
  revoke_reason: string | null;
  created_at: Generated<string>;
}

/** `key_usage_daily`: signatures made per key (kid) per UTC day (`YYYY-MM-DD`). */
export interface KeyUsageDailyTable {
  kid: string;
  day: string;
  count: number;
}

/** `trusted_csca`: a foreign country's signing CA, the anchor its DSCs must chain to. */
export interface TrustedCscaTable {
  id: GeneratedAlways<number>;
  country: string;
  subject: string;
  thumbprint: string;
  der: string;
  /** File or URL it came from. */
  source: string;
  imported_at: Generated<string>;
}

/** `trusted_dsc`: a foreign document signer accepted from a trust list. */
export interface TrustedDscTable {
  id: GeneratedAlways<number>;
  country: string;
  kid: string;
  thumbprint: string;
  subject: string;
  certificate_type: Generated<string>;
  der: string;
  csca_id: number | null;
  source: string;
  /** `active` or `revoked`. */
  status: Generated<string>;
  imported_at: Generated<string>;
}

/** `revocation_entry`: one revoked certificate, as a truncated hash (EU DCC revocation). */
export interface RevocationEntryTable {
  id: GeneratedAlways<number>;
  /** kid (base64) of the DSC that signed the revoked certificate. */
  kid: string;
  /** `UCI`, `COUNTRYCODEUCI` or `SIGNATURE`. */
  hash_type: string;
  /** Base64 of the first 16 bytes of the SHA-256. */
  hash: string;
  /** `correction`, `fraud`, `superseded`, `key_compromise`… */
  reason: string;
  actor: string;
  expires_at: string | null;
  created_at: Generated<string>;
}

/** Every table of the VaxPass database. Later migrations add their tables here. */
export interface Database {
  audit_log: AuditLogTable;
  pki_key: PkiKeyTable;
  pki_certificate: PkiCertificateTable;
  key_usage_daily: KeyUsageDailyTable;
  trusted_csca: TrustedCscaTable;
  trusted_dsc: TrustedDscTable;
  revocation_entry: RevocationEntryTable;
  facility: FacilityTable;
  province_signing: ProvinceSigningTable;
  person: PersonTable;
  person_document: PersonDocumentTable;
  dose: DoseTable;
  import_job: ImportJobTable;
  import_quarantine: ImportQuarantineTable;
  api_token: ApiTokenTable;
  identity_case: IdentityCaseTable;
  citizen_report: CitizenReportTable;
  notification_outbox: NotificationOutboxTable;
  population_register: PopulationRegisterTable;
  population_request: PopulationRequestTable;
  verification_state: VerificationStateTable;
  verification_queue: VerificationQueueTable;
  verification_result: VerificationResultTable;
  dose_signature: DoseSignatureTable;
  certificate: CertificateTable;
  certificate_qr: CertificateQrTable;
  issuance_outbox: IssuanceOutboxTable;
}
