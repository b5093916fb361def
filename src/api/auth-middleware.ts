/**
 * Bearer-token authentication for the API: `Authorization: Bearer vp_…` resolves to a
 * {@link Principal} stored in the request context (`c.get('principal')`). Missing or invalid
 * tokens get 401 UNAUTHENTICATED; a principal without the needed role gets 403 FORBIDDEN naming
 * the roles that would pass. Scope checks (which facility, which province) depend on the target
 * and are made by handlers with `authorize()` from src/auth.
 *
 * Usage on a route: `app.post('/x', authenticate(db), requireRole('admin', 'ministry'), handler)`,
 * or declare `auth: { roles }` in its RouteSpec and mount it with `mountRoute`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import { resolveToken } from '../auth/index.js';
import type { Principal, Role } from '../auth/index.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';

/** Hono environment of authenticated routes. */
export interface AuthEnv {
  Variables: { principal: Principal };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Middleware resolving the bearer token; 401 problem+json when missing, unknown or revoked.
 * @param db - database holding `api_token`
 */
export function authenticate(db: Kysely<Database>): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const m = header === undefined ? null : BEARER.exec(header);
    const secret = m?.[1];
    if (secret === undefined) throw unauthenticated(c, header === undefined ? 'send "Authorization: Bearer vp_…"' : 'the Authorization header must be "Bearer vp_…"');
    const principal = await resolveToken(db, secret);
    if (!principal) throw unauthenticated(c, 'the bearer token is unknown or revoked');
    c.set('principal', principal);
    await next();
  };
}

function unauthenticated(c: Context, detail: string): AppError {
  c.header('www-authenticate', 'Bearer realm="vaxpass"');
  return new AppError('UNAUTHENTICATED', detail, 401);
}

/**
 * Middleware requiring one of `roles` (after {@link authenticate}); `admin` always passes.
 * @param roles - allowed roles
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const p = principalOf(c);
    if (p.role !== 'admin' && !roles.includes(p.role)) {
      const allowed = [...new Set<Role>(['admin', ...roles])];
      throw new AppError('FORBIDDEN', `this operation needs role ${allowed.join(' or ')}; this token has role ${p.role}`, 403, { requiredRoles: allowed });
    }
    await next();
  };
}

/**
 * The authenticated principal of a request.
 * @param c - the request context (after {@link authenticate})
 * @throws AppError UNAUTHENTICATED when the route was mounted without authentication
 */
export function principalOf(c: Context<AuthEnv>): Principal {
  const p = c.get('principal') as Principal | undefined;
  if (!p) throw new AppError('UNAUTHENTICATED', 'this route requires a bearer token', 401);
  return p;
}
