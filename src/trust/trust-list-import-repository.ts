/**
 * Reading and changing imported foreign trust: the CSCAs and DSCs in `trusted_csca` /
 * `trusted_dsc`. Changes are audited in the same transaction.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import type { Database } from '../db/index.js';

/** An imported CSCA or DSC, without its DER. */
export interface ImportedCertificate {
  readonly id: number;
  readonly type: 'CSCA' | 'DSC';
  readonly country: string;
  readonly subject: string;
  readonly thumbprint: string;
  /** DSCs only. */
  readonly kid?: string;
  /** DSCs only: `active` or `revoked`. */
  readonly status?: string;
  /** DSCs only: the CSCA it chains to. */
  readonly cscaId?: number | null;
  readonly source: string;
  readonly importedAt: string;
}

/**
 * Every imported CSCA then DSC, by country.
 * @param db - database
 */
export async function listImportedTrust(db: Kysely<Database>): Promise<ImportedCertificate[]> {
  const cscas = await db.selectFrom('trusted_csca').select(['id', 'country', 'subject', 'thumbprint', 'source', 'imported_at']).orderBy('country').orderBy('id').execute();
  const dscs = await db
    .selectFrom('trusted_dsc')
    .select(['id', 'country', 'subject', 'thumbprint', 'kid', 'status', 'csca_id', 'source', 'imported_at'])
    .orderBy('country')
    .orderBy('id')
    .execute();
  return [
    ...cscas.map((r) => ({ id: r.id, type: 'CSCA' as const, country: r.country, subject: r.subject, thumbprint: r.thumbprint, source: r.source, importedAt: r.imported_at })),
    ...dscs.map((r) => ({
      id: r.id,
      type: 'DSC' as const,
      country: r.country,
      subject: r.subject,
      thumbprint: r.thumbprint,
      kid: r.kid,
      status: r.status,
      cscaId: r.csca_id,
      source: r.source,
      importedAt: r.imported_at,
    })),
  ];
}

/**
 * Marks an imported DSC revoked (its country withdrew it). The verifier then answers
 * `HC1_DSC_REVOKED` for certificates it signed; the reason and time are kept in `audit_log`
 * (0002 has no such columns on `trusted_dsc`) and read back by the trust store.
 * @param db - database
 * @param change - the DSC's hex thumbprint, the reason, who does it
 * @throws AppError `TRUSTED_DSC_NOT_FOUND` (404)
 */
export async function revokeTrustedDsc(db: Kysely<Database>, change: { thumbprint: string; reason: string; actor: string; at?: Date }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('trusted_dsc').select(['id', 'status']).where('thumbprint', '=', change.thumbprint.toLowerCase()).executeTakeFirst();
    if (!row) throw new AppError('TRUSTED_DSC_NOT_FOUND', `no imported DSC has thumbprint ${change.thumbprint}`, 404);
    await trx.updateTable('trusted_dsc').set({ status: 'revoked' }).where('id', '=', row.id).execute();
    await trx
      .insertInto('audit_log')
      .values({
        at: (change.at ?? new Date()).toISOString(),
        actor: change.actor,
        action: 'revoke',
        entity: 'trusted_dsc',
        entity_id: String(row.id),
        before_json: JSON.stringify({ status: row.status }),
        after_json: JSON.stringify({ status: 'revoked', reason: change.reason }),
      })
      .execute();
  });
}
