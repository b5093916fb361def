/**
 * Loads the eHealth Network value sets for EU DCCs (eu-dcc-valuesets) and the Annex A "vaccine
 * encoding instructions" that say which vaccine medicinal product (mp) goes with which marketing
 * authorisation holder/manufacturer (ma) and vaccine type (vp).
 *
 * Where they come from:
 * - by default, release 2.12.0 bundled as a generated module (generated/, made by
 *   `node scripts/gen-dcc-types.mjs`), because the built service must run without the sibling
 *   ../shared folder that only dev and CI machines have; a test keeps the bundle equal to ../shared;
 * - or any folder laid out like eu-dcc-valuesets passed to loadValueSets(dir), e.g. the current sets
 *   downloaded from the DCC gateway, which the eHN README calls leading.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../errors/index.js';
import { VALUE_SETS_RELEASE, dccValueSetFiles } from './generated/dcc-value-sets.generated.js';

/** The value sets a DCC payload refers to, by the names the DCC schema uses. */
export type ValueSetName =
  | 'disease-agent-targeted'
  | 'vaccine-prophylaxis'
  | 'vaccine-medicinal-product'
  | 'vaccine-mah-manf'
  | 'country-2-codes'
  | 'test-type'
  | 'test-manf'
  | 'test-result';

/** The file of each value set, as named in eu-dcc-valuesets. */
export const VALUE_SET_FILES: Readonly<Record<ValueSetName, string>> = {
  'disease-agent-targeted': 'disease-agent-targeted.json',
  'vaccine-prophylaxis': 'vaccine-prophylaxis.json',
  'vaccine-medicinal-product': 'vaccine-medicinal-product.json',
  'vaccine-mah-manf': 'vaccine-mah-manf.json',
  'country-2-codes': 'country-2-codes.json',
  'test-type': 'test-type.json',
  // Test devices are managed on the DCC gateway; the repository only ships a dated example of it.
  'test-manf': 'test-manf-example.json',
  'test-result': 'test-result.json',
};

/** Annex A as JSON; the folder's annex-A/table.tsv carries the same rows and is not read. */
export const ENCODING_INSTRUCTIONS_FILE = 'vaccine-encoding-instructions.json';

/** One code of a value set. `active: false` means "do not use for new certificates". */
export interface ValueSetEntry {
  display: string;
  active: boolean;
}

/** A value set: its id and date from the file, and its codes. */
export interface ValueSet {
  id: string;
  date: string;
  values: ReadonlyMap<string, ValueSetEntry>;
}

/** One row of Annex A: a product with its ma and recommended vp codes. */
export interface EncodingInstruction {
  /** Product name as Annex A writes it, e.g. `Vaxzevria`. */
  name: string;
  mp: string;
  ma: string;
  vp: readonly string[];
  /** Annex A marks the code "(deprecated)": do not use it for new certificates. */
  deprecated: boolean;
}

/** Everything checkValueSets() needs. */
export interface ValueSets {
  sets: Readonly<Record<ValueSetName, ValueSet>>;
  /** Annex A rows by mp code (a product may in principle have several rows). */
  encodingByMp: ReadonlyMap<string, readonly EncodingInstruction[]>;
}

/** Parsed folders, by path; the bundle is parsed once into `bundled`. */
const cache = new Map<string, ValueSets>();
let bundled: ValueSets | undefined;

/** Gives the parsed JSON of one file of a value-set source; `label` names it in errors. */
type ReadFile = (name: string) => { label: string; json: unknown };

function readFromDir(dir: string): ReadFile {
  return (name) => {
    const file = join(dir, name);
    try {
      return { label: file, json: JSON.parse(readFileSync(file, 'utf8')) };
    } catch (cause) {
      throw new AppError('VALUESETS_UNAVAILABLE', `cannot read value set file ${file}`, 500, { file }, { cause });
    }
  };
}

const readBundled: ReadFile = (name) => {
  const label = `bundled eu-dcc-valuesets ${VALUE_SETS_RELEASE}/${name}`;
  const json = dccValueSetFiles[name];
  // Only a generator bug can cause this: the bundle lists exactly the files read here (tested).
  if (json === undefined) throw new AppError('VALUESETS_UNAVAILABLE', `missing ${label}`, 500, { file: label });
  return { label, json };
};

function invalid(file: string, why: string): AppError {
  return new AppError('VALUESETS_INVALID', `${file}: ${why}`, 500, { file });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function parseValueSet(file: string, json: unknown): ValueSet {
  if (!isRecord(json) || !isRecord(json.valueSetValues)) throw invalid(file, 'no valueSetValues object');
  const values = new Map<string, ValueSetEntry>();
  for (const [code, entry] of Object.entries(json.valueSetValues)) {
    if (!isRecord(entry)) throw invalid(file, `entry ${code} is not an object`);
    values.set(code, { display: str(entry.display, code), active: entry.active !== false });
  }
  return { id: str(json.valueSetId, file), date: str(json.valueSetDate, ''), values };
}

// Annex A writes retired product codes as "NVX-CoV2373 (deprecated)"; the mp value set has the bare
// code (marked inactive), so the suffix must be split off before matching.
const DEPRECATED_SUFFIX = /\s*\(deprecated\)\s*$/i;

function parseEncodingInstructions(file: string, json: unknown): Map<string, EncodingInstruction[]> {
  if (!isRecord(json) || !isRecord(json.valueSetValues)) throw invalid(file, 'no valueSetValues object');
  const byMp = new Map<string, EncodingInstruction[]>();
  for (const [name, row] of Object.entries(json.valueSetValues)) {
    if (!isRecord(row) || typeof row['vaccine-code'] !== 'string' || typeof row['vaccine-manufacturer'] !== 'string') {
      throw invalid(file, `row ${name} lacks vaccine-code or vaccine-manufacturer`);
    }
    const rawCode = row['vaccine-code'];
    const sct = Array.isArray(row['sct-codes']) ? row['sct-codes'].map(String) : [];
    const instruction: EncodingInstruction = {
      name,
      mp: rawCode.replace(DEPRECATED_SUFFIX, ''),
      ma: row['vaccine-manufacturer'],
      vp: sct,
      deprecated: DEPRECATED_SUFFIX.test(rawCode),
    };
    byMp.set(instruction.mp, [...(byMp.get(instruction.mp) ?? []), instruction]);
  }
  return byMp;
}

function parseAll(read: ReadFile): ValueSets {
  const parse = <T>(name: string, parser: (file: string, json: unknown) => T): T => {
    const { label, json } = read(name);
    return parser(label, json);
  };
  const sets = Object.fromEntries(
    (Object.keys(VALUE_SET_FILES) as ValueSetName[]).map((name) => [name, parse(VALUE_SET_FILES[name], parseValueSet)]),
  ) as Record<ValueSetName, ValueSet>;
  return {
    sets: Object.freeze(sets),
    encodingByMp: parse(ENCODING_INSTRUCTIONS_FILE, parseEncodingInstructions),
  };
}

/**
 * The value sets and Annex A: the bundled release (2.12.0) by default, or those of a folder laid
 * out like eu-dcc-valuesets; cached per source. Throws AppError (VALUESETS_UNAVAILABLE /
 * VALUESETS_INVALID) when a folder's data is missing or malformed: that is a deployment fault, not
 * a property of a payload.
 * @param dir - a folder to read instead of the bundle (never needs ../shared when omitted)
 */
export function loadValueSets(dir?: string): ValueSets {
  if (dir === undefined) return (bundled ??= parseAll(readBundled));
  const cached = cache.get(dir);
  if (cached) return cached;
  const loaded = parseAll(readFromDir(dir));
  cache.set(dir, loaded);
  return loaded;
}
