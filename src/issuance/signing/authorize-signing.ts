/**
 * Who may sign a facility's records: only the principals of its signing unit. In a province
 * that signs through a focal unit, that is the focal unit's own token or the province's token
 * (the facility itself may not); otherwise the facility's token. `admin` may always.
 */
import type { Kysely } from 'kysely';
import type { Principal } from '../../auth/index.js';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { getFacilityByCode, getProvinceSigning, signingUnitFor } from '../../registry/index.js';
import type { Facility } from '../../registry/index.js';

/**
 * Throws FORBIDDEN (403) unless `principal` may sign the records of `facilityCode`.
 * @param db - database
 * @param principal - the caller
 * @param facilityCode - the facility whose records are to be signed
 * @returns the facility and its signing unit
 * @throws AppError FACILITY_NOT_FOUND (404), FORBIDDEN (403) naming who may sign
 */
export async function authorizeSigning(db: Kysely<Database>, principal: Principal, facilityCode: string): Promise<{ facility: Facility; unit: Facility }> {
  const facility = await getFacilityByCode(db, facilityCode);
  const unit = await signingUnitFor(db, facility.id);
  const focal = (await getProvinceSigning(db, facility.provinceCode)).mode === 'focal_unit';
  const { role, scope } = principal;
  const allowed = role === 'admin' || (role === 'facility' && scope === unit.code) || (focal && role === 'province' && scope === facility.provinceCode);
  if (allowed) return { facility, unit };
  const who = focal ? `its focal unit ${unit.code} (facility token) or province ${facility.provinceCode} (province token)` : `facility ${facility.code} itself (facility token)`;
  const mine = role === 'facility' && scope === facility.code && unit.id !== facility.id;
  throw new AppError(
    'FORBIDDEN',
    mine
      ? `province ${facility.provinceCode} signs vaccination data through its focal unit ${unit.code}: facility ${facility.code} cannot sign its own records`
      : `the records of ${facility.code} are signed by ${who}; this token has role ${role}${scope === null ? '' : ` with scope ${scope}`}`,
    403,
    { signingUnit: unit.code, provinceCode: facility.provinceCode },
  );
}
