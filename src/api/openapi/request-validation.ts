/**
 * Validates requests against their RouteSpec's JSON Schemas (ajv, draft 2020-12) and reports
 * EVERY failing field with its path (`body.documents[0].number`, `query.limit`, `path.id`), in
 * English and Vietnamese, as AppError BAD_REQUEST (400) with `issues` shaped like the
 * registry's field issues.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { AppError } from '../../errors/index.js';
import type { FieldIssue } from '../../registry/validate/index.js';
import type { JsonSchema, ParamSpec } from './route-spec.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ajvFormats.default;

// Bodies are taken as sent; path and query values are text and are coerced to their schema type.
const bodyAjv = addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }));
const paramAjv = addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, coerceTypes: true }));
const bodyValidators = new WeakMap<JsonSchema, ValidateFunction>();
const paramValidators = new WeakMap<object, ValidateFunction>();

/**
 * The compiled validator of a body schema (cached per schema object).
 * @param schema - JSON Schema
 */
export function bodyValidator(schema: JsonSchema): ValidateFunction {
  let v = bodyValidators.get(schema);
  if (!v) {
    v = bodyAjv.compile(schema);
    bodyValidators.set(schema, v);
  }
  return v;
}

/**
 * The compiled validator of a parameter set (an object schema built from the specs).
 * @param params - the parameters by name
 */
export function paramsValidator(params: Readonly<Record<string, ParamSpec>>, allRequired: boolean): ValidateFunction {
  let v = paramValidators.get(params);
  if (!v) {
    const required = Object.entries(params).filter(([, p]) => allRequired || p.required === true).map(([k]) => k);
    v = paramAjv.compile({ type: 'object', properties: Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.schema])), required, additionalProperties: true });
    paramValidators.set(params, v);
  }
  return v;
}

function pathOf(prefix: string, e: ErrorObject): string {
  let p = prefix;
  for (const seg of e.instancePath.split('/').slice(1)) {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    p += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  }
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required' && typeof params.missingProperty === 'string') p += `.${params.missingProperty}`;
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') p += `.${params.additionalProperty}`;
  return p;
}

function vietnamese(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'Thiếu trường bắt buộc';
    case 'additionalProperties':
      return 'Trường này không được phép';
    case 'type':
      return `Sai kiểu dữ liệu: phải là ${String(params.type)}`;
    case 'enum':
      return `Giá trị không hợp lệ; phải là một trong: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `Giá trị phải là ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
    case 'format':
      return 'Sai định dạng';
    case 'minLength':
      return `Phải có ít nhất ${String(params.limit)} ký tự`;
    case 'maxLength':
      return `Không được quá ${String(params.limit)} ký tự`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `Giá trị quá nhỏ (${e.message ?? ''})`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `Giá trị quá lớn (${e.message ?? ''})`;
    case 'minItems':
      return `Cần ít nhất ${String(params.limit)} phần tử`;
    case 'maxItems':
      return `Không được quá ${String(params.limit)} phần tử`;
    case 'minProperties':
      return 'Cần ít nhất một trường';
    default:
      return `Không hợp lệ (${e.keyword})`;
  }
}

/**
 * Field issues from ajv errors, one per failing field and keyword (`anyOf`/`oneOf` wrappers
 * dropped when a more precise error exists).
 * @param prefix - `body`, `query` or `path`
 * @param errors - ajv's errors
 */
export function issuesFromAjv(prefix: string, errors: readonly ErrorObject[]): FieldIssue[] {
  const precise = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const chosen = precise.length > 0 ? precise : errors;
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const e of chosen) {
    const field = pathOf(prefix, e);
    const key = `${field}|${e.keyword}|${e.message ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const en = e.keyword === 'required' ? 'is required' : e.keyword === 'additionalProperties' ? 'is not an allowed field' : (e.message ?? 'is invalid');
    out.push({ field, code: `SCHEMA_${e.keyword.toUpperCase()}`, severity: 'error', en, vi: vietnamese(e) });
  }
  return out;
}

/**
 * The 400 for request issues.
 * @param issues - at least one
 */
export function badRequest(issues: readonly FieldIssue[]): AppError {
  return new AppError('BAD_REQUEST', issues.map((i) => `${i.field} ${i.en}`).join('; '), 400, { issues: [...issues] });
}
