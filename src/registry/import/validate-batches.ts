/**
 * The CPU half of an import: canonical rows in, validated batches out (rows that passed field
 * validation and rows that failed it). The writer takes the batches. Runs on the importing
 * thread for small files and FHIR sources, and in the import worker for large files (see
 * `import-worker.ts`), so both produce the same batches.
 */
import { detectEncoding } from '../text/index.js';
import type { LegacyEncoding } from '../text/index.js';
import type { CandidateRow, RejectedRow } from './bulk-writer.js';
import type { ImportRow, RawRecord } from './import-row.js';
import { createRecordValidator } from './validate-record.js';

/** Rows held to decide each text column's encoding before any row is validated. */
export const SAMPLE_ROWS = 500;

/** Per free-text column, the legacy encoding detected (absent = Unicode). */
export type ColumnEncodings = Partial<Record<'full_name' | 'lot', LegacyEncoding>>;

/** One batch for the writer, in source order. */
export interface ValidatedBatch {
  readonly candidates: readonly CandidateRow[];
  readonly rejects: readonly RejectedRow[];
  /** Rows read from the source so far (for progress). */
  readonly rowsRead: number;
}

/** Options of {@link validateBatches}. */
export interface ValidateBatchesOptions {
  /** Today in Viet Nam (yyyy-mm-dd). */
  readonly today: string;
  /** Rows per batch. */
  readonly batchSize: number;
  /** Filled with the detected encodings once the sample is read. */
  readonly encodings: ColumnEncodings;
}

/** Decides the encoding of the free-text columns from the sample rows. */
function detectColumns(sample: readonly ImportRow[], out: ColumnEncodings): void {
  for (const field of ['full_name'] as const) {
    const values: string[] = [];
    for (const r of sample) {
      const v = r.values[field];
      if (typeof v === 'string' && v !== '') values.push(v);
    }
    const enc = detectEncoding(values);
    if (enc !== 'unicode') out[field] = enc;
  }
}

const isChunk = (item: ImportRow | readonly ImportRow[]): item is readonly ImportRow[] => Array.isArray(item);

/**
 * Validates rows in batches. The first {@link SAMPLE_ROWS} rows are held to detect column
 * encodings (old TCVN3/VNI lists), then everything streams: memory stays one batch.
 * @param source - canonical rows in source order, one per step or in chunks (file readers)
 * @param options - today, batch size, where to put the detected encodings
 */
export async function* validateBatches(source: AsyncIterable<ImportRow | readonly ImportRow[]>, options: ValidateBatchesOptions): AsyncGenerator<ValidatedBatch> {
  const { encodings, batchSize } = options;
  let validate: ReturnType<typeof createRecordValidator> | undefined;
  let candidates: CandidateRow[] = [];
  let rejects: RejectedRow[] = [];
  let read = 0;
  const check = (row: ImportRow): void => {
    validate ??= createRecordValidator({ today: options.today, encodings });
    if (row.problems?.some((p) => p.severity === 'error')) {
      const raw: RawRecord = row.source === undefined ? row.values : { ...row.values, source: row.source };
      rejects.push({ rowNumber: row.rowNumber, raw, issues: row.problems });
      return;
    }
    const result = validate(row.values);
    if (result.ok) candidates.push({ rowNumber: row.rowNumber, raw: row.values, record: result.record, warnings: result.warnings });
    else rejects.push({ rowNumber: row.rowNumber, raw: row.values, issues: result.issues });
  };
  const take = (): ValidatedBatch => {
    const batch = { candidates, rejects, rowsRead: read };
    candidates = [];
    rejects = [];
    return batch;
  };

  let sample: ImportRow[] | null = [];
  for await (const item of source) {
    const rows: readonly ImportRow[] = isChunk(item) ? item : [item];
    for (const row of rows) {
      read++;
      if (sample !== null) {
        sample.push(row);
        if (sample.length < SAMPLE_ROWS) continue;
        detectColumns(sample, encodings);
        for (const r of sample) check(r);
        sample = null;
      } else check(row);
      if (candidates.length + rejects.length >= batchSize) yield take();
    }
  }
  if (sample !== null) {
    detectColumns(sample, encodings);
    for (const r of sample) check(r);
  }
  if (candidates.length + rejects.length > 0) yield take();
}
