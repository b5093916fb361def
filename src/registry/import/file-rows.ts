/**
 * A CSV or XLSX file in the ministry template as canonical rows, read once (and hashed on the
 * way, see `hashed-file.ts`). Shared by the in-thread import and the import worker.
 */
import { Readable } from 'node:stream';
import { AppError } from '../../errors/index.js';
import { readCsvRecordChunks } from './csv-records.js';
import { hashedFile } from './hashed-file.js';
import { mapHeader } from './header-map.js';
import type { ImportRow, RawRecord, RawValue, RecordField } from './import-row.js';

/** The file formats of the template. */
export type FileFormat = 'csv' | 'xlsx';

/** A file's rows and what the summary needs to know about it. */
export interface FileRows {
  /** The rows in source order, a chunk (up to thousands of rows) per step. */
  readonly rows: AsyncGenerator<ImportRow[]>;
  readonly bytesRead: () => number;
  /** The whole file's SHA-256 (hex); reads the unread tail, if any (see `hashedFile`). */
  readonly sha256: () => Promise<string>;
  /** The mapped fields in header order (known once the header is read). */
  readonly fields: () => readonly RecordField[];
  /** `windows-1252` when the CSV was not UTF-8; undefined otherwise. */
  readonly fileEncoding: () => string | undefined;
}

/** A file record: its 1-based line (or worksheet row) and its cells. */
type FileRecord = { readonly line: number; readonly cells: readonly RawValue[] };

/** Turns chunks of file records (header first) into chunks of canonical rows. */
async function* toRows(records: AsyncIterable<readonly FileRecord[]>, onHeader: (columns: readonly (RecordField | null)[]) => void): AsyncGenerator<ImportRow[]> {
  let columns: readonly (RecordField | null)[] | undefined;
  for await (const chunk of records) {
    const rows: ImportRow[] = [];
    for (const rec of chunk) {
      if (columns === undefined) {
        const header = mapHeader(rec.cells);
        columns = header.columns;
        onHeader(header.columns);
        continue;
      }
      const values: RawRecord = {};
      const n = Math.min(columns.length, rec.cells.length);
      for (let i = 0; i < n; i++) {
        const f = columns[i];
        if (f) values[f] = rec.cells[i];
      }
      rows.push({ rowNumber: rec.line, values });
    }
    if (rows.length > 0) yield rows;
  }
  if (columns === undefined) throw new AppError('IMPORT_EMPTY', 'the file has no header row (it is empty)', 422);
}

/**
 * XLSX records one per step. exceljs is loaded only for an XLSX file: loading it took ~0.2 s
 * of the import worker's start, before its first CSV batch.
 */
async function* xlsxRecords(stream: Readable): AsyncGenerator<FileRecord[]> {
  const { readXlsxRecords } = await import('./xlsx-records.js');
  for await (const r of readXlsxRecords(stream)) yield [r];
}

/**
 * Opens a template file as canonical rows. Nothing is read until the rows are pulled.
 * @param file - the path
 * @param format - `csv` or `xlsx`
 */
export function readFileRows(file: string, format: FileFormat): FileRows {
  let fields: readonly RecordField[] = [];
  let fileEncoding: string | undefined;
  let xlsxStream: Readable | undefined;
  const bytes = hashedFile(file, () => xlsxStream?.destroy());
  let records: AsyncIterable<readonly FileRecord[]>;
  if (format === 'csv') records = readCsvRecordChunks(bytes.chunks, { onEncoding: (e) => (fileEncoding = e === 'utf-8' ? undefined : e) });
  else {
    xlsxStream = Readable.from(bytes.chunks, { objectMode: false });
    records = xlsxRecords(xlsxStream);
  }
  const rows = toRows(records, (columns) => {
    fields = columns.filter((c): c is RecordField => c !== null);
  });
  return { rows, bytesRead: bytes.bytesRead, sha256: bytes.sha256, fields: () => fields, fileEncoding: () => fileEncoding };
}
