/**
 * Doses: record (validated against the person and their other doses; a second active dose of
 * the same product on the same day is refused as a duplicate), correct (re-validated, version
 * bumped), void, and list a facility's doses with keyset paging. Every change writes its
 * `audit_log` row in the same transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import type { FieldIssue } from '../validate/index.js';
import { isUniqueViolation, validationError, writeAudit } from '../common/index.js';
import { findFacilityByCode } from '../facility/facility-repository.js';
import { findPerson } from '../person/person-repository.js';
import { activeDosesOf, findDose, selectDoses, toDose } from './dose-repository.js';
import type { Dose, DoseListQuery, DosePage, DosePatch, NewDose } from './dose-types.js';
import { DOSE_SOURCES, DOSE_STATUSES } from './dose-types.js';
import { validateDose } from './validate-dose.js';
import type { DoseCheck } from './validate-dose.js';

/** A recorded or corrected dose with the warnings validation raised (e.g. a short interval). */
export interface DoseResult {
  readonly dose: Dose;
  readonly warnings: readonly FieldIssue[];
}

/** Largest page of {@link listFacilityDoses}. */
export const MAX_PAGE = 500;
const DEFAULT_PAGE = 50;

function duplicate(existing: Dose | undefined, issues: readonly FieldIssue[]): AppError {
  return new AppError(
    'DOSE_DUPLICATE',
    existing ? `this dose is already recorded as dose ${existing.id} (same person, product and day)` : 'this dose is already recorded (same person, product and day)',
    409,
    { existingDoseId: existing?.id ?? null, issues: [...issues] },
  );
}

function settle(check: DoseCheck): NonNullable<DoseCheck['clean']> {
  if (check.duplicateOf !== undefined || check.issues.some((i) => i.code === 'DOSE_DUPLICATE')) throw duplicate(check.duplicateOf, check.issues.filter((i) => i.code === 'DOSE_DUPLICATE'));
  if (!check.clean) throw validationError(check.issues);
  return check.clean;
}

/**
 * The dose with `id`.
 * @param db - database or transaction
 * @param id - dose id
 * @throws AppError DOSE_NOT_FOUND (404)
 */
export async function getDose(db: Kysely<Database>, id: number): Promise<Dose> {
  const d = await findDose(db, id);
  if (!d) throw new AppError('DOSE_NOT_FOUND', `no dose with id ${id}`, 404, { id });
  return d;
}

/**
 * Records a dose.
 * @param db - database
 * @param input - person, facility, vaccine as written, lot, date, dose number, vaccinator, source
 * @param actor - who records it (audit)
 * @param options - `importId` for bulk-import rows; `today` for date checks
 * @throws AppError PERSON_NOT_FOUND / FACILITY_NOT_FOUND (404), FACILITY_INACTIVE (409),
 *   VALIDATION (422) listing every failing field, DOSE_DUPLICATE (409) with `existingDoseId`
 */
export async function recordDose(db: Kysely<Database>, input: NewDose, actor: string, options: { importId?: number; today?: string } = {}): Promise<DoseResult> {
  if (!(DOSE_SOURCES as readonly string[]).includes(input.source)) throw new AppError('VALIDATION', `unknown dose source ${input.source}`, 422, { field: 'source' });
  const facility = await findFacilityByCode(db, input.facilityCode);
  if (!facility) throw new AppError('FACILITY_NOT_FOUND', `no facility with code ${input.facilityCode}`, 404, { facilityCode: input.facilityCode });
  if (!facility.active) throw new AppError('FACILITY_INACTIVE', `facility ${facility.code} is inactive`, 409, { facilityCode: facility.code });
  return db
    .transaction()
    .execute(async (trx) => {
      const person = await findPerson(trx, input.personId);
      if (!person) throw new AppError('PERSON_NOT_FOUND', `no person with id ${input.personId}`, 404, { id: input.personId });
      const check = validateDose(input, person.dob, await activeDosesOf(trx, person.id), options.today === undefined ? {} : { today: options.today });
      const clean = settle(check);
      const row = await trx
        .insertInto('dose')
        .values({
          person_id: person.id,
          facility_id: facility.id,
          product_id: clean.product.id,
          lot: clean.lot,
          dose_date: clean.doseDate,
          dose_number: clean.doseNumber,
          dose_kind: clean.doseKind,
          vaccinator: clean.vaccinator,
          source: input.source,
          created_by: actor,
          import_id: options.importId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const dose = await getDose(trx, row.id);
      await writeAudit(trx, { actor, action: 'create', entity: 'dose', entityId: dose.id, before: null, after: snapshot(dose) });
      return { dose, warnings: check.issues.filter((i) => i.severity === 'warning') };
    })
    .catch(async (e: unknown) => {
      // Two writers raced past the duplicate check: the partial unique index refused the second.
      if (!isUniqueViolation(e)) throw e;
      const active = await activeDosesOf(db, input.personId);
      const check = validateDose(input, (await findPerson(db, input.personId))?.dob ?? '1900', active);
      throw duplicate(check.duplicateOf, []);
    });
}

/** What the audit trail keeps of a dose. */
function snapshot(d: Dose): Record<string, unknown> {
  return {
    personId: d.personId,
    facilityCode: d.facilityCode,
    productId: d.productId,
    lot: d.lot,
    doseDate: d.doseDate,
    doseNumber: d.doseNumber,
    doseKind: d.doseKind,
    vaccinator: d.vaccinator,
    source: d.source,
    status: d.status,
    voidReason: d.voidReason,
    version: d.version,
  };
}

function requireReason(reason: string, what: string): string {
  const r = reason.trim();
  if (r === '') throw validationError([{ field: 'reason', code: 'FIELD_REQUIRED', severity: 'error', en: `A ${what} needs a reason`, vi: 'Cần ghi lý do' }]);
  return r;
}

async function activeForChange(trx: Kysely<Database>, id: number, expectedVersion: number | undefined): Promise<Dose> {
  const dose = await getDose(trx, id);
  if (dose.status !== 'active') throw new AppError('DOSE_VOIDED', `dose ${id} is voided and cannot change`, 409, { id });
  if (expectedVersion !== undefined && expectedVersion !== dose.version) {
    throw new AppError('VERSION_CONFLICT', `dose ${id} is at version ${dose.version}, not ${expectedVersion}; reload and retry`, 409, { version: dose.version });
  }
  return dose;
}

/**
 * Corrects a dose: the merged values are re-validated against the person's other active doses,
 * `version` is bumped and the audit row keeps before, after and the reason.
 * @param db - database
 * @param id - dose id
 * @param patch - fields to change (as entered)
 * @param actor - who corrects (audit)
 * @param reason - why (required)
 * @throws AppError DOSE_NOT_FOUND (404), DOSE_VOIDED / VERSION_CONFLICT / DOSE_DUPLICATE (409), VALIDATION (422)
 */
export async function correctDose(db: Kysely<Database>, id: number, patch: DosePatch, actor: string, reason: string): Promise<DoseResult> {
  const why = requireReason(reason, 'correction');
  return db
    .transaction()
    .execute(async (trx) => {
      const before = await activeForChange(trx, id, patch.expectedVersion);
      const person = await findPerson(trx, before.personId);
      const others = (await activeDosesOf(trx, before.personId)).filter((d) => d.id !== id);
      const check = validateDose(
        {
          vaccine: patch.vaccine ?? before.productId,
          doseDate: patch.doseDate ?? before.doseDate,
          doseNumber: patch.doseNumber ?? before.doseNumber,
          lot: patch.lot !== undefined ? patch.lot : before.lot,
          vaccinator: patch.vaccinator !== undefined ? patch.vaccinator : before.vaccinator,
        },
        person?.dob ?? '1900',
        others,
      );
      const clean = settle(check);
      await trx
        .updateTable('dose')
        .set({
          product_id: clean.product.id,
          lot: clean.lot,
          dose_date: clean.doseDate,
          dose_number: clean.doseNumber,
          dose_kind: clean.doseKind,
          vaccinator: clean.vaccinator,
          version: before.version + 1,
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', id)
        .execute();
      const after = await getDose(trx, id);
      await writeAudit(trx, { actor, action: 'correct', entity: 'dose', entityId: id, before: snapshot(before), after: snapshot(after), reason: why });
      return { dose: after, warnings: check.issues.filter((i) => i.severity === 'warning') };
    })
    .catch((e: unknown) => {
      throw isUniqueViolation(e) ? duplicate(undefined, []) : e;
    });
}

/**
 * Voids a dose (it stays, with status `voided` and the reason; it no longer counts).
 * @param db - database
 * @param id - dose id
 * @param reason - why (required)
 * @param actor - who voids (audit)
 * @throws AppError DOSE_NOT_FOUND (404), DOSE_VOIDED (409) when already voided
 */
export async function voidDose(db: Kysely<Database>, id: number, reason: string, actor: string): Promise<Dose> {
  const why = requireReason(reason, 'void');
  return db.transaction().execute(async (trx) => {
    const before = await activeForChange(trx, id, undefined);
    await trx.updateTable('dose').set({ status: 'voided', void_reason: why, version: before.version + 1, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    const after = await getDose(trx, id);
    await writeAudit(trx, { actor, action: 'void', entity: 'dose', entityId: id, before: snapshot(before), after: snapshot(after), reason: why });
    return after;
  });
}

function encodeCursor(d: Dose): string {
  return Buffer.from(JSON.stringify([d.doseDate, d.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, number] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && Number.isSafeInteger(v[1])) return [v[0], v[1] as number];
  } catch {
    // fall through
  }
  throw new AppError('BAD_REQUEST', 'cursor is not one this API gave out', 400, { field: 'cursor' });
}

/**
 * A facility's doses in (dose date, id) order, filtered, one page at a time (keyset paging:
 * stable while rows are added, and as fast on page 10 000 as on page 1).
 * @param db - database
 * @param facilityCode - the facility
 * @param query - filters, `limit` (1-500, default 50) and the previous page's `nextCursor`
 * @throws AppError FACILITY_NOT_FOUND (404), BAD_REQUEST (400) for a bad cursor or limit
 */
export async function listFacilityDoses(db: Kysely<Database>, facilityCode: string, query: DoseListQuery = {}): Promise<DosePage> {
  const facility = await findFacilityByCode(db, facilityCode);
  if (!facility) throw new AppError('FACILITY_NOT_FOUND', `no facility with code ${facilityCode}`, 404, { facilityCode });
  const limit = query.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new AppError('BAD_REQUEST', `limit must be 1-${MAX_PAGE}`, 400, { field: 'limit' });
  if (query.status !== undefined && !(DOSE_STATUSES as readonly string[]).includes(query.status)) throw new AppError('BAD_REQUEST', `status must be ${DOSE_STATUSES.join(' or ')}`, 400, { field: 'status' });
  let q = selectDoses(db).where('d.facility_id', '=', facility.id);
  if (query.from !== undefined) q = q.where('d.dose_date', '>=', query.from);
  if (query.to !== undefined) q = q.where('d.dose_date', '<=', query.to);
  if (query.productId !== undefined) q = q.where('d.product_id', '=', query.productId);
  if (query.status !== undefined) q = q.where('d.status', '=', query.status);
  if (query.doseNumber !== undefined) q = q.where('d.dose_number', '=', query.doseNumber);
  if (query.cursor !== undefined) {
    const [date, id] = decodeCursor(query.cursor);
    q = q.where((eb) => eb.or([eb('d.dose_date', '>', date), eb.and([eb('d.dose_date', '=', date), eb('d.id', '>', id)])]));
  }
  const rows = (await q.orderBy('d.dose_date').orderBy('d.id').limit(limit + 1).execute()).map(toDose);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
