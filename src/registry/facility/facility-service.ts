/**
 * Facilities (create, read, list, update) and the per-province choice of who signs vaccination
 * data: each facility itself, or the province's focal unit (its Sở Y tế or CDC). Every change
 * writes its `audit_log` row in the same transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { findDistrict, findProvince } from '../reference/index.js';
import type { FieldIssue } from '../validate/index.js';
import { customIssue, isUniqueViolation, throwIfIssues, writeAudit } from '../common/index.js';
import { findFacilityByCode, findFacilityById, toFacility } from './facility-repository.js';
import { FACILITY_TYPES, FOCAL_UNIT_TYPES, SIGNING_MODES } from './facility-types.js';
import type { Facility, FacilityPatch, FacilityType, NewFacility, ProvinceSigning, ProvinceSigningInput, SigningMode } from './facility-types.js';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

function isFacilityType(t: string): t is FacilityType {
  return (FACILITY_TYPES as readonly string[]).includes(t);
}

function checkName(name: string | undefined, issues: FieldIssue[]): string {
  const n = (name ?? '').trim().replace(/\s+/g, ' ');
  if (n === '' || n.length > 200) issues.push(customIssue('name', 'FACILITY_NAME_INVALID', 'Name must be 1-200 characters', 'Tên cơ sở phải có từ 1 đến 200 ký tự'));
  return n;
}

function checkType(type: string, issues: FieldIssue[]): FacilityType {
  if (isFacilityType(type)) return type;
  issues.push(customIssue('type', 'FACILITY_TYPE_UNKNOWN', `Unknown facility type "${type}"; expected one of ${FACILITY_TYPES.join(', ')}`, `Loại cơ sở "${type}" không hợp lệ; phải là một trong ${FACILITY_TYPES.join(', ')}`));
  return 'health_station';
}

function checkDistrict(districtCode: string | null, provinceCode: string, issues: FieldIssue[]): void {
  if (districtCode === null) return;
  const d = findDistrict(districtCode);
  if (!d) issues.push(customIssue('district_code', 'DISTRICT_UNKNOWN', `District code "${districtCode}" does not exist`, `Mã quận/huyện "${districtCode}" không tồn tại`));
  else if (d.provinceCode !== provinceCode) {
    issues.push(customIssue('district_code', 'DISTRICT_NOT_IN_PROVINCE', `District "${districtCode}" (${d.name}) is not in province ${provinceCode}`, `Quận/huyện "${districtCode}" (${d.name}) không thuộc tỉnh/thành phố ${provinceCode}`));
  }
}

function provinceIssue(code: string): FieldIssue {
  return customIssue('province_code', 'PROVINCE_UNKNOWN', `Province code "${code}" does not exist (2-digit GSO code, e.g. 01 for Hà Nội)`, `Mã tỉnh/thành phố "${code}" không tồn tại (mã 2 chữ số của Tổng cục Thống kê, ví dụ 01 là Hà Nội)`);
}

/**
 * Adds a facility.
 * @param db - database
 * @param input - code, name, province, optional district and type (default `health_station`)
 * @param actor - who adds it (audit)
 * @throws AppError VALIDATION (422) listing every bad field; FACILITY_EXISTS (409)
 */
export async function addFacility(db: Kysely<Database>, input: NewFacility, actor: string): Promise<Facility> {
  const issues: FieldIssue[] = [];
  const code = input.code.trim();
  if (!CODE.test(code)) issues.push(customIssue('code', 'FACILITY_CODE_INVALID', `Facility code "${code}" must be 1-40 letters, digits, ".", "_" or "-"`, `Mã cơ sở "${code}" phải gồm 1-40 chữ cái, chữ số, ".", "_" hoặc "-"`));
  const name = checkName(input.name, issues);
  const provinceCode = input.provinceCode.trim();
  if (!findProvince(provinceCode)) issues.push(provinceIssue(provinceCode));
  const districtCode = input.districtCode?.trim() || null;
  checkDistrict(districtCode, provinceCode, issues);
  const type = checkType(input.type ?? 'health_station', issues);
  throwIfIssues(issues);

  const exists = (): AppError => new AppError('FACILITY_EXISTS', `facility ${code} already exists`, 409, { facilityCode: code });
  return db.transaction().execute(async (trx) => {
    if (await findFacilityByCode(trx, code)) throw exists();
    const row = await trx
      .insertInto('facility')
      .values({ code, name, province_code: provinceCode, district_code: districtCode, type })
      .returningAll()
      .executeTakeFirstOrThrow();
    const facility = toFacility(row);
    await writeAudit(trx, { actor, action: 'create', entity: 'facility', entityId: facility.id, before: null, after: facility });
    return facility;
  }).catch((e: unknown) => {
    throw isUniqueViolation(e) ? exists() : e;
  });
}

/**
 * The facility with `code`.
 * @param db - database
 * @param code - facility code
 * @throws AppError FACILITY_NOT_FOUND (404)
 */
export async function getFacilityByCode(db: Kysely<Database>, code: string): Promise<Facility> {
  const f = await findFacilityByCode(db, code);
  if (!f) throw new AppError('FACILITY_NOT_FOUND', `no facility with code ${code}`, 404, { facilityCode: code });
  return f;
}

/**
 * Facilities in code order, optionally of one province.
 * @param db - database
 * @param filter - `provinceCode` to keep one province
 */
export async function listFacilities(db: Kysely<Database>, filter: { provinceCode?: string | undefined } = {}): Promise<Facility[]> {
  let q = db.selectFrom('facility').selectAll().orderBy('code');
  if (filter.provinceCode !== undefined) q = q.where('province_code', '=', filter.provinceCode);
  return (await q.execute()).map(toFacility);
}

/**
 * Changes a facility's name, district, type or active flag. A facility serving as its
 * province's focal unit cannot lose that role by a type change or deactivation.
 * @param db - database
 * @param code - facility code
 * @param patch - fields to change
 * @param actor - who changes it (audit)
 * @throws AppError FACILITY_NOT_FOUND (404), VALIDATION (422), FACILITY_IS_FOCAL_UNIT (409)
 */
export async function updateFacility(db: Kysely<Database>, code: string, patch: FacilityPatch, actor: string): Promise<Facility> {
  return db.transaction().execute(async (trx) => {
    const before = await getFacilityByCode(trx, code);
    const issues: FieldIssue[] = [];
    const name = patch.name === undefined ? before.name : checkName(patch.name, issues);
    const districtCode = patch.districtCode === undefined ? before.districtCode : patch.districtCode?.trim() || null;
    if (patch.districtCode !== undefined) checkDistrict(districtCode, before.provinceCode, issues);
    const type = patch.type === undefined ? before.type : checkType(patch.type, issues);
    const active = patch.active ?? before.active;
    throwIfIssues(issues);
    if (!FOCAL_UNIT_TYPES.includes(type) || !active) {
      const signing = await trx.selectFrom('province_signing').select('province_code').where('focal_facility_id', '=', before.id).where('mode', '=', 'focal_unit').executeTakeFirst();
      if (signing) {
        throw new AppError('FACILITY_IS_FOCAL_UNIT', `facility ${code} signs for province ${signing.province_code}; choose another focal unit first`, 409, { facilityCode: code, provinceCode: signing.province_code });
      }
    }
    const row = await trx
      .updateTable('facility')
      .set({ name, district_code: districtCode, type, active: active ? 1 : 0, updated_at: new Date().toISOString() })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toFacility(row);
    await writeAudit(trx, { actor, action: 'update', entity: 'facility', entityId: after.id, before, after });
    return after;
  });
}

/**
 * A province's signing configuration; `facility` mode when never configured.
 * @param db - database
 * @param provinceCode - 2-digit province code
 * @throws AppError PROVINCE_UNKNOWN (404)
 */
export async function getProvinceSigning(db: Kysely<Database>, provinceCode: string): Promise<ProvinceSigning> {
  if (!findProvince(provinceCode)) throw new AppError('PROVINCE_UNKNOWN', `no province with code ${provinceCode}`, 404, { provinceCode });
  const row = await db
    .selectFrom('province_signing as s')
    .leftJoin('facility as f', 'f.id', 's.focal_facility_id')
    .select(['s.mode', 's.updated_at', 's.updated_by', 'f.code'])
    .where('s.province_code', '=', provinceCode)
    .executeTakeFirst();
  if (!row) return { provinceCode, mode: 'facility', focalFacilityCode: null, updatedAt: null, updatedBy: null };
  return { provinceCode, mode: row.mode as SigningMode, focalFacilityCode: row.code, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/**
 * Chooses who signs a province's data: each facility (`facility`), or one focal unit
 * (`focal_unit`: an active facility of that province of type `so_y_te` or `cdc`).
 * @param db - database
 * @param provinceCode - 2-digit province code
 * @param input - mode and, for `focal_unit`, the focal facility's code
 * @param actor - who changes it (audit)
 * @throws AppError PROVINCE_UNKNOWN (404), VALIDATION (422) naming the bad field
 */
export async function setProvinceSigning(db: Kysely<Database>, provinceCode: string, input: ProvinceSigningInput, actor: string): Promise<ProvinceSigning> {
  if (!findProvince(provinceCode)) throw new AppError('PROVINCE_UNKNOWN', `no province with code ${provinceCode}`, 404, { provinceCode });
  const issues: FieldIssue[] = [];
  const mode = input.mode as SigningMode;
  if (!(SIGNING_MODES as readonly string[]).includes(input.mode)) {
    issues.push(customIssue('mode', 'SIGNING_MODE_UNKNOWN', `Signing mode must be "facility" or "focal_unit" (got "${input.mode}")`, `Chế độ ký phải là "facility" hoặc "focal_unit" (nhận được "${input.mode}")`));
  }
  const focalCode = input.focalFacilityCode?.trim() || null;
  if (mode === 'focal_unit' && focalCode === null) {
    issues.push(customIssue('focal_facility_code', 'FOCAL_UNIT_REQUIRED', 'Mode focal_unit needs the focal unit\'s facility code', 'Chế độ focal_unit cần mã cơ sở của đơn vị đầu mối'));
  }
  if (mode === 'facility' && focalCode !== null) {
    issues.push(customIssue('focal_facility_code', 'FOCAL_UNIT_UNEXPECTED', 'Mode facility takes no focal unit', 'Chế độ facility không dùng đơn vị đầu mối'));
  }
  return db.transaction().execute(async (trx) => {
    let focal: Facility | undefined;
    if (mode === 'focal_unit' && focalCode !== null) {
      focal = await findFacilityByCode(trx, focalCode);
      if (!focal) issues.push(customIssue('focal_facility_code', 'FACILITY_NOT_FOUND', `No facility with code "${focalCode}"`, `Không có cơ sở nào có mã "${focalCode}"`));
      else if (focal.provinceCode !== provinceCode) {
        issues.push(customIssue('focal_facility_code', 'FOCAL_UNIT_OTHER_PROVINCE', `Facility ${focalCode} is in province ${focal.provinceCode}, not ${provinceCode}`, `Cơ sở ${focalCode} thuộc tỉnh ${focal.provinceCode}, không phải ${provinceCode}`));
      } else if (!FOCAL_UNIT_TYPES.includes(focal.type)) {
        issues.push(customIssue('focal_facility_code', 'FOCAL_UNIT_TYPE', `Facility ${focalCode} is of type ${focal.type}; a focal unit must be of type so_y_te or cdc`, `Cơ sở ${focalCode} thuộc loại ${focal.type}; đơn vị đầu mối phải là Sở Y tế (so_y_te) hoặc CDC (cdc)`));
      } else if (!focal.active) {
        issues.push(customIssue('focal_facility_code', 'FACILITY_INACTIVE', `Facility ${focalCode} is inactive`, `Cơ sở ${focalCode} đã ngừng hoạt động`));
      }
    }
    throwIfIssues(issues);
    const before = await getProvinceSigning(trx, provinceCode);
    const values = { mode, focal_facility_id: focal?.id ?? null, updated_at: new Date().toISOString(), updated_by: actor };
    await trx
      .insertInto('province_signing')
      .values({ province_code: provinceCode, ...values })
      .onConflict((oc) => oc.column('province_code').doUpdateSet(values))
      .execute();
    const after: ProvinceSigning = { provinceCode, mode, focalFacilityCode: focal?.code ?? null, updatedAt: values.updated_at, updatedBy: actor };
    await writeAudit(trx, { actor, action: 'update', entity: 'province_signing', entityId: provinceCode, before: before.updatedAt === null ? null : before, after });
    return after;
  });
}

/**
 * The facility that signs the data of facility `facilityId`: its province's focal unit when the
 * province is in `focal_unit` mode, else the facility itself.
 * @param db - database
 * @param facilityId - the recording facility's id
 * @throws AppError FACILITY_NOT_FOUND (404)
 */
export async function signingUnitFor(db: Kysely<Database>, facilityId: number): Promise<Facility> {
  const facility = await findFacilityById(db, facilityId);
  if (!facility) throw new AppError('FACILITY_NOT_FOUND', `no facility with id ${facilityId}`, 404, { id: facilityId });
  const signing = await db.selectFrom('province_signing').select(['mode', 'focal_facility_id']).where('province_code', '=', facility.provinceCode).executeTakeFirst();
  if (signing?.mode !== 'focal_unit' || signing.focal_facility_id === null) return facility;
  const focal = await findFacilityById(db, signing.focal_facility_id);
  if (!focal) throw new AppError('FACILITY_NOT_FOUND', `focal unit ${signing.focal_facility_id} of province ${facility.provinceCode} is missing`, 500);
  return focal;
}
