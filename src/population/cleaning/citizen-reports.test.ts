import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { FileTransport, deliverPending, listOutbox } from '../../notify/index.js';
import { getPerson, personHistory } from '../../registry/index.js';
import { generateCccd } from '../../registry/validate/index.js';
import { currentVerification } from '../pipeline/index.js';
import { changeReportStatus, createReport, getReport, getReportByToken, listReports, reportTrail } from './index.js';
import type { NewReport } from './index.js';
import { F1, F2, cleaningFixture } from './test-helpers/cleaning-fixture.js';

async function rejects(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const T0 = new Date('2026-01-05T08:00:00.000Z');
const days = (n: number): Date => new Date(T0.getTime() + n * 86_400_000);

testEachDialect('citizen report: routed to the facility, SLA overdue, full lifecycle, trail and notifications', async ({ db, dialect }) => {
  const { people, truth, verifier } = await cleaningFixture(db, dialect);
  let clock = T0;
  const opts = { now: () => clock, verifier };
  const typo = truth.nameTypo;
  assert.ok(typo);
  const base: NewReport = { idNumber: typo.idNumber, fullName: 'Trần Thị Bình', dob: '20/07/1990', field: 'full_name', correctValue: 'Trần Thị Bình', contactPhone: '0912 345 678', contactEmail: 'binh@example.vn' };

  const { report, token } = await createReport(db, base, opts);
  assert.match(token, /^rp_[A-Za-z0-9_-]{32}$/);
  assert.deepEqual(
    [report.status, report.personId, report.facilityCode, report.provinceCode, report.dob, report.contactPhone, report.dueAt, report.overdue],
    ['new', people.nameTypo, F1, '79', '1990-07-20', '+84912345678', '2026-01-12T08:00:00.000Z', false],
  );
  assert.ok(!JSON.stringify(await db.selectFrom('citizen_report').selectAll().execute()).includes(token.slice(3)), 'only the hash of the token is stored');

  // Routing: another facility; a person with no active dose → their province; unknown people by CCCD or the province given.
  const g = truth.otherFacility;
  assert.equal((await createReport(db, { ...base, idNumber: g?.idNumber ?? '', fullName: 'Đỗ Thị Giang', dob: '1970-05-05', field: 'sex', correctValue: 'F' }, opts)).report.facilityCode, F2);
  const noDose = await createReport(db, { ...base, idNumber: truth.voided?.idNumber ?? '', fullName: 'Vũ Văn Hải', dob: '1995-02-03' }, opts);
  assert.deepEqual([noDose.report.personId, noDose.report.facilityCode, noDose.report.provinceCode], [people.voided, null, '79']);
  const stranger = await createReport(db, { ...base, idNumber: generateCccd('001', 1999, 'M', 42), fullName: 'Người Lạ', dob: '1999', field: 'other', correctValue: null, description: 'My 2nd dose is missing' }, opts);
  assert.deepEqual([stranger.report.personId, stranger.report.facilityCode, stranger.report.provinceCode], [null, null, '01']);
  assert.equal((await rejects(() => createReport(db, { ...base, idNumber: '987654321', fullName: 'Người Lạ', dob: '1999' }, opts))).code, 'REPORT_UNROUTABLE');
  assert.equal((await createReport(db, { ...base, idNumber: '987654321', fullName: 'Người Lạ', dob: '1999', provinceCode: '48' }, opts)).report.provinceCode, '48');
  // By name and date of birth when the ID number is not ours (it may be the very error reported).
  const byName = await createReport(db, { ...base, idNumber: generateCccd('079', 1985, 'M', 999), fullName: 'LÊ VĂN CƯỜNG', dob: '1985-09-04', field: 'id_number', correctValue: '079085000003' }, opts);
  assert.deepEqual([byName.report.personId, byName.report.facilityCode], [people.dobSwap, F1]);

  // Every bad field at once.
  const bad = await rejects(() => createReport(db, { idNumber: 'abc', fullName: ' ', dob: '31/02/1990', field: 'dob', contactEmail: 'nope' }, opts));
  assert.equal(bad.code, 'VALIDATION');
  const fields = new Set((bad.details?.issues as { field: string }[]).map((i) => i.field));
  for (const f of ['id_number', 'full_name', 'dob', 'correct_value', 'contact_email']) assert.ok(fields.has(f), f);

  // SLA: overdue after 7 days while open.
  clock = days(8);
  assert.deepEqual((await listReports(db, { facilityCode: F1, overdue: true }, opts)).items.map((r) => r.id), [report.id, byName.report.id]);
  assert.equal((await getReport(db, report.id, opts)).overdue, true);
  assert.deepEqual((await listReports(db, { facilityCode: F1, overdue: true }, { now: () => days(1) })).items, []);
  assert.deepEqual((await listReports(db, { provinceCode: '79', unassigned: true }, opts)).items.map((r) => r.id), [noDose.report.id]);

  // new → in_progress → resolved with a correction (re-verified).
  clock = days(1);
  assert.equal((await changeReportStatus(db, report.id, { status: 'in_progress' }, 'token:1:clinic', opts)).report.status, 'in_progress');
  assert.equal((await rejects(() => changeReportStatus(db, report.id, { status: 'in_progress' }, 'x', opts))).code, 'REPORT_TRANSITION');
  assert.equal((await rejects(() => changeReportStatus(db, report.id, { status: 'rejected', reason: '  ' }, 'x', opts))).code, 'VALIDATION');
  assert.equal((await rejects(() => changeReportStatus(db, stranger.report.id, { status: 'resolved', correction: { sex: 'F' } }, 'x', opts))).code, 'VALIDATION');
  clock = days(2);
  const done = await changeReportStatus(db, report.id, { status: 'resolved', reason: 'Name corrected as on the CCCD', correction: { fullName: 'Trần Thị Bình' } }, 'token:1:clinic', opts);
  assert.deepEqual([done.report.status, done.report.closedAt, done.report.statusNote, done.report.handledBy], ['resolved', days(2).toISOString(), 'Name corrected as on the CCCD', 'token:1:clinic']);
  assert.deepEqual([done.person?.fullName, done.verification?.status], ['Trần Thị Bình', 'VERIFIED']);
  assert.equal((await currentVerification(db, people.nameTypo)).state?.status, 'VERIFIED');
  const correction = (await personHistory(db, people.nameTypo)).find((h) => h.action === 'correct');
  assert.equal(correction?.reason, `report:${report.id}: Name corrected as on the CCCD`);
  assert.equal((await getPerson(db, people.nameTypo)).version, 2);
  assert.equal((await rejects(() => changeReportStatus(db, report.id, { status: 'rejected', reason: 'x' }, 'x', opts))).code, 'REPORT_TRANSITION');
  clock = days(30);
  assert.equal((await getReport(db, report.id, opts)).overdue, false, 'closed reports are never overdue');

  // Rejection with its reason.
  const rejected = await changeReportStatus(db, noDose.report.id, { status: 'rejected', reason: 'No vaccination record in this province' }, 'token:9:province', opts);
  assert.deepEqual([rejected.report.status, rejected.report.statusNote, rejected.person, rejected.verification], ['rejected', 'No vaccination record in this province', null, null]);

  // The trail, and the citizen's view by token.
  const trail = await reportTrail(db, report.id);
  assert.deepEqual(trail.map((t) => [t.action, t.status, t.actor, t.note]), [
    ['create', 'new', 'citizen', null],
    ['status', 'in_progress', 'token:1:clinic', null],
    ['status', 'resolved', 'token:1:clinic', 'Name corrected as on the CCCD'],
  ]);
  assert.equal((await getReportByToken(db, report.id, token, opts)).status, 'resolved');
  assert.equal((await rejects(() => getReportByToken(db, report.id, 'rp_wrong', opts))).code, 'REPORT_NOT_FOUND');
  assert.equal((await rejects(() => getReportByToken(db, noDose.report.id, token, opts))).code, 'REPORT_NOT_FOUND');

  // Notifications: one per contact and step, written with the change, delivered to a file.
  const mine = (await listOutbox(db, { limit: 1000 })).filter((n) => (n.payload as { report_id: number }).report_id === report.id);
  assert.deepEqual(mine.map((n) => [n.channel, n.recipient, n.template]), [
    ['sms', '+84912345678', 'report.received'],
    ['email', 'binh@example.vn', 'report.received'],
    ['sms', '+84912345678', 'report.in_progress'],
    ['email', 'binh@example.vn', 'report.in_progress'],
    ['sms', '+84912345678', 'report.resolved'],
    ['email', 'binh@example.vn', 'report.resolved'],
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-reports-'));
  try {
    const file = join(dir, 'notifications.log');
    const sent = await deliverPending(db, new FileTransport(file), { limit: 1000 });
    assert.equal(sent.sent, (await listOutbox(db, { limit: 1000 })).length);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { template: string; recipient: string; payload: { report_id: number; message_vi: string; note: string | null } });
    const resolved = lines.find((l) => l.template === 'report.resolved' && l.recipient === '+84912345678');
    assert.equal(resolved?.payload.report_id, report.id);
    assert.match(resolved?.payload.message_vi ?? '', /đã được xử lý xong/);
    assert.equal(resolved?.payload.note, 'Name corrected as on the CCCD');
    assert.ok(lines.some((l) => l.template === 'report.rejected' && l.payload.note === 'No vaccination record in this province'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
