/**
 * Maps a file's header row to the template's canonical fields. The ministry template has
 * Vietnamese headers; English aliases are accepted too. Matching ignores case, diacritics,
 * spacing and punctuation, so "HỌ VÀ TÊN", "ho va ten" and "Họ  và tên" all name `full_name`.
 */
import { AppError } from '../../errors/index.js';
import { RECORD_FIELDS, type RawValue, type RecordField } from './import-row.js';

/** Header spellings per field (compared after {@link headerKey}). */
const ALIASES: Readonly<Record<RecordField, readonly string[]>> = {
  full_name: ['Họ và tên', 'Họ tên', 'Tên', 'full_name', 'full name', 'name'],
  dob: ['Ngày sinh', 'Ngày tháng năm sinh', 'Năm sinh', 'dob', 'date of birth', 'birth date', 'birthdate'],
  sex: ['Giới tính', 'Giới', 'sex', 'gender'],
  id_number: ['Số CCCD/CMND', 'Số CCCD', 'CCCD/CMND', 'CMND/CCCD', 'Số CMND', 'Số định danh', 'CCCD', 'CMND', 'id_number', 'id number', 'id'],
  phone: ['Số điện thoại', 'Điện thoại', 'SĐT', 'phone', 'phone number'],
  province_code: ['Mã tỉnh', 'Tỉnh', 'province_code', 'province code', 'province'],
  vaccine: ['Tên vắc xin', 'Tên vaccine', 'Vắc xin', 'Loại vắc xin', 'vaccine', 'vaccine name', 'product'],
  lot: ['Số lô', 'Lô', 'lot', 'lot number', 'batch'],
  dose_date: ['Ngày tiêm', 'dose_date', 'dose date', 'date of vaccination', 'vaccination date'],
  dose_number: ['Mũi số', 'Mũi', 'Mũi tiêm', 'Mũi tiêm thứ', 'dose_number', 'dose number', 'dose'],
};

/** Fields a file must have a column for (cells may still be empty: the row is then reported). */
export const REQUIRED_COLUMNS: readonly RecordField[] = ['full_name', 'dob', 'sex', 'id_number', 'vaccine', 'dose_date', 'dose_number'];

/** Lower-case ASCII letters and digits only: "Số CCCD/CMND" → "socccdcmnd". */
export function headerKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const FIELD_BY_KEY = new Map<string, RecordField>();
for (const field of RECORD_FIELDS) for (const alias of ALIASES[field]) FIELD_BY_KEY.set(headerKey(alias), field);

/** The header row read: which column holds which field. */
export interface HeaderMap {
  /** Per column index, its field, or null for a column we do not use. */
  readonly columns: readonly (RecordField | null)[];
  /** Header texts we did not recognise (reported as a warning, never fatal). */
  readonly ignored: readonly string[];
}

/**
 * Reads the header row.
 * @param cells - the first row's cells
 * @throws AppError `IMPORT_HEADER` listing every required column that is missing or doubled
 */
export function mapHeader(cells: readonly RawValue[]): HeaderMap {
  const columns: (RecordField | null)[] = [];
  const ignored: string[] = [];
  const seen = new Map<RecordField, number>();
  const doubled: string[] = [];
  cells.forEach((cell, index) => {
    const text = cell === null || cell === undefined ? '' : (cell instanceof Date ? cell.toISOString() : String(cell)).trim();
    const field = FIELD_BY_KEY.get(headerKey(text)) ?? null;
    if (field !== null && seen.has(field)) {
      doubled.push(`"${text}" (column ${index + 1}) repeats ${field}, already in column ${(seen.get(field) ?? 0) + 1}`);
      columns.push(null);
      return;
    }
    if (field !== null) seen.set(field, index);
    else if (text !== '') ignored.push(text);
    columns.push(field);
  });
  const missing = REQUIRED_COLUMNS.filter((f) => !seen.has(f));
  if (missing.length > 0 || doubled.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing column(s): ${missing.map((f) => `${f} ("${ALIASES[f][0] ?? f}")`).join(', ')}`);
    parts.push(...doubled);
    throw new AppError('IMPORT_HEADER', `row 1 (header): ${parts.join('; ')}. Expected the ministry template: ${RECORD_FIELDS.map((f) => ALIASES[f][0]).join(', ')}`, 422, {
      row: 1,
      missing,
      doubled,
    });
  }
  return { columns, ignored };
}

/** The template's header row, Vietnamese, in column order (for writing templates and seeds). */
export const TEMPLATE_HEADERS: readonly string[] = RECORD_FIELDS.map((f) => ALIASES[f][0] ?? f);
