/**
 * Validated batches as the import worker posts them: each distinct value once (a batch's rows
 * repeat names, dates, products, the same person's values…) and the rows as indexes into that
 * table in typed arrays that are transferred, not copied. Cloning a batch as one object tree
 * (or even as flat string arrays) cost ~30 ms per 5,000 rows to deserialize on the writing
 * thread, as much as writing them; this shape clones ~10× fewer values. The raw record of a row
 * is rebuilt only when needed (a warning or a rejection to report, a row to quarantine).
 */
import type { CandidateRow, RejectedRow } from './bulk-writer.js';
import type { RawRecord, RawValue, RecordField } from './import-row.js';
import type { FieldIssue } from '../validate/index.js';
import type { ValidRecord } from './validate-record.js';
import type { ValidatedBatch } from './validate-batches.js';

/** Text values per candidate row in `WireBatch.text`. */
const TEXT_PER_ROW = 15;

/** A validated batch in transfer form. */
export interface WireBatch {
  readonly rowsRead: number;
  readonly bytesRead: number;
  /** The mapped fields in header order: `cells` holds one value per field and row. */
  readonly fields: readonly RecordField[];
  readonly candidates: number;
  /** The batch's distinct values; the arrays below index it. */
  readonly values: RawValue[];
  /** Row numbers, candidates then rejects. */
  readonly rowNumbers: Int32Array;
  /** Dose numbers of the candidates. */
  readonly doseNumbers: Int32Array;
  /** {@link TEXT_PER_ROW} person and dose values per candidate; -1 = null. */
  readonly text: Int32Array;
  /** The raw cells, `fields.length` per row (candidates then rejects); -1 = no cell. */
  readonly cells: Int32Array;
  /** Candidate index and its warnings, for candidates that have some. */
  readonly warnings: [number, readonly FieldIssue[]][];
  /** Issues per reject. */
  readonly issues: (readonly FieldIssue[])[];
}

/** The buffers to transfer with a {@link WireBatch}. */
export function transferList(w: WireBatch): ArrayBuffer[] {
  return [w.rowNumbers.buffer, w.doseNumbers.buffer, w.text.buffer, w.cells.buffer] as ArrayBuffer[];
}

/**
 * Flattens a batch for `postMessage` (with {@link transferList}).
 * @param batch - from `validateBatches` over file rows (no reader problems, no `source`)
 * @param fields - the mapped fields in header order
 * @param bytesRead - bytes of the file read so far
 */
export function encodeBatch(batch: ValidatedBatch, fields: readonly RecordField[], bytesRead: number): WireBatch {
  const { candidates, rejects } = batch;
  const values: RawValue[] = [];
  // Dates are distinct objects: each gets its own entry (XLSX only; strings and numbers share).
  const index = new Map<RawValue, number>();
  const id = (v: RawValue): number => {
    if (v === undefined) return -1;
    let i = index.get(v);
    if (i === undefined) {
      i = values.length;
      values.push(v);
      index.set(v, i);
    }
    return i;
  };
  // A person's rows follow each other and repeat most values: compare with the value the same
  // slot had in the previous row before hashing it into the table (those Map lookups were
  // ~12 % of the worker's time in a profile).
  const slots = TEXT_PER_ROW + fields.length;
  const lastValue: RawValue[] = new Array<RawValue>(slots).fill(undefined);
  const lastIndex = new Int32Array(slots).fill(-1);
  const at = (slot: number, v: RawValue): number => {
    if (v === lastValue[slot]) return lastIndex[slot] as number;
    const i = id(v);
    lastValue[slot] = v;
    lastIndex[slot] = i;
    return i;
  };
  const opt = (slot: number, v: string | null): number => (v === null ? -1 : at(slot, v));
  const rowNumbers = new Int32Array(candidates.length + rejects.length);
  const doseNumbers = new Int32Array(candidates.length);
  const text = new Int32Array(candidates.length * TEXT_PER_ROW);
  const cells = new Int32Array((candidates.length + rejects.length) * fields.length);
  const warnings: [number, readonly FieldIssue[]][] = [];
  let t = 0;
  let c = 0;
  const pushCells = (raw: RawRecord): void => {
    for (let k = 0; k < fields.length; k++) cells[c++] = at(TEXT_PER_ROW + k, raw[fields[k] as RecordField]);
  };
  candidates.forEach((row, i) => {
    rowNumbers[i] = row.rowNumber;
    const p = row.record.person;
    const d = row.record.dose;
    doseNumbers[i] = d.doseNumber;
    text[t++] = opt(0, p.idKind);
    text[t++] = opt(1, p.idNumber);
    text[t++] = at(2, p.fullNameRaw);
    text[t++] = at(3, p.fullName);
    text[t++] = at(4, p.nameFold);
    text[t++] = at(5, p.nameKey);
    text[t++] = at(6, p.dob);
    text[t++] = at(7, p.sex);
    text[t++] = opt(8, p.phone);
    text[t++] = opt(9, p.provinceCode);
    text[t++] = opt(10, p.dedupKey);
    text[t++] = at(11, d.productId);
    text[t++] = at(12, d.doseDate);
    text[t++] = at(13, d.doseKind);
    text[t++] = opt(14, d.lot);
    if (row.warnings.length > 0) warnings.push([i, row.warnings]);
    pushCells(row.raw);
  });
  rejects.forEach((r, i) => {
    rowNumbers[candidates.length + i] = r.rowNumber;
    pushCells(r.raw);
  });
  return { rowsRead: batch.rowsRead, bytesRead, fields, candidates: candidates.length, values, rowNumbers, doseNumbers, text, cells, warnings, issues: rejects.map((r) => r.issues) };
}

/** The raw record of row `index` of a wire batch, keys in header order as the reader made it. */
function rawAt(w: WireBatch, index: number): RawRecord {
  const raw: Partial<Record<RecordField, RawValue>> = {};
  const n = w.fields.length;
  for (let k = 0, at = index * n; k < n; k++, at++) {
    const i = w.cells[at] as number;
    if (i >= 0) raw[w.fields[k] as RecordField] = w.values[i];
  }
  return raw;
}

/** A decoded row whose raw record is rebuilt on demand (most rows never need it). */
abstract class WireRow {
  constructor(
    private readonly wire: WireBatch,
    private readonly index: number,
  ) {}

  get raw(): RawRecord {
    return rawAt(this.wire, this.index);
  }
}

/** A decoded candidate. */
class WireCandidate extends WireRow implements CandidateRow {
  constructor(
    readonly rowNumber: number,
    readonly record: ValidRecord,
    readonly warnings: readonly FieldIssue[],
    wire: WireBatch,
    index: number,
  ) {
    super(wire, index);
  }
}

/** A decoded reject. */
class WireReject extends WireRow implements RejectedRow {
  constructor(
    readonly rowNumber: number,
    readonly issues: readonly FieldIssue[],
    wire: WireBatch,
    index: number,
  ) {
    super(wire, index);
  }
}

const NO_WARNINGS: readonly FieldIssue[] = [];

/**
 * Rebuilds the batch the worker validated.
 * @param w - as posted by the worker
 */
export function decodeBatch(w: WireBatch): ValidatedBatch {
  const warned = new Map(w.warnings);
  const candidates: CandidateRow[] = new Array<CandidateRow>(w.candidates);
  const { values, text } = w;
  const str = (t: number): string => values[text[t] as number] as string;
  const opt = (t: number): string | null => {
    const i = text[t] as number;
    return i < 0 ? null : (values[i] as string);
  };
  for (let i = 0, t = 0; i < w.candidates; i++, t += TEXT_PER_ROW) {
    const record: ValidRecord = {
      person: {
        idKind: opt(t) as ValidRecord['person']['idKind'],
        idNumber: opt(t + 1),
        fullNameRaw: str(t + 2),
        fullName: str(t + 3),
        nameFold: str(t + 4),
        nameKey: str(t + 5),
        dob: str(t + 6),
        sex: str(t + 7) as 'M' | 'F',
        phone: opt(t + 8),
        provinceCode: opt(t + 9),
        dedupKey: opt(t + 10),
      },
      dose: {
        productId: str(t + 11),
        doseDate: str(t + 12),
        doseNumber: w.doseNumbers[i] as number,
        doseKind: str(t + 13) as 'primary' | 'booster',
        lot: opt(t + 14),
      },
    };
    candidates[i] = new WireCandidate(w.rowNumbers[i] as number, record, warned.get(i) ?? NO_WARNINGS, w, i);
  }
  const rejects: RejectedRow[] = w.issues.map((issues, j) => new WireReject(w.rowNumbers[w.candidates + j] as number, issues, w, w.candidates + j));
  return { candidates, rejects, rowsRead: w.rowsRead };
}
