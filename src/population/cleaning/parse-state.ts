/** Reads the stored parts of `verification_state` / `verification_result` rows. */
import type { IdentityField, Suggestion, VerifyRecord } from '../verifier.js';

const FIELDS = new Set<string>(['id_number', 'full_name', 'dob', 'sex']);

/**
 * The `;`-joined field list.
 * @param text - e.g. `full_name;dob`
 */
export function parseFields(text: string): IdentityField[] {
  return text === '' ? [] : text.split(';').filter((f): f is IdentityField => FIELDS.has(f));
}

/**
 * The suggestions JSON (an array of Suggestion).
 * @param json - stored text
 */
export function parseSuggestions(json: string): Suggestion[] {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? (v as Suggestion[]) : [];
}

/**
 * The record as sent, or null.
 * @param json - stored text or null
 */
export function parseSent(json: string | null): VerifyRecord | null {
  return json === null ? null : (JSON.parse(json) as VerifyRecord);
}
