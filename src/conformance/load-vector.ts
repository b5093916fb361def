/**
 * Loads one dgc-testdata vector (dgc-testdata README, "RAW Content") and normalises the quirks of
 * hand-written vectors: byte-order marks, keys in other cases or with a leading underscore
 * (`_2DCODE`), misspelled or nested EXPECTED* flags, `validationClockInstant`, and a QR picture
 * kept as a file beside the vector instead of in `2DCODE`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkForKey, isExpectationKey, keyLetters } from './checks.js';
import type { CheckName } from './checks.js';

/** The data fields of a vector, under their README names. */
export const FIELDS = ['JSON', 'CBOR', 'COSE', 'COMPRESSED', 'BASE45', 'PREFIX', '2DCODE'] as const;
export type FieldName = (typeof FIELDS)[number];

/** One EXPECTED* flag of a vector. */
export interface Expectation {
  check: CheckName;
  expected: boolean;
  /** The key as written in the vector (shows tolerated misspellings). */
  key: string;
}

/** A vector, with its keys normalised. */
export interface Vector {
  /** Path relative to the conformance folder, with `/` separators. */
  file: string;
  /** Data fields present in the vector (null and '' count as absent). */
  fields: Partial<Record<FieldName, unknown>>;
  context: { certificate?: unknown; validationClock?: unknown; schema?: unknown; description?: unknown };
  expectations: Expectation[];
  /** EXPECTED* keys that could not be used (unknown name, not a boolean, contradicting). */
  problems: { key: string; reason: string }[];
  /** A picture file beside the vector, used when it has no `2DCODE` (IE keeps its QR in png/). */
  pictureFile?: string;
}

export type LoadResult = { ok: true; vector: Vector } | { ok: false; file: string; reason: string };

const CONTEXT_KEYS: Readonly<Record<string, keyof Vector['context']>> = {
  CERTIFICATE: 'certificate',
  CERT: 'certificate',
  DSC: 'certificate',
  VALIDATIONCLOCK: 'validationClock',
  VALIDATIONCLOCKINSTANT: 'validationClock',
  SCHEMA: 'schema',
  DESCRIPTION: 'description',
};
const CONTAINERS = new Set(['EXPECTEDRESULTS', 'EXPECTEDRESULT', 'EXPECTED', 'RESULTS']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** File bytes → text: UTF-8 with or without BOM, or UTF-16 with BOM (Windows editors). */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function readBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  if (v === 0 || v === 1) return v === 1;
  return undefined;
}

/** Collects EXPECTED* flags from a container, descending into nested containers. */
function collectExpectations(container: Record<string, unknown>, out: Vector): void {
  for (const [key, value] of Object.entries(container)) {
    if (isRecord(value)) {
      collectExpectations(value, out);
      continue;
    }
    const check = checkForKey(key);
    if (!check) {
      if (isExpectationKey(key)) out.problems.push({ key, reason: 'names no known EXPECTED* check' });
      continue;
    }
    const expected = readBoolean(value);
    if (expected === undefined) {
      out.problems.push({ key, reason: `value ${JSON.stringify(value)} is not a boolean` });
      continue;
    }
    const earlier = out.expectations.find((e) => e.check === check);
    if (!earlier) out.expectations.push({ check, expected, key });
    else if (earlier.expected !== expected) out.problems.push({ key, reason: `contradicts ${earlier.key}: ${earlier.expected}` });
  }
}

/** The QR picture of a vector without `2DCODE`, by the layouts the vector folders use. */
function findPictureFile(path: string): string | undefined {
  const stem = basename(path).replace(/\.json$/i, '');
  const rawDir = dirname(path);
  const countryDir = dirname(dirname(rawDir));
  const dirs = [join(countryDir, 'png'), join(dirname(rawDir), 'png'), rawDir];
  const names = [`${stem}.png`, `${stem}_qr.png`, `${stem}-qr.png`];
  for (const d of dirs) for (const n of names) if (existsSync(join(d, n))) return join(d, n);
  return undefined;
}

/**
 * Normalises a parsed vector.
 * @param file - path relative to the conformance folder (for reports)
 * @param raw - the parsed JSON
 * @param path - absolute path, to find a picture file beside it; omit for in-memory vectors
 */
export function normaliseVector(file: string, raw: Record<string, unknown>, path?: string): Vector {
  const vector: Vector = { file, fields: {}, context: {}, expectations: [], problems: [] };
  for (const [key, value] of Object.entries(raw)) {
    const letters = keyLetters(key);
    const field = FIELDS.find((f) => f === letters);
    if (field) {
      // An empty or null field is an absent one: authors blank what a vector does not test.
      if (value !== null && value !== '') vector.fields[field] ??= value;
    } else if ((letters === 'TESTCTX' || letters === 'TESTCONTEXT') && isRecord(value)) {
      for (const [k, v] of Object.entries(value)) {
        const name = CONTEXT_KEYS[keyLetters(k)];
        if (name) vector.context[name] ??= v;
      }
    } else if (CONTAINERS.has(letters) && isRecord(value)) {
      collectExpectations(value, vector);
    } else if (isExpectationKey(key)) {
      collectExpectations({ [key]: value }, vector);
    }
  }
  if (path !== undefined && vector.fields['2DCODE'] === undefined) {
    const found = findPictureFile(path);
    if (found) vector.pictureFile = found;
  }
  return vector;
}

/**
 * Reads and normalises one vector file; never throws.
 * @param path - absolute path of the JSON file
 * @param file - the same path relative to the conformance folder
 */
export async function loadVector(path: string, file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = decodeText(await readFile(path));
  } catch (e) {
    return { ok: false, file, reason: `cannot read: ${(e as Error).message}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, file, reason: `not valid JSON: ${(e as Error).message}` };
  }
  if (!isRecord(raw)) return { ok: false, file, reason: 'not a JSON object' };
  return { ok: true, vector: normaliseVector(file, raw, path) };
}
