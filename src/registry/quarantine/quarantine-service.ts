/**
 * The quarantine of rows an import rejected: a facility lists its pending rows, corrects one
 * (the full row, canonical field names) and resubmits it through the import's own validator and
 * writer (same duplicate and dose-series rules), or discards it. Every resolution is audited.
 *
 * A rejected correction never becomes a second quarantine row: it is validated (fields, then
 * the dose series against the person's doses) before the writer sees it, and its issues replace
 * the row's `issues_json`, the row staying `pending`.
 */
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { validationError, writeAudit } from '../common/index.js';
import { RECORD_FIELDS, createRecordValidator, writeBatch } from '../import/index.js';
import type { RawRecord, RawValue, RowIssue, ValidRecord } from '../import/index.js';
import { findProduct } from '../reference/index.js';
import { checkDoseSeries, todayInVietnam } from '../validate/index.js';
import type { DoseFact, FieldIssue } from '../validate/index.js';

export const QUARANTINE_STATUSES = ['pending', 'resubmitted', 'discarded'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

/** Most rows per page of {@link listQuarantine}. */
export const QUARANTINE_MAX_PAGE = 500;

/** One quarantined row. */
export interface QuarantineItem {
  readonly id: number;
  readonly importId: number;
  readonly facilityCode: string;
  /** The row's number in its file (header = 1) or its FHIR entry/line. */
  readonly rowNumber: number;
  /** The row as read, by canonical field name. */
  readonly raw: RawRecord;
  /** The original text (FHIR resource JSON), when the row came from a structured source. */
  readonly source: string | null;
  /** The problems of the last validation (the import's, or of the last rejected correction). */
  readonly issues: readonly RowIssue[];
  readonly status: QuarantineStatus;
  readonly doseId: number | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  readonly createdAt: string;
}

/** A page of {@link listQuarantine}. */
export interface QuarantinePage {
  readonly items: QuarantineItem[];
  /** Pass back as `cursor` for the next page; null on the last. */
  readonly nextCursor: string | null;
}

/** What a successful resubmission did. */
export interface ResubmitResult {
  /** `imported`: a new dose; `duplicate`: the corrected dose was already recorded. */
  readonly outcome: 'imported' | 'duplicate';
  readonly doseId: number;
  readonly personId: number;
  readonly warnings: readonly FieldIssue[];
  readonly item: QuarantineItem;
}

type QuarantineRow = {
  id: number;
  import_id: number;
  facility_id: number;
  facility_code: string;
  row_number: number;
  raw_json: string;
  issues_json: string;
  status: string;
  dose_id: number | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
};

function toItem(r: QuarantineRow): QuarantineItem {
  const parsed = JSON.parse(r.raw_json) as RawRecord & { source?: unknown };
  const { source, ...raw } = parsed;
  return {
    id: r.id,
    importId: r.import_id,
    facilityCode: r.facility_code,
    rowNumber: r.row_number,
    raw,
    source: typeof source === 'string' ? source : null,
    issues: JSON.parse(r.issues_json) as RowIssue[],
    status: r.status as QuarantineStatus,
    doseId: r.dose_id,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at,
    createdAt: r.created_at,
  };
}

function selectRows(db: Kysely<Database>) {
  return db
    .selectFrom('import_quarantine as q')
    .innerJoin('facility as f', 'f.id', 'q.facility_id')
    .select(['q.id', 'q.import_id', 'q.facility_id', 'f.code as facility_code', 'q.row_number', 'q.raw_json', 'q.issues_json', 'q.status', 'q.dose_id', 'q.resolved_by', 'q.resolved_at', 'q.created_at']);
}

/**
 * A facility's quarantined rows, oldest first, in keyset pages.
 * @param db - database
 * @param facilityCode - the facility
 * @param query - status (default `pending`), page size (default 50, at most 500), cursor
 * @throws AppError FACILITY_NOT_FOUND (404), BAD_REQUEST (400) for a malformed cursor
 */
export async function listQuarantine(
  db: Kysely<Database>,
  facilityCode: string,
  query: { readonly status?: QuarantineStatus | undefined; readonly limit?: number | undefined; readonly cursor?: string | undefined } = {},
): Promise<QuarantinePage> {
  const facility = await db.selectFrom('facility').select('id').where('code', '=', facilityCode).executeTakeFirst();
  if (!facility) throw new AppError('FACILITY_NOT_FOUND', `no facility with code ${facilityCode}`, 404, { facilityCode });
  const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 50)), QUARANTINE_MAX_PAGE);
  let q = selectRows(db)
    .where('q.facility_id', '=', facility.id)
    .where('q.status', '=', query.status ?? 'pending')
    .orderBy('q.id')
    .limit(limit + 1);
  if (query.cursor !== undefined) {
    if (!/^\d{1,15}$/.test(query.cursor)) throw new AppError('BAD_REQUEST', `cursor "${query.cursor}" is not one this API gave`, 400);
    q = q.where('q.id', '>', Number(query.cursor));
  }
  const rows = await q.execute();
  const page = rows.slice(0, limit).map(toItem);
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > limit && last !== undefined ? String(last.id) : null };
}

/**
 * One quarantined row (any status).
 * @param db - database
 * @param id - its id
 * @throws AppError QUARANTINE_NOT_FOUND (404)
 */
export async function getQuarantined(db: Kysely<Database>, id: number): Promise<QuarantineItem> {
  const row = await selectRows(db).where('q.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('QUARANTINE_NOT_FOUND', `no quarantined row ${id}`, 404, { id });
  return toItem(row);
}

function requirePending(item: QuarantineItem): void {
  if (item.status !== 'pending') {
    throw new AppError('QUARANTINE_RESOLVED', `quarantined row ${item.id} is already ${item.status}`, 409, { id: item.id, status: item.status });
  }
}

/** Keeps the canonical fields only, as plain cell values. */
function canonical(values: Readonly<Record<string, unknown>>): RawRecord {
  const out: Partial<Record<(typeof RECORD_FIELDS)[number], RawValue>> = {};
  for (const f of RECORD_FIELDS) {
    const v = values[f];
    if (typeof v === 'string' || typeof v === 'number') out[f] = v;
  }
  return out;
}

/** The person's active doses (by identity document, or by dedup key without one), as the writer finds them. */
async function dosesOfPerson(db: Kysely<Database>, record: ValidRecord): Promise<DoseFact[]> {
  const p = record.person;
  const person =
    p.idNumber !== null
      ? await db
          .selectFrom('person_document')
          .select('person_id as id')
          .where('number', '=', p.idNumber)
          .where('kind', '=', p.idKind ?? '')
          .where('country', '=', 'VNM')
          .executeTakeFirst()
      : await db.selectFrom('person').select('id').where('dedup_key', '=', p.dedupKey ?? '').executeTakeFirst();
  if (!person) return [];
  const doses = await db.selectFrom('dose').select(['product_id', 'dose_date', 'dose_number']).where('person_id', '=', person.id).where('status', '=', 'active').execute();
  return doses.map((d) => ({ productId: d.product_id, date: d.dose_date, doseNumber: d.dose_number }));
}

/** Records the issues of a rejected correction and returns the 422 to throw. */
async function rejectCorrection(db: Kysely<Database>, id: number, issues: readonly FieldIssue[]): Promise<AppError> {
  await db.updateTable('import_quarantine').set({ issues_json: JSON.stringify(issues) }).where('id', '=', id).where('status', '=', 'pending').execute();
  return validationError(issues);
}

/** Thrown inside the resubmission's transaction to roll it back when the writer rejects the row. */
class CorrectionRejected extends Error {
  constructor(readonly issues: readonly FieldIssue[]) {
    super('the corrected row was rejected by the writer');
    this.name = 'CorrectionRejected';
  }
}

/**
 * Resubmits a corrected quarantined row: validates the full corrected row like an import row,
 * checks the dose series against the person's doses, then writes it through the import writer.
 * On success the row becomes `resubmitted` with its dose (audited), in the same transaction as
 * the dose; on failure its issues are stored and the row stays `pending`.
 * @param db - database
 * @param dialect - its engine
 * @param id - the quarantined row
 * @param correctedValues - the full corrected row, canonical field names (`full_name`, `dob`…)
 * @param actor - who corrects (audit)
 * @param options - why (audit), and today's date in Viet Nam (tests)
 * @throws AppError QUARANTINE_NOT_FOUND (404), QUARANTINE_RESOLVED (409, also when resolved
 *   concurrently: nothing is written then), VALIDATION (422, `issues` in en+vi)
 */
export async function resubmitQuarantined(
  db: Kysely<Database>,
  dialect: DbDialect,
  id: number,
  correctedValues: Readonly<Record<string, unknown>>,
  actor: string,
  options: { readonly reason?: string | undefined; readonly today?: string | undefined } = {},
): Promise<ResubmitResult> {
  const before = await getQuarantined(db, id);
  requirePending(before);
  const values = canonical(correctedValues);
  const checked = createRecordValidator({ today: options.today ?? todayInVietnam() })(values);
  if (!checked.ok) throw await rejectCorrection(db, id, checked.issues);

  // The writer would quarantine a series failure as a NEW row (another hash): check it first.
  const d = checked.record.dose;
  const fact: DoseFact = { productId: d.productId, date: d.doseDate, doseNumber: d.doseNumber };
  const series = checkDoseSeries(await dosesOfPerson(db, checked.record), fact, findProduct).filter((i) => i.code !== 'DOSE_DUPLICATE');
  if (series.some((i) => i.severity === 'error')) throw await rejectCorrection(db, id, [...series, ...checked.warnings]);

  const job = await db.selectFrom('import_job').select('format').where('id', '=', before.importId).executeTakeFirst();
  const source = job?.format.startsWith('fhir') === true ? 'fhir' : 'import';
  const facility = await db.selectFrom('import_quarantine').select('facility_id').where('id', '=', id).executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  let result: Omit<ResubmitResult, 'item'>;
  try {
    // One transaction: the row's resolution and the dose (and a new person) commit together or
    // not at all; the writer joins it instead of opening its own. Claiming the row first takes its
    // lock (PostgreSQL) or the write lock (SQLite) before any dose work, so a concurrent
    // resubmission of the same row waits, then finds it resolved.
    result = await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('import_quarantine')
        .set({ status: 'resubmitted', resolved_by: actor, resolved_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) throw new AppError('QUARANTINE_RESOLVED', `quarantined row ${id} was resolved meanwhile`, 409, { id });
      const [outcome] = await writeBatch(
        trx,
        dialect,
        { facilityId: facility.facility_id, importId: before.importId, actor, source },
        [{ rowNumber: before.rowNumber, raw: values, record: checked.record, warnings: checked.warnings }],
        [],
      );
      if (outcome === undefined) throw new Error(`the import writer gave no outcome for quarantined row ${id}`);
      // Another writer changed the person's doses since the check: roll everything back (the
      // claim and the writer's new quarantine row) and record the issues below.
      if (outcome.status === 'rejected') throw new CorrectionRejected(outcome.issues);
      const doseId =
        outcome.status === 'imported'
          ? outcome.doseId
          : (
              await trx
                .selectFrom('dose')
                .select('id')
                .where('person_id', '=', outcome.personId)
                .where('product_id', '=', d.productId)
                .where('dose_date', '=', d.doseDate)
                .where('status', '=', 'active')
                .executeTakeFirstOrThrow()
            ).id;
      await trx.updateTable('import_quarantine').set({ dose_id: doseId }).where('id', '=', id).execute();
      await writeAudit(trx, {
        actor,
        action: 'resubmit',
        entity: 'import_quarantine',
        entityId: id,
        before: { status: before.status, raw: before.raw, issues: before.issues },
        after: { status: 'resubmitted', values, dose_id: doseId, outcome: outcome.status },
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      });
      return { outcome: outcome.status, doseId, personId: outcome.personId, warnings: outcome.warnings };
    });
  } catch (e) {
    if (e instanceof CorrectionRejected) throw await rejectCorrection(db, id, e.issues);
    throw e;
  }
  return { ...result, item: await getQuarantined(db, id) };
}

/**
 * Discards a quarantined row (it will not be imported), keeping it and the reason (audited).
 * @param db - database
 * @param id - the row
 * @param reason - why
 * @param actor - who
 * @throws AppError QUARANTINE_NOT_FOUND (404), QUARANTINE_RESOLVED (409)
 */
export async function discardQuarantined(db: Kysely<Database>, id: number, reason: string, actor: string): Promise<QuarantineItem> {
  const before = await getQuarantined(db, id);
  requirePending(before);
  await db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('import_quarantine')
      .set({ status: 'discarded', resolved_by: actor, resolved_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (done.numUpdatedRows === 0n) throw new AppError('QUARANTINE_RESOLVED', `quarantined row ${id} was resolved meanwhile`, 409, { id });
    await writeAudit(trx, { actor, action: 'discard', entity: 'import_quarantine', entityId: id, before: { status: before.status }, after: { status: 'discarded' }, reason });
  });
  return getQuarantined(db, id);
}
