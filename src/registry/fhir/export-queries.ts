/**
 * Read queries behind the FHIR export: people and doses in keyset pages (by id, 1000 a page),
 * so an export of millions of rows never holds more than one page in memory.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../errors/index.js';
import type { Database } from '../../db/index.js';
import type { FhirDocumentRow, FhirPersonRow } from './person-to-patient.js';
import type { FhirDoseRow, FhirFacilityRow } from './dose-to-immunization.js';

/** Which records an export covers; the filters combine with AND. */
export interface ExportFilter {
  /** Doses recorded by this facility, and the people they were given to. */
  readonly facilityCode?: string | undefined;
  /** These people (all of them, even without doses) and their doses. */
  readonly personIds?: readonly number[] | undefined;
  /** Doses recorded by facilities of this province (2-digit code), and their people. */
  readonly provinceCode?: string | undefined;
}

/** Rows per keyset page. */
export const EXPORT_PAGE_SIZE = 1000;

/** A person with their documents. */
export interface PersonWithDocuments {
  readonly person: FhirPersonRow;
  readonly documents: FhirDocumentRow[];
}

/** A dose with the facility that recorded it. */
export interface DoseWithFacility {
  readonly dose: FhirDoseRow & { readonly person_id: number };
  readonly facility: FhirFacilityRow;
}

/** The filter with the facility code resolved to its id. */
interface ResolvedFilter {
  readonly facilityId: number | undefined;
  readonly provinceCode: string | undefined;
  /** Sorted, deduplicated, split in pages; undefined = everyone. */
  readonly personIdChunks: readonly (readonly number[])[] | undefined;
}

/**
 * Checks the filter and looks up the facility.
 * @throws AppError `FACILITY_NOT_FOUND` (404) for an unknown facility code
 */
async function resolveFilter(db: Kysely<Database>, filter: ExportFilter): Promise<ResolvedFilter> {
  let facilityId: number | undefined;
  if (filter.facilityCode !== undefined) {
    const row = await db.selectFrom('facility').select('id').where('code', '=', filter.facilityCode).executeTakeFirst();
    if (row === undefined) {
      throw new AppError('FACILITY_NOT_FOUND', `no facility with code ${filter.facilityCode}`, 404, { facilityCode: filter.facilityCode });
    }
    facilityId = row.id;
  }
  let personIdChunks: number[][] | undefined;
  if (filter.personIds !== undefined) {
    // Chunks keep every IN list far below SQLite's bound-parameter limit.
    const ids = [...new Set(filter.personIds)].sort((a, b) => a - b);
    personIdChunks = [];
    for (let i = 0; i < ids.length; i += EXPORT_PAGE_SIZE) personIdChunks.push(ids.slice(i, i + EXPORT_PAGE_SIZE));
  }
  return { facilityId, provinceCode: filter.provinceCode, personIdChunks };
}

/**
 * Yields the filter's people in pages of {@link EXPORT_PAGE_SIZE}, in id order, each person with
 * all their documents (one extra query per page).
 * @param db - the database
 * @param filter - which people (see {@link ExportFilter})
 * @throws AppError `FACILITY_NOT_FOUND` for an unknown facility code
 */
export async function* readPersonPages(db: Kysely<Database>, filter: ExportFilter): AsyncGenerator<PersonWithDocuments[]> {
  const f = await resolveFilter(db, filter);
  for (const chunk of f.personIdChunks ?? [undefined]) {
    let after = 0;
    for (;;) {
      let q = db
        .selectFrom('person')
        .select(['id', 'full_name', 'dob', 'sex', 'nationality', 'phone', 'province_code', 'district_code', 'ward_code', 'version', 'updated_at'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(EXPORT_PAGE_SIZE);
      if (chunk !== undefined) q = q.where('id', 'in', chunk);
      if (f.facilityId !== undefined || f.provinceCode !== undefined) {
        const { facilityId, provinceCode } = f;
        q = q.where((eb) => {
          let sub = eb.selectFrom('dose').select('dose.id').whereRef('dose.person_id', '=', 'person.id');
          if (facilityId !== undefined) sub = sub.where('dose.facility_id', '=', facilityId);
          if (provinceCode !== undefined) {
            sub = sub.where('dose.facility_id', 'in', eb.selectFrom('facility').select('facility.id').where('facility.province_code', '=', provinceCode));
          }
          return eb.exists(sub);
        });
      }
      const people = await q.execute();
      const last = people.at(-1);
      if (last === undefined) break;
      const documents = await db
        .selectFrom('person_document')
        .select(['person_id', 'kind', 'number', 'country', 'current'])
        .where(
          'person_id',
          'in',
          people.map((p) => p.id),
        )
        .orderBy('id')
        .execute();
      const byPerson = new Map<number, FhirDocumentRow[]>();
      for (const d of documents) {
        const list = byPerson.get(d.person_id);
        if (list === undefined) byPerson.set(d.person_id, [d]);
        else list.push(d);
      }
      yield people.map((person) => ({ person, documents: byPerson.get(person.id) ?? [] }));
      if (people.length < EXPORT_PAGE_SIZE) break;
      after = last.id;
    }
  }
}

/**
 * Yields the filter's doses (active and voided) in pages of {@link EXPORT_PAGE_SIZE}, in id
 * order, each with its facility's code and name.
 * @param db - the database
 * @param filter - which doses (see {@link ExportFilter})
 * @throws AppError `FACILITY_NOT_FOUND` for an unknown facility code
 */
export async function* readDosePages(db: Kysely<Database>, filter: ExportFilter): AsyncGenerator<DoseWithFacility[]> {
  const f = await resolveFilter(db, filter);
  for (const chunk of f.personIdChunks ?? [undefined]) {
    let after = 0;
    for (;;) {
      let q = db
        .selectFrom('dose')
        .innerJoin('facility', 'facility.id', 'dose.facility_id')
        .select([
          'dose.id',
          'dose.person_id',
          'dose.product_id',
          'dose.lot',
          'dose.dose_date',
          'dose.dose_number',
          'dose.dose_kind',
          'dose.vaccinator',
          'dose.source',
          'dose.status',
          'dose.void_reason',
          'dose.version',
          'dose.updated_at',
          'facility.code as facility_code',
          'facility.name as facility_name',
        ])
        .where('dose.id', '>', after)
        .orderBy('dose.id')
        .limit(EXPORT_PAGE_SIZE);
      if (chunk !== undefined) q = q.where('dose.person_id', 'in', chunk);
      if (f.facilityId !== undefined) q = q.where('dose.facility_id', '=', f.facilityId);
      if (f.provinceCode !== undefined) q = q.where('facility.province_code', '=', f.provinceCode);
      const rows = await q.execute();
      const last = rows.at(-1);
      if (last === undefined) break;
      yield rows.map(({ facility_code, facility_name, ...dose }) => ({ dose, facility: { code: facility_code, name: facility_name } }));
      if (rows.length < EXPORT_PAGE_SIZE) break;
      after = last.id;
    }
  }
}
