/**
 * Vaccine product as people write it ("AstraZeneca", "AZ", "Pfizer", "Vero Cell", "J&J",
 * "EU/1/21/1529", "BBIBP-CorV", our ids…) → the reference `VaccineProduct`. Matching ignores
 * case, diacritics, spaces and punctuation, and a leading "Vắc xin"/"vaccine".
 *
 * Pfizer: the name alone cannot tell the adult 30 µg product from the 10 µg one for children
 * 5–11, so "Pfizer"/"Comirnaty" is `comirnaty` unless `ageYears` is 5–11 (then
 * `comirnaty_paediatric`). An explicitly paediatric name for someone 12+ is kept, with a warning.
 */
import { fail, makeIssue, ok, show } from './field-issue.js';
import type { Cell, Parsed } from './field-issue.js';
import { foldKey } from './fold-key.js';
import { VACCINE_PRODUCTS, findProduct } from '../reference/index.js';
import type { VaccineProduct } from '../reference/index.js';

export interface ResolveVaccineOptions {
  /** Age in whole years on the dose date, to tell paediatric Pfizer apart. */
  readonly ageYears?: number;
}

const LABELS: Readonly<Record<string, string>> = {
  astrazeneca: 'AstraZeneca',
  sputnik_v: 'Sputnik V',
  comirnaty: 'Pfizer (Comirnaty)',
  comirnaty_paediatric: 'Pfizer (Comirnaty) 5–11',
  spikevax: 'Moderna (Spikevax)',
  janssen: 'Janssen',
  vero_cell: 'Vero Cell (Sinopharm)',
  hayat_vax: 'Hayat-Vax',
  abdala: 'Abdala',
  covaxin: 'Covaxin',
  sputnik_light: 'Sputnik Light',
  nanocovax: 'Nanocovax',
};

/**
 * Short display name of a product for messages, e.g. `Vero Cell (Sinopharm)`.
 * @param p - the product
 */
export function productLabel(p: VaccineProduct): string {
  return LABELS[p.id] ?? p.name;
}

/** Names listed in the VACCINE_UNKNOWN message. */
export const ACCEPTED_VACCINE_NAMES =
  'AstraZeneca (AZ, Vaxzevria), Pfizer (Comirnaty), Moderna (Spikevax), Vero Cell (Sinopharm, BBIBP-CorV), Sputnik V, Hayat-Vax, Abdala, Janssen (J&J), Covaxin';

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  astrazeneca: ['astrazeneca', 'astra', 'az', 'vaxzevria', 'azd1222', 'chadox1', 'chadox1s', 'chadox1ncov19', 'covid19vaccineastrazeneca'],
  comirnaty: ['pfizer', 'pfizerbiontech', 'biontech', 'biontechpfizer', 'comirnaty', 'bnt162b2', 'pfizercomirnaty', 'comirnaty30', 'comirnaty30mcg', 'comirnaty30ug', 'comirnaty30g'],
  comirnaty_paediatric: [
    'comirnatypaediatric', 'comirnatypediatric', 'comirnaty10', 'comirnaty10mcg', 'comirnaty10ug', 'comirnaty10g', 'comirnaty511',
    'pfizerpaediatric', 'pfizerpediatric', 'pfizertreem', 'pfizerchotreem', 'pfizernhi', 'pfizer511', 'pfizer511tuoi', 'pfizer10mcg', 'pfizer10ug', 'pfizer10g',
  ],
  spikevax: ['moderna', 'spikevax', 'mrna1273', 'covid19vaccinemoderna', 'modernaspikevax'],
  janssen: ['janssen', 'jj', 'jnj', 'johnsonjohnson', 'johnsonandjohnson', 'jcovden', 'ad26cov2s', 'covid19vaccinejanssen'],
  vero_cell: ['verocell', 'vero', 'sinopharm', 'bbibpcorv', 'sinopharmverocell', 'verocellsinopharm', 'sinopharmbeijing', 'sarscov2vaccineverocell', 'covilo'],
  hayat_vax: ['hayatvax', 'hayat'],
  abdala: ['abdala', 'cigb66'],
  sputnik_v: ['sputnikv', 'sputnik', 'gamcovidvac', 'sputnik5'],
  covaxin: ['covaxin', 'bbv152'],
  sputnik_light: ['sputniklight'],
  nanocovax: ['nanocovax', 'nanogen'],
};

const BY_KEY = new Map<string, VaccineProduct>();
for (const p of VACCINE_PRODUCTS) {
  for (const k of [p.id, p.mp ?? '', p.name]) {
    const key = foldKey(k);
    if (key !== '' && !BY_KEY.has(key)) BY_KEY.set(key, p);
  }
}
for (const [id, keys] of Object.entries(ALIASES)) {
  const p = findProduct(id);
  if (p !== undefined) for (const k of keys) BY_KEY.set(k, p);
}
const LEADING = ['vacxin', 'vaccine', 'vaccin', 'vacin', 'vx'];
const TRAILING = ['vaccine', 'vacxin'];

// Raw cell text → product (or null), bounded: a vaccine column has a handful of distinct spellings.
const memo = new Map<string, VaccineProduct | null>();

function lookup(s: string): VaccineProduct | null {
  const cached = memo.get(s);
  if (cached !== undefined) return cached;
  let key = foldKey(s);
  let p = BY_KEY.get(key);
  if (p === undefined) {
    for (const w of LEADING) if (key.startsWith(w) && key.length > w.length) key = key.slice(w.length);
    for (const w of TRAILING) if (key.endsWith(w) && key.length > w.length) key = key.slice(0, -w.length);
    p = BY_KEY.get(key);
  }
  if (memo.size >= 10_000) memo.clear();
  memo.set(s, p ?? null);
  return p ?? null;
}

/**
 * Resolves a vaccine cell to a licensed product.
 * @param raw - product name, alias, EU DCC `mp` code or our id
 * @param options - `ageYears` to pick paediatric Pfizer for ages 5–11
 */
export function resolveVaccine(raw: Cell, options: ResolveVaccineOptions = {}): Parsed<VaccineProduct> {
  const s = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : show(raw);
  if (s.trim() === '') return fail(makeIssue('vaccine', 'FIELD_REQUIRED', {}));
  let p = lookup(s);
  if (p === null) return fail(makeIssue('vaccine', 'VACCINE_UNKNOWN', { value: show(raw), accepted: ACCEPTED_VACCINE_NAMES }));
  if (p.availableFrom === null) return fail(makeIssue('vaccine', 'VACCINE_NOT_LICENSED', { value: show(raw), product: productLabel(p) }));
  const age = options.ageYears;
  if (age !== undefined) {
    if (p.id === 'comirnaty' && age >= 5 && age <= 11) p = findProduct('comirnaty_paediatric') ?? p;
    else if (p.id === 'comirnaty_paediatric' && age >= 12) return ok(p, [makeIssue('vaccine', 'VACCINE_AGE_MISMATCH', { value: show(raw), age })]);
  }
  return ok(p);
}
