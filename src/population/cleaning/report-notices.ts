/**
 * What the citizen is told at each step of their report, through the notification outbox (SMS to
 * the phone, e-mail to the address they gave). Enqueued in the transaction of the change.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { enqueueNotification } from '../../notify/index.js';
import type { ReportStatus } from './cleaning-types.js';

const TEXT: Record<ReportStatus, { vi: (id: number, due: string) => string; en: (id: number, due: string) => string }> = {
  new: {
    vi: (id, due) => `VaxPass: đã nhận phản ánh số ${id}. Hạn xử lý: ${due.slice(0, 10)}.`,
    en: (id, due) => `VaxPass: report ${id} received. To be handled by ${due.slice(0, 10)}.`,
  },
  in_progress: {
    vi: (id) => `VaxPass: phản ánh số ${id} đang được xử lý.`,
    en: (id) => `VaxPass: report ${id} is being handled.`,
  },
  resolved: {
    vi: (id) => `VaxPass: phản ánh số ${id} đã được xử lý xong.`,
    en: (id) => `VaxPass: report ${id} has been resolved.`,
  },
  rejected: {
    vi: (id) => `VaxPass: phản ánh số ${id} không được chấp nhận. Lý do đã được ghi kèm.`,
    en: (id) => `VaxPass: report ${id} was rejected; the reason is attached.`,
  },
};

/** What the notices need of a report. */
export interface NoticeTarget {
  readonly id: number;
  readonly status: ReportStatus;
  readonly dueAt: string;
  readonly contactPhone: string | null;
  readonly contactEmail: string | null;
}

/**
 * Enqueues the notice of the report's (new) status to each contact the citizen gave.
 * @param trx - the transaction of the change
 * @param r - the report after the change
 * @param note - the rejection reason or resolution note, if any
 * @returns outbox ids
 */
export async function enqueueReportNotices(trx: Kysely<Database>, r: NoticeTarget, note: string | null): Promise<number[]> {
  const template = r.status === 'new' ? 'report.received' : `report.${r.status}`;
  const payload = { report_id: r.id, status: r.status, due_at: r.dueAt, note, message_vi: TEXT[r.status].vi(r.id, r.dueAt), message_en: TEXT[r.status].en(r.id, r.dueAt) };
  const ids: number[] = [];
  if (r.contactPhone !== null) ids.push(await enqueueNotification(trx, { channel: 'sms', recipient: r.contactPhone, template, payload }));
  if (r.contactEmail !== null) ids.push(await enqueueNotification(trx, { channel: 'email', recipient: r.contactEmail, template, payload }));
  return ids;
}
