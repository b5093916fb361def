import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createToken } from '../auth/index.js';
import type { Database } from '../db/index.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { MemoryTrustStore } from '../hcert/index.js';
import { addFacility } from '../registry/index.js';
import { generateCccd } from '../registry/validate/index.js';
import { createApp } from './app.js';
import { templateCsv } from '../registry/import/test-helpers/template-csv.js';

type Json = Record<string, unknown>;
type Item = { id: number; row_number: number; raw: Json; issues: { field: string; code: string; en: string; vi: string }[]; status: string; dose_id: number | null; resolved_by: string | null };

const an = generateCccd('001', 1985, 'M', 1);
const binh = generateCccd('079', 1990, 'F', 2);
const MESSY = templateCsv([
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB1', '15/08/2021', 1], // 2 imported
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB2', '10/10/2021', 2], // 3 imported
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB1', '15/08/2021', 1], // 4 duplicate
  ['Trần Thị Bình', '1990-05-20', 'Nữ', binh, '', '79', 'Pfizer', 'FK1', '2021-09-01', 1], // 5 imported
  ['Phạm Văn Cường', '01/01/1970', 'X', generateCccd('001', 1970, 'M', 3), '', '01', 'Moderna', 'M1', '01/09/2021', 1], // 6 sex
  ['Lê Văn Dũng', '01/02/1960', 'Nam', generateCccd('001', 1960, 'M', 4), '', '01', 'Vero Cell', 'V1', '31/02/2021', 1], // 7 dose date
  ['Đỗ Thị Hà', '1975', 'Nữ', '', '', '01', 'Vaccine X', 'M2', '01/09/2021', 1], // 8 vaccine
]);

function call(app: ReturnType<typeof createApp>, token: string, method: string, path: string, body?: string | Json, type = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = type;
  return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) }));
}

async function json(r: Response | Promise<Response>): Promise<Json & { status: number }> {
  const res = await r;
  return { ...((await res.json()) as Json), status: res.status };
}

const count = async (db: Kysely<Database>, table: 'import_quarantine' | 'dose'): Promise<number> =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);

testEachDialect('import API: upload a messy CSV, error report, job, quarantine correct/resubmit/discard, facility scope', async ({ db }) => {
  const reportDir = mkdtempSync(join(tmpdir(), 'vaxpass-reports-'));
  const app = createApp({ trust: new MemoryTrustStore(), db, importReportDir: reportDir, maxUploadBytes: 64 * 1024 });
  await addFacility(db, { code: 'HN-A', name: 'Trạm Y tế A', provinceCode: '01' }, 't');
  await addFacility(db, { code: 'HN-B', name: 'Trạm Y tế B', provinceCode: '01' }, 't');
  const tokA = (await createToken(db, { name: 'A', role: 'facility', scope: 'HN-A' })).secret;
  const tokB = (await createToken(db, { name: 'B', role: 'facility', scope: 'HN-B' })).secret;
  const hanoi = (await createToken(db, { name: 'SYT', role: 'province', scope: '01' })).secret;

  // Upload: the summary of `vaxpass import --json`, errors with their file rows.
  assert.equal((await call(app, tokB, 'POST', '/api/v1/facilities/HN-A/imports', MESSY, 'text/csv')).status, 403);
  const s = await json(call(app, tokA, 'POST', '/api/v1/facilities/HN-A/imports?filename=messy.csv', MESSY, 'text/csv; charset=utf-8'));
  assert.equal(s.status, 200, JSON.stringify(s));
  assert.deepEqual([s.rows, s.imported, s.duplicates, s.rejected], [7, 3, 1, 3]);
  assert.deepEqual((s.errors as Json[]).map((e) => [e.row, e.column, e.code]), [[6, 'sex', 'SEX_UNKNOWN'], [7, 'dose_date', 'DATE_INVALID_DAY'], [8, 'vaccine', 'VACCINE_UNKNOWN']]);
  for (const e of s.errors as Json[]) assert.deepEqual(Object.keys(e).sort(), ['code', 'column', 'message', 'row']);
  const importId = s.importId as number;
  assert.equal(s.errorReport, `/api/v1/imports/${importId}/errors.csv`);

  const report = await call(app, tokA, 'GET', `/api/v1/imports/${importId}/errors.csv`);
  assert.equal(report.status, 200);
  assert.match(report.headers.get('content-type') ?? '', /^text\/csv/);
  const reportText = await report.text();
  assert.match(reportText, /^row,column,code,severity,message_en,message_vi,value\n/);
  assert.match(reportText, /\n6,sex,SEX_UNKNOWN,error,/);
  assert.match(reportText, /\n8,vaccine,VACCINE_UNKNOWN,error,.*,Vaccine X\n/);

  const job = (await (await call(app, hanoi, 'GET', `/api/v1/imports/${importId}`)).json()) as Json;
  assert.deepEqual([job.status, job.facility_code, job.file_name, job.format, job.rows, job.imported, job.duplicates, job.rejected], ['done', 'HN-A', 'messy.csv', 'csv', 7, 3, 1, 3]);
  assert.equal(job.file_sha256, createHash('sha256').update(MESSY).digest('hex'));
  assert.match(String(job.actor), /^token:\d+:A$/);
  assert.equal(job.error_report, `/api/v1/imports/${importId}/errors.csv`);
  assert.equal((await call(app, tokB, 'GET', `/api/v1/imports/${importId}`)).status, 403);
  assert.equal((await call(app, tokB, 'GET', `/api/v1/imports/${importId}/errors.csv`)).status, 403);
  assert.equal((await call(app, tokA, 'GET', '/api/v1/imports/999')).status, 404);
  const jobs = await json(call(app, tokA, 'GET', '/api/v1/facilities/HN-A/imports'));
  assert.deepEqual((jobs.items as Json[]).map((j) => j.id), [importId]);

  // The quarantine: facility A's rows only, paged.
  assert.equal((await call(app, tokB, 'GET', '/api/v1/facilities/HN-A/quarantine')).status, 403);
  assert.equal((await call(app, hanoi, 'GET', '/api/v1/facilities/HN-A/quarantine')).status, 403);
  assert.deepEqual((await json(call(app, tokB, 'GET', '/api/v1/facilities/HN-B/quarantine'))).items, []);
  const first = await json(call(app, tokA, 'GET', '/api/v1/facilities/HN-A/quarantine?limit=2'));
  const second = await json(call(app, tokA, 'GET', `/api/v1/facilities/HN-A/quarantine?limit=2&cursor=${String(first.next_cursor)}`));
  assert.equal(second.next_cursor, null);
  const items = [...(first.items as Item[]), ...(second.items as Item[])];
  assert.deepEqual(items.map((i) => [i.row_number, i.status, i.issues[0]?.code]), [[6, 'pending', 'SEX_UNKNOWN'], [7, 'pending', 'DATE_INVALID_DAY'], [8, 'pending', 'VACCINE_UNKNOWN']]);
  const [cuong, dung, ha] = items as [Item, Item, Item];
  assert.equal(cuong.raw.full_name, 'Phạm Văn Cường');
  assert.ok(cuong.issues.every((i) => i.en !== '' && i.vi !== ''));

  // Correct one row: imported, the quarantine row resolved and audited.
  assert.equal((await call(app, tokB, 'PUT', `/api/v1/quarantine/${cuong.id}`, { values: { ...cuong.raw, sex: 'Nam' } })).status, 403);
  const fixed = await json(call(app, tokA, 'PUT', `/api/v1/quarantine/${cuong.id}`, { values: { ...cuong.raw, sex: 'Nam' }, reason: 'sex typed as X' }));
  assert.equal(fixed.status, 200, JSON.stringify(fixed));
  assert.equal(fixed.outcome, 'imported');
  const doseId = fixed.dose_id as number;
  const dose = await db.selectFrom('dose').selectAll().where('id', '=', doseId).executeTakeFirstOrThrow();
  assert.deepEqual([dose.product_id, dose.dose_date, dose.import_id, dose.status], ['spikevax', '2021-09-01', importId, 'active']);
  const resolved = fixed.item as Item;
  assert.deepEqual([resolved.status, resolved.dose_id], ['resubmitted', doseId]);
  assert.match(String(resolved.resolved_by), /^token:\d+:A$/);
  const audit = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'import_quarantine').where('entity_id', '=', String(cuong.id)).execute();
  assert.deepEqual(audit.map((a) => a.action), ['resubmit']);
  assert.match(String(audit[0]?.after_json), /sex typed as X/);
  assert.equal((await json(call(app, tokA, 'PUT', `/api/v1/quarantine/${cuong.id}`, { values: { ...cuong.raw, sex: 'Nam' } }))).code, 'QUARANTINE_RESOLVED');

  // A still-bad correction: 422 with every issue, the row stays pending, no second quarantine row.
  const rows = await count(db, 'import_quarantine');
  const bad = await json(call(app, tokA, 'PUT', `/api/v1/quarantine/${dung.id}`, { values: { ...dung.raw, dose_date: '01/01/2099', sex: '?' } }));
  assert.deepEqual([bad.status, bad.code], [422, 'VALIDATION']);
  const codes = (bad.issues as Item['issues']).map((i) => i.code).sort();
  assert.deepEqual(codes, ['DOSE_DATE_IN_FUTURE', 'SEX_UNKNOWN']);
  for (const i of bad.issues as Item['issues']) assert.ok(i.en !== '' && i.vi !== '');
  // A correction the dose series rejects (Bình's dose 2 before her dose 1): the same.
  const order = await json(call(app, tokA, 'PUT', `/api/v1/quarantine/${dung.id}`, { values: { full_name: 'Trần Thị Bình', dob: '1990-05-20', sex: 'Nữ', id_number: binh, province_code: '79', vaccine: 'Pfizer', lot: 'FK2', dose_date: '2021-08-25', dose_number: 2 } }));
  assert.deepEqual([order.status, (order.issues as Item['issues']).map((i) => i.code)], [422, ['DOSE_ORDER']]);
  assert.equal(await count(db, 'import_quarantine'), rows, 'no extra quarantine row');
  const stillPending = (await json(call(app, tokA, 'GET', '/api/v1/facilities/HN-A/quarantine'))).items as Item[];
  assert.deepEqual(stillPending.map((i) => [i.id, i.issues[0]?.code]), [[dung.id, 'DOSE_ORDER'], [ha.id, 'VACCINE_UNKNOWN']]);

  // Discard (audited); the row leaves the pending list.
  assert.equal((await call(app, tokB, 'POST', `/api/v1/quarantine/${ha.id}/discard`, { reason: 'x' })).status, 403);
  assert.equal((await call(app, tokA, 'POST', `/api/v1/quarantine/${ha.id}/discard`, {})).status, 400, 'reason is required');
  const discardedRes = await call(app, tokA, 'POST', `/api/v1/quarantine/${ha.id}/discard`, { reason: 'not our patient' });
  assert.equal(discardedRes.status, 200);
  const discarded = (await discardedRes.json()) as Item;
  assert.deepEqual([discarded.status, discarded.dose_id], ['discarded', null]);
  assert.equal(((await json(call(app, tokA, 'GET', '/api/v1/facilities/HN-A/quarantine?status=discarded'))).items as Item[])[0]?.id, ha.id);
  assert.deepEqual(((await json(call(app, tokA, 'GET', '/api/v1/facilities/HN-A/quarantine'))).items as Item[]).map((i) => i.id), [dung.id]);
  assert.equal((await db.selectFrom('audit_log').select('action').where('entity', '=', 'import_quarantine').where('entity_id', '=', String(ha.id)).executeTakeFirst())?.action, 'discard');
  assert.equal((await call(app, tokA, 'PUT', '/api/v1/quarantine/9999', { values: {} })).status, 404);

  // Re-uploading the same file records nothing twice.
  const doses = await count(db, 'dose');
  const quarantined = await count(db, 'import_quarantine');
  const again = await json(call(app, tokA, 'POST', '/api/v1/facilities/HN-A/imports', MESSY, 'text/csv'));
  // Cường's row, corrected and resubmitted since, is already recorded: a duplicate. The rows
  // still bad as written (pending, discarded) are reported again, but not quarantined twice.
  assert.deepEqual([again.imported, again.duplicates, again.rejected], [0, 5, 2]);
  assert.equal(await count(db, 'dose'), doses);
  assert.equal(await count(db, 'import_quarantine'), quarantined);

  // A correction that turns out to be a dose already recorded resolves the row with that dose.
  const anDose = await db.selectFrom('dose').select('id').where('dose_date', '=', '2021-08-15').executeTakeFirstOrThrow();
  const dupRes = await call(app, tokA, 'PUT', `/api/v1/quarantine/${dung.id}`, { values: { full_name: 'Nguyễn Văn An', dob: '12/03/1985', sex: 'Nam', id_number: an, vaccine: 'AstraZeneca', dose_date: '15/08/2021', dose_number: 1 } });
  const dup = (await dupRes.json()) as Json;
  assert.deepEqual([dupRes.status, dup.outcome, dup.dose_id, (dup.item as Item).status], [200, 'duplicate', anDose.id, 'resubmitted']);

  // Limits and media types.
  const big = await json(call(app, tokA, 'POST', '/api/v1/facilities/HN-A/imports', MESSY.repeat(200), 'text/csv'));
  assert.deepEqual([big.status, big.code], [413, 'BODY_TOO_LARGE']);
  assert.equal((await json(call(app, tokA, 'POST', '/api/v1/facilities/HN-A/imports', MESSY, 'text/plain'))).status, 415);
  const noHeader = await json(call(app, tokA, 'POST', '/api/v1/facilities/HN-A/imports', 'a,b\n1,2\n', 'text/csv'));
  assert.ok(noHeader.status >= 400 && noHeader.status < 500, JSON.stringify(noHeader));
  assert.equal((await call(app, tokA, 'POST', '/api/v1/facilities/NOPE/imports', MESSY, 'text/csv')).status, 403);
});
