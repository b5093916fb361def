/**
 * FHIR reader output → rows for the import pipeline. The FHIR readers hand over a mixed stream
 * of rows and problems; the pipeline takes rows only, so every entry/line with an error becomes
 * a row carrying its `problems` (quarantined as is, with the resource's JSON as `source` when
 * known). Entries skipped with a warning only (an unsupported resource type, an Immunization not
 * completed) are listed in `skipped`, never silently dropped.
 */
import { AppError } from '../../errors/index.js';
import type { ImportRow, RawRecord, RowIssue, RowProblem } from '../import/index.js';
import type { NdjsonItem } from '../fhir/index.js';
import { isRowProblem } from '../fhir/index.js';

/** What a row's input looked like, for its quarantine record. */
export interface RowOrigin {
  /** The resource's JSON text. */
  readonly source?: string;
  /** The canonical values that could be read from it (partial). */
  readonly values?: RawRecord;
}

/** Options of {@link fhirRows}. */
export interface FhirRowsOptions {
  /** Collects problems of entries that are skipped (warnings only). */
  readonly skipped: RowProblem[];
  /**
   * Collects problems that belong to no row of the input (a line of a separate Patient file):
   * they are reported; the Immunizations pointing to such a Patient are quarantined themselves.
   */
  readonly notes?: RowProblem[];
  /** Tells which problems are notes (default: none). */
  readonly isNote?: (p: RowProblem) => boolean;
  /** The source text and readable values of entry/line `row`, called once per rejected row. */
  readonly originOf?: (row: number) => RowOrigin | undefined;
}

/**
 * A reader problem in the validators' shape.
 * @param p - the problem
 */
export function toRowIssue(p: RowProblem): RowIssue {
  return { field: p.column, code: p.code, severity: p.severity, en: p.message, vi: p.messageVi };
}

/**
 * The AppError for a problem with the input as a whole (row 0: not a Bundle, not JSON…).
 * @param problems - the row-0 problems
 */
export function wholeInputError(problems: readonly RowProblem[]): AppError {
  const first = problems[0];
  const code = first?.code ?? 'FHIR_INVALID';
  return new AppError(code, problems.map((p) => `${p.column}: ${p.message}`).join('; '), 422, { issues: problems.map(toRowIssue) });
}

interface Group {
  readonly row: number;
  readonly problems: RowProblem[];
  importRow: ImportRow | undefined;
  origin: RowOrigin | undefined;
  originAsked: boolean;
}

/**
 * Turns the readers' items into import rows. Items of one entry/line arrive together (the
 * readers emit them so), so one group is held at a time: memory stays flat on NDJSON streams.
 * @param items - rows and problems, in row order (as `bundleToRows`/`ndjsonToRows` give them)
 * @param options - where skipped entries and notes go; how to find a row's source
 * @throws AppError the first row-0 problem's code (422) for a problem with the input as a whole
 */
export async function* fhirRows(items: AsyncIterable<NdjsonItem> | Iterable<NdjsonItem>, options: FhirRowsOptions): AsyncGenerator<ImportRow> {
  let group: Group | undefined;
  const flush = (g: Group): ImportRow | undefined => {
    const errors = g.problems.some((p) => p.severity === 'error');
    if (g.importRow !== undefined) {
      return g.problems.length === 0 ? g.importRow : { ...g.importRow, problems: g.problems.map(toRowIssue) };
    }
    if (!errors) {
      options.skipped.push(...g.problems);
      return undefined;
    }
    const origin = g.origin;
    return {
      rowNumber: g.row,
      values: origin?.values ?? {},
      problems: g.problems.map(toRowIssue),
      ...(origin?.source === undefined ? {} : { source: origin.source }),
    };
  };
  for await (const item of items) {
    if (isRowProblem(item)) {
      if (item.row === 0) throw wholeInputError([item]);
      if (options.isNote?.(item) === true) {
        options.notes?.push(item);
        continue;
      }
    }
    const row = isRowProblem(item) ? item.row : item.rowNumber;
    if (group === undefined || group.row !== row) {
      if (group !== undefined) {
        const out = flush(group);
        if (out !== undefined) yield out;
      }
      group = { row, problems: [], importRow: undefined, origin: undefined, originAsked: false };
    }
    if (isRowProblem(item)) {
      group.problems.push(item);
      // A line's problems come right after the reader read it: its text is still at hand.
      if (!group.originAsked && item.severity === 'error') {
        group.originAsked = true;
        group.origin = options.originOf?.(row);
      }
    } else group.importRow = item;
  }
  if (group !== undefined) {
    const out = flush(group);
    if (out !== undefined) yield out;
  }
}
