/**
 * The facility worklist: people with an active dose recorded by the facility whose current
 * verification is not VERIFIED, with the reasons, the register's suggestions and the data sent.
 * People the police confirmed as recorded (for their current version) are left out: the
 * facility has nothing more to do for them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { getFacilityByCode } from '../../registry/index.js';
import type { IdentityCaseStatus, Page, WorklistItem, WorklistQuery, WorklistStatus } from './cleaning-types.js';
import { WORKLIST_MAX_PAGE } from './cleaning-types.js';
import { parseFields, parseSent, parseSuggestions } from './parse-state.js';
import { worklistReasons } from './worklist-reasons.js';

/**
 * Reads a keyset cursor (a person or row id as this module gives it).
 * @param cursor - text from a previous page
 * @throws AppError BAD_REQUEST (400) for anything else
 */
export function readCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,15}$/.test(cursor)) throw new AppError('BAD_REQUEST', `cursor "${cursor}" is not one this API gave`, 400, { field: 'cursor' });
  return Number(cursor);
}

/**
 * Clamps a page size.
 * @param limit - asked
 */
export function pageSize(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? 50, WORKLIST_MAX_PAGE));
}

/**
 * One page of a facility's worklist, by person id.
 * @param db - database
 * @param facilityCode - the facility
 * @param query - status filter, page size and cursor
 * @throws AppError FACILITY_NOT_FOUND (404), BAD_REQUEST (400) for a bad cursor
 */
export async function facilityWorklist(db: Kysely<Database>, facilityCode: string, query: WorklistQuery = {}): Promise<Page<WorklistItem>> {
  const facility = await getFacilityByCode(db, facilityCode);
  const limit = pageSize(query.limit);
  let q = db
    .selectFrom('verification_state as s')
    .innerJoin('person as p', 'p.id', 's.person_id')
    .select(['p.id', 'p.version', 'p.full_name', 'p.dob', 'p.sex', 's.person_version', 's.status', 's.fields', 's.suggestions_json', 's.sent_json', 's.checked_at'])
    .where('s.status', '!=', 'VERIFIED')
    .where('p.id', '>', readCursor(query.cursor))
    .where((eb) => eb.exists(eb.selectFrom('dose as d').select('d.id').whereRef('d.person_id', '=', 'p.id').where('d.facility_id', '=', facility.id).where('d.status', '=', 'active')))
    // A police confirmation for the current version takes the person off the list.
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('identity_case as c').select('c.id').whereRef('c.person_id', '=', 'p.id').where('c.status', '=', 'confirmed_by_police').whereRef('c.resolved_version', '=', 'p.version'))),
    )
    .orderBy('p.id')
    .limit(limit + 1);
  if (query.status !== undefined) q = q.where('s.status', '=', query.status);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const ids = page.map((r) => r.id);
  const [docs, cases, reports] = ids.length === 0 ? [[], [], []] : await Promise.all([
    db.selectFrom('person_document').select(['person_id', 'number']).where('person_id', 'in', ids).where('current', '=', 1).execute(),
    db.selectFrom('identity_case').select(['id', 'person_id', 'status', 'created_at']).where('person_id', 'in', ids).where('status', '=', 'needs_identity_confirmation').execute(),
    db
      .selectFrom('citizen_report')
      .select((eb) => ['person_id', eb.fn.countAll<number>().as('n')])
      .where('person_id', 'in', ids)
      .where('status', 'in', ['new', 'in_progress'])
      .groupBy('person_id')
      .execute(),
  ]);
  const docOf = new Map(docs.map((d) => [d.person_id, d.number]));
  const caseOf = new Map(cases.map((c) => [c.person_id, c]));
  const reportsOf = new Map(reports.map((r) => [r.person_id, Number(r.n as unknown)]));
  const items = page.map((r): WorklistItem => {
    const status = r.status as WorklistStatus;
    const fields = parseFields(r.fields);
    const c = caseOf.get(r.id);
    return {
      personId: r.id,
      personVersion: r.version,
      fullName: r.full_name,
      dob: r.dob,
      sex: r.sex === 'F' ? 'F' : 'M',
      idNumber: docOf.get(r.id) ?? null,
      status,
      fields,
      reasons: worklistReasons(status, fields),
      suggestions: parseSuggestions(r.suggestions_json),
      sent: parseSent(r.sent_json),
      checkedAt: r.checked_at,
      stale: r.person_version < r.version,
      escalation: c ? { caseId: c.id, status: c.status as IdentityCaseStatus, createdAt: c.created_at } : null,
      openReports: reportsOf.get(r.id) ?? 0,
    };
  });
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? String(last.id) : null };
}
