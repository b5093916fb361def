/**
 * One route, described once: the same object mounts it (auth, request validation) and documents
 * it in the OpenAPI document, so the two cannot drift apart. Route files export their specs and
 * mount them with `mountRoute`; `buildOpenApiDocument` assembles the document from all sections.
 */
import type { Role } from '../../auth/index.js';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A path or query parameter. */
export interface ParamSpec {
  readonly schema: JsonSchema;
  readonly description?: string;
  /** Query parameters only; path parameters are always required. */
  readonly required?: boolean;
}

/** One response. */
export interface ResponseSpec {
  readonly description: string;
  /** Body schema (inline or `ref('Name')`); none for an empty body. */
  readonly schema?: JsonSchema;
  /** Default `application/json`; error responses are `application/problem+json`. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema: JsonSchema }>>;
}

/** A JSON request body, validated at the edge and named in `components.schemas`. */
export interface JsonBodySpec {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly description?: string;
}

/** A request body the handler reads itself (several media types; documented, not validated). */
export interface RawBodySpec {
  readonly contentTypes: Readonly<Record<string, JsonSchema>>;
  readonly description?: string;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Full path in OpenAPI template form: `/api/v1/people/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** Bearer token with one of these roles (admin always passes); absent = public. */
  readonly auth?: { readonly roles: readonly Role[] };
  readonly pathParams?: Readonly<Record<string, ParamSpec>>;
  readonly query?: Readonly<Record<string, ParamSpec>>;
  readonly body?: JsonBodySpec | RawBodySpec;
  /** By status (`'200'`); 400/401/403 are added from `body`/`query`/`auth`. */
  readonly responses: Readonly<Record<string, ResponseSpec>>;
}

/** A group of routes with the named schemas their responses refer to. */
export interface ApiSection {
  readonly tags?: readonly { readonly name: string; readonly description: string }[];
  readonly specs: readonly RouteSpec[];
  readonly schemas?: Readonly<Record<string, JsonSchema>>;
}

/**
 * A reference to a named schema of `components.schemas`.
 * @param name - the schema's name
 */
export function ref(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * The Hono form of an OpenAPI path: `/people/{id}` → `/people/:id`.
 * @param path - OpenAPI template path
 */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * The OpenAPI form of a Hono path: `/people/:id` → `/people/{id}`.
 * @param path - Hono path
 */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
