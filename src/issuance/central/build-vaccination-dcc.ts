/**
 * The vaccination certificate's payload: EU DCC schema 1.3.3 (`ver` 1.3.0), one `v` entry for
 * the latest signed dose. dn/sd follow the EU convention recorded in
 * ../shared/reference/vn/vaccines.json (`_meta.dn_sd`): dn is the dose's number in the person's
 * whole history, sd the primary series of the product that started it; a booster after a
 * complete series of n ≥ 2 doses is k/k (3/3, 4/4), after a single-dose series (Janssen) k/1
 * (2/1, 3/1). vp is today's Annex A code for the product
 * (vaccine-encoding-instructions.json), since J07BX03 is deprecated for new certificates.
 *
 * `is` is plain ASCII English, "Ministry of Health of Viet Nam": the schema allows UTF-8, but
 * verifier apps abroad show it to border staff who read Latin letters, and other issuers name
 * their ministries in English too. Names keep their Vietnamese spelling in `fn`/`gn` (UTF-8)
 * with the ICAO transliteration in `fnt`/`gnt`. No identity document number is ever put in the
 * payload (the QR is shown at borders, shops and venues).
 */
import { hash } from 'node:crypto';
import { AppError } from '../../errors/index.js';
import { checkValueSets, generateUvci, loadValueSets, splitVietnameseName, toIcao, validateSchema } from '../../hcert/index.js';
import type { DccPayload } from '../../hcert/index.js';
import { findProduct } from '../../registry/reference/index.js';
import type { VaccineProduct } from '../../registry/reference/index.js';

/** The issuer named in every certificate (`v[0].is`). */
export const CERTIFICATE_ISSUER = 'Ministry of Health of Viet Nam';
/** SNOMED CT 840539006: COVID-19. */
export const TG_COVID19 = '840539006';
/** Annex A's generic "COVID-19 vaccine" code, used only when no specific code is listed. */
const GENERIC_VP = '28531000087107';

/** The person fields a payload needs (no document number on purpose). */
export interface DccPerson {
  readonly fullName: string;
  /** `yyyy-mm-dd`, `yyyy-mm` or `yyyy`. */
  readonly dob: string;
}

/** One active dose as the payload needs it. */
export interface DccDose {
  readonly id: number;
  readonly productId: string;
  /** `yyyy-mm-dd`. */
  readonly doseDate: string;
  readonly doseNumber: number;
}

/** Looks a product up by our id. */
export type ProductLookup = (id: string) => VaccineProduct | undefined;

/** Options of {@link buildVaccinationDcc}. */
export interface BuildDccOptions {
  /** The UVCI to use (default: a new random one). */
  readonly uvci?: string;
  /** Product lookup (default: the bundled reference data). */
  readonly products?: ProductLookup;
}

const vpCache = new Map<string, string>();

/**
 * The vp code for a product: the specific SNOMED code Annex A lists for its mp, else its generic
 * one, else the product's own code.
 * @param product - a product with EU codes
 */
export function vpFor(product: Pick<VaccineProduct, 'mp' | 'vp'>): string | null {
  if (product.mp === null) return product.vp;
  let vp = vpCache.get(product.mp);
  if (vp === undefined) {
    const rows = loadValueSets().encodingByMp.get(product.mp) ?? [];
    const codes = rows.filter((r) => !r.deprecated).flatMap((r) => r.vp);
    vp = codes.find((c) => c !== GENERIC_VP) ?? codes[0] ?? product.vp ?? '';
    vpCache.set(product.mp, vp);
  }
  return vp === '' ? null : vp;
}

/**
 * The latest dose: last by date, then dose number, then id.
 * @param doses - active doses (at least one)
 */
export function latestDose<D extends DccDose>(doses: readonly D[]): D | undefined {
  let best: D | undefined;
  for (const d of doses) {
    if (!best || d.doseDate > best.doseDate || (d.doseDate === best.doseDate && (d.doseNumber > best.doseNumber || (d.doseNumber === best.doseNumber && d.id > best.id)))) best = d;
  }
  return best;
}

/**
 * dn/sd of a dose (see the module comment).
 * @param doseNumber - the dose's number in the person's history (1-based)
 * @param primarySeriesDoses - doses of the primary series of the product that started it
 */
export function doseSeries(doseNumber: number, primarySeriesDoses: number): { dn: number; sd: number } {
  const series = Math.max(1, primarySeriesDoses);
  if (doseNumber <= series) return { dn: doseNumber, sd: series };
  return series === 1 ? { dn: doseNumber, sd: 1 } : { dn: doseNumber, sd: doseNumber };
}

function productOf(id: string, products: ProductLookup): VaccineProduct {
  const p = products(id);
  if (!p) throw new AppError('ISSUE_PRODUCT_UNKNOWN', `vaccine product "${id}" is not in the reference data`, 422, { productId: id });
  return p;
}

/**
 * Builds (does not validate or sign) the DCC for a person's latest dose.
 * @param person - full name and date of birth
 * @param doses - the person's signed active doses; the latest is described, dose 1 (if among
 *   them, else the latest) names the primary series
 * @param options - UVCI, product lookup
 * @throws AppError ISSUE_NO_DOSE (422), ISSUE_PRODUCT_UNKNOWN (422), ISSUE_PRODUCT_NO_EU_CODE (422)
 */
export function buildVaccinationDcc(person: DccPerson, doses: readonly DccDose[], options: BuildDccOptions = {}): DccPayload {
  const products = options.products ?? findProduct;
  const last = latestDose(doses);
  if (!last) throw new AppError('ISSUE_NO_DOSE', 'no signed active dose to certify', 422);
  const product = productOf(last.productId, products);
  const vp = vpFor(product);
  if (product.mp === null || product.ma === null || vp === null) {
    throw new AppError('ISSUE_PRODUCT_NO_EU_CODE', `vaccine product "${product.id}" has no EU DCC code (mp/ma/vp)`, 422, { productId: product.id });
  }
  const first = doses.find((d) => d.doseNumber === 1) ?? last;
  const { dn, sd } = doseSeries(last.doseNumber, productOf(first.productId, products).primarySeriesDoses);
  const { fn, gn } = splitVietnameseName(person.fullName);
  const gnt = toIcao(gn);
  return {
    ver: '1.3.0',
    nam: { fn, fnt: toIcao(fn), ...(gn === '' ? {} : { gn }), ...(gnt === '' ? {} : { gnt }) },
    dob: person.dob,
    v: [{ tg: TG_COVID19, vp, mp: product.mp, ma: product.ma, dn, sd, dt: last.doseDate, co: 'VN', is: CERTIFICATE_ISSUER, ci: options.uvci ?? generateUvci() }],
  } as unknown as DccPayload;
}

/**
 * Checks a payload we are about to sign: the schema of its `ver`, and today's value sets and
 * Annex A (`purpose: 'issue'`).
 * @param dcc - the payload
 * @throws AppError ISSUE_PAYLOAD_INVALID (422) listing every problem
 */
export function assertIssuable(dcc: DccPayload): void {
  const schema = validateSchema(dcc);
  const sets = checkValueSets(dcc, { purpose: 'issue' });
  if (schema.ok && sets.ok) return;
  const problems = [...schema.errors.map((e) => `${e.path || '/'}: ${e.message}`), ...sets.errors.map((e) => `${e.path}: ${e.message}`)];
  throw new AppError('ISSUE_PAYLOAD_INVALID', `the certificate payload is not valid: ${problems.join('; ')}`, 422, { problems });
}

/**
 * Hex SHA-256 of the payload's JSON (keys in the order built here): what `payload_sha256` holds.
 * @param dcc - the payload
 */
export function payloadSha256(dcc: DccPayload): string {
  return hash('sha256', JSON.stringify(dcc), 'hex');
}
