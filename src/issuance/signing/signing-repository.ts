/**
 * Rows for facility signing: dose records with the identity data that is signed, their
 * signatures, and the signing units' certificates and keys. Plain functions taking `db` first.
 */
import { sql } from 'kysely';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/index.js';
import type { DoseFacts } from './canonical-dose.js';

type Db = Kysely<Database>;
export type DoseSignatureRow = Selectable<Database['dose_signature']>;
export type CertificateRow = Selectable<Database['pki_certificate']>;

/** A dose record to sign or verify: its signed facts plus where it was recorded. */
export interface DoseRecord extends DoseFacts {
  readonly facilityId: number;
  readonly facilityProvince: string;
  /**
   * The signature of exactly this dose and person version, if any (always null when loaded with
   * `currentSignature: false`).
   */
  readonly currentSignatureId: number | null;
}

/** Which doses to load: some doses, some people's doses, or a page of some facilities' doses. */
export type RecordFilter =
  | { readonly doseIds: readonly number[] }
  | { readonly personIds: readonly number[] }
  /** Every dose of the people with ids in [from, to]: a page of consecutive ids, read as a range scan. */
  | { readonly personRange: { readonly from: number; readonly to: number } }
  | {
      readonly facilityIds: readonly number[];
      /** Only doses whose dose row or person row was created/updated in [from, to) (ISO UTC). */
      readonly changed?: { readonly from: string; readonly to: string };
      /** Keyset: doses with id above this. */
      readonly afterId: number;
      readonly limit: number;
    };

/**
 * Dose records with their person's identity and current document, in dose id order.
 * @param db - database
 * @param filter - which doses
 * @param opts - `currentSignature: false` skips looking up each record's current signature
 *   (verifiers read every signature of the doses anyway; signing needs it)
 */
export async function loadDoseRecords(db: Db, filter: RecordFilter, opts: { readonly currentSignature?: boolean } = {}): Promise<DoseRecord[]> {
  const joined = db.selectFrom('dose as d').innerJoin('person as p', 'p.id', 'd.person_id').innerJoin('facility as f', 'f.id', 'd.facility_id');
  let q = (
    opts.currentSignature === false
      ? joined.select(sql<number | null>`null`.as('signature_id'))
      : joined.leftJoin('dose_signature as s', (j) => j.onRef('s.dose_id', '=', 'd.id').onRef('s.dose_version', '=', 'd.version').onRef('s.person_version', '=', 'p.version')).select('s.id as signature_id')
  )
    .select([
      'd.id',
      'd.version',
      'd.status',
      'd.product_id',
      'd.lot',
      'd.dose_date',
      'd.dose_number',
      'd.dose_kind',
      'd.facility_id',
      'f.code as facility_code',
      'f.province_code',
      'd.person_id',
      'p.version as person_version',
      'p.full_name',
      'p.dob',
      'p.sex',
    ])
    .orderBy('d.id');
  if ('doseIds' in filter) {
    if (filter.doseIds.length === 0) return [];
    q = q.where('d.id', 'in', [...filter.doseIds]);
  } else if ('personIds' in filter) {
    if (filter.personIds.length === 0) return [];
    q = q.where('d.person_id', 'in', [...filter.personIds]);
  } else if ('personRange' in filter) {
    q = q.where('d.person_id', '>=', filter.personRange.from).where('d.person_id', '<=', filter.personRange.to);
  } else {
    if (filter.facilityIds.length === 0) return [];
    q = q.where('d.facility_id', 'in', [...filter.facilityIds]).where('d.id', '>', filter.afterId).limit(filter.limit);
    const ch = filter.changed;
    if (ch) {
      q = q.where((eb) =>
        eb.or([
          eb.and([eb('d.created_at', '>=', ch.from), eb('d.created_at', '<', ch.to)]),
          eb.and([eb('d.updated_at', '>=', ch.from), eb('d.updated_at', '<', ch.to)]),
          eb.and([eb('p.updated_at', '>=', ch.from), eb('p.updated_at', '<', ch.to)]),
        ]),
      );
    }
  }
  const rows = await q.execute();
  const docs = 'personRange' in filter ? await currentDocumentsInRange(db, filter.personRange.from, filter.personRange.to) : await currentDocuments(db, [...new Set(rows.map((r) => r.person_id))]);
  return rows.map((r) => ({
    doseId: r.id,
    doseVersion: r.version,
    status: r.status,
    productId: r.product_id,
    lot: r.lot,
    doseDate: r.dose_date,
    doseNumber: r.dose_number,
    doseKind: r.dose_kind,
    facilityCode: r.facility_code,
    facilityId: r.facility_id,
    facilityProvince: r.province_code,
    personId: r.person_id,
    personVersion: r.person_version,
    fullName: r.full_name,
    dob: r.dob,
    sex: r.sex,
    document: docs.get(r.person_id) ?? null,
    currentSignatureId: r.signature_id,
  }));
}

/** Each person's current identity document (the oldest current one, should there be two). */
async function currentDocuments(db: Db, personIds: readonly number[]): Promise<Map<number, { kind: string; number: string; country: string }>> {
  const out = new Map<number, { kind: string; number: string; country: string }>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom('person_document')
    .select(['person_id', 'kind', 'number', 'country'])
    .where('person_id', 'in', [...personIds])
    .where('current', '=', 1)
    .orderBy('id')
    .execute();
  for (const r of rows) if (!out.has(r.person_id)) out.set(r.person_id, { kind: r.kind, number: r.number, country: r.country });
  return out;
}

/** {@link currentDocuments} of the people with ids in [from, to] (range scan). */
async function currentDocumentsInRange(db: Db, from: number, to: number): Promise<Map<number, { kind: string; number: string; country: string }>> {
  const out = new Map<number, { kind: string; number: string; country: string }>();
  const rows = await db.selectFrom('person_document').select(['person_id', 'kind', 'number', 'country']).where('person_id', '>=', from).where('person_id', '<=', to).where('current', '=', 1).orderBy('id').execute();
  for (const r of rows) if (!out.has(r.person_id)) out.set(r.person_id, { kind: r.kind, number: r.number, country: r.country });
  return out;
}

/**
 * Every signature of the doses of the people with ids in [from, to], oldest first: one range
 * scan of `dose` joined to its signatures, instead of an IN list of thousands of dose ids.
 * @param db - database
 * @param from - lowest person id
 * @param to - highest person id
 */
export async function signaturesOfPersonRange(db: Db, from: number, to: number): Promise<DoseSignatureRow[]> {
  return db.selectFrom('dose_signature as s').innerJoin('dose as d', 'd.id', 's.dose_id').selectAll('s').where('d.person_id', '>=', from).where('d.person_id', '<=', to).orderBy('s.id').execute();
}

/**
 * Every signature of some doses, oldest first.
 * @param db - database
 * @param doseIds - the doses
 */
export async function signaturesOf(db: Db, doseIds: readonly number[]): Promise<DoseSignatureRow[]> {
  if (doseIds.length === 0) return [];
  return db.selectFrom('dose_signature').selectAll().where('dose_id', 'in', [...doseIds]).orderBy('id').execute();
}

/**
 * Inserts signatures; a version signed meanwhile by a concurrent run is left as it is.
 * @param db - database
 * @param rows - new signatures
 * @returns how many rows were inserted
 */
export async function insertSignatures(db: Db, rows: readonly Insertable<Database['dose_signature']>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db
    .insertInto('dose_signature')
    .values([...rows])
    .onConflict((oc) => oc.columns(['dose_id', 'dose_version', 'person_version']).doNothing())
    .returning('id')
    .execute();
  return r.length;
}

/**
 * Certificates by id.
 * @param db - database
 * @param ids - certificate ids
 */
export async function certificatesById(db: Db, ids: readonly number[]): Promise<Map<number, CertificateRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('pki_certificate').selectAll().where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The newest active data-signing certificate of a unit (role `facility`, owner = its code).
 * @param db - database
 * @param owner - the unit's facility code
 */
export async function activeUnitCertificate(db: Db, owner: string): Promise<CertificateRow | undefined> {
  return db.selectFrom('pki_certificate').selectAll().where('role', '=', 'facility').where('owner', '=', owner).where('status', '=', 'active').orderBy('id', 'desc').executeTakeFirst();
}

/**
 * A key row of `pki_key`.
 * @param db - database
 * @param id - key id
 */
export async function findKeyRow(db: Db, id: string): Promise<Selectable<Database['pki_key']> | undefined> {
  return db.selectFrom('pki_key').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Facilities by id: code, type, province.
 * @param db - database
 * @param ids - facility ids
 */
export async function facilitiesById(db: Db, ids: readonly number[]): Promise<Map<number, { code: string; type: string; province_code: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('facility').select(['id', 'code', 'type', 'province_code']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Ids of a province's facilities.
 * @param db - database
 * @param provinceCode - 2-digit code
 */
export async function facilityIdsOfProvince(db: Db, provinceCode: string): Promise<number[]> {
  return (await db.selectFrom('facility').select('id').where('province_code', '=', provinceCode).orderBy('id').execute()).map((r) => r.id);
}
