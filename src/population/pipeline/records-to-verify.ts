/**
 * What is sent for each claimed person: the current CCCD (else the current CMND), the name,
 * date of birth and sex as recorded. The name is `person.full_name`, the stored form after
 * encoding repair and NFC: repairing TCVN3/VNI/mojibake changes how the name is written, not
 * which name it is, and the matcher normalises the same differences anyway. People missing a
 * required field are NOT_SENT, decided here, before anything leaves VaxPass.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { IdentityField, VerifyRecord } from '../verifier.js';

/** One claimed person, ready to send or already decided NOT_SENT. */
export interface PersonToVerify {
  readonly personId: number;
  readonly version: number;
  readonly record: VerifyRecord;
  /** Required fields that are missing (non-empty = NOT_SENT). */
  readonly missing: readonly IdentityField[];
}

/** Kinds of document the population register knows, best first. */
const SENT_KINDS = ['CCCD', 'CMND'] as const;

/**
 * The required fields missing from `record`, in a stable order.
 * @param record - what would be sent
 */
export function missingFields(record: VerifyRecord): IdentityField[] {
  const missing: IdentityField[] = [];
  if (record.idNumber === null || record.idNumber === '') missing.push('id_number');
  if (record.fullName === null || record.fullName.trim() === '') missing.push('full_name');
  if (record.dob === null || record.dob === '') missing.push('dob');
  if (record.sex === null) missing.push('sex');
  return missing;
}

/**
 * Reads the people to verify (absent ids, e.g. deleted people, are left out).
 * @param db - database
 * @param personIds - claimed ids
 */
export async function recordsToVerify(db: Kysely<Database>, personIds: readonly number[]): Promise<PersonToVerify[]> {
  if (personIds.length === 0) return [];
  const ids = [...personIds];
  const [people, docs] = await Promise.all([
    db.selectFrom('person').select(['id', 'version', 'full_name', 'dob', 'sex']).where('id', 'in', ids).execute(),
    db.selectFrom('person_document').select(['person_id', 'kind', 'number']).where('person_id', 'in', ids).where('current', '=', 1).where('kind', 'in', [...SENT_KINDS]).execute(),
  ]);
  const idOf = new Map<number, { kind: string; number: string }>();
  for (const d of docs) {
    const had = idOf.get(d.person_id);
    if (had === undefined || (had.kind !== 'CCCD' && d.kind === 'CCCD')) idOf.set(d.person_id, d);
  }
  return people
    .map((p) => {
      const sex = p.sex === 'M' || p.sex === 'F' ? p.sex : null;
      const record: VerifyRecord = { recordId: String(p.id), idNumber: idOf.get(p.id)?.number ?? null, fullName: p.full_name === '' ? null : p.full_name, dob: p.dob === '' ? null : p.dob, sex };
      return { personId: p.id, version: p.version, record, missing: missingFields(record) };
    })
    .sort((a, b) => a.personId - b.personId);
}
