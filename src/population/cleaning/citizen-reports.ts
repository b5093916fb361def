/**
 * Citizen reports (phản ánh): a citizen identifies themselves (ID number, name, date of birth),
 * says what is wrong and how to reach them. The report is routed to the facility that recorded
 * their latest active dose, else to their province (the province they live in, the one they
 * name, or the one their CCCD was issued for). Its SLA clock starts at creation: due after
 * `slaDays` (default 7). The citizen gets a random lookup token (only its SHA-256 is stored) to
 * follow the status without an account.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { CitizenReportTable, Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { searchPeople, validationError, writeAudit } from '../../registry/index.js';
import { findProvince, findProvinceByCccdCode } from '../../registry/reference/index.js';
import { parseDob, parseIdNumber, parsePhone } from '../../registry/validate/index.js';
import type { FieldIssue } from '../../registry/validate/index.js';
import type { CitizenReport, NewReport, Page, ReportField, ReportOptions, ReportStatus, ReportTrailEntry } from './cleaning-types.js';
import { DEFAULT_REPORT_SLA_DAYS, REPORT_FIELDS } from './cleaning-types.js';
import { facilityCodes } from './facility-codes.js';
import { pageSize, readCursor } from './facility-worklist.js';
import { enqueueReportNotices } from './report-notices.js';

/** Prefix of report lookup tokens. */
export const REPORT_TOKEN_PREFIX = 'rp_';
const OPEN_STATUSES: readonly ReportStatus[] = ['new', 'in_progress'];
const IDENTITY_FIELDS: readonly ReportField[] = ['full_name', 'dob', 'sex', 'id_number'];
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const DAY_MS = 86_400_000;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function issue(field: string, code: string, en: string, vi: string): FieldIssue {
  return { field, code, severity: 'error', en, vi };
}

/**
 * Maps a report row.
 * @param db - database (for the facility code)
 * @param r - the row
 * @param now - the clock for `overdue`
 * @param codes - facility codes by id, when mapping a page
 */
export async function toReport(db: Kysely<Database>, r: Selectable<CitizenReportTable>, now: Date, codes?: ReadonlyMap<number, string>): Promise<CitizenReport> {
  const code = r.facility_id === null ? undefined : (codes ?? (await facilityCodes(db, [r.facility_id]))).get(r.facility_id);
  const status = r.status as ReportStatus;
  return {
    id: r.id,
    personId: r.person_id,
    facilityCode: code ?? null,
    provinceCode: r.province_code,
    idNumber: r.id_number,
    fullName: r.full_name,
    dob: r.dob,
    field: r.field as ReportField,
    correctValue: r.correct_value,
    description: r.description,
    contactPhone: r.contact_phone,
    contactEmail: r.contact_email,
    status,
    statusNote: r.status_note,
    dueAt: r.due_at,
    overdue: OPEN_STATUSES.includes(status) && r.due_at < now.toISOString(),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
    handledBy: r.handled_by,
  };
}

function blank(v: string | null | undefined): boolean {
  return v === null || v === undefined || v.trim() === '';
}

interface CleanReport {
  idNumber: string;
  fullName: string;
  dob: string;
  field: ReportField;
  correctValue: string | null;
  description: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  provinceCode: string | null;
}

function validateReport(input: NewReport): CleanReport {
  const issues: FieldIssue[] = [];
  const id = parseIdNumber(input.idNumber);
  if (!id.ok) issues.push(...id.issues.filter((i) => i.severity === 'error'));
  else if (id.value === null) issues.push(issue('id_number', 'FIELD_REQUIRED', 'Give your ID number', 'Hãy nhập số định danh'));
  const fullName = input.fullName.trim().normalize('NFC').replace(/\s+/g, ' ');
  if (fullName === '' || fullName.length > 200) issues.push(issue('full_name', 'FIELD_REQUIRED', 'Give your full name (at most 200 characters)', 'Hãy nhập họ và tên (tối đa 200 ký tự)'));
  const dob = parseDob(input.dob);
  if (!dob.ok) issues.push(...dob.issues.filter((i) => i.severity === 'error'));
  if (!REPORT_FIELDS.includes(input.field)) issues.push(issue('field', 'FIELD_INVALID', `field must be one of ${REPORT_FIELDS.join(', ')}`, `Trường phải là một trong: ${REPORT_FIELDS.join(', ')}`));
  const correctValue = blank(input.correctValue) ? null : (input.correctValue ?? '').trim().slice(0, 200);
  if (IDENTITY_FIELDS.includes(input.field) && correctValue === null) issues.push(issue('correct_value', 'FIELD_REQUIRED', 'Give the correct value', 'Hãy nhập giá trị đúng'));
  const description = blank(input.description) ? null : (input.description ?? '').trim().slice(0, 2000);
  if (!IDENTITY_FIELDS.includes(input.field) && description === null) issues.push(issue('description', 'FIELD_REQUIRED', 'Describe what is wrong', 'Hãy mô tả thông tin sai'));
  let contactPhone: string | null = null;
  if (!blank(input.contactPhone)) {
    const p = parsePhone(input.contactPhone);
    if (p.ok && p.value !== null) contactPhone = p.value;
    else issues.push(issue('contact_phone', 'PHONE_INVALID', 'Not a Vietnamese phone number', 'Số điện thoại không hợp lệ'));
  }
  const contactEmail = blank(input.contactEmail) ? null : (input.contactEmail ?? '').trim();
  if (contactEmail !== null && !EMAIL.test(contactEmail)) issues.push(issue('contact_email', 'EMAIL_INVALID', 'Not an e-mail address', 'Địa chỉ e-mail không hợp lệ'));
  if (blank(input.contactPhone) && contactEmail === null) issues.push(issue('contact_phone', 'CONTACT_REQUIRED', 'Give a phone number or an e-mail address to be told the outcome', 'Hãy để lại số điện thoại hoặc e-mail để nhận kết quả'));
  const provinceCode = blank(input.provinceCode) ? null : (input.provinceCode ?? '').trim();
  if (provinceCode !== null && !findProvince(provinceCode)) issues.push(issue('province_code', 'PROVINCE_UNKNOWN', `No province with code ${provinceCode}`, `Không có tỉnh mã ${provinceCode}`));
  if (issues.length > 0 || !id.ok || id.value === null || !dob.ok) throw validationError(issues);
  return { idNumber: id.value.number, fullName, dob: dob.value.text, field: input.field, correctValue, description, contactPhone, contactEmail, provinceCode };
}

/** Who the citizen is in the registry: by ID number, else by name and date of birth (one match only). */
async function findReporter(db: Kysely<Database>, r: CleanReport): Promise<{ id: number; provinceCode: string | null } | null> {
  const byId = await searchPeople(db, { idNumber: r.idNumber });
  const byNameDob = byId.length === 1 ? byId : await searchPeople(db, { name: r.fullName, dob: r.dob }).catch(() => []);
  const p = byNameDob.length === 1 ? byNameDob[0] : undefined;
  return p ? { id: p.id, provinceCode: p.provinceCode } : null;
}

/**
 * Files a citizen report.
 * @param db - database
 * @param input - what the citizen sent
 * @param options - clock and SLA
 * @returns the report and its lookup token (shown once)
 * @throws AppError VALIDATION (422) listing every bad field; REPORT_UNROUTABLE (422) when the
 *   person is unknown and no province can be told (give `province_code`)
 */
export async function createReport(db: Kysely<Database>, input: NewReport, options: ReportOptions = {}): Promise<{ report: CitizenReport; token: string }> {
  const clean = validateReport(input);
  const now = (options.now ?? (() => new Date()))();
  const person = await findReporter(db, clean);
  const dose = person
    ? await db
        .selectFrom('dose as d')
        .innerJoin('facility as f', 'f.id', 'd.facility_id')
        .select(['f.id', 'f.province_code'])
        .where('d.person_id', '=', person.id)
        .where('d.status', '=', 'active')
        .orderBy('d.dose_date', 'desc')
        .orderBy('d.id', 'desc')
        .executeTakeFirst()
    : undefined;
  const cccdProvince = clean.idNumber.length === 12 ? findProvinceByCccdCode(clean.idNumber.slice(0, 3))?.code : undefined;
  const provinceCode = dose?.province_code ?? person?.provinceCode ?? clean.provinceCode ?? cccdProvince ?? null;
  if (provinceCode === null) throw new AppError('REPORT_UNROUTABLE', 'we could not find you in the registry; give province_code so the report reaches your province', 422, { field: 'province_code' });
  const token = REPORT_TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const days = options.slaDays ?? DEFAULT_REPORT_SLA_DAYS;
  const at = now.toISOString();
  const report = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('citizen_report')
      .values({
        lookup_sha256: sha256(token),
        person_id: person?.id ?? null,
        facility_id: dose?.id ?? null,
        province_code: provinceCode,
        id_number: clean.idNumber,
        full_name: clean.fullName,
        dob: clean.dob,
        field: clean.field,
        correct_value: clean.correctValue,
        description: clean.description,
        contact_phone: clean.contactPhone,
        contact_email: clean.contactEmail,
        status: 'new',
        due_at: new Date(now.getTime() + days * DAY_MS).toISOString(),
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const r = await toReport(trx, row, now);
    await writeAudit(trx, { actor: 'citizen', action: 'create', entity: 'citizen_report', entityId: r.id, before: null, after: r });
    await enqueueReportNotices(trx, r, null);
    return r;
  });
  return { report, token };
}

/**
 * A report (staff view).
 * @param db - database
 * @param id - report id
 * @param options - the clock for `overdue`
 * @throws AppError REPORT_NOT_FOUND (404)
 */
export async function getReport(db: Kysely<Database>, id: number, options: ReportOptions = {}): Promise<CitizenReport> {
  const r = await db.selectFrom('citizen_report').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('REPORT_NOT_FOUND', `no report ${id}`, 404, { id });
  return toReport(db, r, (options.now ?? (() => new Date()))());
}

/**
 * A report for the citizen holding its lookup token.
 * @param db - database
 * @param id - report id
 * @param token - the token given at creation
 * @param options - the clock for `overdue`
 * @throws AppError REPORT_NOT_FOUND (404) for an unknown id or a wrong token (indistinguishable)
 */
export async function getReportByToken(db: Kysely<Database>, id: number, token: string, options: ReportOptions = {}): Promise<CitizenReport> {
  const r = await db.selectFrom('citizen_report').selectAll().where('id', '=', id).executeTakeFirst();
  const given = Buffer.from(sha256(token), 'hex');
  if (!r || !timingSafeEqual(given, Buffer.from(r.lookup_sha256, 'hex'))) throw new AppError('REPORT_NOT_FOUND', `no report ${id} for this token`, 404, { id });
  return toReport(db, r, (options.now ?? (() => new Date()))());
}

/** Which reports a list covers. */
export interface ReportListQuery {
  /** Reports routed to this facility. */
  readonly facilityCode?: string | undefined;
  /** Reports of this province (routed to its facilities or to the province itself). */
  readonly provinceCode?: string | undefined;
  /** Only reports routed to the province, with no facility. */
  readonly unassigned?: boolean | undefined;
  readonly status?: ReportStatus | undefined;
  /** true: only open reports past due; false: only the others. */
  readonly overdue?: boolean | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/**
 * Reports, oldest first.
 * @param db - database
 * @param query - scope and filters
 * @param options - the clock for `overdue`
 * @throws AppError FACILITY_NOT_FOUND (404)
 */
export async function listReports(db: Kysely<Database>, query: ReportListQuery, options: ReportOptions = {}): Promise<Page<CitizenReport>> {
  const now = (options.now ?? (() => new Date()))();
  const nowIso = now.toISOString();
  const limit = pageSize(query.limit);
  let q = db.selectFrom('citizen_report').selectAll().where('id', '>', readCursor(query.cursor)).orderBy('id').limit(limit + 1);
  if (query.facilityCode !== undefined) {
    const f = await db.selectFrom('facility').select('id').where('code', '=', query.facilityCode).executeTakeFirst();
    if (!f) throw new AppError('FACILITY_NOT_FOUND', `no facility with code ${query.facilityCode}`, 404, { facilityCode: query.facilityCode });
    q = q.where('facility_id', '=', f.id);
  }
  if (query.provinceCode !== undefined) q = q.where('province_code', '=', query.provinceCode);
  if (query.unassigned === true) q = q.where('facility_id', 'is', null);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.overdue === true) q = q.where('status', 'in', [...OPEN_STATUSES]).where('due_at', '<', nowIso);
  if (query.overdue === false) q = q.where((eb) => eb.or([eb('status', 'not in', [...OPEN_STATUSES]), eb('due_at', '>=', nowIso)]));
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const codes = await facilityCodes(db, page.map((r) => r.facility_id));
  const items = await Promise.all(page.map((r) => toReport(db, r, now, codes)));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? String(last.id) : null };
}

/**
 * Every step of a report, oldest first, from the audit trail.
 * @param db - database
 * @param id - report id
 */
export async function reportTrail(db: Kysely<Database>, id: number): Promise<ReportTrailEntry[]> {
  const rows = await db.selectFrom('audit_log').select(['at', 'actor', 'action', 'after_json']).where('entity', '=', 'citizen_report').where('entity_id', '=', String(id)).orderBy('id').execute();
  return rows.map((r) => {
    const after = (r.after_json === null ? {} : JSON.parse(r.after_json)) as { status?: ReportStatus; _reason?: string };
    return { at: r.at, actor: r.actor, action: r.action, status: after.status ?? 'new', note: after._reason ?? null };
  });
}
