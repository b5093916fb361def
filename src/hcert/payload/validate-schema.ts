/**
 * Structural validation of an EU DCC payload against the official JSON schema (eu-dcc-schema),
 * choosing the release named by the payload's `ver`. Returns every failing field with its JSON
 * Pointer path (RFC 6901, e.g. `/v/0/dn`); never throws for invalid input.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { getSchemaValidator, selectSchemaRelease } from './schema-validators.js';

/** One failing field. `path` is a JSON Pointer into the payload; `''` is the payload itself. */
export interface SchemaError {
  path: string;
  message: string;
}

/** Outcome of {@link validateSchema}. */
export interface SchemaValidationResult {
  ok: boolean;
  errors: SchemaError[];
  /** The schema release the payload was checked against (see selectSchemaRelease). */
  schemaVersion: string;
}

const GROUPS = ['v', 't', 'r'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** An ajv error as a path + message; a missing property is reported at its own path. */
function plain(e: ErrorObject): SchemaError {
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
    return { path: `${e.instancePath}/${pointerSegment(missing)}`, message: 'is required' };
  }
  return { path: e.instancePath, message: e.message ?? `fails ${e.keyword}` };
}

/**
 * Explains a failed oneOf/anyOf whose branches only list required properties (the DCC schema's
 * "exactly one of v, t, r" and "at least one of fnt, gnt"). ajv reports one `required` error per
 * branch, which reads as if every group were missing; this reduces them to what is actually wrong.
 * Returns undefined for other shapes, which are then reported as ajv gives them.
 */
function explainCombinator(e: ErrorObject): SchemaError[] | undefined {
  const branches: unknown = e.schema;
  if (!Array.isArray(branches)) return undefined;
  const lists: string[][] = [];
  for (const b of branches) {
    if (!isRecord(b) || Object.keys(b).some((k) => k !== 'required') || !Array.isArray(b.required)) return undefined;
    lists.push(b.required.map(String));
  }
  // Not an object: `required` holds trivially in every branch, and the `type` error says it all.
  const data = e.data;
  if (!isRecord(data)) return [];
  const common = (lists[0] ?? []).filter((p) => lists.every((l) => l.includes(p)));
  const alternatives = [...new Set(lists.flat())].filter((p) => !common.includes(p));
  const out: SchemaError[] = common
    .filter((p) => !(p in data))
    .map((p) => ({ path: `${e.instancePath}/${pointerSegment(p)}`, message: 'is required' }));
  const present = alternatives.filter((p) => p in data);
  const exactlyOne = e.keyword === 'oneOf';
  if (exactlyOne ? present.length !== 1 : present.length === 0) {
    const found = present.length > 1 ? ` (found ${present.join(', ')})` : '';
    out.push({
      path: e.instancePath,
      message: `must have ${exactlyOne ? 'exactly one' : 'at least one'} of: ${alternatives.join(', ')}${found}`,
    });
  }
  return out;
}

/** Turns ajv's raw error list into one entry per failing field. */
function toSchemaErrors(raw: readonly ErrorObject[]): SchemaError[] {
  const out: SchemaError[] = [];
  const consumed = new Set<ErrorObject>();
  const explained = new Map<ErrorObject, SchemaError[]>();
  for (const e of raw) {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
    const reduced = explainCombinator(e);
    if (!reduced) continue;
    explained.set(e, reduced);
    for (const child of raw) if (child.schemaPath.startsWith(`${e.schemaPath}/`)) consumed.add(child);
  }
  for (const e of raw) {
    if (consumed.has(e)) continue;
    out.push(...(explained.get(e) ?? [plain(e)]));
  }
  return out;
}

/**
 * A DCC carries exactly one certificate (one of v, t, r). Schema releases before 1.3.0 did not say
 * so, but the regulation did and the dgc-testdata vector common/DGC2 ("adheres to schema but contains
 * multiple certificates") expects a failure, so the rule is applied to every release.
 */
function groupCountErrors(payload: unknown): SchemaError[] {
  if (!isRecord(payload)) return [];
  const present = GROUPS.filter((g) => g in payload);
  if (present.length === 1) return [];
  const found = present.length > 1 ? ` (found ${present.join(', ')})` : '';
  return [{ path: '', message: `must have exactly one of: ${GROUPS.join(', ')}${found}` }];
}

/**
 * Validates a DCC payload against the schema release named in its `ver` (closest known release,
 * latest for unknown versions), reporting every failing field.
 * @param payload - the decoded HCERT payload (claim -260 / 1), of any shape
 * @returns `ok`, the failing fields sorted by path, and the release used
 */
export function validateSchema(payload: unknown): SchemaValidationResult {
  const schemaVersion = selectSchemaRelease(isRecord(payload) ? payload.ver : undefined);
  const validate = getSchemaValidator(schemaVersion);
  const valid = validate(payload);
  const errors = valid ? [] : toSchemaErrors(validate.errors ?? []);
  errors.push(...groupCountErrors(payload));
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = `${e.path}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Stable sort: deterministic output for API responses and tests; order within a path is ajv's.
  unique.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: unique.length === 0, errors: unique, schemaVersion };
}
