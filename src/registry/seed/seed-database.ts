/**
 * Writes a generated province into the database the way its facilities would have entered it:
 * the facilities, then every dose row as recorded (injected errors included) through the same
 * validator and batch writer as a bulk import, so seeded data obeys every registry rule and bad
 * rows land in quarantine like real ones. One `import_job` (format `seed`) covers the run.
 */
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { createRecordValidator, writeBatch } from '../import/index.js';
import type { CandidateRow, RawRecord, RejectedRow } from '../import/index.js';
import { todayInVietnam } from '../validate/index.js';
import type { FacilityType } from '../facility/facility-types.js';
import type { SeedFacilityType, SeedPerson, SeedProvince } from './seed-types.js';

/** What {@link seedDatabase} wrote. */
export interface SeedDbSummary {
  readonly facilities: number;
  readonly people: number;
  readonly rows: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly seconds: number;
}

/** Options of {@link seedDatabase}. */
export interface SeedDbOptions {
  readonly actor: string;
  readonly batchSize?: number;
  readonly today?: string;
  readonly onProgress?: (people: number) => void;
}

/** The registry's facility type for a generated one (the generator is more specific). */
const FACILITY_TYPE: Readonly<Record<SeedFacilityType, FacilityType>> = {
  so_y_te: 'so_y_te',
  cdc: 'cdc',
  provincial_hospital: 'hospital',
  district_hospital: 'hospital',
  district_health_centre: 'health_centre',
  commune_health_station: 'health_station',
};

function recordOf(p: SeedPerson, dose: SeedPerson['doses'][number]): RawRecord {
  const r = p.recorded;
  return {
    full_name: r.fullName,
    dob: r.dob,
    sex: r.sex === 'M' ? 'Nam' : 'Nữ',
    id_number: r.idNumber ?? '',
    phone: p.phone,
    province_code: p.address.provinceCode,
    vaccine: dose.productId,
    lot: dose.lot,
    dose_date: dose.doseDate,
    dose_number: String(dose.doseNumber),
  };
}

/**
 * Seeds the database from a generated province.
 * @param db - database
 * @param dialect - its engine
 * @param gen - from `generateProvince`
 * @param options - actor, batch size, progress
 */
export async function seedDatabase(db: Kysely<Database>, dialect: DbDialect, gen: SeedProvince, options: SeedDbOptions): Promise<SeedDbSummary> {
  const started = performance.now();
  const existing = new Map((await db.selectFrom('facility').select(['id', 'code']).execute()).map((f) => [f.code, f.id]));
  const missing = gen.facilities.filter((f) => !existing.has(f.code));
  if (missing.length > 0) {
    const rows = await db
      .insertInto('facility')
      .values(missing.map((f) => ({ code: f.code, name: f.name, province_code: f.provinceCode, district_code: f.districtCode === '000' ? null : f.districtCode, type: FACILITY_TYPE[f.type] })))
      .returning(['id', 'code'])
      .execute();
    for (const r of rows) existing.set(r.code, r.id);
  }
  const owner = gen.facilities.find((f) => f.type === 'so_y_te') ?? gen.facilities[0];
  const ownerId = owner ? existing.get(owner.code) : undefined;
  if (ownerId === undefined) throw new AppError('SEED_NO_FACILITY', `province ${gen.provinceCode} has no facility to seed into`, 500);
  const job = await db
    .insertInto('import_job')
    .values({ facility_id: ownerId, file_name: `seed:${gen.provinceCode}:${gen.seed}:${gen.people}`, file_sha256: '-', format: 'seed', actor: options.actor, status: 'running' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const importId = job.id;
  const validate = createRecordValidator({ today: options.today ?? todayInVietnam() });
  const batchSize = options.batchSize ?? 5000;
  let rowNumber = 0;
  let people = 0;
  let imported = 0;
  let duplicates = 0;
  let rejected = 0;
  let candidates: CandidateRow[] = [];
  let rejects: RejectedRow[] = [];
  const flush = async (): Promise<void> => {
    const outcomes = await writeBatch(db, dialect, { facilityId: ownerId, importId, actor: options.actor, source: 'seed' }, candidates, rejects);
    for (const o of outcomes) {
      if (o.status === 'imported') imported++;
      else if (o.status === 'duplicate') duplicates++;
      else rejected++;
    }
    candidates = [];
    rejects = [];
    options.onProgress?.(people);
  };
  for (const p of gen.persons()) {
    people++;
    for (const dose of p.doses) {
      rowNumber++;
      const facilityId = existing.get(dose.facilityCode) ?? ownerId;
      const raw = recordOf(p, dose);
      const check = validate(raw);
      if (check.ok) candidates.push({ rowNumber, facilityId, raw, record: check.record, warnings: check.warnings });
      else rejects.push({ rowNumber, facilityId, raw, issues: check.issues });
    }
    if (candidates.length + rejects.length >= batchSize) await flush();
  }
  await flush();
  await db
    .updateTable('import_job')
    .set({ status: 'done', finished_at: new Date().toISOString(), rows: rowNumber, imported, duplicates, rejected })
    .where('id', '=', importId)
    .execute();
  return { facilities: gen.facilities.length, people, rows: rowNumber, imported, duplicates, rejected, seconds: (performance.now() - started) / 1000 };
}
