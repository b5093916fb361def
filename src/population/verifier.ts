/**
 * The contract between VaxPass and the national population database (C06): one call,
 * `verifyBatch(records) → results`, whatever sits behind it: the HTTP client of the national
 * service, or the reference register in-process (embedded default).
 */

/** Identity fields compared against the register. */
export type IdentityField = 'id_number' | 'full_name' | 'dob' | 'sex';

/** One person's identity as the registry holds it, sent for verification. */
export interface VerifyRecord {
  /** Caller's id for this record (our person id as text); echoed in the result. */
  readonly recordId: string;
  /** 12-digit CCCD or 9-digit CMND; null when missing. */
  readonly idNumber: string | null;
  /** Full name as recorded (any Unicode form; legacy encodings are normalised by the matcher). */
  readonly fullName: string | null;
  /** `yyyy-mm-dd`, `yyyy-mm` or `yyyy`; null when missing. */
  readonly dob: string | null;
  readonly sex: 'M' | 'F' | null;
}

/**
 * - `VERIFIED`: the ID exists and name, date of birth and sex agree (after normalising what is
 *   not a real difference: Unicode form, tone placement, legacy encodings, case, spacing).
 * - `MISMATCH`: the ID exists but some fields differ (`fields` says which).
 * - `NOT_FOUND`: the ID number is not in the register.
 * - `NOT_SENT`: required data is missing (`fields` says which); nothing was compared.
 */
export type VerifyStatus = 'VERIFIED' | 'MISMATCH' | 'NOT_FOUND' | 'NOT_SENT';

/** Why a suggestion is made. */
export type SuggestionReason =
  /** An ID one digit away (or two digits swapped) whose holder has the same name and dob. */
  | 'ID_ONE_DIGIT_AWAY'
  /** Same ID and name; the register's dob is this one with day and month swapped. */
  | 'DOB_DAY_MONTH_SWAPPED'
  /** The record has a 9-digit CMND; a register entry with the same name, dob and sex has a CCCD. */
  | 'CMND_REPLACED_BY_CCCD'
  /** Same ID and dob; the register's name is close (a typo, a missing diacritic). */
  | 'NAME_CLOSE'
  /** Same ID, name and dob; the register's sex differs. */
  | 'SEX_DIFFERS'
  /** Same ID and name; the register's dob differs in another way (e.g. a defaulted 1 January). */
  | 'DOB_DIFFERS'
  /** No or unknown ID; a register entry with the same name, dob and sex exists. */
  | 'FOUND_BY_NAME_DOB';

/** A correction proposed from the register; never applied automatically. */
export interface Suggestion {
  readonly reason: SuggestionReason;
  /** The register's values for the fields to change. */
  readonly values: Readonly<Partial<Record<IdentityField, string>>>;
}

/** The outcome for one record. */
export interface VerifyResult {
  readonly recordId: string;
  readonly status: VerifyStatus;
  /** MISMATCH: the differing fields; NOT_SENT: the missing fields; otherwise empty. */
  readonly fields: readonly IdentityField[];
  /**
   * For MISMATCH and NOT_FOUND (and NOT_SENT when only the ID number is missing): corrections
   * proposed from the register, best first, at most 3.
   */
  readonly suggestions: readonly Suggestion[];
}

/** Options of one call. */
export interface VerifyBatchOptions {
  /** Same key, same batch → the service answers from its record of the first call (no double count). */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

/** Anything that verifies identities against the population register. */
export interface PopulationVerifier {
  /** Results in the order of `records`, one per record. */
  verifyBatch(records: readonly VerifyRecord[], options?: VerifyBatchOptions): Promise<VerifyResult[]>;
  close?(): Promise<void>;
}

/** One person as the population register holds them (the police database's truth). */
export interface RegisterEntry {
  /** The current personal ID (12-digit CCCD; a 9-digit CMND for people who never got one). */
  readonly idNumber: string;
  /** NFC, as the register spells it. */
  readonly fullName: string;
  /** `yyyy-mm-dd`, `yyyy-mm` or `yyyy`. */
  readonly dob: string;
  readonly sex: 'M' | 'F';
}

/**
 * Batch read access to a register, so the matcher runs the same over an in-memory index (the
 * file tool, tests, benches) and over database tables (the reference service). Batched because
 * a round trip per record would dominate at national scale.
 */
export interface RegisterLookup {
  /** Entries whose ID number is one of `idNumbers` (unknown ones are simply absent). */
  byIdNumbers(idNumbers: readonly string[]): Promise<RegisterEntry[]>;
  /**
   * Entries whose name match key and dob equal one of `keys` (`nameMatchKey(fullName)` from
   * `src/registry/text` and the dob text). Used for suggestions (CMND → CCCD, missing ID).
   */
  byNameDob(keys: readonly { readonly nameKey: string; readonly dob: string }[]): Promise<RegisterEntry[]>;
}
