/**
 * Row types of the registry tables (migration 0003): facilities, people, documents, doses,
 * import jobs, the import quarantine and API tokens. Conventions as in `./database.ts`.
 */
import type { Generated, GeneratedAlways } from 'kysely';

export interface FacilityTable {
  id: GeneratedAlways<number>;
  code: string;
  name: string;
  province_code: string;
  district_code: string | null;
  type: string;
  active: Generated<number>;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface ProvinceSigningTable {
  province_code: string;
  /** `facility` (each facility signs) or `focal_unit` (the province's Sở Y tế / CDC signs). */
  mode: string;
  focal_facility_id: number | null;
  updated_at: Generated<string>;
  updated_by: string;
}

export interface PersonTable {
  id: GeneratedAlways<number>;
  full_name_raw: string;
  full_name: string;
  name_fold: string;
  dob: string;
  sex: string;
  nationality: Generated<string>;
  phone: string | null;
  province_code: string | null;
  district_code: string | null;
  ward_code: string | null;
  dedup_key: string | null;
  version: Generated<number>;
  created_by: string;
  import_id: number | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface PersonDocumentTable {
  id: GeneratedAlways<number>;
  person_id: number;
  /** `CCCD`, `CMND` or `PASSPORT`. */
  kind: string;
  number: string;
  /** ISO 3166 alpha-3 of the issuing state (`VNM` for CCCD/CMND). */
  country: Generated<string>;
  /** 1 for the document in use; 0 for one replaced (a CMND after its holder got a CCCD). */
  current: Generated<number>;
  created_at: Generated<string>;
}

export interface DoseTable {
  id: GeneratedAlways<number>;
  person_id: number;
  facility_id: number;
  product_id: string;
  lot: string | null;
  dose_date: string;
  dose_number: number;
  dose_kind: string;
  vaccinator: string | null;
  source: string;
  status: Generated<string>;
  void_reason: string | null;
  version: Generated<number>;
  created_by: string;
  import_id: number | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface ImportJobTable {
  id: GeneratedAlways<number>;
  facility_id: number;
  file_name: string;
  file_sha256: string;
  format: string;
  actor: string;
  /** `running`, `done` or `failed`. */
  status: string;
  rows: Generated<number>;
  imported: Generated<number>;
  duplicates: Generated<number>;
  rejected: Generated<number>;
  warnings: Generated<number>;
  error: string | null;
  started_at: Generated<string>;
  finished_at: string | null;
}

export interface ImportQuarantineTable {
  id: GeneratedAlways<number>;
  import_id: number;
  facility_id: number;
  row_number: number;
  raw_json: string;
  issues_json: string;
  row_hash: string;
  /** `pending`, `resubmitted` or `discarded`. */
  status: Generated<string>;
  dose_id: number | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: Generated<string>;
}

export interface ApiTokenTable {
  id: GeneratedAlways<number>;
  token_sha256: string;
  name: string;
  role: string;
  scope: string | null;
  created_at: Generated<string>;
  revoked_at: string | null;
}
