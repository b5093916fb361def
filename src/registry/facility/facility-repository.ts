/** Facility and province-signing rows, mapped to domain types. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, FacilityTable } from '../../db/index.js';
import type { Facility, FacilityType } from './facility-types.js';

/** Maps a `facility` row. */
export function toFacility(row: Selectable<FacilityTable>): Facility {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    provinceCode: row.province_code,
    districtCode: row.district_code,
    type: row.type as FacilityType,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The facility with `code`, if any.
 * @param db - database or transaction
 * @param code - facility code
 */
export async function findFacilityByCode(db: Kysely<Database>, code: string): Promise<Facility | undefined> {
  const row = await db.selectFrom('facility').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toFacility(row) : undefined;
}

/**
 * The facility with `id`, if any.
 * @param db - database or transaction
 * @param id - facility id
 */
export async function findFacilityById(db: Kysely<Database>, id: number): Promise<Facility | undefined> {
  const row = await db.selectFrom('facility').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toFacility(row) : undefined;
}
