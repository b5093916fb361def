/**
 * Loads the eHealth Network value sets for EU DCCs (eu-dcc-valuesets, release 2.12.0 in ../shared)
 * and the Annex A "vaccine encoding instructions" that say which vaccine medicinal product (mp)
 * goes with which marketing authorisation holder/manufacturer (ma) and vaccine type (vp).
 *
 * Value sets are reference data, not code: they are read in place (never copied into the repo) and
 * a deployment can point elsewhere with VAXPASS_SHARED_DIR or pass another folder, e.g. the current
 * sets downloaded from the DCC gateway, which the eHN README calls leading.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../errors/index.js';
import { sharedPath } from './shared-path.js';

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

const FILES: Readonly<Record<ValueSetName, string>> = {
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

const cache = new Map<string, ValueSets>();

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new AppError('VALUESETS_UNAVAILABLE', `cannot read value set file ${file}`, 500, { file }, { cause });
  }
}

function invalid(file: string, why: string): AppError {
  return new AppError('VALUESETS_INVALID', `${file}: ${why}`, 500, { file });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function parseValueSet(file: string): ValueSet {
  const json = readJson(file);
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

function parseEncodingInstructions(file: string): Map<string, EncodingInstruction[]> {
  const json = readJson(file);
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

/**
 * Reads the value sets and Annex A from a folder laid out like eu-dcc-valuesets; cached per folder.
 * Throws AppError (VALUESETS_UNAVAILABLE / VALUESETS_INVALID) when the reference data is missing or
 * malformed: that is a deployment fault, not a property of a payload.
 * @param dir - the folder; defaults to ../shared/reference/eu-dcc-valuesets
 */
export function loadValueSets(dir: string = sharedPath('reference', 'eu-dcc-valuesets')): ValueSets {
  const cached = cache.get(dir);
  if (cached) return cached;
  const sets = Object.fromEntries(
    (Object.keys(FILES) as ValueSetName[]).map((name) => [name, parseValueSet(join(dir, FILES[name]))]),
  ) as Record<ValueSetName, ValueSet>;
  const loaded: ValueSets = {
    sets: Object.freeze(sets),
    encodingByMp: parseEncodingInstructions(join(dir, 'vaccine-encoding-instructions.json')),
  };
  cache.set(dir, loaded);
  return loaded;
}
