/**
 * Certificate revocation over HTTP (EU DCC revocation design, see src/trust/revocation.ts):
 *
 * - `GET /trust/revocation[?since=ISO-TIME]` — the list, grouped per kid and hash type:
 *   `{ generatedAt, since, kids: [{ kid, hashType, hashes: [base64…], reasons: […] }] }`. With
 *   `since` only what was added since then (pass the previous `generatedAt`); answers carry an
 *   ETag and honour `If-None-Match` (304).
 * - `POST /trust/revocation` — `{ "hc1": "HC1:…", "reason": … }` or
 *   `{ "uvci": "URN:UVCI:…", "kid": "<base64>", "country"?: "VN", "expiresAt"?: ISO, "reason": … }`;
 *   201 with the stored entries (200 when it was already revoked).
 *
 * POST needs a bearer token of role `admin` or `ministry` (see ../auth); the token is the actor
 * in the audit trail.
 */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { actorOf } from '../auth/index.js';
import { AppError, toProblem } from '../errors/index.js';
import type { TrustStore } from '../hcert/index.js';
import { REVOCATION_REASONS, listRevocations, revokeCertificate } from '../trust/revocation.js';
import type { RevocationReason, RevokeRequest } from '../trust/revocation.js';
import { authenticate, principalOf, requireRole } from './auth-middleware.js';
import type { AuthEnv } from './auth-middleware.js';

/** Options of {@link revocationRoutes}. */
export interface RevocationRoutesOptions {
  /** The trust store revocations are checked against (default: loaded from `db` per request). */
  trust?: () => TrustStore | Promise<TrustStore>;
  /** Called after a revocation was stored (e.g. to refresh the app's revocation list). */
  onChange?: () => void | Promise<void>;
  /** Clock (tests). */
  now?: () => Date;
}

/**
 * The revocation router; mount with `app.route('/', revocationRoutes(db))`.
 * @param db - database
 * @param options - trust store, change hook, clock
 */
export function revocationRoutes(db: Kysely<Database>, options: RevocationRoutesOptions = {}): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.onError((err, c) => problem(c, err));

  app.get('/trust/revocation', async (c) => {
    const sinceRaw = c.req.query('since');
    let since: Date | undefined;
    if (sinceRaw !== undefined) {
      since = new Date(sinceRaw);
      if (Number.isNaN(since.getTime())) throw new AppError('BAD_REQUEST', `"since" is not an ISO 8601 time: ${sinceRaw}`, 400, { field: 'since' });
    }
    const list = await listRevocations(db, { ...(since ? { since } : {}), ...(options.now ? { now: options.now() } : {}) });
    // The ETag covers the content, not generatedAt: an unchanged list revalidates as 304.
    const etag = `"${createHash('sha256').update(JSON.stringify([list.since, list.kids])).digest('base64url').slice(0, 22)}"`;
    c.header('etag', etag);
    c.header('cache-control', 'no-cache');
    if ((c.req.header('if-none-match') ?? '').split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return c.body(null, 304);
    return c.json(list);
  });

  app.post('/trust/revocation', authenticate(db), requireRole('ministry'), async (c) => {
    const request = await readRevokeRequest(c, actorOf(principalOf(c)));
    const trust = options.trust ? await options.trust() : undefined;
    const outcome = await revokeCertificate(db, request, trust ? { trust } : {});
    if (options.onChange) await options.onChange();
    return c.json(outcome, outcome.entries.some((e) => e.created) ? 201 : 200);
  });

  return app;
}

async function readRevokeRequest(c: Context, actor: string): Promise<RevokeRequest> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('BAD_REQUEST', 'body is not valid JSON', 400);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('BAD_REQUEST', 'body must be a JSON object', 400);
  const b = body as Record<string, unknown>;
  const problems: { field: string; message: string }[] = [];
  const str = (field: string, required: boolean): string | undefined => {
    const v = b[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '') problems.push({ field, message: `"${field}" must be a non-empty string` });
    return typeof v === 'string' ? v : undefined;
  };
  const reason = str('reason', true);
  if (reason !== undefined && !(REVOCATION_REASONS as readonly string[]).includes(reason)) {
    problems.push({ field: 'reason', message: `"reason" must be one of ${REVOCATION_REASONS.join(', ')}` });
  }
  const hc1 = b.hc1 !== undefined ? str('hc1', true) : undefined;
  let target: { hc1: string } | { uvci: string; kid: string; country?: string; expiresAt?: Date } | undefined;
  if (hc1 !== undefined) target = { hc1 };
  else if (b.uvci !== undefined || b.kid !== undefined) {
    const uvci = str('uvci', true);
    const kid = str('kid', true);
    const country = str('country', false);
    const expires = str('expiresAt', false);
    const expiresAt = expires === undefined ? undefined : new Date(expires);
    if (expiresAt && Number.isNaN(expiresAt.getTime())) problems.push({ field: 'expiresAt', message: '"expiresAt" must be an ISO 8601 time' });
    if (uvci !== undefined && kid !== undefined) target = { uvci, kid, ...(country ? { country } : {}), ...(expiresAt ? { expiresAt } : {}) };
  } else problems.push({ field: 'hc1', message: 'give "hc1", or "uvci" and "kid"' });
  if (problems.length > 0 || !target || reason === undefined) {
    throw new AppError('BAD_REQUEST', problems.map((p) => p.message).join('; '), 400, { problems });
  }
  return { ...target, reason: reason as RevocationReason, actor };
}

function problem(c: Context, err: unknown): Response {
  const p = toProblem(err);
  if (p.status >= 500) console.error(err);
  return c.body(JSON.stringify(p), p.status as 500, { 'content-type': 'application/problem+json' });
}
