/**
 * Row types of the reference population register service (migration 0005). Timestamps are
 * ISO-8601 UTC text, as everywhere (see `./database.ts`).
 */
import type { Generated } from 'kysely';

/** `population_register`: one person as the population database (C06) holds them. */
export interface PopulationRegisterTable {
  /** 12-digit CCCD or 9-digit CMND; the primary key. */
  id_number: string;
  /** NFC, spaces collapsed. */
  full_name: string;
  /** `nameMatchKey(full_name)`. */
  name_key: string;
  /** `yyyy-mm-dd`, `yyyy-mm` or `yyyy`. */
  dob: string;
  /** `M` or `F`. */
  sex: string;
  loaded_at: Generated<string>;
  /** The file the entry was loaded from, or another label. */
  source: string | null;
}

/** `population_request`: the stored answer of one verify call, by its idempotency key. */
export interface PopulationRequestTable {
  idempotency_key: string;
  /** Hex SHA-256 of the canonical request records. */
  request_sha256: string;
  /** Records in the request (the service's count of processed records sums this). */
  record_count: number;
  /** The 200 response body, JSON. */
  response_json: string;
  created_at: Generated<string>;
}
