/**
 * Which people a verification run (or a funnel) covers, as SQL conditions on a person id.
 * By facility: people with an active dose it recorded. By province: people living there
 * (`person.province_code`) or with an active dose recorded by one of its facilities, so a
 * province's run also covers residents vaccinated elsewhere and visitors vaccinated there.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { getFacilityByCode } from '../../registry/index.js';
import { findProvince } from '../../registry/reference/index.js';
import type { VerificationScope } from './verification-types.js';

/** A scope checked against the database: the facility's id instead of its code. */
export interface ResolvedScope {
  readonly facilityId: number | null;
  readonly facilityCode: string | null;
  readonly provinceCode: string | null;
}

/**
 * Checks a scope: the facility must exist, the province must be a known code.
 * @param db - database
 * @param scope - facility and/or province codes
 * @throws AppError FACILITY_NOT_FOUND (404), PROVINCE_NOT_FOUND (404)
 */
export async function resolveScope(db: Kysely<Database>, scope: VerificationScope): Promise<ResolvedScope> {
  const provinceCode = scope.provinceCode ?? null;
  if (provinceCode !== null && findProvince(provinceCode) === undefined) {
    throw new AppError('PROVINCE_NOT_FOUND', `no province with code ${provinceCode}`, 404, { provinceCode });
  }
  if (scope.facilityCode === undefined) return { facilityId: null, facilityCode: null, provinceCode };
  const f = await getFacilityByCode(db, scope.facilityCode);
  return { facilityId: f.id, facilityCode: f.code, provinceCode };
}

/**
 * The condition "the person `personId` is in the scope", or null when the scope is everyone.
 * Written as correlated EXISTS so a keyset walk over the queue (claims) probes the dose index per
 * row instead of rebuilding the scope's id set for every batch.
 * @param scope - resolved scope
 * @param personId - SQL reference to the person id column, e.g. `q.person_id`
 */
export function scopeCondition(scope: ResolvedScope, personId: string): RawBuilder<boolean> | null {
  const id = sql.ref(personId);
  const parts: RawBuilder<boolean>[] = [];
  if (scope.facilityId !== null) {
    parts.push(sql<boolean>`exists (select 1 from dose sd where sd.person_id = ${id} and sd.facility_id = ${scope.facilityId} and sd.status = 'active')`);
  }
  if (scope.provinceCode !== null) {
    parts.push(
      sql<boolean>`(exists (select 1 from person sp where sp.id = ${id} and sp.province_code = ${scope.provinceCode}) or exists (select 1 from dose sd join facility sf on sf.id = sd.facility_id where sd.person_id = ${id} and sd.status = 'active' and sf.province_code = ${scope.provinceCode}))`,
    );
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] ?? null) : sql<boolean>`(${sql.join(parts, sql` and `)})`;
}
