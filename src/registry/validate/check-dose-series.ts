/**
 * Rules between a person's doses, checked when a candidate dose joins the existing ones.
 *
 * - Same product on the same day as an active dose → DOSE_DUPLICATE only (the importer counts it
 *   as a duplicate, not an error). A different product on the same day → DOSE_SAME_DAY.
 * - Another active dose already has this dose number on a different day → DOSE_NUMBER_CONFLICT.
 * - Dose numbers follow date order (dose 2 not before dose 1, dose 3 not before dose 2…) →
 *   DOSE_ORDER, checked against the nearest lower and higher dose numbers.
 * - Consecutive primary doses at least `minIntervalDays` apart; when products differ (AZ then
 *   Pfizer was allowed) the larger minimum applies → DOSE_INTERVAL_SHORT (warning: vaccines.json
 *   says validators should warn, not reject, below the minimum).
 * - A booster at least 90 days after the last primary dose → DOSE_BOOSTER_TOO_EARLY (warning).
 *   Source: vaccines.json `vn_mixing_rules`, "Booster (mũi nhắc) >= 3 months after last primary
 *   dose (baogialai.com.vn 2022-03; was >= 6 months in late 2021)"; an "additional dose" for
 *   special groups was allowed at ≥ 28 days, hence a warning rather than an error.
 *
 * Primary vs booster is decided by the product that started the series (dose 1's product if
 * known, else the candidate's): after AZ + AZ, an Abdala dose 3 is a booster even though Abdala's
 * own primary series has 3 doses.
 */
import { daysFromIso } from './calendar.js';
import { makeIssue } from './field-issue.js';
import type { FieldIssue } from './field-issue.js';
import { productLabel } from './resolve-vaccine.js';
import { findProduct } from '../reference/index.js';
import type { VaccineProduct } from '../reference/index.js';

/** One dose of a person, as the series rules need it. */
export interface DoseFact {
  readonly productId: string;
  /** `yyyy-mm-dd`. */
  readonly date: string;
  readonly doseNumber: number;
  /** Only `active` doses (the default) take part; voided/superseded ones are ignored. */
  readonly status?: 'active' | 'voided' | 'superseded';
}

/** Looks a product up by id (default: the bundled reference data). */
export type ProductLookup = (id: string) => VaccineProduct | undefined;

/** Days after the last primary dose before a booster (MoH guidance 2022-03: 3 months). */
export const BOOSTER_MIN_DAYS = 90;

/**
 * Whether a dose number is part of the primary series or a booster for a product.
 * @param doseNumber - 1-based
 * @param product - the product whose primary series counts (usually dose 1's)
 */
export function classifyDose(doseNumber: number, product: Pick<VaccineProduct, 'primarySeriesDoses'>): 'primary' | 'booster' {
  return doseNumber > product.primarySeriesDoses ? 'booster' : 'primary';
}

function isActive(d: DoseFact): boolean {
  return d.status === undefined || d.status === 'active';
}

/**
 * Whether an active dose of the same product on the same day is already known: the
 * DOSE_DUPLICATE rule of {@link checkDoseSeries}, without building its message (bulk import asks
 * this for every row).
 * @param existing - the person's known doses
 * @param candidate - the dose to record
 */
export function isDuplicateDose(existing: readonly DoseFact[], candidate: DoseFact): boolean {
  for (const e of existing) if (isActive(e) && e.date === candidate.date && e.productId === candidate.productId) return true;
  return false;
}

/** Pushes the interval issue between two consecutive, correctly ordered doses, if any. */
function intervalRule(a: DoseFact, b: DoseFact, primaryDoses: number, products: ProductLookup, issues: FieldIssue[]): void {
  if (b.doseNumber !== a.doseNumber + 1) return;
  const days = daysFromIso(b.date) - daysFromIso(a.date);
  if (b.doseNumber <= primaryDoses) {
    const pa = products(a.productId);
    const pb = products(b.productId);
    const ma = pa?.minIntervalDays ?? 0;
    const mb = pb?.minIntervalDays ?? 0;
    const min = Math.max(ma, mb);
    if (days >= min) return;
    const which = ma >= mb ? pa : pb;
    issues.push(
      makeIssue('dose_date', 'DOSE_INTERVAL_SHORT', {
        first: a.doseNumber,
        firstDate: a.date,
        second: b.doseNumber,
        secondDate: b.date,
        days,
        product: which === undefined ? '' : productLabel(which),
        min,
      }),
    );
  } else if (a.doseNumber === primaryDoses && days < BOOSTER_MIN_DAYS) {
    issues.push(makeIssue('dose_date', 'DOSE_BOOSTER_TOO_EARLY', { dose: b.doseNumber, date: b.date, days, lastDate: a.date, min: BOOSTER_MIN_DAYS }));
  }
}

function label(id: string, products: ProductLookup): string {
  const p = products(id);
  return p === undefined ? id : productLabel(p);
}

/**
 * Checks a candidate dose against a person's existing doses; returns the issues (empty = fine).
 * @param existing - the person's recorded doses (any order; inactive ones are skipped)
 * @param candidate - the dose being added
 * @param products - product lookup, default `findProduct`
 */
export function checkDoseSeries(existing: readonly DoseFact[], candidate: DoseFact, products: ProductLookup = findProduct): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const product = products(candidate.productId);
  if (product === undefined) return [makeIssue('vaccine', 'DOSE_PRODUCT_UNKNOWN', { value: candidate.productId })];
  const c = candidate;
  let prev: DoseFact | undefined; // highest dose number below the candidate's
  let next: DoseFact | undefined; // lowest dose number above it
  let first: DoseFact | undefined;
  for (const e of existing) {
    if (!isActive(e)) continue;
    if (e.date === c.date) {
      if (e.productId === c.productId) {
        return [makeIssue('dose_date', 'DOSE_DUPLICATE', { product: productLabel(product), date: c.date, existing: e.doseNumber })];
      }
      issues.push(makeIssue('dose_date', 'DOSE_SAME_DAY', { dose: c.doseNumber, product: productLabel(product), date: c.date, other: e.doseNumber, otherProduct: label(e.productId, products) }));
    }
    if (e.doseNumber === 1) first = e;
    if (e.doseNumber === c.doseNumber) {
      if (e.date !== c.date) issues.push(makeIssue('dose_number', 'DOSE_NUMBER_CONFLICT', { dose: c.doseNumber, date: c.date, otherDate: e.date, otherProduct: label(e.productId, products) }));
    } else if (e.doseNumber < c.doseNumber) {
      if (prev === undefined || e.doseNumber > prev.doseNumber) prev = e;
    } else if (next === undefined || e.doseNumber < next.doseNumber) next = e;
  }
  if (prev !== undefined && prev.date > c.date) {
    issues.push(makeIssue('dose_number', 'DOSE_ORDER', { dose: c.doseNumber, date: c.date, other: prev.doseNumber, otherDate: prev.date }));
  }
  if (next !== undefined && next.date < c.date) {
    issues.push(makeIssue('dose_number', 'DOSE_ORDER', { dose: c.doseNumber, date: c.date, other: next.doseNumber, otherDate: next.date }));
  }
  const seriesProduct = (c.doseNumber === 1 ? product : first !== undefined ? products(first.productId) : undefined) ?? product;
  const primaryDoses = seriesProduct.primarySeriesDoses;
  // Interval rules only between correctly ordered neighbours (order errors are reported above).
  if (prev !== undefined && prev.date <= c.date) intervalRule(prev, c, primaryDoses, products, issues);
  if (next !== undefined && next.date >= c.date) intervalRule(c, next, primaryDoses, products, issues);
  return issues;
}
