/**
 * Rows of `pki_key`, `pki_certificate` and `key_usage_daily` (migration 0002): plain functions
 * taking the database (or a transaction) first.
 */
import { sql } from 'kysely';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, PkiCertificateTable, PkiKeyTable } from '../../db/index.js';

export type PkiKeyRow = Selectable<PkiKeyTable>;
export type PkiCertificateRow = Selectable<PkiCertificateTable>;
type Db = Kysely<Database>;

/**
 * @param db - database or transaction
 * @param row - the key's location and public key (never the private key)
 */
export async function insertKey(db: Db, row: Insertable<PkiKeyTable>): Promise<void> {
  await db.insertInto('pki_key').values(row).execute();
}

/**
 * @param db - database or transaction
 * @param id - key id
 */
export async function findKey(db: Db, id: string): Promise<PkiKeyRow | undefined> {
  return db.selectFrom('pki_key').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Inserts a certificate and returns its id.
 * @param db - database or transaction
 * @param row - the certificate's row
 */
export async function insertCertificate(db: Db, row: Insertable<PkiCertificateTable>): Promise<number> {
  const r = await db.insertInto('pki_certificate').values(row).returning('id').executeTakeFirstOrThrow();
  return num(r.id);
}

/**
 * @param db - database or transaction
 * @param id - certificate id
 */
export async function findCertificate(db: Db, id: number): Promise<PkiCertificateRow | undefined> {
  const r = await db.selectFrom('pki_certificate').selectAll().where('id', '=', id).executeTakeFirst();
  return r && normalise(r);
}

/**
 * Certificates of some roles (and statuses), oldest first.
 * @param db - database or transaction
 * @param filter - roles and statuses; empty = all
 */
export async function findCertificates(db: Db, filter: { roles?: string[]; statuses?: string[] } = {}): Promise<PkiCertificateRow[]> {
  let q = db.selectFrom('pki_certificate').selectAll().orderBy('id');
  if (filter.roles?.length) q = q.where('role', 'in', filter.roles);
  if (filter.statuses?.length) q = q.where('status', 'in', filter.statuses);
  return (await q.execute()).map(normalise);
}

/**
 * The newest usable (active) certificate of a role.
 * @param db - database or transaction
 * @param role - e.g. `csca`
 */
export async function findActive(db: Db, role: string): Promise<PkiCertificateRow | undefined> {
  const r = await db.selectFrom('pki_certificate').selectAll().where('role', '=', role).where('status', '=', 'active').orderBy('id', 'desc').executeTakeFirst();
  return r && normalise(r);
}

/**
 * Sets a certificate's status (and revocation fields).
 * @param db - database or transaction
 * @param id - certificate id
 * @param status - `active`, `retired` or `revoked`
 * @param revoked - when and why, for `revoked`
 */
export async function setStatus(db: Db, id: number, status: string, revoked?: { at: string; reason: string }): Promise<void> {
  await db
    .updateTable('pki_certificate')
    .set({ status, ...(revoked ? { revoked_at: revoked.at, revoke_reason: revoked.reason } : {}) })
    .where('id', '=', id)
    .execute();
}

/**
 * Adds signature counts (upsert: a second flush of the same kid and day adds up).
 * @param db - database or transaction
 * @param rows - kid, UTC day, count
 */
export async function addKeyUsage(db: Db, rows: { kid: string; day: string; count: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('key_usage_daily')
    .values(rows)
    .onConflict((oc) => oc.columns(['kid', 'day']).doUpdateSet({ count: sql<number>`key_usage_daily.count + excluded.count` }))
    .execute();
}

/**
 * Signature counts per kid and day.
 * @param db - database or transaction
 * @param filter - kid, first and last day (`YYYY-MM-DD`, inclusive)
 */
export async function selectKeyUsage(db: Db, filter: { kid?: string; from?: string; to?: string } = {}): Promise<{ kid: string; day: string; count: number }[]> {
  let q = db.selectFrom('key_usage_daily').selectAll().orderBy('kid').orderBy('day');
  if (filter.kid) q = q.where('kid', '=', filter.kid);
  if (filter.from) q = q.where('day', '>=', filter.from);
  if (filter.to) q = q.where('day', '<=', filter.to);
  return (await q.execute()).map((r) => ({ ...r, count: num(r.count) }));
}

/** PostgreSQL returns bigint columns as strings, whatever the declared type says. */
const num = (v: unknown): number => Number(v);

function normalise(r: PkiCertificateRow): PkiCertificateRow {
  return { ...r, id: num(r.id), issuer_id: r.issuer_id === null ? null : num(r.issuer_id) };
}
