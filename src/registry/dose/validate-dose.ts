/**
 * Validates a dose against the person and their other active doses: the product (resolved from
 * what people write), the date (real, not future, not before the product was available in Viet
 * Nam nor before birth), dose number, lot, and the series rules (order, intervals, duplicates).
 */
import { findProduct } from '../reference/index.js';
import type { VaccineProduct } from '../reference/index.js';
import { checkDoseSeries, classifyDose, parseDob, parseDoseDate, parseDoseNumber, parseLot, resolveVaccine } from '../validate/index.js';
import type { FieldIssue, PartialDate } from '../validate/index.js';
import { customIssue } from '../common/index.js';
import type { Dose } from './dose-types.js';

/** A dose's clean values. */
export interface CleanDose {
  readonly product: VaccineProduct;
  readonly doseDate: string;
  readonly doseNumber: number;
  readonly doseKind: 'primary' | 'booster';
  readonly lot: string | null;
  readonly vaccinator: string | null;
}

/** The outcome: clean values or not, every issue, and the active duplicate when there is one. */
export interface DoseCheck {
  readonly clean: CleanDose | undefined;
  readonly issues: FieldIssue[];
  /** The existing active dose with the same product and date (DOSE_DUPLICATE). */
  readonly duplicateOf: Dose | undefined;
}

const VACCINATOR_MAX = 100;

function ageOn(dob: PartialDate, date: string): number {
  const y = +date.slice(0, 4);
  const md = date.slice(5);
  const dobMd = dob.month === undefined ? '01-01' : `${String(dob.month).padStart(2, '0')}-${String(dob.day ?? 1).padStart(2, '0')}`;
  return y - dob.year - (md < dobMd ? 1 : 0);
}

/**
 * Checks one dose of a person.
 * @param input - values as entered
 * @param personDob - the person's stored date of birth (`yyyy[-mm[-dd]]`)
 * @param others - the person's other active doses (the dose itself excluded when correcting)
 * @param options - `today` for date checks
 */
export function validateDose(
  input: { vaccine: string; doseDate: string; doseNumber: number | string; lot?: string | null | undefined; vaccinator?: string | null | undefined },
  personDob: string,
  others: readonly Dose[],
  options: { today?: string } = {},
): DoseCheck {
  const issues: FieldIssue[] = [];
  const today = options.today === undefined ? {} : { today: options.today };
  const dobR = parseDob(personDob, today);
  const dob = dobR.ok ? dobR.value : undefined;
  // First the date alone (for the age that tells paediatric Pfizer apart), then with the product.
  const plainDate = parseDoseDate(input.doseDate, { ...today, ...(dob ? { dob } : {}) });
  const vaccine = resolveVaccine(input.vaccine, dob && plainDate.ok ? { ageYears: ageOn(dob, plainDate.value) } : {});
  let doseDate: string | undefined;
  if (vaccine.ok) {
    issues.push(...vaccine.warnings);
    const d = parseDoseDate(input.doseDate, { ...today, product: vaccine.value, ...(dob ? { dob } : {}) });
    if (d.ok) {
      issues.push(...d.warnings);
      doseDate = d.value;
    } else issues.push(...d.issues);
  } else {
    issues.push(...vaccine.issues);
    if (plainDate.ok) {
      issues.push(...plainDate.warnings);
      doseDate = plainDate.value;
    } else issues.push(...plainDate.issues);
  }
  const num = parseDoseNumber(input.doseNumber);
  if (num.ok) issues.push(...num.warnings);
  else issues.push(...num.issues);
  const lot = parseLot(input.lot ?? null);
  if (lot.ok) issues.push(...lot.warnings);
  else issues.push(...lot.issues);
  const vaccinator = (input.vaccinator ?? '').trim().replace(/\s+/g, ' ');
  if (vaccinator.length > VACCINATOR_MAX) issues.push(customIssue('vaccinator', 'VACCINATOR_TOO_LONG', `Vaccinator is ${vaccinator.length} characters; at most ${VACCINATOR_MAX}`, `Tên người tiêm dài ${vaccinator.length} ký tự; tối đa ${VACCINATOR_MAX}`));

  let duplicateOf: Dose | undefined;
  if (!vaccine.ok || doseDate === undefined || !num.ok) return { clean: undefined, issues, duplicateOf };
  const product = vaccine.value;
  const candidate = { productId: product.id, date: doseDate, doseNumber: num.value };
  const series = checkDoseSeries(others.map((d) => ({ productId: d.productId, date: d.doseDate, doseNumber: d.doseNumber })), candidate);
  if (series.some((i) => i.code === 'DOSE_DUPLICATE')) duplicateOf = others.find((d) => d.productId === product.id && d.doseDate === doseDate);
  issues.push(...series);
  // The product that started the series decides primary vs booster (AZ, AZ, then Abdala = booster).
  const first = others.find((d) => d.doseNumber === 1);
  const seriesProduct = (num.value === 1 ? product : first ? findProduct(first.productId) : undefined) ?? product;
  if (issues.some((i) => i.severity === 'error') || !lot.ok) return { clean: undefined, issues, duplicateOf };
  return {
    clean: { product, doseDate, doseNumber: num.value, doseKind: classifyDose(num.value, seriesProduct), lot: lot.value, vaccinator: vaccinator === '' ? null : vaccinator },
    issues,
    duplicateOf,
  };
}
