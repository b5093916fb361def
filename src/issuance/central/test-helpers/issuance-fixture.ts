/**
 * Test helper: a database ready for central issuance — dev PKI (file keys in a temp folder), one
 * facility, people with doses through the registry services, facility signatures through the
 * signing module. Verification results are written straight into `verification_state` (what
 * the verification pipeline stores for a VERIFIED person), so issuance tests need no register.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.js';
import { addFacility, createPerson, recordDose } from '../../../registry/index.js';
import { signFacilityRecords } from '../../signing/index.js';
import { KeyCustody, loadActiveDscSigner, pkiInit } from '../../../trust/pki/index.js';
import type { CountingSigner } from '../../../trust/pki/index.js';

type Db = Kysely<Database>;

/** What {@link setupIssuance} made. */
export interface IssuanceFixture {
  readonly custody: KeyCustody;
  readonly signer: CountingSigner;
  readonly facilityCode: string;
  /** Key folder and passphrase, for child processes. */
  readonly keyDir: string;
  readonly passphrase: string;
  close(): Promise<void>;
}

/**
 * Creates the PKI (ES256 DSC by default) and a facility `HN-TEST` in province 01.
 * @param db - a migrated test database
 * @param opts - DSC algorithm and validity
 */
export async function setupIssuance(db: Db, opts: { alg?: 'ES256' | 'PS256'; dscDays?: number } = {}): Promise<IssuanceFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-issuance-'));
  const passphrase = 'issuance-test-passphrase';
  const keyDir = join(dir, 'keys');
  const custody = new KeyCustody({ backend: 'file', keyDir, secretFile: join(dir, 'secret'), passphrase });
  await pkiInit(db, { custody, alg: opts.alg ?? 'ES256', modulusLength: 2048, ...(opts.dscDays ? { validityDays: opts.dscDays } : {}) });
  await addFacility(db, { code: 'HN-TEST', name: 'Bệnh viện thử nghiệm', provinceCode: '01', districtCode: '001', type: 'hospital' }, 'test');
  const signer = await loadActiveDscSigner(db, { custody, flushEveryMs: 0 });
  return {
    custody,
    signer,
    facilityCode: 'HN-TEST',
    keyDir,
    passphrase,
    async close() {
      await signer.close();
      custody.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test CCCD: Hà Nội (001), the century/sex digit, two year digits, six digits from `n`. */
export function testCccd(dob: string, sex: 'M' | 'F', n: number): string {
  const year = Number(dob.slice(0, 4));
  const digit = (year >= 2000 ? 2 : 0) + (sex === 'F' ? 1 : 0);
  return `001${digit}${dob.slice(2, 4)}${String(n).padStart(6, '0')}`;
}

/** A dose to record: product as written, date, number. */
export interface TestDose {
  readonly vaccine: string;
  readonly date: string;
  readonly n: number;
}

/**
 * Creates a person with doses at the fixture's facility.
 * @param db - database
 * @param f - the fixture
 * @param p - name, dob, sex, a number for the CCCD, doses
 */
export async function addVaccinated(db: Db, f: IssuanceFixture, p: { fullName: string; dob: string; sex: 'M' | 'F'; n: number; phone?: string; doses: readonly TestDose[] }): Promise<{ personId: number; doseIds: number[] }> {
  const { person } = await createPerson(db, { fullName: p.fullName, dob: p.dob, sex: p.sex, idNumber: testCccd(p.dob, p.sex, p.n), provinceCode: '01', districtCode: '001', ...(p.phone ? { phone: p.phone } : {}) }, 'test');
  const doseIds: number[] = [];
  for (const d of p.doses) doseIds.push((await recordDose(db, { personId: person.id, facilityCode: f.facilityCode, vaccine: d.vaccine, doseDate: d.date, doseNumber: d.n, source: 'api' }, 'test', { today: '2022-12-31' })).dose.id);
  return { personId: person.id, doseIds };
}

/**
 * Records a VERIFIED result for the person's current version (what the pipeline stores).
 * @param db - database
 * @param personId - the person
 */
export async function markVerified(db: Db, personId: number): Promise<void> {
  const p = await db.selectFrom('person').select('version').where('id', '=', personId).executeTakeFirstOrThrow();
  const row = { person_id: personId, person_version: p.version, status: 'VERIFIED', sent_json: null, checked_at: new Date().toISOString(), run_id: 'test' };
  await db
    .insertInto('verification_state')
    .values(row)
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ person_version: p.version, status: 'VERIFIED', checked_at: row.checked_at }))
    .execute();
}

/**
 * Signs every unsigned active record of the fixture's facility.
 * @param db - database
 * @param f - the fixture
 */
export async function signAll(db: Db, f: IssuanceFixture): Promise<number> {
  return (await signFacilityRecords(db, { custody: f.custody, facilityCode: f.facilityCode, all: true, ensureCert: true, actor: 'test' })).signed;
}

/**
 * A person made eligible the way the pipeline would: vaccinated at the fixture's facility,
 * VERIFIED for their current version, every record of the facility signed.
 * @param db - database
 * @param f - the fixture
 * @param p - as for {@link addVaccinated}
 */
export async function addEligible(db: Db, f: IssuanceFixture, p: Parameters<typeof addVaccinated>[2]): Promise<{ personId: number; doseIds: number[] }> {
  const person = await addVaccinated(db, f, p);
  await markVerified(db, person.personId);
  await signAll(db, f);
  return person;
}
