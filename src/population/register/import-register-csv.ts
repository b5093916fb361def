/**
 * `vaxpass population load FILE`: streams a register CSV (`id_number,full_name,dob,sex`, any
 * column order, header required) into `population_register`. Bad rows are reported with their
 * line and reason and not loaded; every row is either loaded or reported, never dropped.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { readCsvRecords } from '../../registry/import/index.js';
import type { RegisterEntry } from '../verifier.js';
import { loadRegister } from './load-register.js';
import { parseRegisterRow, type RegisterRowProblem } from './parse-register-row.js';

/** Columns a register file must have. */
const REGISTER_FILE_COLUMNS = ['id_number', 'full_name', 'dob', 'sex'] as const;

/** One refused row of a register file. */
export interface RegisterRowError extends RegisterRowProblem {
  /** 1-based line of the file where the row starts (the header is line 1). */
  readonly line: number;
}

/** What a load did. */
export interface RegisterImportSummary {
  /** Data rows read (header and empty lines not counted). */
  readonly rows: number;
  /** Entries written (a repeated ID in one batch is written once). */
  readonly loaded: number;
  /** Rows refused; each one is in `errors` or passed to `onRejected`. */
  readonly rejected: number;
  /** The first refused rows' problems (up to `maxErrors`). */
  readonly errors: readonly RegisterRowError[];
  readonly errorsTruncated: boolean;
  readonly seconds: number;
}

/** Options of {@link importRegisterCsv}. */
export interface ImportRegisterCsvOptions {
  /** Delete the register (and stored answers) first, once the header checked out. */
  readonly replace?: boolean;
  readonly batchSize?: number;
  /** Problems kept in the summary; default 1,000 (`onRejected` sees all of them). */
  readonly maxErrors?: number;
  /** Told about every refused row, e.g. to write a full error report. */
  readonly onRejected?: (errors: readonly RegisterRowError[]) => void;
  readonly onProgress?: (loaded: number) => void;
  /** Latest acceptable birth year (tests); default the current year. */
  readonly thisYear?: number;
}

/**
 * Loads a register CSV file.
 * @param db - the database
 * @param dialect - its engine
 * @param file - path of the CSV (UTF-8; `,` `;` or tab separated)
 * @param options - replace, batch size, error reporting, progress
 * @throws AppError `REGISTER_FILE` (422) when the header lacks a column or the file is not UTF-8;
 *   nothing is loaded or cleared then
 */
export async function importRegisterCsv(db: Kysely<Database>, dialect: DbDialect, file: string, options: ImportRegisterCsvOptions = {}): Promise<RegisterImportSummary> {
  const t0 = performance.now();
  let encoding = 'utf-8';
  const records = readCsvRecords(createReadStream(file, { highWaterMark: 1 << 20 }), { onEncoding: (e) => (encoding = e) })[Symbol.asyncIterator]();
  try {
    const header = await records.next();
    if (encoding !== 'utf-8') {
      throw new AppError('REGISTER_FILE', `${file}: not UTF-8 (it reads as ${encoding}); the register must be UTF-8 so names are stored exactly`, 422);
    }
    const names = header.done ? [] : header.value.cells.map((c) => c.trim().toLowerCase());
    const index = REGISTER_FILE_COLUMNS.map((c) => names.indexOf(c));
    const missing = REGISTER_FILE_COLUMNS.filter((_, i) => index[i] === -1);
    if (missing.length > 0) {
      throw new AppError('REGISTER_FILE', `${file}: the header must name ${REGISTER_FILE_COLUMNS.join(',')}; missing ${missing.join(', ')}`, 422, { missing });
    }
    const [iId, iName, iDob, iSex] = index as [number, number, number, number];
    const maxErrors = options.maxErrors ?? 1000;
    const errors: RegisterRowError[] = [];
    let rows = 0;
    let rejected = 0;
    let problems = 0;
    const thisYear = options.thisYear ?? new Date().getUTCFullYear();
    async function* entries(): AsyncGenerator<RegisterEntry> {
      for (let r = await records.next(); r.done !== true; r = await records.next()) {
        const { cells, line } = r.value;
        rows++;
        const parsed = parseRegisterRow(cells[iId] ?? '', cells[iName] ?? '', cells[iDob] ?? '', cells[iSex] ?? '', thisYear);
        if (parsed.ok) {
          yield parsed.entry;
          continue;
        }
        rejected++;
        const rowErrors = parsed.problems.map((p) => ({ line, ...p }));
        if (cells.length < names.length) rowErrors.unshift({ line, field: 'row', reason: `${cells.length} cells; the header has ${names.length}` });
        problems += rowErrors.length;
        options.onRejected?.(rowErrors);
        for (const e of rowErrors) if (errors.length < maxErrors) errors.push(e);
      }
    }
    const { loaded } = await loadRegister(db, dialect, entries(), {
      source: basename(file),
      ...(options.replace !== undefined ? { replace: options.replace } : {}),
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { rows, loaded, rejected, errors, errorsTruncated: problems > errors.length, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await records.return?.(undefined);
  }
}

