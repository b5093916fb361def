/**
 * A synthetic province made eligible through the real steps — seed (registry), identity
 * verification against the seeded truth (population pipeline, in-process register), signing
 * by the province's focal unit (Sở Y tế) — for the national-batch tests and the bench.
 */
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { LocalVerifier, MemoryRegister } from '../../population/index.js';
import type { RegisterEntry } from '../../population/index.js';
import { runVerification } from '../../population/pipeline/index.js';
import { setProvinceSigning } from '../../registry/index.js';
import { generateProvince, seedDatabase } from '../../registry/seed/index.js';
import type { KeyCustody } from '../../trust/pki/index.js';
import { signFacilityRecords } from '../signing/index.js';

/** What {@link seedEligible} did. */
export interface SeedEligibleResult {
  readonly people: number;
  readonly verified: number;
  readonly signedDoses: number;
  readonly seconds: number;
}

/**
 * Seeds `people` residents of a province without data errors, verifies them and signs every dose.
 * @param db - a migrated database with the PKI initialised
 * @param dialect - its engine
 * @param opts - size, province, seed, key custody (for the focal unit's data-signing key)
 */
export async function seedEligible(db: Kysely<Database>, dialect: DbDialect, opts: { people: number; custody: KeyCustody; provinceCode?: string; seed?: number }): Promise<SeedEligibleResult> {
  const t0 = performance.now();
  const provinceCode = opts.provinceCode ?? '01';
  const gen = generateProvince({ provinceCode, people: opts.people, seed: opts.seed ?? 11, errorRate: 0, encodingRate: 0, today: '2022-12-31' });
  const seeded = await seedDatabase(db, dialect, gen, { actor: 'seed', today: '2022-12-31' });
  const truth = function* (): Iterable<RegisterEntry> {
    for (const p of gen.persons()) if (p.truth.idNumber !== null) yield { idNumber: p.truth.idNumber, fullName: p.truth.fullName, dob: p.truth.dob, sex: p.truth.sex };
  };
  const verification = await runVerification(db, dialect, new LocalVerifier(new MemoryRegister(truth())), { batchSize: 1000 });
  const focal = gen.facilities.find((f) => f.type === 'so_y_te');
  if (!focal) throw new Error(`province ${provinceCode} has no Sở Y tế in the seed`);
  await setProvinceSigning(db, provinceCode, { mode: 'focal_unit', focalFacilityCode: focal.code }, 'seed');
  const signed = await signFacilityRecords(db, { custody: opts.custody, facilityCode: focal.code, all: true, ensureCert: true, actor: 'seed' });
  return { people: seeded.people, verified: verification.verified, signedDoses: signed.signed, seconds: (performance.now() - t0) / 1000 };
}
