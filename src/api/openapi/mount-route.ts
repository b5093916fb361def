/**
 * Mounts a RouteSpec on a Hono app: authentication and role check from `auth`, then path, query
 * and JSON body validation from the spec's schemas (all failing fields in one 400), then the
 * handler with the validated input.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors/index.js';
import type { FieldIssue } from '../../registry/validate/index.js';
import { requireRole } from '../auth-middleware.js';
import type { AuthEnv } from '../auth-middleware.js';
import { badRequest, bodyValidator, issuesFromAjv, paramsValidator } from './request-validation.js';
import { honoPath } from './route-spec.js';
import type { RouteSpec } from './route-spec.js';

/** Largest JSON body a spec'd route reads. */
export const MAX_JSON_BODY = 1024 * 1024;

/** What a handler receives after validation. */
export interface RouteInput {
  /** The JSON body, valid against the spec's schema (undefined without a JSON body spec). */
  readonly body: unknown;
  /** Query values, coerced to their schema types; absent ones are missing. */
  readonly query: Readonly<Record<string, unknown>>;
  /** Path values, coerced to their schema types. */
  readonly params: Readonly<Record<string, unknown>>;
}

export type RouteHandler = (c: Context<AuthEnv>, input: RouteInput) => Response | Promise<Response>;

/** What {@link mountRoute} needs for authenticated specs. */
export interface MountOptions {
  /** `authenticate(db)` from ../auth-middleware.js; required when a spec has `auth`. */
  readonly authenticate?: MiddlewareHandler<AuthEnv>;
}

/**
 * Registers `spec` on `app` with `handler`.
 * @param app - the router
 * @param spec - the route's description
 * @param handler - answers with the validated input
 * @param options - the authentication middleware
 * @throws Error when the spec needs authentication and none was given (a wiring mistake)
 */
export function mountRoute(app: Hono<AuthEnv>, spec: RouteSpec, handler: RouteHandler, options: MountOptions = {}): void {
  const chain: MiddlewareHandler<AuthEnv>[] = [];
  if (spec.auth) {
    if (!options.authenticate) throw new Error(`${spec.method.toUpperCase()} ${spec.path} needs authentication: pass options.authenticate`);
    chain.push(options.authenticate, requireRole(...spec.auth.roles));
  }
  if (spec.body && 'schema' in spec.body) {
    chain.push(bodyLimit({ maxSize: MAX_JSON_BODY, onError: () => {
      throw new AppError('BODY_TOO_LARGE', `request body above ${MAX_JSON_BODY} bytes`, 413);
    } }));
  }
  const final = async (c: Context<AuthEnv>): Promise<Response> => handler(c, await readInput(c, spec));
  app.on([spec.method.toUpperCase()], [honoPath(spec.path)], ...chain, final);
}

async function readInput(c: Context<AuthEnv>, spec: RouteSpec): Promise<RouteInput> {
  const issues: FieldIssue[] = [];
  const params: Record<string, unknown> = { ...c.req.param() };
  if (spec.pathParams) {
    const v = paramsValidator(spec.pathParams, true);
    if (!v(params)) issues.push(...issuesFromAjv('path', v.errors ?? []));
  }
  const query: Record<string, unknown> = { ...c.req.query() };
  if (spec.query) {
    const v = paramsValidator(spec.query, false);
    if (!v(query)) issues.push(...issuesFromAjv('query', v.errors ?? []));
  }
  let body: unknown;
  if (spec.body && 'schema' in spec.body) {
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'application/json') throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send application/json (got "${type || 'none'}")`, 415);
    try {
      body = await c.req.json();
    } catch {
      throw new AppError('BAD_REQUEST', 'body is not valid JSON', 400);
    }
    const v = bodyValidator(spec.body.schema);
    if (!v(body)) issues.push(...issuesFromAjv('body', v.errors ?? []));
  }
  if (issues.length > 0) throw badRequest(issues);
  return { body, query, params };
}
