/**
 * Moving a citizen report along: `new` → `in_progress` → `resolved` | `rejected` (a report may
 * also be resolved or rejected straight from `new`; closed reports stay closed). A rejection
 * needs a reason. Resolving may apply a correction to the person through `correctPerson`
 * (audited, reason `report:<id>`), after which the person is re-verified. Every step is written
 * to the audit trail and notified to the citizen in the same transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { correctPerson, writeAudit } from '../../registry/index.js';
import type { PersonDetail } from '../../registry/index.js';
import type { CitizenReport, IdentityCorrection, Reverification, ReportOptions, ReportStatus, ReverifyOptions } from './cleaning-types.js';
import { getReport, toReport } from './citizen-reports.js';
import { enqueueReportNotices } from './report-notices.js';
import { reverifyPerson } from './reverify-person.js';

const NEXT: Record<ReportStatus, readonly ReportStatus[]> = {
  new: ['in_progress', 'resolved', 'rejected'],
  in_progress: ['resolved', 'rejected'],
  resolved: [],
  rejected: [],
};

/** A status change. */
export interface ReportTransition {
  readonly status: ReportStatus;
  /** Rejection reason (required to reject) or a note for the citizen. */
  readonly reason?: string | null | undefined;
  /** Resolving only: identity fields to correct on the person. */
  readonly correction?: IdentityCorrection | undefined;
}

/** What {@link changeReportStatus} did. */
export interface ReportChange {
  readonly report: CitizenReport;
  /** The corrected person, when a correction was applied. */
  readonly person: PersonDetail | null;
  readonly verification: Reverification | null;
}

/**
 * Changes a report's status.
 * @param db - database
 * @param id - report id
 * @param change - new status, reason, correction
 * @param actor - who handles it (audit)
 * @param options - clock and the verifier for re-verification
 * @throws AppError REPORT_NOT_FOUND (404), REPORT_TRANSITION (409) for a move the flow does not
 *   allow, VALIDATION (422) for a rejection without reason or a correction on a report whose
 *   person is unknown or when not resolving, and the errors of `correctPerson`
 */
export async function changeReportStatus(db: Kysely<Database>, id: number, change: ReportTransition, actor: string, options: ReportOptions & ReverifyOptions = {}): Promise<ReportChange> {
  const clock = options.now ?? (() => new Date());
  const before = await getReport(db, id, { now: clock });
  if (!NEXT[before.status].includes(change.status)) {
    throw new AppError('REPORT_TRANSITION', `report ${id} is ${before.status}; it can move to ${NEXT[before.status].join(', ') || 'nothing (closed)'}, not ${change.status}`, 409, { from: before.status, to: change.status });
  }
  const reason = change.reason?.trim() ?? '';
  if (change.status === 'rejected' && reason === '') throw new AppError('VALIDATION', 'a rejection needs a reason', 422, { field: 'reason' });
  const correction = change.correction && Object.values(change.correction).some((v) => v !== undefined) ? change.correction : undefined;
  if (correction && change.status !== 'resolved') throw new AppError('VALIDATION', 'a correction is applied when resolving', 422, { field: 'correction' });
  if (correction && before.personId === null) throw new AppError('VALIDATION', `report ${id} is not linked to a person in the registry: correct the person by hand`, 422, { field: 'correction' });

  let person: PersonDetail | null = null;
  if (correction && before.personId !== null) {
    person = (await correctPerson(db, before.personId, correction, actor, `report:${id}${reason === '' ? '' : `: ${reason}`}`)).person;
  }
  const report = await db.transaction().execute(async (trx) => {
    const now = clock();
    const at = now.toISOString();
    const closed = change.status === 'resolved' || change.status === 'rejected';
    const row = await trx
      .updateTable('citizen_report')
      .set({ status: change.status, status_note: reason === '' ? null : reason, updated_at: at, handled_by: actor, ...(closed ? { closed_at: at } : {}) })
      .where('id', '=', id)
      .where('status', '=', before.status)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('REPORT_TRANSITION', `report ${id} changed meanwhile; reload it`, 409, { id });
    const after = await toReport(trx, row, now);
    await writeAudit(trx, { actor, action: 'status', entity: 'citizen_report', entityId: id, before, after, ...(reason === '' ? {} : { reason }) });
    await enqueueReportNotices(trx, after, reason === '' ? null : reason);
    return after;
  });
  const verification = person !== null && before.personId !== null ? await reverifyPerson(db, before.personId, options) : null;
  return { report, person, verification };
}
