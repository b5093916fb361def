/**
 * Semantic checks of a DCC payload against the eHN value sets ("Value Sets for Digital COVID
 * Certificates", eu-dcc-valuesets 2.12.0) and its Annex A encoding instructions
 * (vaccine-encoding-instructions.json). Complements validateSchema(), which cannot know codes.
 * Never throws for a bad payload; every problem comes back with its JSON Pointer path and a stable code.
 */
import type { EncodingInstruction, ValueSetName, ValueSets } from './load-value-sets.js';
import { loadValueSets } from './load-value-sets.js';

/** Stable error codes: clients and logs switch on them, so never rename one. */
export type ValueSetErrorCode =
  /** The code is not in the field's value set. */
  | 'VALUESET_UNKNOWN_CODE'
  /** The code is in the value set but marked inactive/deprecated (reported when issuing only). */
  | 'VALUESET_CODE_INACTIVE'
  /** Annex A pairs this vaccine product (mp) with another MAH/manufacturer (ma). */
  | 'VALUESET_MP_MA_MISMATCH'
  /** Annex A does not list this vaccine type (vp) for the product (reported when issuing only). */
  | 'VALUESET_VP_MP_MISMATCH';

/** One problem, at a JSON Pointer path such as `/v/0/ma`. */
export interface ValueSetError {
  path: string;
  code: ValueSetErrorCode;
  message: string;
}

/** Outcome of {@link checkValueSets}. */
export interface ValueSetCheckResult {
  ok: boolean;
  errors: ValueSetError[];
}

/** Options of {@link checkValueSets}. */
export interface ValueSetCheckOptions {
  /**
   * `verify` (default) judges a certificate someone else issued, possibly years ago: deprecated
   * codes stay acceptable and vp is not held to today's Annex A, since older guidance recommended
   * other codes (e.g. J07BX03 until value sets 1.14, 1119305005 for vector vaccines in 2021).
   * `issue` applies today's rules to a certificate we are about to sign.
   */
  purpose?: 'issue' | 'verify';
  /** Value sets to use; defaults to loadValueSets() (the bundled release, no ../shared needed). */
  valueSets?: ValueSets;
}

type FieldSpec = readonly [field: string, set: ValueSetName, optional?: boolean];

const ENTRY_FIELDS: Readonly<Record<'v' | 't' | 'r', readonly FieldSpec[]>> = {
  v: [
    ['tg', 'disease-agent-targeted'],
    ['vp', 'vaccine-prophylaxis'],
    ['mp', 'vaccine-medicinal-product'],
    ['ma', 'vaccine-mah-manf'],
    ['co', 'country-2-codes'],
  ],
  t: [
    ['tg', 'disease-agent-targeted'],
    ['tt', 'test-type'],
    ['ma', 'test-manf', true],
    ['tr', 'test-result'],
    ['co', 'country-2-codes'],
  ],
  r: [
    ['tg', 'disease-agent-targeted'],
    ['co', 'country-2-codes'],
  ],
};

// The schema allows up to 10 letters for co ("ISO 3166 alpha-2 where possible"), and its own valid
// test cases (R-dates1, T-rat-dates1, V-dates1) use UNHCR, which the country value set lacks.
const NON_ISO_COUNTRIES: ReadonlySet<string> = new Set(['UNHCR']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function label(sets: ValueSets, set: ValueSetName, code: string): string {
  const display = sets.sets[set].values.get(code)?.display;
  return display && display !== code ? `"${code}" (${display})` : `"${code}"`;
}

/** Membership (and, when issuing, activeness) of each coded field of one entry. */
function checkCodes(
  entry: Record<string, unknown>,
  base: string,
  fields: readonly FieldSpec[],
  sets: ValueSets,
  issuing: boolean,
  errors: ValueSetError[],
): void {
  for (const [field, set, optional] of fields) {
    const code = entry[field];
    // Wrong types and missing required fields are validateSchema()'s to report.
    if (typeof code !== 'string') continue;
    // Several issuers write "ma": "" on NAAT tests, where the (optional) device is not applicable.
    if (optional && code === '') continue;
    if (field === 'co' && NON_ISO_COUNTRIES.has(code)) continue;
    const valueSet = sets.sets[set];
    const known = valueSet.values.get(code);
    const path = `${base}/${field}`;
    if (!known) {
      errors.push({
        path,
        code: 'VALUESET_UNKNOWN_CODE',
        message: `${field} "${code}" is not in value set ${valueSet.id}`,
      });
    } else if (issuing && !known.active) {
      errors.push({
        path,
        code: 'VALUESET_CODE_INACTIVE',
        message: `${field} ${label(sets, set, code)} is inactive in value set ${valueSet.id}: not for new certificates`,
      });
    }
  }
}

function expectedMa(sets: ValueSets, rows: readonly EncodingInstruction[]): string {
  return [...new Set(rows.map((r) => r.ma))].map((c) => label(sets, 'vaccine-mah-manf', c)).join(' or ');
}

/** Annex A consistency of a vaccination entry: mp with ma always, mp with vp when issuing. */
function checkAnnexA(
  entry: Record<string, unknown>,
  base: string,
  sets: ValueSets,
  issuing: boolean,
  errors: ValueSetError[],
): void {
  const { mp, ma, vp } = entry;
  if (typeof mp !== 'string') return;
  const rows = sets.encodingByMp.get(mp);
  // A product without an Annex A row cannot be judged; an unknown mp is already reported.
  if (!rows) return;
  // Labels are built only for an error: this runs for every certificate issued.
  const product = (): string => `mp ${label(sets, 'vaccine-medicinal-product', mp)}`;
  if (typeof ma === 'string' && sets.sets['vaccine-mah-manf'].values.has(ma) && !rows.some((r) => r.ma === ma)) {
    errors.push({
      path: `${base}/ma`,
      code: 'VALUESET_MP_MA_MISMATCH',
      message:
        `ma ${label(sets, 'vaccine-mah-manf', ma)} is not the MAH/manufacturer of ${product()}; ` +
        `Annex A pairs it with ${expectedMa(sets, rows)}`,
    });
  }
  if (!issuing || typeof vp !== 'string') return;
  const vpEntry = sets.sets['vaccine-prophylaxis'].values.get(vp);
  // Unknown or inactive vp codes already carry their own error; one error per fact.
  if (!vpEntry?.active) return;
  if (!rows.some((r) => r.vp.includes(vp))) {
    const allowed = [...new Set(rows.flatMap((r) => r.vp))];
    errors.push({
      path: `${base}/vp`,
      code: 'VALUESET_VP_MP_MISMATCH',
      message:
        `vp ${label(sets, 'vaccine-prophylaxis', vp)} is not an Annex A vaccine type for ${product()}; ` +
        `use ${allowed.map((c) => label(sets, 'vaccine-prophylaxis', c)).join(' or ')}`,
    });
  }
}

/**
 * Checks every coded field of a DCC payload against the eHN value sets, and each vaccination
 * against Annex A (e.g. Vaxzevria EU/1/21/1529 must come with AstraZeneca ORG-100001699, not
 * BioNTech ORG-100030215). Fields of the wrong type are skipped: validateSchema() reports those.
 * @param payload - the decoded HCERT payload, of any shape
 * @param options - `purpose` (`verify` by default, or `issue`) and optional preloaded value sets
 * @returns `ok` and every problem with its path and stable code. Never throws for the default
 *   (bundled) value sets.
 */
export function checkValueSets(payload: unknown, options: ValueSetCheckOptions = {}): ValueSetCheckResult {
  const sets = options.valueSets ?? loadValueSets();
  const issuing = options.purpose === 'issue';
  const errors: ValueSetError[] = [];
  if (isRecord(payload)) {
    for (const group of ['v', 't', 'r'] as const) {
      const entries = payload[group];
      if (!Array.isArray(entries)) continue;
      entries.forEach((entry: unknown, i) => {
        if (!isRecord(entry)) return;
        const base = `/${group}/${i}`;
        checkCodes(entry, base, ENTRY_FIELDS[group], sets, issuing, errors);
        if (group === 'v') checkAnnexA(entry, base, sets, issuing, errors);
      });
    }
  }
  return { ok: errors.length === 0, errors };
}
