/** Person and document rows, mapped to domain types. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, PersonDocumentTable, PersonTable } from '../../db/index.js';
import type { DocumentKind, Person, PersonDocument, PersonWithDocuments } from './person-types.js';

/** Maps a `person` row. */
export function toPerson(r: Selectable<PersonTable>): Person {
  return {
    id: r.id,
    fullNameRaw: r.full_name_raw,
    fullName: r.full_name,
    nameFold: r.name_fold,
    dob: r.dob,
    sex: r.sex === 'F' ? 'F' : 'M',
    nationality: r.nationality,
    phone: r.phone,
    provinceCode: r.province_code,
    districtCode: r.district_code,
    wardCode: r.ward_code,
    version: r.version,
    createdBy: r.created_by,
    importId: r.import_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Maps a `person_document` row. */
export function toDocument(r: Selectable<PersonDocumentTable>): PersonDocument {
  return { id: r.id, kind: r.kind as DocumentKind, number: r.number, country: r.country, current: r.current === 1, createdAt: r.created_at };
}

/**
 * The person with `id`, if any.
 * @param db - database or transaction
 * @param id - person id
 */
export async function findPerson(db: Kysely<Database>, id: number): Promise<Person | undefined> {
  const r = await db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toPerson(r) : undefined;
}

/**
 * Documents of some people, by person id, current first then newest first.
 * @param db - database or transaction
 * @param personIds - ids
 */
export async function documentsOf(db: Kysely<Database>, personIds: readonly number[]): Promise<Map<number, PersonDocument[]>> {
  const out = new Map<number, PersonDocument[]>();
  if (personIds.length === 0) return out;
  const rows = await db.selectFrom('person_document').selectAll().where('person_id', 'in', [...personIds]).orderBy('current', 'desc').orderBy('id', 'desc').execute();
  for (const r of rows) {
    const list = out.get(r.person_id) ?? [];
    list.push(toDocument(r));
    out.set(r.person_id, list);
  }
  return out;
}

/**
 * People with their documents, in the order of `people`.
 * @param db - database or transaction
 * @param people - the people
 */
export async function withDocuments(db: Kysely<Database>, people: readonly Person[]): Promise<PersonWithDocuments[]> {
  const docs = await documentsOf(db, people.map((p) => p.id));
  return people.map((p) => ({ ...p, documents: docs.get(p.id) ?? [] }));
}

/**
 * The person holding a document, if any.
 * @param db - database or transaction
 * @param doc - kind, number and issuing country
 */
export async function documentHolder(db: Kysely<Database>, doc: { kind: string; number: string; country: string }): Promise<number | undefined> {
  const r = await db.selectFrom('person_document').select('person_id').where('number', '=', doc.number).where('kind', '=', doc.kind).where('country', '=', doc.country).executeTakeFirst();
  return r?.person_id;
}
