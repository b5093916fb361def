import assert from 'node:assert/strict';
import { createToken } from '../auth/index.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { MemoryTrustStore } from '../hcert/index.js';
import { addFacility } from '../registry/index.js';
import { generateCccd } from '../registry/validate/index.js';
import { createApp } from './app.js';

type Json = Record<string, unknown>;

function call(app: ReturnType<typeof createApp>, token: string | undefined, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
}

async function json(r: Response | Promise<Response>): Promise<Json & { status: number }> {
  const res = await r;
  return { ...((await res.json()) as Json), status: res.status };
}

testEachDialect('registry API: auth 401/403, facility scope, people and doses end to end', async ({ db }) => {
  const app = createApp({ trust: new MemoryTrustStore(), db });
  const admin = (await createToken(db, { name: 'ops', role: 'admin' })).secret;
  const hanoi = (await createToken(db, { name: 'Sở Y tế Hà Nội', role: 'province', scope: '01' })).secret;

  // 401 without or with a bad token; problem+json with a code.
  const none = await call(app, undefined, 'GET', '/api/v1/facilities');
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('content-type'), 'application/problem+json');
  assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.equal(((await none.json()) as Json).code, 'UNAUTHENTICATED');
  assert.equal((await call(app, 'vp_nope', 'GET', '/api/v1/facilities')).status, 401);

  // A province token adds facilities of its province only.
  const a = await json(call(app, hanoi, 'POST', '/api/v1/facilities', { code: 'HN-A', name: 'Trạm Y tế A', province_code: '01', type: 'health_station' }));
  assert.equal(a.status, 201);
  assert.equal(a.code, 'HN-A');
  const other = await json(call(app, hanoi, 'POST', '/api/v1/facilities', { code: 'HCM-X', name: 'X', province_code: '79' }));
  assert.deepEqual([other.status, other.code], [403, 'FORBIDDEN']);
  assert.match(String(other.detail), /province 79/);
  assert.equal((await call(app, hanoi, 'POST', '/api/v1/facilities', { code: 'HN-A', name: 'again', province_code: '01' })).status, 409);
  await addFacility(db, { code: 'HN-B', name: 'Trạm Y tế B', provinceCode: '01' }, 't');
  await addFacility(db, { code: 'HN-SYT', name: 'Sở Y tế Hà Nội', provinceCode: '01', type: 'so_y_te' }, 't');

  // Body validated at the edge: every failing field with its path.
  const bad = await json(call(app, admin, 'POST', '/api/v1/facilities', { code: 7, province_code: 'HN', extra: true }));
  assert.deepEqual([bad.status, bad.code], [400, 'BAD_REQUEST']);
  assert.deepEqual((bad.issues as { field: string }[]).map((i) => i.field).sort(), ['body.code', 'body.extra', 'body.name', 'body.province_code']);
  for (const i of bad.issues as { en: string; vi: string }[]) assert.ok(i.en !== '' && i.vi !== '');

  // Province signing: focal unit.
  const signing = await json(call(app, hanoi, 'PUT', '/api/v1/provinces/01/signing', { mode: 'focal_unit', focal_facility_code: 'HN-SYT' }));
  assert.deepEqual([signing.status, signing.mode, signing.focal_facility_code], [200, 'focal_unit', 'HN-SYT']);
  assert.equal((await json(call(app, hanoi, 'GET', '/api/v1/facilities/HN-A'))).signing_unit, 'HN-SYT');
  assert.equal((await call(app, hanoi, 'PUT', '/api/v1/provinces/79/signing', { mode: 'facility' })).status, 403);
  // Facility changes: own province only, validated, the focal unit protected, history kept.
  const renamed = await json(call(app, hanoi, 'PATCH', '/api/v1/facilities/HN-B', { name: 'Trạm Y tế phường B', district_code: '001' }));
  assert.deepEqual([renamed.status, renamed.name, renamed.district_code, renamed.active], [200, 'Trạm Y tế phường B', '001', true]);
  assert.equal((await call(app, hanoi, 'PATCH', '/api/v1/facilities/HN-B', {})).status, 400, 'an empty change is refused');
  assert.equal((await call(app, hanoi, 'PATCH', '/api/v1/facilities/HN-B', { code: 'HN-C' })).status, 400, 'the code is identity');
  assert.equal((await json(call(app, hanoi, 'PATCH', '/api/v1/facilities/HN-B', { district_code: '760' }))).status, 422, 'a district of another province');
  assert.deepEqual(await json(call(app, hanoi, 'PATCH', '/api/v1/facilities/HN-SYT', { active: false })).then((r) => [r.status, r.code]), [409, 'FACILITY_IS_FOCAL_UNIT']);
  assert.equal((await call(app, hanoi, 'PATCH', '/api/v1/facilities/NOPE', { name: 'x' })).status, 404);
  const hcm = (await createToken(db, { name: 'Sở Y tế TP.HCM', role: 'province', scope: '79' })).secret;
  assert.equal((await call(app, hcm, 'PATCH', '/api/v1/facilities/HN-B', { name: 'x' })).status, 403, 'another province');
  const audit = await db.selectFrom('audit_log').select(['action', 'entity', 'before_json', 'after_json']).where('entity', '=', 'facility').where('action', '=', 'update').execute();
  assert.equal(audit.length, 1);
  assert.match(String(audit[0]!.before_json), /Trạm Y tế B/);
  assert.match(String(audit[0]!.after_json), /phường B/);

  const listed = await json(call(app, hanoi, 'GET', '/api/v1/facilities'));
  assert.deepEqual((listed.items as Json[]).map((f) => f.code), ['HN-A', 'HN-B', 'HN-SYT']);

  const tokA = (await createToken(db, { name: 'A', role: 'facility', scope: 'HN-A' })).secret;
  const tokB = (await createToken(db, { name: 'B', role: 'facility', scope: 'HN-B' })).secret;
  assert.equal((await call(app, tokA, 'POST', '/api/v1/facilities', { code: 'Z', name: 'Z', province_code: '01' })).status, 403, 'facility tokens manage no facilities');

  // People: validation lists every field in both languages (422), creation, search.
  const invalid = await json(call(app, tokA, 'POST', '/api/v1/people', { full_name: 'An', dob: '31/02/1990', sex: 'X', id_number: '12345' }));
  assert.deepEqual([invalid.status, invalid.code], [422, 'VALIDATION']);
  assert.deepEqual([...new Set((invalid.issues as { field: string }[]).map((i) => i.field))].sort(), ['dob', 'full_name', 'id_number', 'sex']);
  const cccd = generateCccd('001', 1990, 'M', 77);
  const person = await json(call(app, tokA, 'POST', '/api/v1/people', { full_name: 'nguyễn văn an', dob: '1990-05-01', sex: 'Nam', id_number: cccd, province_code: '01' }));
  assert.equal(person.status, 201);
  assert.equal(person.full_name, 'Nguyễn Văn An');
  const personId = person.id as number;
  const taken = await json(call(app, tokB, 'POST', '/api/v1/people', { full_name: 'Nguyễn Văn An', dob: '1990-05-01', sex: 'M', id_number: cccd }));
  assert.deepEqual([taken.status, taken.code, taken.existingPersonId], [409, 'PERSON_DOCUMENT_TAKEN', personId]);
  assert.deepEqual(((await json(call(app, tokB, 'GET', `/api/v1/people?id_number=${cccd}`))).items as Json[]).map((p) => p.id), [personId]);
  assert.equal((await call(app, tokB, 'GET', '/api/v1/people?name=Nguyen%20Van%20An&dob=1990-05-01')).status, 403, 'facilities search by ID number only');
  assert.equal(((await json(call(app, hanoi, 'GET', '/api/v1/people?name=Nguyen%20Van%20An&dob=1990-05-01'))).items as Json[]).length, 1);
  assert.equal((await call(app, hanoi, 'GET', '/api/v1/people')).status, 400);

  // Doses: facility A records; B cannot record for A, nor void or correct A's dose.
  const dose = await json(call(app, tokA, 'POST', '/api/v1/doses', { person_id: personId, facility_code: 'HN-A', vaccine: 'AstraZeneca', lot: 'L1', dose_date: '2021-07-01', dose_number: 1 }));
  assert.deepEqual([dose.status, dose.product_id, dose.dose_kind, dose.source], [201, 'astrazeneca', 'primary', 'api']);
  const doseId = dose.id as number;
  assert.equal((await call(app, tokB, 'POST', '/api/v1/doses', { person_id: personId, facility_code: 'HN-A', vaccine: 'AZ', dose_date: '2021-08-01', dose_number: 2 })).status, 403);
  const dup = await json(call(app, tokA, 'POST', '/api/v1/doses', { person_id: personId, facility_code: 'HN-A', vaccine: 'AZ', dose_date: '2021-07-01', dose_number: 1 }));
  assert.deepEqual([dup.status, dup.code, dup.existingDoseId], [409, 'DOSE_DUPLICATE', doseId]);
  const forbidden = await json(call(app, tokB, 'POST', `/api/v1/doses/${doseId}/void`, { reason: 'not ours' }));
  assert.deepEqual([forbidden.status, forbidden.code], [403, 'FORBIDDEN']);
  assert.match(String(forbidden.detail), /facility HN-A/);
  assert.equal((await call(app, tokB, 'PATCH', `/api/v1/doses/${doseId}`, { lot: 'x', reason: 'r' })).status, 403);
  assert.equal((await call(app, tokB, 'GET', '/api/v1/facilities/HN-A/doses')).status, 403);
  assert.equal((await call(app, tokB, 'PATCH', `/api/v1/people/${personId}`, { phone: '0912345678', reason: 'r' })).status, 403, 'B has no dose of this person');

  const corrected = await json(call(app, tokA, 'PATCH', `/api/v1/doses/${doseId}`, { lot: 'L2', reason: 'lot misread', version: 1 }));
  assert.deepEqual([corrected.status, corrected.lot, corrected.version], [200, 'L2', 2]);
  const p2 = await json(call(app, tokA, 'PATCH', `/api/v1/people/${personId}`, { phone: '0912345678', reason: 'phone added' }));
  assert.deepEqual([p2.status, p2.phone, p2.version], [200, '+84912345678', 2]);
  assert.equal((await call(app, tokA, 'PATCH', `/api/v1/people/${personId}`, { phone: '0912345678' })).status, 400, 'reason is required');
  const voided = await json(call(app, tokA, 'POST', `/api/v1/doses/${doseId}/void`, { reason: 'entered for the wrong person' }));
  assert.deepEqual([voided.status, voided.void_reason], [200, 'entered for the wrong person']);

  const page = await json(call(app, tokA, 'GET', '/api/v1/facilities/HN-A/doses?status=voided&limit=10'));
  assert.deepEqual(((page.items as Json[]).map((d) => d.id)), [doseId]);
  assert.equal(page.next_cursor, null);
  const badQuery = await json(call(app, tokA, 'GET', '/api/v1/facilities/HN-A/doses?limit=501&dose_number=x'));
  assert.deepEqual((badQuery.issues as { field: string }[]).map((i) => i.field).sort(), ['query.dose_number', 'query.limit']);

  const history = await json(call(app, hanoi, 'GET', `/api/v1/people/${personId}/history`));
  assert.deepEqual((history.items as Json[]).map((h) => `${String(h.entity)}:${String(h.action)}`), ['person:create', 'dose:create', 'dose:correct', 'person:correct', 'dose:void']);
  assert.equal((history.items as Json[])[2]?.reason, 'lot misread');
  assert.equal((await call(app, admin, 'GET', '/api/v1/people/abc')).status, 400);
  assert.equal((await call(app, admin, 'GET', '/api/v1/people/999')).status, 404);
});
