/**
 * The JSON of `POST /v1/identity/verify`, shared by the reference service (which checks requests)
 * and the HTTP client (which checks answers). Field names are snake_case on the wire, as the
 * OpenAPI document (`./population-openapi.ts`) describes them.
 */
import { createHash } from 'node:crypto';
import type { IdentityField, Suggestion, SuggestionReason, VerifyRecord, VerifyResult, VerifyStatus } from '../verifier.js';

/** Most records one request may carry (a larger batch is answered 413). */
export const MAX_RECORDS_PER_REQUEST = 1000;
/** Longest `record_id` and identity string accepted. */
const MAX_TEXT = 200;

/** One record of a request body. */
export interface WireRecord {
  readonly record_id: string;
  readonly id_number: string | null;
  readonly full_name: string | null;
  readonly dob: string | null;
  readonly sex: 'M' | 'F' | null;
}

/** One suggestion of a response body. */
export interface WireSuggestion {
  readonly reason: SuggestionReason;
  readonly values: Readonly<Partial<Record<IdentityField, string>>>;
}

/** One result of a response body. */
export interface WireResult {
  readonly record_id: string;
  readonly status: VerifyStatus;
  readonly fields: readonly IdentityField[];
  readonly suggestions: readonly WireSuggestion[];
}

/** Where a request body is wrong, for the 422 problem's `issues`. */
export interface WireIssue {
  readonly path: string;
  readonly message: string;
}

/** Outcome of {@link parseVerifyRequest}. */
export type ParsedRequest =
  | { readonly ok: true; readonly records: VerifyRecord[] }
  | { readonly ok: false; readonly status: 413 | 422; readonly issues: readonly WireIssue[] };

const STATUSES: ReadonlySet<string> = new Set<VerifyStatus>(['VERIFIED', 'MISMATCH', 'NOT_FOUND', 'NOT_SENT']);
const FIELDS: ReadonlySet<string> = new Set<IdentityField>(['id_number', 'full_name', 'dob', 'sex']);
const REASONS: ReadonlySet<string> = new Set<SuggestionReason>([
  'ID_ONE_DIGIT_AWAY',
  'DOB_DAY_MONTH_SWAPPED',
  'CMND_REPLACED_BY_CCCD',
  'NAME_CLOSE',
  'SEX_DIFFERS',
  'DOB_DIFFERS',
  'FOUND_BY_NAME_DOB',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A nullable text field: absent and null are null; anything but a short string is an issue. */
function optionalText(r: Record<string, unknown>, key: string, path: string, issues: WireIssue[]): string | null {
  const v = r[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    issues.push({ path: `${path}.${key}`, message: 'must be a string or null' });
    return null;
  }
  if (v.length > MAX_TEXT) issues.push({ path: `${path}.${key}`, message: `longer than ${MAX_TEXT} characters` });
  return v;
}

/**
 * Checks a request body and turns it into records. Every problem is listed (up to 50), with its
 * JSON path, so a caller can fix them all at once.
 * @param body - the parsed JSON body
 */
export function parseVerifyRequest(body: unknown): ParsedRequest {
  if (!isObject(body) || !Array.isArray(body.records)) {
    return { ok: false, status: 422, issues: [{ path: 'records', message: 'the body must be an object with a `records` array' }] };
  }
  const raw: unknown[] = body.records;
  if (raw.length > MAX_RECORDS_PER_REQUEST) {
    return { ok: false, status: 413, issues: [{ path: 'records', message: `${raw.length} records; at most ${MAX_RECORDS_PER_REQUEST} per request` }] };
  }
  const issues: WireIssue[] = [];
  const records: VerifyRecord[] = new Array<VerifyRecord>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    const path = `records[${i}]`;
    if (!isObject(r)) {
      issues.push({ path, message: 'must be an object' });
      continue;
    }
    const recordId = r.record_id;
    if (typeof recordId !== 'string' || recordId === '' || recordId.length > MAX_TEXT) {
      issues.push({ path: `${path}.record_id`, message: `required: a non-empty string of at most ${MAX_TEXT} characters` });
    }
    const sex = r.sex;
    if (sex !== undefined && sex !== null && sex !== 'M' && sex !== 'F') issues.push({ path: `${path}.sex`, message: 'must be "M", "F" or null' });
    records[i] = {
      recordId: typeof recordId === 'string' ? recordId : '',
      idNumber: optionalText(r, 'id_number', path, issues),
      fullName: optionalText(r, 'full_name', path, issues),
      dob: optionalText(r, 'dob', path, issues),
      sex: sex === 'M' || sex === 'F' ? sex : null,
    };
    if (issues.length >= 50) break;
  }
  return issues.length > 0 ? { ok: false, status: 422, issues } : { ok: true, records };
}

/**
 * A record as sent on the wire.
 * @param r - the record
 */
export function toWireRecord(r: VerifyRecord): WireRecord {
  return { record_id: r.recordId, id_number: r.idNumber, full_name: r.fullName, dob: r.dob, sex: r.sex };
}

/**
 * A result as sent on the wire.
 * @param r - the result
 */
export function toWireResult(r: VerifyResult): WireResult {
  return { record_id: r.recordId, status: r.status, fields: r.fields, suggestions: r.suggestions };
}

/**
 * Checks a 200 body against the records it answers: one result per record, in order, with
 * known statuses, fields and reasons.
 * @param body - the parsed JSON body
 * @param records - the records that were sent
 * @returns the results, or why the body is not a valid answer
 */
export function parseVerifyResponse(body: unknown, records: readonly VerifyRecord[]): { ok: true; results: VerifyResult[] } | { ok: false; reason: string } {
  if (!isObject(body) || !Array.isArray(body.results)) return { ok: false, reason: 'no `results` array' };
  const raw: unknown[] = body.results;
  if (raw.length !== records.length) return { ok: false, reason: `${raw.length} results for ${records.length} records` };
  const results: VerifyResult[] = new Array<VerifyResult>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    const expected = records[i]?.recordId;
    if (!isObject(r) || expected === undefined || r.record_id !== expected) return { ok: false, reason: `results[${i}] is not the result of record ${String(expected)}` };
    const { status, fields, suggestions } = r;
    if (typeof status !== 'string' || !STATUSES.has(status)) return { ok: false, reason: `results[${i}].status: unknown ${String(status)}` };
    if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string' && FIELDS.has(f))) return { ok: false, reason: `results[${i}].fields: unknown field` };
    if (!Array.isArray(suggestions)) return { ok: false, reason: `results[${i}].suggestions: not an array` };
    const outSuggestions: Suggestion[] = [];
    for (const s of suggestions as unknown[]) {
      if (!isObject(s) || typeof s.reason !== 'string' || !REASONS.has(s.reason) || !isObject(s.values)) {
        return { ok: false, reason: `results[${i}].suggestions: malformed suggestion` };
      }
      const values: Partial<Record<IdentityField, string>> = {};
      for (const [k, v] of Object.entries(s.values)) {
        if (!FIELDS.has(k) || typeof v !== 'string') return { ok: false, reason: `results[${i}].suggestions: bad value ${k}` };
        values[k as IdentityField] = v;
      }
      outSuggestions.push({ reason: s.reason as SuggestionReason, values });
    }
    results[i] = { recordId: expected, status: status as VerifyStatus, fields: fields as IdentityField[], suggestions: outSuggestions };
  }
  return { ok: true, results };
}

/**
 * Hex SHA-256 of the records in a canonical form (fixed field order, nulls kept): the same
 * records give the same hash whoever computes it. The client derives idempotency keys from it;
 * the service stores it to refuse a key reused for another batch.
 * @param records - the records
 */
export function recordsSha256(records: readonly VerifyRecord[]): string {
  const h = createHash('sha256');
  for (const r of records) h.update(JSON.stringify([r.recordId, r.idNumber, r.fullName, r.dob, r.sex])).update('\n');
  return h.digest('hex');
}
