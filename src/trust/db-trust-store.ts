/**
 * The combined trust store the verifier uses: our own DSCs (`pki_certificate`, role `dsc`:
 * active and retired ones verify, revoked ones answer HC1_DSC_REVOKED) plus the foreign DSCs
 * imported from trust lists (`trusted_dsc`, active or revoked), held in memory keyed by kid and
 * reloaded from the database on demand. Keys are filed under the kid stored in the row (the
 * importer checks it is the certificate's); several keys under one kid are all kept and tried.
 */
import { X509Certificate } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { MemoryTrustStore, trustedKeyFromCertificate } from '../hcert/index.js';
import type { TrustStore, TrustedKey } from '../hcert/index.js';

/** A row the store could not use (bad DER…), reported rather than thrown. */
export interface TrustLoadProblem {
  readonly table: 'pki_certificate' | 'trusted_dsc';
  readonly id: number;
  readonly reason: string;
}

/** Options of {@link loadDbTrustStore}. */
export interface DbTrustStoreOptions {
  /** Keys trusted besides the database's (e.g. `./data/trust` files); kept across reloads. */
  extra?: Iterable<TrustedKey>;
}

/** A {@link TrustStore} over the database's DSCs, in memory; call {@link DbTrustStore.reload} after changes. */
export class DbTrustStore implements TrustStore {
  private mem = new MemoryTrustStore();
  private readonly extra: readonly TrustedKey[];
  private fingerprint = '';
  private checkedAt = 0;
  /** Rows skipped by the last load. */
  problems: readonly TrustLoadProblem[] = [];
  /** How many keys came from each source in the last load. */
  counts = { ours: 0, foreign: 0, extra: 0 };

  /**
   * @param db - the database to read
   * @param options - extra keys
   */
  constructor(
    private readonly db: Kysely<Database>,
    options: DbTrustStoreOptions = {},
  ) {
    this.extra = [...(options.extra ?? [])];
  }

  findByKid(kid: Uint8Array): readonly TrustedKey[] {
    return this.mem.findByKid(kid);
  }

  /** Every trusted key. */
  all(): TrustedKey[] {
    return this.mem.all();
  }

  /** Reads every DSC again and swaps the in-memory store at once (readers never see half a load). */
  async reload(): Promise<this> {
    const fingerprint = await trustFingerprint(this.db);
    const problems: TrustLoadProblem[] = [];
    const next = new MemoryTrustStore(this.extra);
    const ours = await this.db
      .selectFrom('pki_certificate')
      .select(['id', 'kid', 'country', 'der', 'status', 'revoked_at', 'revoke_reason'])
      .where('role', '=', 'dsc')
      .where('status', 'in', ['active', 'retired', 'revoked'])
      .orderBy('id')
      .execute();
    let nOurs = 0;
    for (const r of ours) {
      const revoked = r.status === 'revoked' ? { at: new Date(r.revoked_at ?? 0), reason: r.revoke_reason ?? 'revoked' } : undefined;
      if (add(next, problems, 'pki_certificate', r, revoked)) nOurs++;
    }
    const foreign = await this.db
      .selectFrom('trusted_dsc')
      .select(['id', 'kid', 'country', 'der', 'status', 'imported_at'])
      .where('status', 'in', ['active', 'revoked'])
      .orderBy('id')
      .execute();
    const revocations = await foreignRevocations(this.db, foreign.filter((r) => r.status === 'revoked').map((r) => r.id));
    let nForeign = 0;
    for (const r of foreign) {
      const revoked = r.status === 'revoked' ? (revocations.get(r.id) ?? { at: new Date(r.imported_at), reason: 'revoked' }) : undefined;
      if (add(next, problems, 'trusted_dsc', r, revoked)) nForeign++;
    }
    this.mem = next;
    this.problems = problems;
    this.counts = { ours: nOurs, foreign: nForeign, extra: this.extra.length };
    this.fingerprint = fingerprint;
    this.checkedAt = Date.now();
    return this;
  }

  /**
   * Reloads when the DSC tables changed since the last load, checking at most every `maxAgeMs`
   * (one cheap aggregate query). For servers: call it before answering a verification.
   * @param maxAgeMs - how stale the store may be (default 10 s)
   * @returns true when it reloaded
   */
  async reloadIfChanged(maxAgeMs = 10_000): Promise<boolean> {
    if (Date.now() - this.checkedAt < maxAgeMs) return false;
    this.checkedAt = Date.now();
    if ((await trustFingerprint(this.db)) === this.fingerprint) return false;
    await this.reload();
    return true;
  }
}

/**
 * Opens the combined trust store, loaded.
 * @param db - the database
 * @param options - extra keys (files) to trust as well
 */
export async function loadDbTrustStore(db: Kysely<Database>, options: DbTrustStoreOptions = {}): Promise<DbTrustStore> {
  return new DbTrustStore(db, options).reload();
}

/**
 * A short string that changes whenever a DSC is added, removed, revoked or un-revoked.
 * @param db - the database
 */
export async function trustFingerprint(db: Kysely<Database>): Promise<string> {
  const ours = await db
    .selectFrom('pki_certificate')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('maxId'), eb.fn.max('revoked_at').as('lastRevoked')])
    .where('role', '=', 'dsc')
    .executeTakeFirstOrThrow();
  const revokedOurs = await countWhere(db, 'pki_certificate', 'revoked');
  const foreign = await db
    .selectFrom('trusted_dsc')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('maxId')])
    .executeTakeFirstOrThrow();
  const revokedForeign = await countWhere(db, 'trusted_dsc', 'revoked');
  return [ours.n, ours.maxId, ours.lastRevoked, revokedOurs, foreign.n, foreign.maxId, revokedForeign].map((v) => String(v ?? '-')).join('/');
}

async function countWhere(db: Kysely<Database>, table: 'pki_certificate' | 'trusted_dsc', status: string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return r.n;
}

function add(
  store: MemoryTrustStore,
  problems: TrustLoadProblem[],
  table: TrustLoadProblem['table'],
  r: { id: number; kid: string; country: string; der: string },
  revoked: TrustedKey['revoked'],
): boolean {
  try {
    const cert = new X509Certificate(Buffer.from(r.der, 'base64'));
    store.add(trustedKeyFromCertificate(cert, { kid: Buffer.from(r.kid, 'base64'), country: r.country, ...(revoked ? { revoked } : {}) }));
    return true;
  } catch (e) {
    problems.push({ table, id: r.id, reason: `unreadable certificate: ${(e as Error).message}` });
    return false;
  }
}

/** The latest `revoke` audit row (time and reason) of each revoked foreign DSC. */
async function foreignRevocations(db: Kysely<Database>, ids: number[]): Promise<Map<number, { at: Date; reason: string }>> {
  const out = new Map<number, { at: Date; reason: string }>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'at', 'after_json'])
    .where('entity', '=', 'trusted_dsc')
    .where('action', '=', 'revoke')
    .where('entity_id', 'in', ids.map(String))
    .orderBy('id')
    .execute();
  for (const r of rows) {
    let reason = 'revoked';
    try {
      const after = JSON.parse(r.after_json ?? '{}') as { reason?: unknown };
      if (typeof after.reason === 'string') reason = after.reason;
    } catch {
      // keep the generic reason
    }
    out.set(Number(r.entity_id), { at: new Date(r.at), reason });
  }
  return out;
}
