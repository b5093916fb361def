import { AliasTable } from './alias-table.js';
import type { Sfc32 } from './sfc32.js';
import { csvCell } from '../import/index.js';

/**
 * How facilities typed the vaccine name in the ministry import template, with rough weights:
 * mostly the common name, sometimes the brand, upper case or a spacing variant.
 */
export const VACCINE_SPELLINGS: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  astrazeneca: [['AstraZeneca', 70], ['Astra Zeneca', 10], ['ASTRAZENECA', 8], ['AZ', 5], ['Vaxzevria', 4], ['Astrazeneca', 3]],
  comirnaty: [['Pfizer', 70], ['Pfizer-BioNTech', 12], ['Comirnaty', 8], ['PFIZER', 6], ['Pfizer BioNTech', 4]],
  comirnaty_paediatric: [['Pfizer', 55], ['Pfizer trẻ em', 25], ['Pfizer 10mcg', 10], ['Comirnaty', 10]],
  spikevax: [['Moderna', 80], ['Spikevax', 8], ['MODERNA', 8], ['Moderna (Spikevax)', 4]],
  vero_cell: [['Vero Cell', 65], ['Verocell', 12], ['Sinopharm', 10], ['VERO CELL', 6], ['Vero-Cell', 7]],
  sputnik_v: [['Sputnik V', 75], ['Gam-COVID-Vac', 15], ['SPUTNIK V', 10]],
  janssen: [['Janssen', 75], ['Johnson & Johnson', 15], ['J&J', 10]],
  hayat_vax: [['Hayat-Vax', 80], ['Hayat Vax', 20]],
  abdala: [['Abdala', 90], ['ABDALA', 10]],
};

function tables(cell: (spelling: string) => string): Map<string, AliasTable<string>> {
  return new Map(
    Object.entries(VACCINE_SPELLINGS).map(([id, list]) => [
      id,
      new AliasTable(
        list.map((x) => cell(x[0])),
        list.map((x) => x[1]),
      ),
    ]),
  );
}

const TABLES = tables((x) => x);
/** The same tables with each spelling already a CSV field (same weights, so the same picks). */
const CSV_TABLES = tables(csvCell);

/**
 * The vaccine name as someone at a facility might have typed it.
 * @param rng - random stream
 * @param productId - VACCINE_PRODUCTS id
 */
export function spellVaccine(rng: Sfc32, productId: string): string {
  return TABLES.get(productId)?.pick(rng) ?? productId;
}

/**
 * `csvCell(spellVaccine(rng, productId))`, drawing the same random number, without quoting per row.
 * @param rng - random stream
 * @param productId - VACCINE_PRODUCTS id
 */
export function spellVaccineCsv(rng: Sfc32, productId: string): string {
  return CSV_TABLES.get(productId)?.pick(rng) ?? csvCell(productId);
}
