import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createToken } from '../auth/index.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { AppError, toProblem } from '../errors/index.js';
import { MemoryTrustStore } from '../hcert/index.js';
import { listOutbox } from '../notify/index.js';
import { F1, F2, cleaningFixture } from '../population/cleaning/test-helpers/cleaning-fixture.js';
import { personHistory } from '../registry/index.js';
import { createApp } from './app.js';
import { cleaningRoutes } from './cleaning-routes.js';

type Json = Record<string, unknown>;
interface Requester {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

async function call(app: Requester, token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json & { status: number }> {
  const h: Record<string, string> = { ...headers };
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await app.request(path, { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { ...((await res.json()) as Json), status: res.status };
}

const items = (r: Json): Json[] => r.items as Json[];

testEachDialect('cleaning API: worklist, accept, escalate; police see only their area; facilities cannot call police routes', async ({ db, dialect }) => {
  const { people, verifier } = await cleaningFixture(db, dialect);
  const app = createApp({ trust: new MemoryTrustStore(), db, populationVerifier: verifier });
  const token = async (name: string, role: string, scope?: string): Promise<string> => (await createToken(db, { name, role, ...(scope === undefined ? {} : { scope }) })).secret;
  const f1 = await token('clinic q1', 'facility', F1);
  const f2 = await token('clinic bd', 'facility', F2);
  const hcm = await token('Sở Y tế HCM', 'province', '79');
  const hn = await token('Sở Y tế HN', 'province', '01');
  const police79 = await token('Công an TP.HCM', 'police', '79');
  const police760 = await token('Công an Quận 1', 'police', '79/760');
  const police761 = await token('Công an Quận 12', 'police', '79/761');
  const police01 = await token('Công an Hà Nội', 'police', '01');
  await assert.rejects(createToken(db, { name: 'x', role: 'police', scope: '79/001' }), (e: unknown) => e instanceof AppError && e.status === 422 && /district 001/.test(e.message));
  await assert.rejects(createToken(db, { name: 'x', role: 'province', scope: '79/760' }), (e: unknown) => e instanceof AppError && e.status === 422);

  // Worklist: the facility, its province; not another facility or province.
  const wl = await call(app, f1, 'GET', `/api/v1/facilities/${F1}/worklist`);
  assert.equal(wl.status, 200);
  assert.deepEqual(items(wl).map((i) => [i.person_id, i.status]), [[people.nameTypo, 'MISMATCH'], [people.dobSwap, 'MISMATCH'], [people.idOff, 'NOT_FOUND'], [people.noId, 'NOT_SENT']]);
  assert.deepEqual(items(wl)[0]?.suggestions, [{ reason: 'NAME_CLOSE', values: { full_name: 'Trần Thị Bình' } }]);
  assert.deepEqual(items(wl)[3]?.reasons, [{ field: 'id_number', code: 'FIELD_MISSING', en: 'Missing ID number: the record could not be sent for verification', vi: 'Thiếu số định danh: chưa gửi xác thực được' }]);
  assert.equal(items(await call(app, f1, 'GET', `/api/v1/facilities/${F1}/worklist?status=NOT_FOUND`)).length, 1);
  assert.equal((await call(app, hcm, 'GET', `/api/v1/facilities/${F1}/worklist`)).status, 200);
  assert.equal((await call(app, f2, 'GET', `/api/v1/facilities/${F1}/worklist`)).status, 403);
  assert.equal((await call(app, hn, 'GET', `/api/v1/facilities/${F1}/worklist`)).status, 403);
  assert.equal((await call(app, police79, 'GET', `/api/v1/facilities/${F1}/worklist`)).status, 403);
  assert.equal((await call(app, f1, 'GET', `/api/v1/facilities/${F1}/worklist?status=VERIFIED`)).status, 400);

  // Accept a suggestion: re-verified at once with the app's verifier.
  assert.equal((await call(app, f2, 'POST', `/api/v1/people/${people.nameTypo}/verification/accept`, { suggestion: 0 })).status, 403);
  const accepted = await call(app, f1, 'POST', `/api/v1/people/${people.nameTypo}/verification/accept`, { suggestion: 0 });
  assert.equal(accepted.status, 200);
  assert.deepEqual([(accepted.person as Json).full_name, (accepted.verification as Json).status], ['Trần Thị Bình', 'VERIFIED']);
  assert.equal((await call(app, f1, 'POST', `/api/v1/people/${people.idOff}/verification/accept`, { suggestion: 4 })).code, 'SUGGESTION_NOT_FOUND');

  // Escalate to the police of the person's area.
  const c1 = await call(app, f1, 'POST', `/api/v1/people/${people.dobSwap}/verification/escalate`, { note: 'The citizen says the card shows 09/04' });
  assert.deepEqual([c1.status, c1.status === 201 && c1.province_code, c1.district_code, c1.facility_code], [201, '79', '760', F1]);
  assert.equal((await call(app, f1, 'POST', `/api/v1/people/${people.dobSwap}/verification/escalate`, { note: 'again' })).code, 'IDENTITY_CASE_OPEN');
  assert.equal((await call(app, f1, 'POST', `/api/v1/people/${people.otherFacility}/verification/escalate`, { note: 'not mine' })).status, 403);
  const c2 = await call(app, f2, 'POST', `/api/v1/people/${people.otherFacility}/verification/escalate`, { note: 'Sex differs' });
  assert.equal(c2.status, 201);
  const wl2 = items(await call(app, f1, 'GET', `/api/v1/facilities/${F1}/worklist`));
  assert.deepEqual(wl2.find((i) => i.person_id === people.dobSwap)?.escalation, { case_id: c1.id, status: 'needs_identity_confirmation', created_at: c1.created_at });

  // Police scope: province, district; never another area; never facilities.
  const ids = async (t: string): Promise<unknown[]> => items(await call(app, t, 'GET', '/api/v1/police/cases')).map((c) => c.id);
  assert.deepEqual(await ids(police79), [c1.id]);
  assert.deepEqual(await ids(police760), [c1.id]);
  assert.deepEqual(await ids(police761), []);
  assert.deepEqual(await ids(police01), [c2.id]);
  for (const t of [f1, hcm]) {
    const r = await call(app, t, 'GET', '/api/v1/police/cases');
    assert.deepEqual([r.status, r.code], [403, 'FORBIDDEN']);
    assert.equal((await call(app, t, 'POST', `/api/v1/police/cases/${String(c1.id)}/confirm`, { note: 'x' })).status, 403);
  }
  assert.equal((await call(app, police01, 'GET', `/api/v1/police/cases/${String(c1.id)}`)).status, 403);
  assert.equal((await call(app, police761, 'POST', `/api/v1/police/cases/${String(c1.id)}/confirm`, { note: 'x' })).status, 403);
  assert.equal((await call(app, police01, 'POST', `/api/v1/police/cases/${String(c1.id)}/correct`, { correction: { dob: '1985-04-09' }, note: 'x' })).status, 403);

  const detail = await call(app, police760, 'GET', `/api/v1/police/cases/${String(c1.id)}`);
  assert.deepEqual([detail.status, (detail.person as Json).dob, (detail.verification as Json).status, (detail.verification as Json).fields], [200, '1985-09-04', 'MISMATCH', ['dob']]);

  const corrected = await call(app, police760, 'POST', `/api/v1/police/cases/${String(c1.id)}/correct`, { correction: { dob: '1985-04-09' }, note: 'Birth certificate checked' });
  assert.equal(corrected.status, 200);
  assert.deepEqual([(corrected.case as Json).status, (corrected.person as Json).dob, (corrected.verification as Json).status], ['corrected_by_police', '1985-04-09', 'VERIFIED']);
  assert.match(String((await personHistory(db, people.dobSwap)).find((h) => h.action === 'correct')?.actor), /^police:\d+:Công an Quận 1$/);
  const confirmed = await call(app, police01, 'POST', `/api/v1/police/cases/${String(c2.id)}/confirm`, { note: 'The register is outdated' });
  assert.deepEqual([confirmed.status, confirmed.status === 200 && confirmed.resolution_note], [200, 'The register is outdated']);
  assert.equal((await call(app, police01, 'POST', `/api/v1/police/cases/${String(c2.id)}/confirm`, { note: 'again' })).code, 'IDENTITY_CASE_CLOSED');
  assert.deepEqual(items(await call(app, f2, 'GET', `/api/v1/facilities/${F2}/worklist`)), []);
  assert.deepEqual(items(await call(app, police01, 'GET', '/api/v1/police/cases?status=confirmed_by_police')).map((c) => c.id), [c2.id]);
});

testEachDialect('citizen reports API: public filing (rate-limited), token lookup, facility lists with overdue, status flow', async ({ db, dialect }) => {
  const { people, truth, verifier } = await cleaningFixture(db, dialect);
  let clock = new Date('2026-03-01T00:00:00.000Z');
  const app = new Hono();
  app.onError((e, c) => {
    const p = toProblem(e);
    return c.json(p, p.status as 400);
  });
  app.route('/', cleaningRoutes(db, { verifier, now: () => clock, slaDays: 5, reportRateLimit: { max: 2, windowMs: 60_000 }, trustProxy: true }));
  const f1 = (await createToken(db, { name: 'clinic q1', role: 'facility', scope: F1 })).secret;
  const f2 = (await createToken(db, { name: 'clinic bd', role: 'facility', scope: F2 })).secret;
  const hcm = (await createToken(db, { name: 'Sở Y tế HCM', role: 'province', scope: '79' })).secret;
  const hn = (await createToken(db, { name: 'Sở Y tế HN', role: 'province', scope: '01' })).secret;
  const ministry = (await createToken(db, { name: 'Bộ Y tế', role: 'ministry' })).secret;
  const swap = truth.dobSwap;
  assert.ok(swap);

  const filed = await call(app, undefined, 'POST', '/api/v1/reports', { id_number: swap.idNumber, full_name: 'Lê Văn Cường', dob: '04/09/1985', field: 'dob', correct_value: '1985-04-09', contact_phone: '0987654321' }, { 'x-forwarded-for': '1.2.3.4' });
  assert.deepEqual([filed.status, filed.due_at], [201, '2026-03-06T00:00:00.000Z']);
  const id = String(filed.id);
  const secret = String(filed.token);
  const bad = await call(app, undefined, 'POST', '/api/v1/reports', { id_number: swap.idNumber, full_name: 'x', dob: 'x', field: 'nope' }, { 'x-forwarded-for': '1.2.3.4' });
  assert.deepEqual([bad.status, (bad.issues as { field: string }[]).map((i) => i.field)], [400, ['body.field']]);
  assert.equal((await call(app, undefined, 'POST', '/api/v1/reports', { id_number: swap.idNumber, full_name: 'Lê Văn Cường', dob: '1985', field: 'dob' }, { 'x-forwarded-for': '1.2.3.4' })).code, 'VALIDATION');
  assert.equal((await call(app, undefined, 'POST', '/api/v1/reports', { id_number: swap.idNumber, full_name: 'Lê Văn Cường', dob: '1985', field: 'other', description: 'x', contact_email: 'a@b.vn' }, { 'x-forwarded-for': '1.2.3.4' })).status, 429);
  assert.equal((await call(app, undefined, 'POST', '/api/v1/reports', { id_number: '987654321', full_name: 'Người Lạ', dob: '1999', field: 'other', description: 'x', contact_email: 'a@b.vn', province_code: '01' }, { 'x-forwarded-for': '5.6.7.8' })).status, 201);

  // The citizen follows the report with the token; nothing else without a bearer.
  const mine = await call(app, undefined, 'GET', `/api/v1/reports/${id}?token=${encodeURIComponent(secret)}`);
  assert.deepEqual([mine.status, mine.status === 200 && mine.field, (mine.trail as Json[]).length, 'full_name' in mine, 'contact_phone' in mine], [200, 'dob', 1, false, false]);
  assert.equal((await call(app, undefined, 'GET', `/api/v1/reports/${id}?token=rp_guess`)).status, 404);
  assert.equal((await call(app, undefined, 'GET', `/api/v1/reports/${id}`)).status, 401);
  assert.equal((await call(app, f2, 'GET', `/api/v1/reports/${id}`)).status, 403);
  assert.equal((await call(app, ministry, 'GET', `/api/v1/reports/${id}`)).status, 200);

  // Lists: facility and province, with the overdue flag from the injected clock.
  assert.deepEqual(items(await call(app, f1, 'GET', `/api/v1/facilities/${F1}/reports`)).map((r) => [r.id, r.person_id, r.overdue]), [[filed.id, people.dobSwap, false]]);
  assert.equal((await call(app, f2, 'GET', `/api/v1/facilities/${F1}/reports`)).status, 403);
  assert.equal(items(await call(app, hcm, 'GET', '/api/v1/provinces/79/reports')).length, 1);
  assert.equal((await call(app, hn, 'GET', '/api/v1/provinces/79/reports')).status, 403);
  assert.equal(items(await call(app, hn, 'GET', '/api/v1/provinces/01/reports?unassigned=true')).length, 1);
  clock = new Date('2026-03-07T00:00:00.000Z');
  assert.deepEqual(items(await call(app, f1, 'GET', `/api/v1/facilities/${F1}/reports?overdue=true`)).map((r) => [r.id, r.overdue]), [[filed.id, true]]);
  assert.deepEqual(items(await call(app, f1, 'GET', `/api/v1/facilities/${F1}/reports?overdue=false`)), []);

  // Status flow: only the facility it is routed to (or its province) moves it.
  assert.equal((await call(app, f2, 'POST', `/api/v1/reports/${id}/status`, { status: 'in_progress' })).status, 403);
  assert.equal((await call(app, f1, 'POST', `/api/v1/reports/${id}/status`, { status: 'new' })).status, 400);
  assert.equal((await call(app, f1, 'POST', `/api/v1/reports/${id}/status`, { status: 'in_progress' })).status, 200);
  assert.equal((await call(app, hcm, 'POST', `/api/v1/reports/${id}/status`, { status: 'rejected' })).code, 'VALIDATION');
  const resolved = await call(app, f1, 'POST', `/api/v1/reports/${id}/status`, { status: 'resolved', reason: 'Date of birth corrected', correction: { dob: '1985-04-09' } });
  assert.equal(resolved.status, 200);
  assert.deepEqual([(resolved.report as Json).status, (resolved.report as Json).overdue, (resolved.person as Json).dob, (resolved.verification as Json).status], ['resolved', false, '1985-04-09', 'VERIFIED']);
  const staff = await call(app, f1, 'GET', `/api/v1/reports/${id}`);
  assert.deepEqual((staff.trail as Json[]).map((t) => [t.action, t.status]), [['create', 'new'], ['status', 'in_progress'], ['status', 'resolved']]);
  const citizen = await call(app, undefined, 'GET', `/api/v1/reports/${id}?token=${encodeURIComponent(secret)}`);
  assert.deepEqual([citizen.status, citizen.status_note, (citizen.trail as Json[]).map((t) => t.status)], [200, 'Date of birth corrected', ['new', 'in_progress', 'resolved']]);
  const sms = (await listOutbox(db, { recipient: '+84987654321' })).map((n) => n.template);
  assert.deepEqual(sms, ['report.received', 'report.in_progress', 'report.resolved']);
});

testEachDialect('report rate limit counts per socket address: X-Forwarded-For is trusted only behind a configured proxy', async ({ db }) => {
  const statuses = async (trustProxy: boolean): Promise<number[]> => {
    const app = new Hono();
    app.onError((e, c) => {
      const p = toProblem(e);
      return c.json(p, p.status as 400);
    });
    app.route('/', cleaningRoutes(db, { verifier: null, reportRateLimit: { max: 1, windowMs: 60_000 }, trustProxy }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const out: number[] = [];
      // Schema-valid but not a real person (422): still counted, like any filing attempt.
      for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: JSON.stringify({ id_number: '001090000001', full_name: 'Người Lạ', dob: '1990', field: 'other', description: 'x', contact_email: 'a@b.vn', province_code: '01' }),
        });
        out.push(r.status);
      }
      return out;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  };
  // Untrusted: a client rotating the header is still one address.
  assert.deepEqual((await statuses(false)).map((s) => s === 429), [false, true, true]);
  // Behind a proxy: each forwarded address has its own bucket.
  assert.deepEqual((await statuses(true)).map((s) => s === 429), [false, false, false]);
});
