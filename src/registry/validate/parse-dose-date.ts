/** Date a dose was given: a full date, not in the future, not before the product existed in Viet Nam. */
import { todayInVietnam } from './calendar.js';
import { fail, makeIssue } from './field-issue.js';
import type { Cell, Parsed } from './field-issue.js';
import { parseDate } from './parse-date.js';
import type { PartialDate } from './parse-dob.js';
import { productLabel } from './resolve-vaccine.js';
import type { VaccineProduct } from '../reference/index.js';

/** No COVID-19 vaccine was given in Viet Nam before this day (the campaign began 2021-03-08). */
export const CAMPAIGN_START = '2021-01-01';

export interface ParseDoseDateOptions {
  /** `yyyy-mm-dd` in Viet Nam; default: now. Pass it once per import so rows agree. */
  readonly today?: string;
  /** When known, the dose may not precede `product.availableFrom`. */
  readonly product?: VaccineProduct;
  /** When known, the dose may not precede the birth date (compared at its precision). */
  readonly dob?: PartialDate;
}

/**
 * Parses a dose date (any `parseDate` form; two-digit years are 20yy) and checks it against
 * today, 2021-01-01, the product's `availableFrom` and the date of birth.
 * @param raw - the cell
 * @param options - `today`, `product`, `dob`
 */
export function parseDoseDate(raw: Cell, options: ParseDoseDateOptions = {}): Parsed<string> {
  const r = parseDate(raw, 'dose_date', { kind: 'event' });
  if (!r.ok) return r;
  const iso = r.value;
  const today = options.today ?? todayInVietnam();
  if (iso > today) return fail(makeIssue('dose_date', 'DOSE_DATE_IN_FUTURE', { value: iso, today }));
  if (iso < CAMPAIGN_START) return fail(makeIssue('dose_date', 'DOSE_DATE_BEFORE_CAMPAIGN', { value: iso, min: CAMPAIGN_START }));
  const from = options.product?.availableFrom;
  if (from != null && iso < from) {
    return fail(makeIssue('dose_date', 'DOSE_DATE_BEFORE_PRODUCT', { value: iso, product: options.product === undefined ? '' : productLabel(options.product), from }));
  }
  const dob = options.dob;
  if (dob !== undefined && iso < dob.text /* a shorter dob text sorts before every date inside its period */) {
    return fail(makeIssue('dose_date', 'DOSE_DATE_BEFORE_DOB', { value: iso, dob: dob.text }));
  }
  return r;
}
