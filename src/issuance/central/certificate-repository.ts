/**
 * Rows of `certificate`, `certificate_qr` and `issuance_outbox` (migration 0009): plain functions
 * taking the database (or a transaction) first.
 *
 * Storing a batch is one transaction: previous active certificates are superseded, the new ones
 * inserted with ON CONFLICT DO NOTHING (the two unique indexes turn a duplicate — a concurrent
 * run, a resumed batch — into a no-op instead of a second certificate), renewal notifications
 * enqueued and signature counts added. Revocations of corrected identities are only *marked*
 * there (`revoked_reason` set, `revoked_at` null) and completed after commit by
 * {@link completePendingRevocations}, which a resumed run calls again: nothing is lost to a crash.
 * Certificates of people no longer eligible take the same path: {@link withdrawCertificates}
 * marks them `revoked` with the reason (out of service at once, audited), the completion puts
 * them on the revocation list.
 */
import { sql } from 'kysely';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { CertificateTable, Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { enqueueNotification } from '../../notify/index.js';
import { writeAudit } from '../../registry/index.js';
import { loadDbTrustStore, revokeCertificate } from '../../trust/index.js';
import type { TrustStore } from '../../hcert/index.js';
import type { Withdrawal } from './load-candidates.js';

type Db = Kysely<Database>;
export type CertificateRow = Selectable<CertificateTable>;

/** One signed certificate ready to be stored. */
export interface StoreItem {
  readonly personId: number;
  readonly personVersion: number;
  readonly phone: string | null;
  readonly doseId: number;
  readonly dataVersion: string;
  readonly renewal: number;
  readonly previousId: number | null;
  readonly revokePrevious: boolean;
  readonly isRenewal: boolean;
  readonly uvci: string;
  readonly hc1: string;
  readonly payloadSha256: string;
}

/** What every item of a batch shares. */
export interface StoreContext {
  /** base64 kid and algorithm of the DSC. */
  readonly kid: string;
  readonly alg: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
  /** Why: `batch`, `outbox:<reason>`, `renewal`, `api`. */
  readonly reason: string;
  readonly actor: string;
}

/** What happened to one item. */
export interface StoreResult {
  readonly personId: number;
  /** The new certificate's id; null when another run had stored it already (idempotent no-op). */
  readonly certificateId: number | null;
  readonly uvci: string;
}

const CHUNK = 200;
const num = (v: unknown): number => Number(v);
const iso = (sec: number): string => new Date(sec * 1000).toISOString();

/**
 * Stores a batch of signed certificates (see the module comment).
 * @param db - database (not a transaction: this opens one)
 * @param items - signed certificates
 * @param ctx - DSC, times, reason, actor
 */
export async function storeCertificates(db: Db, items: readonly StoreItem[], ctx: StoreContext): Promise<StoreResult[]> {
  if (items.length === 0) return [];
  // Measured (20k people, ES256, SQLite): a raw better-sqlite3 prepared INSERT per row instead
  // of Kysely's 200-row INSERTs made no difference within noise (634–676 µs CPU/certificate
  // either way): storing is ~5 % of the CPU, so the portable path stays.
  return db.transaction().execute(async (trx) => {
    const revoking = items.filter((i) => i.previousId !== null && i.revokePrevious).map((i) => i.previousId as number);
    const superseding = items.filter((i) => i.previousId !== null && !i.revokePrevious).map((i) => i.previousId as number);
    if (revoking.length > 0) await trx.updateTable('certificate').set({ status: 'superseded', revoked_reason: 'correction' }).where('id', 'in', revoking).where('status', '=', 'active').execute();
    if (superseding.length > 0) await trx.updateTable('certificate').set({ status: 'superseded' }).where('id', 'in', superseding).where('status', '=', 'active').execute();

    const inserted = new Map<string, number>();
    for (let i = 0; i < items.length; i += CHUNK) {
      const rows: Insertable<CertificateTable>[] = items.slice(i, i + CHUNK).map((it) => ({
        uvci: it.uvci,
        person_id: it.personId,
        person_version: it.personVersion,
        dose_id: it.doseId,
        data_version: it.dataVersion,
        renewal: it.renewal,
        payload_sha256: it.payloadSha256,
        kid: ctx.kid,
        alg: ctx.alg,
        iat: iso(ctx.iat),
        exp: iso(ctx.exp),
        status: 'active',
        hc1: it.hc1,
        superseded_by: null,
        revoked_reason: null,
        revoked_at: null,
        reason: it.isRenewal ? 'renewal' : ctx.reason,
        actor: ctx.actor,
      }));
      const got = await trx.insertInto('certificate').values(rows).onConflict((oc) => oc.doNothing()).returning(['id', 'uvci']).execute();
      for (const r of got) inserted.set(r.uvci, num(r.id));
    }

    const restore: number[] = [];
    for (const it of items) {
      const id = inserted.get(it.uvci);
      if (it.previousId === null) continue;
      if (id === undefined) restore.push(it.previousId);
      else await trx.updateTable('certificate').set({ superseded_by: id }).where('id', '=', it.previousId).execute();
    }
    // A previous certificate whose successor was not stored (another run got there first and
    // its own successor is active, or nothing is): active again unless the person has another.
    if (restore.length > 0) {
      await trx
        .updateTable('certificate')
        .set({ status: 'active', revoked_reason: null })
        .where('id', 'in', restore)
        // Only what this batch superseded: never one withdrawn meanwhile (revoked, maybe listed).
        .where('status', '=', 'superseded')
        .where('superseded_by', 'is', null)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('certificate as c2').select('c2.id').where('c2.status', '=', 'active').whereRef('c2.person_id', '=', 'certificate.person_id'))))
        .execute();
    }

    for (const it of items) {
      if (!it.isRenewal || !inserted.has(it.uvci)) continue;
      await enqueueNotification(trx, {
        channel: it.phone ? 'sms' : 'console',
        recipient: it.phone ?? `person:${it.personId}`,
        template: 'certificate.renewed',
        payload: { personId: it.personId, uvci: it.uvci, expiresAt: iso(ctx.exp) },
      });
    }

    await trx
      .insertInto('key_usage_daily')
      .values({ kid: ctx.kid, day: iso(ctx.iat).slice(0, 10), count: items.length })
      .onConflict((oc) => oc.columns(['kid', 'day']).doUpdateSet({ count: sql<number>`key_usage_daily.count + excluded.count` }))
      .execute();

    return items.map((it) => ({ personId: it.personId, certificateId: inserted.get(it.uvci) ?? null, uvci: it.uvci }));
  });
}

/** What {@link withdrawCertificates} took out of service. */
export interface WithdrawnCertificate extends Withdrawal {
  readonly uvci: string;
}

/**
 * Takes active certificates of people no longer eligible out of service, in one transaction:
 * each becomes `revoked` with its reason (list entry pending, `revoked_at` null) and gets an
 * `audit_log` row; {@link completePendingRevocations} then puts it on the revocation list.
 * Only a certificate still `active` is touched, so a second run (or a concurrent one) is a no-op.
 * @param db - database (not a transaction: this opens one)
 * @param items - the certificates and why
 * @param actor - who (recorded in the audit row)
 * @returns those actually withdrawn now
 */
export async function withdrawCertificates(db: Db, items: readonly Withdrawal[], actor: string): Promise<WithdrawnCertificate[]> {
  if (items.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const done: WithdrawnCertificate[] = [];
    for (const it of items) {
      const row = await trx
        .updateTable('certificate')
        .set({ status: 'revoked', revoked_reason: it.reason, revoked_at: null })
        .where('id', '=', it.certificateId)
        .where('status', '=', 'active')
        .returning(['uvci', 'data_version'])
        .executeTakeFirst();
      if (!row) continue;
      await writeAudit(trx, { actor, action: 'withdraw', entity: 'certificate', entityId: row.uvci, before: { status: 'active', personId: it.personId, dataVersion: row.data_version }, after: { status: 'revoked' }, reason: it.reason });
      done.push({ ...it, uvci: row.uvci });
    }
    return done;
  });
}

/** What {@link completePendingRevocations} put on the revocation list. */
export interface CompletedRevocations {
  /** Superseded after an identity correction (list reason `correction`). */
  readonly corrected: number;
  /** Withdrawn because the person is no longer eligible (list reason `withdrawn`). */
  readonly withdrawn: number;
}

/**
 * The certificates marked for revocation whose list entry is still due (migration 0010 gives
 * this predicate a partial index, so the check costs nothing when none are pending).
 * @param db - database
 */
export function pendingRevocationsQuery(db: Db) {
  return db.selectFrom('certificate').select(['id', 'hc1', 'revoked_reason']).where('revoked_reason', 'is not', null).where('revoked_at', 'is', null).where('status', '!=', 'active');
}

/**
 * Completes revocations marked by {@link storeCertificates} (identity corrections) and
 * {@link withdrawCertificates} (eligibility lost): each certificate goes on the revocation list
 * (all three EU hash types, from its HC1, with the list's audit row) and becomes `revoked`
 * with its `revoked_at`.
 * @param db - database
 * @param opts - actor, trust store (default: the database's), clock
 * @returns how many were revoked, by kind
 */
export async function completePendingRevocations(db: Db, opts: { actor: string; trust?: TrustStore; now?: Date }): Promise<CompletedRevocations> {
  const pending = await pendingRevocationsQuery(db).orderBy('id').execute();
  if (pending.length === 0) return { corrected: 0, withdrawn: 0 };
  // Read once for the lot (revokeCertificate would read it per certificate).
  const trust = opts.trust ?? (await loadDbTrustStore(db));
  let corrected = 0;
  for (const p of pending) {
    const correction = p.revoked_reason === 'correction';
    await revokeCertificate(db, { hc1: p.hc1, reason: correction ? 'correction' : 'withdrawn', actor: opts.actor }, { trust });
    await db.updateTable('certificate').set({ status: 'revoked', revoked_at: (opts.now ?? new Date()).toISOString() }).where('id', '=', num(p.id)).where('revoked_at', 'is', null).execute();
    if (correction) corrected++;
  }
  return { corrected, withdrawn: pending.length - corrected };
}

/**
 * A person's active certificate.
 * @param db - database
 * @param personId - the person
 */
export async function findActiveCertificate(db: Db, personId: number): Promise<CertificateRow | undefined> {
  const r = await db.selectFrom('certificate').selectAll().where('person_id', '=', personId).where('status', '=', 'active').executeTakeFirst();
  return r && normalise(r);
}

/**
 * A certificate by UVCI.
 * @param db - database
 * @param uvci - `URN:UVCI:01:VN:…`
 */
export async function findCertificateByUvci(db: Db, uvci: string): Promise<CertificateRow | undefined> {
  const r = await db.selectFrom('certificate').selectAll().where('uvci', '=', uvci).executeTakeFirst();
  return r && normalise(r);
}

/**
 * A person's certificates, newest first.
 * @param db - database
 * @param personId - the person
 */
export async function certificatesOfPerson(db: Db, personId: number): Promise<CertificateRow[]> {
  return (await db.selectFrom('certificate').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').execute()).map(normalise);
}

/**
 * Marks a certificate revoked (after `revokeCertificate` put it on the list).
 * @param db - database
 * @param id - certificate id
 * @param reason - revocation reason
 * @param at - when
 * @throws AppError CERTIFICATE_NOT_FOUND (404)
 */
export async function markRevoked(db: Db, id: number, reason: string, at: Date): Promise<void> {
  const r = await db.updateTable('certificate').set({ status: 'revoked', revoked_reason: reason, revoked_at: at.toISOString() }).where('id', '=', id).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new AppError('CERTIFICATE_NOT_FOUND', `no certificate ${id}`, 404);
}

/**
 * A cached QR image.
 * @param db - database
 * @param certificateId - certificate
 * @param format - `png` or `svg`
 */
export async function findQr(db: Db, certificateId: number, format: string): Promise<string | undefined> {
  const r = await db.selectFrom('certificate_qr').select('body').where('certificate_id', '=', certificateId).where('format', '=', format).executeTakeFirst();
  return r?.body;
}

/**
 * Caches a QR image (a concurrent first request may have stored it already: kept).
 * @param db - database
 * @param certificateId - certificate
 * @param format - `png` or `svg`
 * @param body - PNG base64 or SVG text
 */
export async function saveQr(db: Db, certificateId: number, format: string, body: string): Promise<void> {
  await db.insertInto('certificate_qr').values({ certificate_id: certificateId, format, body }).onConflict((oc) => oc.columns(['certificate_id', 'format']).doNothing()).execute();
}

function normalise(r: CertificateRow): CertificateRow {
  return { ...r, id: num(r.id), person_id: num(r.person_id), dose_id: num(r.dose_id), superseded_by: r.superseded_by === null ? null : num(r.superseded_by) };
}
