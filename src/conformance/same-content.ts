/**
 * Semantic comparison of DCC content across encodings (dgc-testdata README, notes 2 and 3): CBOR
 * and JSON maps have no order, CBOR may carry a date-time as a tagged or epoch value where JSON
 * has text, and issuers write the same instant with different offsets and fractions. Both sides
 * are brought to the JSON data model (our codec's cborToJson) and then compared field by field.
 */
import { cborToJson } from '../hcert/index.js';
import { parseInstant } from './inputs.js';

// A date with a time of day: normalised to one instant. Plain dates (dob, dt) stay as written.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = normalise((value as Record<string, unknown>)[key]);
    return out;
  }
  if (typeof value === 'string' && DATE_TIME.test(value)) {
    const t = parseInstant(value);
    if (t.ok) return new Date(t.value).toISOString();
  }
  return value;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path || '/'}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(key in b)) return `${path}/${key}: only in the first (${show(a[key])})`;
      if (!(key in a)) return `${path}/${key}: only in the second (${show(b[key])})`;
      const d = difference(a[key], b[key], `${path}/${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(a, b) || a === b ? undefined : `${path || '/'}: ${show(a)} vs ${show(b)}`;
}

/**
 * Compares two values from CBOR (Maps, tags, Dates, byte strings) or JSON by content.
 * @param a - first value (decoded CBOR or parsed JSON)
 * @param b - second value
 * @returns undefined when they carry the same content, else the first difference (JSON Pointer)
 */
export function contentDifference(a: unknown, b: unknown): string | undefined {
  return difference(normalise(cborToJson(a)), normalise(cborToJson(b)), '');
}
