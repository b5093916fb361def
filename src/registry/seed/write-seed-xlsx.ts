import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Sfc32 } from './sfc32.js';
import type { SeedProvince } from './seed-types.js';
import { spellVaccine } from './vaccine-spellings.js';
import { RECORDS_HEADER, STREAM_WRITER, vnDate, type SeedFilesSummary } from './write-seed-files.js';

/** Share of people whose ID cell Excel turned into a number (leading zero lost). */
export const XLSX_ID_AS_NUMBER = 0.15;
/** Share of people whose date cells are real Excel dates instead of dd/mm/yyyy text. */
export const XLSX_DATES_AS_DATES = 0.2;

function excelDate(iso: string): Date | string {
  // Year-only birth dates stay text: Excel would not have made them dates.
  return iso.length === 10 ? new Date(`${iso}T00:00:00Z`) : iso;
}

/**
 * Writes the records sheet (same columns and rows as records.csv) as an .xlsx file with
 * exceljs's streaming WorkbookWriter, including the damage Excel does to real uploads: for some
 * people the ID cell is a number (every CCCD starts with 0, so it loses it: 11 digits left) and
 * the date cells are Excel dates. Which people is deterministic for the generator's seed.
 * exceljs is loaded only when this runs, so importing the seed module stays cheap.
 * @param gen - what generateProvince returned
 * @param file - output .xlsx path
 */
export async function writeSeedXlsx(gen: SeedProvince, file: string): Promise<SeedFilesSummary> {
  await mkdir(dirname(file), { recursive: true });
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('Danh sách tiêm');
  ws.addRow(RECORDS_HEADER.split(',')).commit();
  const rng = new Sfc32(gen.seed, STREAM_WRITER);
  let people = 0;
  let records = 0;
  let injected = 0;
  for (const p of gen.persons()) {
    people++;
    if (p.doses.length === 0) continue;
    const r = p.recorded;
    const idAsNumber = r.idNumber !== null && rng.chance(XLSX_ID_AS_NUMBER);
    const datesAsDates = rng.chance(XLSX_DATES_AS_DATES);
    const id: string | number = r.idNumber === null ? '' : idAsNumber ? Number(r.idNumber) : r.idNumber;
    const dob = datesAsDates ? excelDate(r.dob) : vnDate(r.dob);
    const sex = r.sex === 'M' ? 'Nam' : 'Nữ';
    for (const d of p.doses) {
      const row = ws.addRow([
        r.fullName,
        dob,
        sex,
        id,
        p.phone,
        gen.provinceCode,
        spellVaccine(rng, d.productId),
        d.lot,
        datesAsDates ? excelDate(d.doseDate) : vnDate(d.doseDate),
        d.doseNumber,
      ]);
      if (datesAsDates) {
        row.getCell(2).numFmt = 'dd/mm/yyyy';
        row.getCell(9).numFmt = 'dd/mm/yyyy';
      }
      row.commit();
      records++;
    }
    injected += p.injected.length;
  }
  ws.commit();
  await wb.commit();
  return { people, records, injected, facilities: gen.facilities.length, files: [file] };
}
