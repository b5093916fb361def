/**
 * A small registry for cleaning-loop tests: two facilities (HCM Quận 1, Hà Nội Ba Đình), people
 * recorded with one real error each, the register's truth in a MemoryRegister, and a first
 * verification run over the real in-process verifier.
 */
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../../db/index.js';
import { addFacility, createPerson, recordDose, voidDose } from '../../../registry/index.js';
import { generateCccd } from '../../../registry/validate/index.js';
import { LocalVerifier, MemoryRegister } from '../../matching/index.js';
import { runVerification } from '../../pipeline/index.js';
import type { PopulationVerifier, RegisterEntry } from '../../verifier.js';

/** What {@link cleaningFixture} made. */
export interface CleaningFixture {
  readonly verifier: PopulationVerifier;
  readonly register: MemoryRegister;
  /** Person ids by role. */
  readonly people: {
    /** Matches the register. */
    readonly verified: number;
    /** Name typo: MISMATCH full_name, NAME_CLOSE. */
    readonly nameTypo: number;
    /** Day and month swapped: MISMATCH dob, DOB_DAY_MONTH_SWAPPED. */
    readonly dobSwap: number;
    /** ID one digit off: NOT_FOUND, ID_ONE_DIGIT_AWAY. */
    readonly idOff: number;
    /** No ID: NOT_SENT id_number, FOUND_BY_NAME_DOB. */
    readonly noId: number;
    /** Sex wrong, recorded in Hà Nội (the other facility). */
    readonly otherFacility: number;
    /** MISMATCH but the dose at F1 was voided. */
    readonly voided: number;
  };
  /** The register's truth for each person. */
  readonly truth: Readonly<Record<string, RegisterEntry>>;
}

export const F1 = 'HCM-Q1';
export const F2 = 'HN-BD';

/**
 * Builds the fixture and runs a first verification.
 * @param db - a migrated test database
 * @param dialect - its engine
 */
export async function cleaningFixture(db: Kysely<Database>, dialect: DbDialect): Promise<CleaningFixture> {
  await addFacility(db, { code: F1, name: 'Trạm Y tế Phường Bến Nghé', provinceCode: '79', districtCode: '760' }, 't');
  await addFacility(db, { code: F2, name: 'Trạm Y tế Phường Phúc Xá', provinceCode: '01', districtCode: '001' }, 't');
  const truth: Record<string, RegisterEntry> = {
    verified: { idNumber: generateCccd('079', 1980, 'M', 1), fullName: 'Nguyễn Văn An', dob: '1980-03-15', sex: 'M' },
    nameTypo: { idNumber: generateCccd('079', 1990, 'F', 2), fullName: 'Trần Thị Bình', dob: '1990-07-20', sex: 'F' },
    dobSwap: { idNumber: generateCccd('079', 1985, 'M', 3), fullName: 'Lê Văn Cường', dob: '1985-04-09', sex: 'M' },
    idOff: { idNumber: generateCccd('079', 1975, 'M', 123456), fullName: 'Phạm Văn Dũng', dob: '1975-01-02', sex: 'M' },
    noId: { idNumber: generateCccd('079', 1960, 'F', 5), fullName: 'Hoàng Thị Em', dob: '1960-11-30', sex: 'F' },
    otherFacility: { idNumber: generateCccd('001', 1970, 'F', 6), fullName: 'Đỗ Thị Giang', dob: '1970-05-05', sex: 'F' },
    voided: { idNumber: generateCccd('079', 1995, 'M', 7), fullName: 'Vũ Văn Hải', dob: '1995-02-03', sex: 'M' },
  };
  const t = (k: string): RegisterEntry => {
    const e = truth[k];
    if (!e) throw new Error(k);
    return e;
  };
  const hcm = { provinceCode: '79', districtCode: '760' };
  const make = async (input: Parameters<typeof createPerson>[1], facility: string): Promise<number> => {
    const { person } = await createPerson(db, input, 'seed');
    await recordDose(db, { personId: person.id, facilityCode: facility, vaccine: 'AstraZeneca', doseDate: '2021-08-01', doseNumber: 1, source: 'form' }, 'seed');
    return person.id;
  };
  const v = t('verified');
  const verified = await make({ fullName: v.fullName, dob: v.dob, sex: v.sex, idNumber: v.idNumber, ...hcm }, F1);
  const b = t('nameTypo');
  const nameTypo = await make({ fullName: 'Trần Thị Bính', dob: b.dob, sex: b.sex, idNumber: b.idNumber, ...hcm, phone: '0912345678' }, F1);
  const c = t('dobSwap');
  const dobSwap = await make({ fullName: c.fullName, dob: '1985-09-04', sex: c.sex, idNumber: c.idNumber, ...hcm }, F1);
  const d = t('idOff');
  const idOff = await make({ fullName: d.fullName, dob: d.dob, sex: d.sex, idNumber: generateCccd('079', 1975, 'M', 123457), ...hcm }, F1);
  const e = t('noId');
  const noId = await make({ fullName: e.fullName, dob: e.dob, sex: e.sex, ...hcm }, F1);
  const g = t('otherFacility');
  // Wrong sex with a CMND (a CCCD would contradict it): MISMATCH sex at the other facility.
  const otherFacility = await make({ fullName: g.fullName, dob: g.dob, sex: 'M', idNumber: '012345678', provinceCode: '01', districtCode: '001' }, F2);
  truth.otherFacility = { ...g, idNumber: '012345678' };
  const h = t('voided');
  const { person: voidedPerson } = await createPerson(db, { fullName: 'Vũ Văn Hài', dob: h.dob, sex: h.sex, idNumber: h.idNumber, ...hcm }, 'seed');
  const { dose } = await recordDose(db, { personId: voidedPerson.id, facilityCode: F1, vaccine: 'AstraZeneca', doseDate: '2021-08-01', doseNumber: 1, source: 'form' }, 'seed');
  await voidDose(db, dose.id, 'wrong person', 'seed');
  const register = new MemoryRegister(Object.values(truth));
  const verifier = new LocalVerifier(register);
  await runVerification(db, dialect, verifier, {});
  return { verifier, register, truth, people: { verified, nameTypo, dobSwap, idOff, noId, otherFacility, voided: voidedPerson.id } };
}
