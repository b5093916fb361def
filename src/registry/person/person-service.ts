/**
 * People: create with full validation, correct (history kept: version bump and before/after in
 * `audit_log`, same transaction), read with documents and active doses, search by ID number or
 * by name + date of birth, and the change history of a person and their doses.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { foldName, repairVietnamese } from '../text/index.js';
import { parseDob, parseIdNumber } from '../validate/index.js';
import type { FieldIssue } from '../validate/index.js';
import { isUniqueViolation, validationError, writeAudit } from '../common/index.js';
import { activeDosesOf } from '../dose/dose-repository.js';
import { documentHolder, findPerson, toPerson, withDocuments } from './person-repository.js';
import type { HistoryEntry, NewPerson, Person, PersonDetail, PersonPatch, PersonResult, PersonSearch, PersonWithDocuments } from './person-types.js';
import { validatePerson } from './validate-person.js';
import type { CleanPerson } from './validate-person.js';

/** Most people a search returns. */
export const SEARCH_LIMIT = 50;

function taken(number: string, personId: number): AppError {
  return new AppError('PERSON_DOCUMENT_TAKEN', `ID number ${number} already belongs to person ${personId}`, 409, { existingPersonId: personId, number });
}

function notFound(id: number): AppError {
  return new AppError('PERSON_NOT_FOUND', `no person with id ${id}`, 404, { id });
}

/**
 * A person with documents and active doses.
 * @param db - database or transaction
 * @param id - person id
 * @throws AppError PERSON_NOT_FOUND (404)
 */
export async function getPerson(db: Kysely<Database>, id: number): Promise<PersonDetail> {
  const person = await findPerson(db, id);
  if (!person) throw notFound(id);
  const [withDocs] = await withDocuments(db, [person]);
  return { ...(withDocs ?? { ...person, documents: [] }), doses: await activeDosesOf(db, id) };
}

/**
 * Creates a person after validating every field (name repaired and normalised, the CCCD checked
 * against date of birth and sex…). The ID number becomes the person's current document.
 * @param db - database
 * @param input - the person as entered
 * @param actor - who creates it (audit)
 * @param options - `importId` for rows of a bulk import; `today` for date checks
 * @throws AppError VALIDATION (422) listing every failing field in English and Vietnamese;
 *   PERSON_DOCUMENT_TAKEN (409) naming the person who holds the ID number
 */
export async function createPerson(db: Kysely<Database>, input: NewPerson, actor: string, options: { importId?: number; today?: string } = {}): Promise<PersonResult> {
  const { clean, issues } = validatePerson(input, options.today === undefined ? {} : { today: options.today });
  if (!clean) throw validationError(issues);
  const warnings = issues.filter((i) => i.severity === 'warning');
  const doc = clean.document;
  return db
    .transaction()
    .execute(async (trx) => {
      if (doc) {
        const holder = await documentHolder(trx, doc);
        if (holder !== undefined) throw taken(doc.number, holder);
      }
      const row = await trx
        .insertInto('person')
        .values({ ...personColumns(clean), created_by: actor, import_id: options.importId ?? null })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (doc) await trx.insertInto('person_document').values({ person_id: row.id, kind: doc.kind, number: doc.number, country: doc.country }).execute();
      const person = await getPerson(trx, row.id);
      await writeAudit(trx, { actor, action: 'create', entity: 'person', entityId: row.id, before: null, after: snapshot(person) });
      return { person, warnings };
    })
    .catch(async (e: unknown) => {
      if (doc && isUniqueViolation(e)) {
        const holder = await documentHolder(db, doc);
        if (holder !== undefined) throw taken(doc.number, holder);
      }
      throw e;
    });
}

function personColumns(c: CleanPerson) {
  return {
    full_name_raw: c.fullNameRaw,
    full_name: c.fullName,
    name_fold: c.nameFold,
    dob: c.dob.text,
    sex: c.sex,
    nationality: c.nationality,
    phone: c.phone,
    province_code: c.provinceCode,
    district_code: c.districtCode,
    ward_code: c.wardCode,
  };
}

/** What the audit trail keeps of a person: identity fields and documents (not doses). */
function snapshot(p: PersonWithDocuments): Record<string, unknown> {
  return {
    fullNameRaw: p.fullNameRaw,
    fullName: p.fullName,
    dob: p.dob,
    sex: p.sex,
    nationality: p.nationality,
    phone: p.phone,
    provinceCode: p.provinceCode,
    districtCode: p.districtCode,
    wardCode: p.wardCode,
    version: p.version,
    documents: p.documents.map((d) => ({ kind: d.kind, number: d.number, country: d.country, current: d.current })),
  };
}

/**
 * Corrects a person: the patched fields are validated together with the unchanged ones (a new
 * date of birth is checked against the current CCCD), `version` is bumped, and the audit row
 * keeps before, after and the reason. A new ID number becomes the current document; the old one
 * stays, marked not current.
 * @param db - database
 * @param id - person id
 * @param patch - fields to change (as entered)
 * @param actor - who corrects (audit)
 * @param reason - why (required)
 * @throws AppError PERSON_NOT_FOUND (404), VALIDATION (422), PERSON_DOCUMENT_TAKEN (409),
 *   VERSION_CONFLICT (409) when `expectedVersion` is stale
 */
export async function correctPerson(db: Kysely<Database>, id: number, patch: PersonPatch, actor: string, reason: string): Promise<PersonResult> {
  if (reason.trim() === '') throw validationError([{ field: 'reason', code: 'FIELD_REQUIRED', severity: 'error', en: 'A correction needs a reason', vi: 'Cần ghi lý do đính chính' }]);
  return db.transaction().execute(async (trx) => {
    const before = await getPerson(trx, id);
    if (patch.expectedVersion !== undefined && patch.expectedVersion !== before.version) {
      throw new AppError('VERSION_CONFLICT', `person ${id} is at version ${before.version}, not ${patch.expectedVersion}; reload and retry`, 409, { version: before.version });
    }
    const currentDoc = before.documents.find((d) => d.current);
    const nameChanged = patch.fullName !== undefined;
    const merged: NewPerson = {
      fullName: patch.fullName ?? before.fullName,
      dob: patch.dob ?? before.dob,
      sex: patch.sex ?? before.sex,
      idNumber: patch.idNumber !== undefined ? patch.idNumber : (currentDoc?.number ?? null),
      idCountry: patch.idCountry !== undefined ? patch.idCountry : currentDoc?.kind === 'PASSPORT' ? currentDoc.country : null,
      nationality: patch.nationality ?? before.nationality,
      phone: patch.phone !== undefined ? patch.phone : before.phone,
      provinceCode: patch.provinceCode !== undefined ? patch.provinceCode : before.provinceCode,
      districtCode: patch.districtCode !== undefined ? patch.districtCode : before.districtCode,
      wardCode: patch.wardCode !== undefined ? patch.wardCode : before.wardCode,
    };
    const { clean, issues } = validatePerson(merged);
    if (!clean) throw validationError(issues);
    const cols = personColumns(clean);
    await trx
      .updateTable('person')
      .set({
        ...cols,
        // An unchanged name keeps its raw form (the stored name re-validates to the same clean forms).
        ...(nameChanged ? {} : { full_name_raw: before.fullNameRaw, full_name: before.fullName, name_fold: before.nameFold }),
        version: before.version + 1,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    const doc = clean.document;
    if (doc && !(currentDoc && currentDoc.kind === doc.kind && currentDoc.number === doc.number && currentDoc.country === doc.country)) {
      const holder = await documentHolder(trx, doc);
      if (holder !== undefined && holder !== id) throw taken(doc.number, holder);
      await trx.updateTable('person_document').set({ current: 0 }).where('person_id', '=', id).execute();
      if (holder === id) {
        await trx.updateTable('person_document').set({ current: 1 }).where('person_id', '=', id).where('number', '=', doc.number).where('kind', '=', doc.kind).where('country', '=', doc.country).execute();
      } else {
        await trx.insertInto('person_document').values({ person_id: id, kind: doc.kind, number: doc.number, country: doc.country }).execute();
      }
    }
    const after = await getPerson(trx, id);
    await writeAudit(trx, { actor, action: 'correct', entity: 'person', entityId: id, before: snapshot(before), after: snapshot(after), reason: reason.trim() });
    return { person: after, warnings: issues.filter((i) => i.severity === 'warning') };
  });
}

/**
 * Finds people by exact ID number (any of their documents, repaired like an import: lost
 * leading zeros, separators), or by name and date of birth (diacritics-insensitive name; a
 * stored partial date of birth matches a fuller one given: `1960` matches `1960-05-01`).
 * @param db - database
 * @param query - `{ idNumber }` or `{ name, dob }`
 * @throws AppError VALIDATION (422) when the ID number, name or date cannot be read
 */
export async function searchPeople(db: Kysely<Database>, query: PersonSearch): Promise<PersonWithDocuments[]> {
  let people: Person[];
  if ('idNumber' in query) {
    const r = parseIdNumber(query.idNumber);
    if (!r.ok || r.value === null) throw validationError(r.ok ? [{ field: 'id_number', code: 'FIELD_REQUIRED', severity: 'error', en: 'Give an ID number to search', vi: 'Hãy nhập số định danh để tìm' }] : r.issues);
    const number = r.value.number;
    const rows = await db
      .selectFrom('person as p')
      .innerJoin('person_document as d', 'd.person_id', 'p.id')
      .selectAll('p')
      .where('d.number', '=', number)
      .orderBy('p.id')
      .limit(SEARCH_LIMIT)
      .execute();
    people = dedupe(rows.map(toPerson));
  } else {
    const issues: FieldIssue[] = [];
    const fold = foldName(repairVietnamese(query.name.trim()).text).replace(/\s+/g, ' ').trim();
    if (fold === '') issues.push({ field: 'name', code: 'FIELD_REQUIRED', severity: 'error', en: 'Give a name to search', vi: 'Hãy nhập họ tên để tìm' });
    const dob = parseDob(query.dob);
    if (!dob.ok) issues.push(...dob.issues);
    if (!dob.ok || fold === '') throw validationError(issues);
    const d = dob.value;
    const forms = [d.text, ...(d.month !== undefined ? [d.text.slice(0, 7), d.text.slice(0, 4)] : [])];
    const rows = await db.selectFrom('person').selectAll().where('name_fold', '=', fold).where('dob', 'in', [...new Set(forms)]).orderBy('id').limit(SEARCH_LIMIT).execute();
    people = rows.map(toPerson);
  }
  return withDocuments(db, people);
}

function dedupe(people: Person[]): Person[] {
  const seen = new Set<number>();
  return people.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}

/**
 * The change history of a person and of all their doses (voided ones included), oldest first.
 * @param db - database
 * @param id - person id
 * @throws AppError PERSON_NOT_FOUND (404)
 */
export async function personHistory(db: Kysely<Database>, id: number): Promise<HistoryEntry[]> {
  if (!(await findPerson(db, id))) throw notFound(id);
  const doseIds = (await db.selectFrom('dose').select('id').where('person_id', '=', id).execute()).map((r) => String(r.id));
  let q = db.selectFrom('audit_log').selectAll().where((eb) => {
    const person = eb.and([eb('entity', '=', 'person'), eb('entity_id', '=', String(id))]);
    return doseIds.length === 0 ? person : eb.or([person, eb.and([eb('entity', '=', 'dose'), eb('entity_id', 'in', doseIds)])]);
  });
  q = q.orderBy('id');
  const rows = await q.execute();
  return rows.map((r) => {
    const after = r.after_json === null ? null : (JSON.parse(r.after_json) as Record<string, unknown>);
    let reason: string | null = null;
    if (after && typeof after._reason === 'string') {
      reason = after._reason;
      delete after._reason;
    }
    return { id: r.id, at: r.at, actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, before: r.before_json === null ? null : (JSON.parse(r.before_json) as unknown), after, reason };
  });
}

/**
 * The facility codes linked to a person (where they have doses), for access checks.
 * @param db - database
 * @param id - person id
 */
export async function facilitiesOfPerson(db: Kysely<Database>, id: number): Promise<string[]> {
  const rows = await db.selectFrom('dose as d').innerJoin('facility as f', 'f.id', 'd.facility_id').select('f.code').distinct().where('d.person_id', '=', id).execute();
  return rows.map((r) => r.code);
}

