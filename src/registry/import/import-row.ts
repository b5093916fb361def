/**
 * The canonical record every intake path produces before validation: a bulk CSV/XLSX row, a
 * FHIR Patient+Immunization pair, a quarantined row resubmitted through the API. One shape means
 * one validator and one writer for all of them.
 */

/** The ministry template's fields, by canonical (English) name, in template column order. */
export const RECORD_FIELDS = [
  'full_name',
  'dob',
  'sex',
  'id_number',
  'phone',
  'province_code',
  'vaccine',
  'lot',
  'dose_date',
  'dose_number',
] as const;

export type RecordField = (typeof RECORD_FIELDS)[number];

/** A cell as a reader hands it over: text from CSV; text, number or Date from XLSX. */
export type RawValue = string | number | Date | null | undefined;

/** One record's raw values by canonical field; absent = the column is missing or the cell empty. */
export type RawRecord = Partial<Record<RecordField, RawValue>> & {
  /** The original text when the row came from a structured source (FHIR JSON). */
  readonly source?: string;
};

/** A raw record and where it came from. */
export interface ImportRow {
  /** 1-based position in the source: file line/row (header = 1), or FHIR entry/NDJSON line. */
  readonly rowNumber: number;
  readonly values: RawRecord;
  /**
   * Problems the reader already found (e.g. a FHIR resource that cannot be mapped). A row with
   * an error here is quarantined as is, without validation.
   */
  readonly problems?: readonly RowIssue[];
  /** The source text of the row when `values` cannot hold it all (e.g. the FHIR resource JSON). */
  readonly source?: string;
}

/** A reader's finding about a row, in the validators' shape. */
export interface RowIssue {
  readonly field: string;
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly en: string;
  readonly vi: string;
}

/** What went wrong (or was repaired) in one row, as the summary and the error report list it. */
export interface RowProblem {
  readonly row: number;
  /** Canonical field name, or `*` for the row as a whole. */
  readonly column: string;
  readonly code: string;
  /** English message; the error report CSV also has the Vietnamese one. */
  readonly message: string;
  readonly messageVi: string;
  readonly severity: 'error' | 'warning';
}

/** The outcome of one import, as `vaxpass import --json` prints it (plus bookkeeping). */
export interface ImportSummary {
  readonly importId: number;
  /** Data rows read (the header is not counted). */
  readonly rows: number;
  /** Rows whose dose was written. */
  readonly imported: number;
  /**
   * Valid rows whose dose was already recorded (same person, product and day), and rows of a
   * re-imported file that were quarantined before and since corrected and resubmitted.
   */
  readonly duplicates: number;
  /** Rows kept in quarantine for correction. */
  readonly rejected: number;
  /** Rows imported with a warning (a repaired ID number, a missing ID…). */
  readonly warned: number;
  /** Errors (not warnings), at most `maxErrorsInSummary`; the error report has them all. */
  readonly errors: readonly RowProblem[];
  /** True when `errors` was cut short. */
  readonly errorsTruncated: boolean;
  /** Per column, the legacy encoding detected and repaired (e.g. `{ full_name: 'tcvn3' }`). */
  readonly encodings: Readonly<Record<string, string>>;
  readonly seconds: number;
}
