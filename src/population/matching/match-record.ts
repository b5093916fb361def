/**
 * The synchronous matching core: one record against what the register returned for it. The
 * asynchronous `matchBatch` only gathers lookups for many records at once and calls these.
 *
 * Decisions:
 * - Unusable data counts as missing: an ID that is not exactly 9 or 12 digits (the national
 *   service rejects it) or a dob that is not a real `yyyy[-mm[-dd]]` date → NOT_SENT on that field.
 * - Dates of birth compare as exact text: a record `1960` against a register `1960-02-01` is a
 *   MISMATCH on dob (suggesting the register's full date), as the ministry compared exact fields;
 *   the passport must carry the register's value.
 * - A record whose only missing field is the ID gets FOUND_BY_NAME_DOB suggestions too (its
 *   status stays NOT_SENT): that is how a missing ID gets fixed.
 */
import { nameMatchKey } from '../../registry/text/index.js';
import type { IdentityField, RegisterEntry, Suggestion, SuggestionReason, VerifyRecord, VerifyResult } from '../verifier.js';
import { dobText, swapDayMonth } from './dob-text.js';
import { isOneDigitAway } from './id-neighbours.js';
import { isNameClose, recordNameKeys, sameName } from './name-compare.js';

/** Most suggestions returned per record. */
export const MAX_SUGGESTIONS = 3;

/** A record with its fields checked: usable values, or the list of missing/unusable ones. */
export interface CheckedRecord {
  readonly recordId: string;
  /** Exactly 9 or 12 digits, else null. */
  readonly idNumber: string | null;
  /** Non-blank, else null. */
  readonly fullName: string | null;
  /** Canonical `yyyy[-mm[-dd]]`, else null. */
  readonly dob: string | null;
  readonly sex: 'M' | 'F' | null;
  /** Missing or unusable fields, in IdentityField order; empty when the record can be compared. */
  readonly missing: readonly IdentityField[];
  /** Cache of `recordNameKeys(fullName)`. */
  nameKeys?: readonly string[];
  /** Cache of the comparison with the entry holding the ID. */
  compared?: { readonly entry: RegisterEntry; readonly cmp: Comparison };
}

/** A `byNameDob` key. */
export interface NameDobKey {
  readonly nameKey: string;
  readonly dob: string;
}

const NONE: readonly never[] = Object.freeze([]);

function isIdNumber(s: string): boolean {
  const n = s.length;
  if (n !== 9 && n !== 12) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 32 && s.charCodeAt(i) !== 0xa0) return false;
  return true;
}

/**
 * Checks a record's fields (surrounding spaces of ID and dob are ignored).
 * @param record - as sent for verification
 */
export function checkRecord(record: VerifyRecord): CheckedRecord {
  const rawId = record.idNumber;
  const id = rawId === null ? null : isIdNumber(rawId) ? rawId : isIdNumber(rawId.trim()) ? rawId.trim() : null;
  const fullName = record.fullName === null || isBlank(record.fullName) ? null : record.fullName;
  const dob = record.dob === null ? null : dobText(record.dob);
  const sex = record.sex === 'M' || record.sex === 'F' ? record.sex : null;
  const missing: IdentityField[] = [];
  if (id === null) missing.push('id_number');
  if (fullName === null) missing.push('full_name');
  if (dob === null) missing.push('dob');
  if (sex === null) missing.push('sex');
  return { recordId: record.recordId, idNumber: id, fullName, dob, sex, missing };
}

function keysOf(c: CheckedRecord, fullName: string): readonly string[] {
  c.nameKeys ??= recordNameKeys(fullName);
  return c.nameKeys;
}

function nameDobQueries(c: CheckedRecord, fullName: string, dob: string): NameDobKey[] {
  return keysOf(c, fullName).map((nameKey) => ({ nameKey, dob }));
}

/** Field-level reading of a record against the entry holding its ID. */
export interface Comparison {
  readonly fields: IdentityField[];
  readonly nameEq: boolean;
  readonly close: boolean;
}

function compare(c: CheckedRecord, fullName: string, dob: string, sex: 'M' | 'F', e: RegisterEntry): Comparison {
  if (c.compared?.entry === e) return c.compared.cmp;
  const eKey = fullName === e.fullName ? '' : nameMatchKey(e.fullName);
  const nameEq = eKey === '' || sameName(fullName, e.fullName, eKey);
  const fields: IdentityField[] = [];
  if (!nameEq) fields.push('full_name');
  if (dob !== e.dob) fields.push('dob');
  if (sex !== e.sex) fields.push('sex');
  const close = !nameEq && dob === e.dob && keysOf(c, fullName).some((k) => isNameClose(k, eKey));
  const cmp = { fields, nameEq, close };
  if (fields.length > 0) c.compared = { entry: e, cmp }; // asked again by resolveRecord; equal ones are cheap to redo
  return cmp;
}

/** The record's name and dob are not those of the ID's holder: look for the person elsewhere. */
function needsSearch(cmp: Comparison): boolean {
  return !cmp.nameEq && !cmp.close;
}

/**
 * The `byNameDob` keys to fetch for a record's suggestions: its name (each possible reading) with
 * its dob, when its ID is missing or unknown or held by someone else. Empty for VERIFIED records
 * and field-level mismatches.
 *
 * Every ID-based suggestion requires the same name and dob, so this one indexed look-up also
 * finds every ID_ONE_DIGIT_AWAY candidate: the same answer as trying the 119 single-digit
 * substitutions and transpositions of a CCCD one by one, at a 119th of the look-ups.
 * @param c - the checked record
 * @param found - the register entry holding its ID, if any
 */
export function candidateQueries(c: CheckedRecord, found: RegisterEntry | undefined): readonly NameDobKey[] {
  const { idNumber, fullName, dob, sex } = c;
  if (fullName === null || dob === null || sex === null) return NONE;
  if (idNumber !== null && found !== undefined && !needsSearch(compare(c, fullName, dob, sex, found))) return NONE;
  return nameDobQueries(c, fullName, dob);
}

const RANK: Readonly<Record<SuggestionReason, number>> = {
  ID_ONE_DIGIT_AWAY: 0,
  CMND_REPLACED_BY_CCCD: 1,
  FOUND_BY_NAME_DOB: 2,
  NAME_CLOSE: 0,
  DOB_DAY_MONTH_SWAPPED: 0,
  DOB_DIFFERS: 0,
  SEX_DIFFERS: 0,
};

/** Entries elsewhere in the register that are this person: same name key and dob (and sex unless the ID is one digit away). */
function searchSuggestions(c: CheckedRecord, fullName: string, dob: string, sex: 'M' | 'F', candidates: readonly RegisterEntry[]): Suggestion[] {
  if (candidates.length === 0) return [];
  const keys = keysOf(c, fullName);
  const id = c.idNumber;
  const ranked: { rank: number; id: string; s: Suggestion }[] = [];
  const seen = new Set<string>();
  for (const e of candidates) {
    if (e.idNumber === id || seen.has(e.idNumber) || e.dob !== dob || !keys.includes(nameMatchKey(e.fullName))) continue;
    seen.add(e.idNumber);
    let reason: SuggestionReason;
    if (id !== null && isOneDigitAway(id, e.idNumber)) reason = 'ID_ONE_DIGIT_AWAY';
    else if (e.sex !== sex) continue;
    else if (id !== null && id.length === 9 && e.idNumber.length === 12) reason = 'CMND_REPLACED_BY_CCCD';
    else reason = 'FOUND_BY_NAME_DOB';
    // A near ID with the other sex is still a lead, but after every exact name/dob/sex match.
    const rank = RANK[reason] + (e.sex === sex ? 0 : 10);
    const values: Partial<Record<IdentityField, string>> = e.sex === sex ? { id_number: e.idNumber } : { id_number: e.idNumber, sex: e.sex };
    ranked.push({ rank, id: e.idNumber, s: { reason, values } });
  }
  ranked.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return ranked.slice(0, MAX_SUGGESTIONS).map((r) => r.s);
}

/** Suggestion for a field-level mismatch with the ID's own holder (same person, a field wrong). */
function fieldSuggestion(c: CheckedRecord, dob: string, sex: 'M' | 'F', e: RegisterEntry, cmp: Comparison): Suggestion | undefined {
  const withSex = (v: Partial<Record<IdentityField, string>>): Partial<Record<IdentityField, string>> => (sex === e.sex ? v : { ...v, sex: e.sex });
  if (cmp.nameEq) {
    if (dob !== e.dob) return { reason: swapDayMonth(dob) === e.dob ? 'DOB_DAY_MONTH_SWAPPED' : 'DOB_DIFFERS', values: withSex({ dob: e.dob }) };
    return { reason: 'SEX_DIFFERS', values: { sex: e.sex } };
  }
  return cmp.close ? { reason: 'NAME_CLOSE', values: withSex({ full_name: e.fullName }) } : undefined;
}

/**
 * The result for one checked record.
 * @param c - from `checkRecord`
 * @param found - the register entry holding its ID, if any
 * @param candidates - entries fetched with `candidateQueries(c, found)` (others are ignored)
 */
export function resolveRecord(c: CheckedRecord, found: RegisterEntry | undefined, candidates: readonly RegisterEntry[] = NONE): VerifyResult {
  const { recordId, idNumber, fullName, dob, sex } = c;
  if (fullName === null || dob === null || sex === null || idNumber === null) {
    const suggestions = c.missing.length === 1 && fullName !== null && dob !== null && sex !== null ? searchSuggestions(c, fullName, dob, sex, candidates) : NONE;
    return { recordId, status: 'NOT_SENT', fields: c.missing, suggestions };
  }
  if (found === undefined) return { recordId, status: 'NOT_FOUND', fields: NONE, suggestions: searchSuggestions(c, fullName, dob, sex, candidates) };
  const cmp = compare(c, fullName, dob, sex, found);
  if (cmp.fields.length === 0) return { recordId, status: 'VERIFIED', fields: NONE, suggestions: NONE };
  const one = fieldSuggestion(c, dob, sex, found, cmp);
  const suggestions = one !== undefined ? [one] : needsSearch(cmp) ? searchSuggestions(c, fullName, dob, sex, candidates) : [];
  return { recordId, status: 'MISMATCH', fields: cmp.fields, suggestions };
}

/**
 * Matches one record synchronously once its entries are fetched: `found` = the entry holding its
 * ID (`byIdNumbers`), `candidates` = what `byNameDob(candidateQueries(…))` gave (optional: without them
 * NOT_FOUND records just get no suggestions).
 * @param record - as sent
 * @param found - the register entry with the record's ID number, if any
 * @param candidates - entries for suggestions
 */
export function matchRecord(record: VerifyRecord, found: RegisterEntry | undefined, candidates: readonly RegisterEntry[] = NONE): VerifyResult {
  return resolveRecord(checkRecord(record), found, candidates);
}
