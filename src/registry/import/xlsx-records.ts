/**
 * Streaming XLSX reader over exceljs's WorkbookReader: rows of the first worksheet are handed
 * over as they are parsed, so a 5 M-row workbook never sits in memory (shared strings are kept,
 * as the format requires).
 */
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import type { RawValue } from './import-row.js';

/** One worksheet row and its 1-based row number. */
export interface XlsxRecord {
  readonly line: number;
  readonly cells: RawValue[];
}

/** exceljs cell values we flatten: rich text, hyperlinks, formulas (their cached result), errors. */
function flatten(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return flatten(v.result);
    if (typeof v.text === 'string') return v.text;
    if (typeof v.error === 'string') return v.error;
  }
  return JSON.stringify(value);
}

/**
 * Reads the rows of the first worksheet.
 * @param input - a file path or a readable stream of the .xlsx bytes
 */
export async function* readXlsxRecords(input: string | Readable): AsyncGenerator<XlsxRecord> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // needed: a number is a date only through its cell style
    worksheets: 'emit',
  });
  for await (const worksheet of reader) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      // row.values is 1-based and sparse; index 0 is unused.
      const values = row.values as unknown[];
      const cells: RawValue[] = [];
      for (let i = 1; i < values.length; i++) cells.push(flatten(values[i]));
      if (cells.every((c) => c === null || c === '')) continue;
      yield { line: row.number, cells };
    }
    return; // the template has one sheet; later sheets (notes, lists) are not data
  }
}
