/**
 * Assembles the OpenAPI 3.1 document from the route sections the app mounts: paths from the
 * RouteSpecs, named schemas from each section, the bearer security scheme, and problem+json
 * error responses (400 for routes with a body or query, 401/403 for authenticated routes).
 */
import { VERSION } from '../../version.js';
import { PROBLEM_SCHEMAS } from './problem-schemas.js';
import { ref } from './route-spec.js';
import type { ApiSection, JsonSchema, ResponseSpec, RouteSpec } from './route-spec.js';

/** The OpenAPI document as plain JSON. */
export type OpenApiDocument = Readonly<Record<string, unknown>>;

const PROBLEM = 'application/problem+json';

function response(r: ResponseSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { description: r.description };
  if (r.schema) out.content = { [r.contentType ?? 'application/json']: { schema: r.schema } };
  if (r.headers) out.headers = r.headers;
  return out;
}

function problem(description: string, schema = 'Problem'): ResponseSpec {
  return { description, schema: ref(schema), contentType: PROBLEM };
}

function operation(spec: RouteSpec): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = [];
  for (const [name, p] of Object.entries(spec.pathParams ?? {})) {
    parameters.push({ name, in: 'path', required: true, schema: p.schema, ...(p.description ? { description: p.description } : {}) });
  }
  for (const [name, p] of Object.entries(spec.query ?? {})) {
    parameters.push({ name, in: 'query', required: p.required === true, schema: p.schema, ...(p.description ? { description: p.description } : {}) });
  }
  const responses: Record<string, ResponseSpec> = { ...spec.responses };
  if (spec.body || spec.query || spec.pathParams) responses['400'] ??= problem('The request does not match its schema: every failing field is listed in `issues` with its path', 'ValidationProblem');
  if (spec.auth) {
    responses['401'] ??= problem('Missing, unknown or revoked bearer token (UNAUTHENTICATED)');
    responses['403'] ??= problem(`The token's role or scope does not allow this (FORBIDDEN); roles: ${['admin', ...spec.auth.roles.filter((r) => r !== 'admin')].join(', ')}`);
  }
  const op: Record<string, unknown> = {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: spec.tags,
    ...(spec.description ? { description: spec.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)).map(([status, r]) => [status, response(r)])),
    security: spec.auth ? [{ bearer: [] }] : [],
  };
  if (spec.body) {
    op.requestBody =
      'schema' in spec.body
        ? { required: true, ...(spec.body.description ? { description: spec.body.description } : {}), content: { 'application/json': { schema: ref(spec.body.name) } } }
        : { required: true, ...(spec.body.description ? { description: spec.body.description } : {}), content: Object.fromEntries(Object.entries(spec.body.contentTypes).map(([t, schema]) => [t, { schema }])) };
  }
  return op;
}

/**
 * Builds the document.
 * @param sections - every mounted section (each route exactly once)
 * @throws Error when two specs claim the same method and path, or two schemas the same name differently
 */
export function buildOpenApiDocument(sections: readonly ApiSection[]): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = { ...PROBLEM_SCHEMAS };
  const tags = new Map<string, string>();
  const addSchema = (name: string, schema: JsonSchema): void => {
    const existing = schemas[name];
    if (existing !== undefined && existing !== schema && JSON.stringify(existing) !== JSON.stringify(schema)) throw new Error(`two different schemas named ${name}`);
    schemas[name] = schema;
  };
  for (const section of sections) {
    for (const t of section.tags ?? []) tags.set(t.name, t.description);
    for (const [name, schema] of Object.entries(section.schemas ?? {})) addSchema(name, schema);
    for (const spec of section.specs) {
      const item = (paths[spec.path] ??= {});
      if (item[spec.method] !== undefined) throw new Error(`${spec.method.toUpperCase()} ${spec.path} is described twice`);
      item[spec.method] = operation(spec);
      if (spec.body && 'schema' in spec.body) addSchema(spec.body.name, spec.body.schema);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'VaxPass API',
      version: VERSION,
      description:
        'VaxPass: Viet Nam\'s vaccination registry and EU DCC vaccine passports. Errors are RFC 9457 problem+json with a stable `code`; ' +
        'validation errors list every failing field in `issues` with English (`en`) and Vietnamese (`vi`) messages. ' +
        'Registry routes need `Authorization: Bearer vp_…` (an API token with a role and a scope, made with `vaxpass token create`).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    tags: [...tags].map(([name, description]) => ({ name, description })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'vp_ + base64url (API token)', description: 'An API token from `vaxpass token create`.' } },
    },
  };
}
