/** Dose rows (joined with their facility's code), mapped to domain types. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { Dose, DoseSource, DoseStatus } from './dose-types.js';

/**
 * A select of doses with their facility code, to refine with `where`.
 * @param db - database or transaction
 */
export function selectDoses(db: Kysely<Database>) {
  return db
    .selectFrom('dose as d')
    .innerJoin('facility as f', 'f.id', 'd.facility_id')
    .select([
      'd.id',
      'd.person_id',
      'd.facility_id',
      'f.code as facility_code',
      'd.product_id',
      'd.lot',
      'd.dose_date',
      'd.dose_number',
      'd.dose_kind',
      'd.vaccinator',
      'd.source',
      'd.status',
      'd.void_reason',
      'd.version',
      'd.created_by',
      'd.import_id',
      'd.created_at',
      'd.updated_at',
    ]);
}

type DoseRow = Awaited<ReturnType<ReturnType<typeof selectDoses>['executeTakeFirstOrThrow']>>;

/** Maps a row of {@link selectDoses}. */
export function toDose(r: DoseRow): Dose {
  return {
    id: r.id,
    personId: r.person_id,
    facilityId: r.facility_id,
    facilityCode: r.facility_code,
    productId: r.product_id,
    lot: r.lot,
    doseDate: r.dose_date,
    doseNumber: r.dose_number,
    doseKind: r.dose_kind === 'booster' ? 'booster' : 'primary',
    vaccinator: r.vaccinator,
    source: r.source as DoseSource,
    status: r.status as DoseStatus,
    voidReason: r.void_reason,
    version: r.version,
    createdBy: r.created_by,
    importId: r.import_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * The dose with `id`, if any.
 * @param db - database or transaction
 * @param id - dose id
 */
export async function findDose(db: Kysely<Database>, id: number): Promise<Dose | undefined> {
  const r = await selectDoses(db).where('d.id', '=', id).executeTakeFirst();
  return r ? toDose(r) : undefined;
}

/**
 * A person's active doses in date order.
 * @param db - database or transaction
 * @param personId - person id
 */
export async function activeDosesOf(db: Kysely<Database>, personId: number): Promise<Dose[]> {
  const rows = await selectDoses(db).where('d.person_id', '=', personId).where('d.status', '=', 'active').orderBy('d.dose_date').orderBy('d.id').execute();
  return rows.map(toDose);
}
