/**
 * API bearer tokens. The secret (`vp_` + 32 random bytes, base64url) is shown once at creation;
 * only its SHA-256 is stored, so a database leak reveals no usable token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { findDistrict, findProvince } from '../registry/reference/index.js';
import { isRole, ROLES } from './principal.js';
import type { Principal, Role } from './principal.js';

/** Prefix of every secret (lets secret scanners and humans recognise one). */
export const TOKEN_PREFIX = 'vp_';

/** A token as listed (never with its secret). */
export interface ApiToken {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly scope: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** What {@link createToken} takes. */
export interface NewToken {
  readonly name: string;
  readonly role: string;
  /** Facility code for `facility`, province code for `province`/`police` (police: or `province/district`, e.g. `79/760`); omit for national roles. */
  readonly scope?: string | null | undefined;
}

function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

async function checkScope(db: Kysely<Database>, role: Role, scope: string | null): Promise<void> {
  const bad = (msg: string): AppError => new AppError('VALIDATION', msg, 422, { field: 'scope' });
  switch (role) {
    case 'facility': {
      if (scope === null) throw bad('role facility needs --scope FACILITY_CODE');
      const f = await db.selectFrom('facility').select('id').where('code', '=', scope).executeTakeFirst();
      if (!f) throw bad(`scope: no facility with code ${scope}`);
      return;
    }
    case 'province':
    case 'police': {
      if (scope === null) throw bad(`role ${role} needs --scope PROVINCE_CODE`);
      // Police may be scoped to one district of the province: `79/760`.
      const [province = '', district] = role === 'police' ? scope.split('/', 2) : [scope];
      if (!findProvince(province)) throw bad(`scope: no province with code ${province}`);
      if (district !== undefined && findDistrict(district)?.provinceCode !== province) throw bad(`scope: no district ${district} in province ${province}`);
      return;
    }
    case 'admin':
    case 'ministry':
      if (scope !== null) throw bad(`role ${role} is national and takes no scope`);
      return;
    case 'partner':
      return;
  }
}

/**
 * Creates a token and returns its secret, which is not stored and cannot be shown again.
 * @param db - database
 * @param input - name, role and scope
 * @param actor - who creates it (audit; default `system`)
 * @throws AppError VALIDATION (422) for an unknown role, a missing or wrong scope
 */
export async function createToken(db: Kysely<Database>, input: NewToken, actor = 'system'): Promise<{ token: ApiToken; secret: string }> {
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new AppError('VALIDATION', 'token name must be 1-100 characters', 422, { field: 'name' });
  if (!isRole(input.role)) throw new AppError('VALIDATION', `unknown role "${input.role}"; expected one of ${ROLES.join(', ')}`, 422, { field: 'role' });
  const role = input.role;
  const scope = input.scope?.trim() || null;
  await checkScope(db, role, scope);
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('api_token').values({ token_sha256: sha256(secret), name, role, scope }).returningAll().executeTakeFirstOrThrow();
    const token = toToken(row);
    await trx.insertInto('audit_log').values({ actor, action: 'create', entity: 'api_token', entity_id: String(token.id), before_json: null, after_json: JSON.stringify(token) }).execute();
    return { token, secret };
  });
}

function toToken(row: { id: number; name: string; role: string; scope: string | null; created_at: string; revoked_at: string | null }): ApiToken {
  return { id: row.id, name: row.name, role: row.role as Role, scope: row.scope, createdAt: row.created_at, revokedAt: row.revoked_at };
}

/**
 * The principal of a secret, or null when it is unknown, malformed or revoked.
 * @param db - database
 * @param secret - the bearer token as sent
 */
export async function resolveToken(db: Kysely<Database>, secret: string): Promise<Principal | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const row = await db
    .selectFrom('api_token')
    .select(['id', 'name', 'role', 'scope'])
    .where('token_sha256', '=', sha256(secret))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || !isRole(row.role)) return null;
  return { tokenId: row.id, name: row.name, role: row.role, scope: row.scope };
}

/**
 * Revokes a token (idempotent: revoking twice keeps the first time).
 * @param db - database
 * @param id - token id
 * @param actor - who revokes it (audit; default `system`)
 * @throws AppError TOKEN_NOT_FOUND (404)
 */
export async function revokeToken(db: Kysely<Database>, id: number, actor = 'system'): Promise<ApiToken> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('TOKEN_NOT_FOUND', `no token with id ${id}`, 404, { id });
    if (row.revoked_at !== null) return toToken(row);
    const after = await trx.updateTable('api_token').set({ revoked_at: new Date().toISOString() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('audit_log').values({ actor, action: 'revoke', entity: 'api_token', entity_id: String(id), before_json: JSON.stringify(toToken(row)), after_json: JSON.stringify(toToken(after)) }).execute();
    return toToken(after);
  });
}

/**
 * All tokens, oldest first (without secrets).
 * @param db - database
 */
export async function listTokens(db: Kysely<Database>): Promise<ApiToken[]> {
  return (await db.selectFrom('api_token').selectAll().orderBy('id').execute()).map(toToken);
}
