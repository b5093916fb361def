/**
 * Revoking certificates (EU DCC revocation design): a revocation is stored as truncated SHA-256
 * hashes under the kid of the DSC that signed the certificate, in `revocation_entry`: from an HC1
 * all three hash types (UCI, COUNTRYCODEUCI, SIGNATURE), from a UVCI the two UCI ones. Each call
 * writes its `audit_log` row in the same transaction. Verifiers get the list as JSON (full or a
 * delta since a time) and check offline with `RevocationList`.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { decodeCwt, fromHc1, parseCose, revocationHashes, verifyHc1 } from '../hcert/index.js';
import type { RevocationHashType, RevocationHashes, TrustStore } from '../hcert/index.js';
import { loadDbTrustStore } from './db-trust-store.js';

/** Reasons a certificate may be revoked for. */
export const REVOCATION_REASONS = ['correction', 'fraud', 'superseded', 'key_compromise', 'withdrawn', 'other'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** The hash types in the order lists show them. */
export const REVOCATION_HASH_TYPES: readonly RevocationHashType[] = ['UCI', 'COUNTRYCODEUCI', 'SIGNATURE'];

/** What to revoke: a whole HC1, or a UVCI signed under a kid. */
export type RevokeRequest = { reason: RevocationReason; actor: string } & (
  | { hc1: string }
  | {
      uvci: string;
      /** base64 kid of the DSC that signed it. */
      kid: string;
      /** Country of the `co` field (default: the UVCI's own, `URN:UVCI:01:VN:…`). */
      country?: string;
      /** The certificate's expiry, when known: the entry can be dropped after it. */
      expiresAt?: Date;
    }
);

/** The result of one revocation. */
export interface RevokeOutcome {
  readonly kid: string;
  readonly reason: RevocationReason;
  readonly expiresAt: string | null;
  /** One per hash type; `created: false` when it was already revoked. */
  readonly entries: readonly { hashType: RevocationHashType; hash: string; created: boolean }[];
}

/** Options of {@link revokeCertificate}. */
export interface RevokeOptions {
  /** Where the HC1's signer and a UVCI's kid are looked up (default: the database's). */
  trust?: TrustStore;
}

/**
 * Revokes a certificate. An HC1 must carry a signature that verifies with a trusted DSC (else
 * anyone could revoke a victim's UCI by forging a certificate around it); expired ones may be
 * revoked. A UVCI's kid must be a trusted DSC's.
 * @param db - database
 * @param request - the HC1, or UVCI + kid; reason and actor
 * @param options - trust store
 * @throws AppError `BAD_REQUEST` (400), `REVOKE_BAD_HC1` (400), `REVOKE_UNVERIFIED` (422), `REVOKE_KID_UNKNOWN` (422)
 */
export async function revokeCertificate(db: Kysely<Database>, request: RevokeRequest, options: RevokeOptions = {}): Promise<RevokeOutcome> {
  if (!(REVOCATION_REASONS as readonly string[]).includes(request.reason)) {
    throw new AppError('BAD_REQUEST', `reason must be one of ${REVOCATION_REASONS.join(', ')} (got "${request.reason}")`, 400, { field: 'reason' });
  }
  if (!request.actor) throw new AppError('BAD_REQUEST', 'actor is required', 400, { field: 'actor' });
  const trust = options.trust ?? (await loadDbTrustStore(db));
  const target = 'hc1' in request ? fromHc1Request(request.hc1, trust) : fromUvciRequest(request, trust);
  const expiresAt = target.expiresAt?.toISOString() ?? null;
  const kid = Buffer.from(target.kid).toString('base64');
  return db.transaction().execute(async (trx) => {
    const entries: { hashType: RevocationHashType; hash: string; created: boolean }[] = [];
    for (const hashType of REVOCATION_HASH_TYPES) {
      const h = target.hashes[hashType];
      if (!h) continue;
      const hash = h.toString('base64');
      const r = await trx
        .insertInto('revocation_entry')
        .values({ kid, hash_type: hashType, hash, reason: request.reason, actor: request.actor, expires_at: expiresAt })
        .onConflict((oc) => oc.columns(['hash_type', 'hash']).doNothing())
        .returning('id')
        .executeTakeFirst();
      entries.push({ hashType, hash, created: r !== undefined });
    }
    await trx
      .insertInto('audit_log')
      .values({
        actor: request.actor,
        action: 'revoke',
        entity: 'certificate',
        entity_id: `${kid}:${entries[0]?.hash ?? ''}`,
        before_json: null,
        after_json: JSON.stringify({ kid, by: 'hc1' in request ? 'hc1' : 'uvci', reason: request.reason, expiresAt, entries }),
      })
      .execute();
    return { kid, reason: request.reason, expiresAt, entries };
  });
}

interface Target {
  kid: Uint8Array;
  hashes: RevocationHashes;
  expiresAt?: Date;
}

function fromHc1Request(hc1: string, trust: TrustStore): Target {
  let target: Target;
  try {
    const cose = parseCose(fromHc1(hc1).cose);
    const cwt = decodeCwt(cose.payload);
    if (!cose.kid) throw new Error('no kid in the COSE headers');
    target = { kid: cose.kid, hashes: revocationHashes(cose, cwt.dcc), ...(cwt.exp !== undefined ? { expiresAt: new Date(cwt.exp * 1000) } : {}) };
  } catch (e) {
    throw new AppError('REVOKE_BAD_HC1', `not a readable HC1 certificate: ${(e as Error).message}`, 400, { field: 'hc1' });
  }
  const v = verifyHc1(hc1, { trust, schema: false, valueSets: false });
  if (!v.signatureVerified) throw new AppError('REVOKE_UNVERIFIED', `the certificate's signature is not from a trusted DSC (${v.code ?? '?'}: ${v.message})`, 422, { field: 'hc1' });
  return target;
}

function fromUvciRequest(r: Extract<RevokeRequest, { uvci: string }>, trust: TrustStore): Target {
  const uvci = typeof r.uvci === 'string' ? r.uvci.trim() : '';
  if (uvci === '' || /\s/.test(uvci) || uvci.length > 80) throw new AppError('BAD_REQUEST', 'uvci must be a certificate identifier (no spaces, at most 80 characters)', 400, { field: 'uvci' });
  const kid = typeof r.kid === 'string' && /^[A-Za-z0-9+/]{11}=$/.test(r.kid) ? Buffer.from(r.kid, 'base64') : undefined;
  if (!kid || kid.length !== 8) throw new AppError('BAD_REQUEST', 'kid must be the base64 of 8 bytes (12 characters)', 400, { field: 'kid' });
  if (trust.findByKid(kid).length === 0) throw new AppError('REVOKE_KID_UNKNOWN', `no trusted DSC has kid ${r.kid}`, 422, { field: 'kid' });
  const country = r.country ?? /^URN:UVCI:\d\d:([A-Z]{2}):/i.exec(uvci)?.[1];
  if (!country || !/^[A-Z]{2}$/i.test(country)) throw new AppError('BAD_REQUEST', 'country is required when the UVCI does not name one (URN:UVCI:01:XX:…)', 400, { field: 'country' });
  // As revocationHashes() derives them from a payload with ci = uvci and co = country.
  const co = country.toUpperCase();
  const hashes: RevocationHashes = { UCI: sha256x16(uvci), COUNTRYCODEUCI: sha256x16(co + uvci) };
  return { kid, hashes, ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}) };
}

function sha256x16(s: string): Buffer {
  return createHash('sha256').update(s).digest().subarray(0, 16);
}

/** The revocation list as the API publishes it. */
export interface RevocationListJson {
  /** When the list was made (ISO-8601); pass it as `since` next time for a delta. */
  generatedAt: string;
  /** The `since` asked for, or null for the full list. */
  since: string | null;
  /** One group per kid and hash type, sorted by kid then type. */
  kids: { kid: string; hashType: RevocationHashType; hashes: string[]; reasons?: string[] }[];
}

/** Options of {@link listRevocations}. */
export interface ListRevocationsOptions {
  /** Only entries created at or after this time (minus {@link ListRevocationsOptions.overlapMs}). */
  since?: Date;
  /** Clock: entries expired by then are left out (default now). */
  now?: Date;
  /**
   * How far before `since` to look again (default 60 s), so an entry whose transaction committed
   * just after the previous list was made is not missed; merging the repeats is harmless.
   */
  overlapMs?: number;
  /** Include each hash's reason (default true). */
  reasons?: boolean;
}

/**
 * The revocation list (or a delta) from the database.
 * @param db - database
 * @param options - since, clock, overlap
 */
export async function listRevocations(db: Kysely<Database>, options: ListRevocationsOptions = {}): Promise<RevocationListJson> {
  const now = options.now ?? new Date();
  let q = db
    .selectFrom('revocation_entry')
    .select(['kid', 'hash_type', 'hash', 'reason'])
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]));
  if (options.since) q = q.where('created_at', '>=', new Date(options.since.getTime() - (options.overlapMs ?? 60_000)).toISOString());
  const rows = await q.orderBy('kid').orderBy('hash_type').orderBy('id').execute();
  const groups = new Map<string, RevocationListJson['kids'][number]>();
  for (const r of rows) {
    const key = `${r.kid} ${r.hash_type}`;
    let g = groups.get(key);
    if (!g) {
      g = { kid: r.kid, hashType: r.hash_type as RevocationHashType, hashes: [], ...(options.reasons === false ? {} : { reasons: [] }) };
      groups.set(key, g);
    }
    g.hashes.push(r.hash);
    g.reasons?.push(r.reason);
  }
  return { generatedAt: now.toISOString(), since: options.since?.toISOString() ?? null, kids: [...groups.values()] };
}
