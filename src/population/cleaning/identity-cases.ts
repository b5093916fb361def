/**
 * Escalation to the local police: a facility that cannot settle an identity (the register and
 * the person disagree and no suggestion fits) opens a case `needs_identity_confirmation`. The
 * police of the person's area (their registered province/district, else the facility's) either
 * confirm the identity as recorded (`confirmed_by_police`: the register is wrong or outdated) or
 * correct identity fields through `correctPerson` (`corrected_by_police`, then re-verified).
 *
 * A confirmation does not touch the verification result (the register still disagrees and the
 * funnel says so honestly); it holds for the person's version at confirmation: the person leaves
 * the facility worklist, and {@link policeConfirmation} tells issuance the identity was confirmed.
 * Any later correction of the person ends that (the new data was not confirmed).
 *
 * Every step writes `audit_log` (entity `identity_case`) in the same transaction as the change.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, IdentityCaseTable } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { correctPerson, findFacilityByCode, getPerson, writeAudit } from '../../registry/index.js';
import type { PersonDetail } from '../../registry/index.js';
import { findDistrict, findProvince } from '../../registry/reference/index.js';
import type { IdentityCase, IdentityCaseStatus, IdentityCorrection, Page, PoliceArea, Reverification, ReverifyOptions } from './cleaning-types.js';
import { facilityCodes } from './facility-codes.js';
import { pageSize, readCursor } from './facility-worklist.js';
import { reverifyPerson } from './reverify-person.js';

const OPEN: IdentityCaseStatus = 'needs_identity_confirmation';

async function toCase(db: Kysely<Database>, r: Selectable<IdentityCaseTable>, codes?: ReadonlyMap<number, string>): Promise<IdentityCase> {
  const code = r.facility_id === null ? undefined : (codes ?? (await facilityCodes(db, [r.facility_id]))).get(r.facility_id);
  return {
    id: r.id,
    personId: r.person_id,
    facilityCode: code ?? null,
    provinceCode: r.province_code,
    districtCode: r.district_code,
    status: r.status as IdentityCaseStatus,
    note: r.note,
    personVersion: r.person_version,
    resolvedVersion: r.resolved_version,
    verificationStatus: r.verification_status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at,
    resolutionNote: r.resolution_note,
  };
}

/**
 * The area of a police token's scope: `79` (a province) or `79/760` (one of its districts).
 * @param scope - the token's scope
 * @returns the area, or null for a national (unscoped) token
 * @throws AppError FORBIDDEN (403) for a scope that names no known province/district
 */
export function policeAreaOf(scope: string | null): PoliceArea | null {
  if (scope === null) return null;
  const [provinceCode = '', districtCode] = scope.split('/', 2);
  if (!findProvince(provinceCode) || (districtCode !== undefined && findDistrict(districtCode)?.provinceCode !== provinceCode)) {
    throw new AppError('FORBIDDEN', `police scope "${scope}" names no known province or district`, 403);
  }
  return { provinceCode, districtCode: districtCode ?? null };
}

/**
 * Whether a case lies in an area (null = national: every case).
 * @param c - the case
 * @param area - the police area
 */
export function caseInArea(c: Pick<IdentityCase, 'provinceCode' | 'districtCode'>, area: PoliceArea | null): boolean {
  return area === null || (c.provinceCode === area.provinceCode && (area.districtCode === null || c.districtCode === area.districtCode));
}

/**
 * Opens a case for the police.
 * @param db - database
 * @param personId - the person
 * @param note - what the facility checked and why it escalates (required)
 * @param actor - who escalates (audit)
 * @param options - `facilityCode` of the escalating facility (its area is used when the person has none)
 * @throws AppError PERSON_NOT_FOUND (404), VALIDATION (422) without a note, IDENTITY_CASE_OPEN
 *   (409) when the person already has an open case, CASE_AREA_UNKNOWN (422) when neither the
 *   person nor the facility has a province
 */
export async function escalateToPolice(db: Kysely<Database>, personId: number, note: string, actor: string, options: { facilityCode?: string | undefined } = {}): Promise<IdentityCase> {
  const text = note.trim();
  if (text === '') throw new AppError('VALIDATION', 'an escalation needs a note', 422, { field: 'note' });
  const person = await getPerson(db, personId);
  const facility = options.facilityCode === undefined ? undefined : await findFacilityByCode(db, options.facilityCode);
  const provinceCode = person.provinceCode ?? facility?.provinceCode ?? null;
  if (provinceCode === null) throw new AppError('CASE_AREA_UNKNOWN', `person ${personId} has no province and no facility was given: no police area to send the case to`, 422, { personId });
  const districtCode = person.provinceCode !== null ? person.districtCode : (facility?.districtCode ?? null);
  return db.transaction().execute(async (trx) => {
    const open = await trx.selectFrom('identity_case').select('id').where('person_id', '=', personId).where('status', '=', OPEN).executeTakeFirst();
    if (open) throw new AppError('IDENTITY_CASE_OPEN', `person ${personId} already has open case ${open.id}`, 409, { caseId: open.id });
    const state = await trx.selectFrom('verification_state').select('status').where('person_id', '=', personId).executeTakeFirst();
    const now = new Date().toISOString();
    const row = await trx
      .insertInto('identity_case')
      .values({
        person_id: personId,
        facility_id: facility?.id ?? null,
        province_code: provinceCode,
        district_code: districtCode,
        status: OPEN,
        note: text,
        person_version: person.version,
        verification_status: state?.status ?? null,
        created_by: actor,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const c = await toCase(trx, row);
    await writeAudit(trx, { actor, action: 'escalate', entity: 'identity_case', entityId: c.id, before: null, after: c, reason: text });
    return c;
  });
}

/**
 * A case.
 * @param db - database
 * @param id - case id
 * @throws AppError IDENTITY_CASE_NOT_FOUND (404)
 */
export async function getIdentityCase(db: Kysely<Database>, id: number): Promise<IdentityCase> {
  const r = await db.selectFrom('identity_case').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('IDENTITY_CASE_NOT_FOUND', `no identity case ${id}`, 404, { id });
  return toCase(db, r);
}

/**
 * Cases of an area, oldest first.
 * @param db - database
 * @param area - the police area (null = national)
 * @param query - status filter, page size, cursor
 */
export async function listIdentityCases(
  db: Kysely<Database>,
  area: PoliceArea | null,
  query: { status?: IdentityCaseStatus | undefined; personId?: number | undefined; limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<Page<IdentityCase>> {
  const limit = pageSize(query.limit);
  let q = db.selectFrom('identity_case').selectAll().where('id', '>', readCursor(query.cursor)).orderBy('id').limit(limit + 1);
  if (area !== null) {
    q = q.where('province_code', '=', area.provinceCode);
    if (area.districtCode !== null) q = q.where('district_code', '=', area.districtCode);
  }
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.personId !== undefined) q = q.where('person_id', '=', query.personId);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const codes = await facilityCodes(db, page.map((r) => r.facility_id));
  const items = await Promise.all(page.map((r) => toCase(db, r, codes)));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? String(last.id) : null };
}

async function openCase(db: Kysely<Database>, id: number): Promise<IdentityCase> {
  const c = await getIdentityCase(db, id);
  if (c.status !== OPEN) throw new AppError('IDENTITY_CASE_CLOSED', `identity case ${id} is already ${c.status}`, 409, { id, status: c.status });
  return c;
}

async function closeCase(db: Kysely<Database>, before: IdentityCase, status: IdentityCaseStatus, note: string, actor: string, resolvedVersion: number): Promise<IdentityCase> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const r = await trx
      .updateTable('identity_case')
      .set({ status, resolution_note: note, resolved_by: actor, resolved_at: now, updated_at: now, resolved_version: resolvedVersion })
      .where('id', '=', before.id)
      .where('status', '=', OPEN)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw new AppError('IDENTITY_CASE_CLOSED', `identity case ${before.id} was closed meanwhile`, 409, { id: before.id });
    const after = await toCase(trx, r);
    await writeAudit(trx, { actor, action: status === 'confirmed_by_police' ? 'confirm' : 'correct', entity: 'identity_case', entityId: before.id, before, after, reason: note });
    return after;
  });
}

/**
 * The police confirm the identity as recorded; the case closes and the person stays as is.
 * @param db - database
 * @param id - case id
 * @param note - what was checked (required)
 * @param actor - the police officer (audit), e.g. `police:<token id>:<name>`
 * @throws AppError IDENTITY_CASE_NOT_FOUND (404), IDENTITY_CASE_CLOSED (409), VALIDATION (422)
 */
export async function confirmIdentity(db: Kysely<Database>, id: number, note: string, actor: string): Promise<IdentityCase> {
  const text = note.trim();
  if (text === '') throw new AppError('VALIDATION', 'a confirmation needs a note', 422, { field: 'note' });
  const c = await openCase(db, id);
  const person = await getPerson(db, c.personId);
  return closeCase(db, c, 'confirmed_by_police', text, actor, person.version);
}

/** What {@link correctIdentity} did. */
export interface PoliceCorrection {
  readonly identityCase: IdentityCase;
  readonly person: PersonDetail;
  readonly verification: Reverification;
}

/**
 * The police correct identity fields (through `correctPerson`: validated, audited); the case is
 * resolved and the person re-verified. The correction and the case update are two transactions
 * (the registry's correction is its own); if closing fails, the correction stands and the case
 * stays open for a confirmation.
 * @param db - database
 * @param id - case id
 * @param correction - fields to change (at least one)
 * @param note - what was checked (required)
 * @param actor - the police officer (audit)
 * @param options - the verifier for an immediate re-verification
 * @throws AppError IDENTITY_CASE_NOT_FOUND (404), IDENTITY_CASE_CLOSED (409), VALIDATION (422),
 *   the errors of `correctPerson`
 */
export async function correctIdentity(db: Kysely<Database>, id: number, correction: IdentityCorrection, note: string, actor: string, options: ReverifyOptions = {}): Promise<PoliceCorrection> {
  const text = note.trim();
  if (text === '') throw new AppError('VALIDATION', 'a correction needs a note', 422, { field: 'note' });
  if (Object.values(correction).every((v) => v === undefined)) throw new AppError('VALIDATION', 'give at least one field to correct', 422, { field: 'correction' });
  const c = await openCase(db, id);
  const before = await getPerson(db, c.personId);
  const { person } = await correctPerson(db, c.personId, { ...correction, expectedVersion: before.version }, actor, `identity_case:${id}: ${text}`);
  const identityCase = await closeCase(db, c, 'corrected_by_police', text, actor, person.version);
  const verification = await reverifyPerson(db, c.personId, options);
  return { identityCase, person, verification };
}

/**
 * The police confirmation that holds for the person as they are now, if any: issuance may treat
 * the identity as confirmed although the register disagrees.
 * @param db - database
 * @param personId - the person
 */
export async function policeConfirmation(db: Kysely<Database>, personId: number): Promise<IdentityCase | null> {
  const r = await db
    .selectFrom('identity_case as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .selectAll('c')
    .where('c.person_id', '=', personId)
    .where('c.status', '=', 'confirmed_by_police')
    .whereRef('c.resolved_version', '=', 'p.version')
    .orderBy('c.id', 'desc')
    .executeTakeFirst();
  return r ? toCase(db, r) : null;
}
