import assert from 'node:assert/strict';
import { createToken } from '../auth/index.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { MemoryTrustStore } from '../hcert/index.js';
import { LocalVerifier, MemoryRegister } from '../population/matching/index.js';
import type { FunnelReport } from '../population/stats/index.js';
import type { RegisterEntry } from '../population/verifier.js';
import { correctPerson } from '../registry/index.js';
import { generateProvince, seedDatabase } from '../registry/seed/index.js';
import { createApp } from './app.js';

type Json = Record<string, unknown>;

function call(app: ReturnType<typeof createApp>, token: string | undefined, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
}

async function json<T = Json>(r: Response | Promise<Response>): Promise<T & { status: number }> {
  const res = await r;
  return { ...((await res.json()) as T), status: res.status };
}

testEachDialect('verification API: run, person verification, funnel with scope checks', async ({ db, dialect }) => {
  const gen = generateProvince({ provinceCode: '01', people: 150, seed: 21 });
  await seedDatabase(db, dialect, gen, { actor: 'test', today: '2026-11-25' });
  const truth: RegisterEntry[] = [];
  for (const p of gen.persons()) if (p.truth.idNumber !== null) truth.push({ idNumber: p.truth.idNumber, fullName: p.truth.fullName, dob: p.truth.dob, sex: p.truth.sex });
  const verifier = new LocalVerifier(new MemoryRegister(truth));
  const app = createApp({ trust: new MemoryTrustStore(), db, populationVerifier: verifier });
  const facility = await db.selectFrom('dose as d').innerJoin('facility as f', 'f.id', 'd.facility_id').select('f.code').where('d.status', '=', 'active').orderBy('f.code').executeTakeFirstOrThrow();
  const other = await db.selectFrom('facility').select('code').where('code', '!=', facility.code).orderBy('code').executeTakeFirstOrThrow();
  const ministry = (await createToken(db, { name: 'Bộ Y tế', role: 'ministry' })).secret;
  const hanoi = (await createToken(db, { name: 'Sở Y tế Hà Nội', role: 'province', scope: '01' })).secret;
  const hcm = (await createToken(db, { name: 'Sở Y tế TP.HCM', role: 'province', scope: '79' })).secret;
  const fac = (await createToken(db, { name: 'facility', role: 'facility', scope: facility.code })).secret;
  const police = (await createToken(db, { name: 'police', role: 'police', scope: '01' })).secret;

  // Runs: ministry and province only; a province only its own.
  assert.equal((await call(app, undefined, 'POST', '/api/v1/verification/run', {})).status, 401);
  assert.equal((await call(app, fac, 'POST', '/api/v1/verification/run', {})).status, 403);
  assert.equal((await call(app, hcm, 'POST', '/api/v1/verification/run', { province: '01' })).status, 403);
  assert.equal((await call(app, hcm, 'POST', '/api/v1/verification/run', { facility: facility.code })).status, 403);
  assert.equal((await call(app, hanoi, 'POST', '/api/v1/verification/run', { batch_size: 0 })).status, 400);
  const first = await json(call(app, hanoi, 'POST', '/api/v1/verification/run', { max_people: 40, batch_size: 15 }));
  assert.equal(first.status, 200);
  assert.equal(first.complete, false);
  assert.equal(first.stopped, 'limit');
  assert.equal(Number(first.verified) + Number(first.mismatch) + Number(first.notFound) + Number(first.notSent), 40);
  const rest = await json(call(app, ministry, 'POST', '/api/v1/verification/run', {}));
  assert.equal(rest.status, 200);
  assert.equal(rest.complete, true);
  assert.equal(rest.remaining, 0);

  // A person's verification: current + history; a correction makes it stale and queued.
  const mm = await db.selectFrom('verification_state').select('person_id').where('status', '=', 'MISMATCH').orderBy('person_id').executeTakeFirstOrThrow();
  const v = await json(call(app, fac, 'GET', `/api/v1/people/${mm.person_id}/verification`));
  assert.equal(v.status, 200);
  assert.equal((v.current as Json).status, 'MISMATCH');
  assert.ok(((v.current as Json).fields as string[]).length > 0);
  assert.equal(((v.current as Json).sent as Json).recordId, String(mm.person_id));
  assert.equal((v.history as Json[]).length, 1);
  assert.equal(v.stale, false);
  await correctPerson(db, mm.person_id, { phone: '0912000111' }, 'test', 'new phone');
  const after = await json(call(app, ministry, 'GET', `/api/v1/people/${mm.person_id}/verification`));
  assert.equal(after.stale, true);
  assert.equal((await call(app, police, 'GET', `/api/v1/people/${mm.person_id}/verification`)).status, 403);
  assert.equal((await call(app, ministry, 'GET', '/api/v1/people/99999999/verification')).status, 404);
  const again = await json(call(app, hanoi, 'POST', '/api/v1/verification/run', {}));
  assert.equal(again.queued, 1);
  assert.equal((await json(call(app, ministry, 'GET', `/api/v1/people/${mm.person_id}/verification`))).stale, false);

  // Funnel: ministry any scope; province its own; facility its own.
  const nation = await json<FunnelReport>(call(app, ministry, 'GET', '/api/v1/stats/funnel?group_by=province'));
  assert.equal(nation.status, 200);
  assert.equal(nation.total.sent.people, nation.total.verified.people + nation.total.mismatch.people + nation.total.notFound.people);
  assert.equal(nation.total.recorded.people, nation.total.sent.people + nation.total.notSent.people + nation.total.pending.people);
  assert.equal(nation.groups.length, 1);
  const own = await json<FunnelReport>(call(app, hanoi, 'GET', '/api/v1/stats/funnel'));
  assert.equal(own.scope.provinceCode, '01');
  assert.deepEqual(own.total.recorded, nation.total.recorded);
  assert.equal((await call(app, hcm, 'GET', '/api/v1/stats/funnel?province=01')).status, 403);
  assert.equal((await call(app, hcm, 'GET', '/api/v1/stats/funnel')).status, 200);
  assert.equal((await call(app, police, 'GET', '/api/v1/stats/funnel')).status, 403);
  const mine = await json<FunnelReport>(call(app, fac, 'GET', '/api/v1/stats/funnel'));
  assert.equal(mine.status, 200);
  assert.equal(mine.scope.facilityCode, facility.code);
  assert.equal((await call(app, fac, 'GET', `/api/v1/stats/funnel?facility=${other.code}`)).status, 403);
  assert.equal((await call(app, fac, 'GET', '/api/v1/stats/funnel?province=01')).status, 403);
  assert.equal((await call(app, hanoi, 'GET', `/api/v1/stats/funnel?facility=${facility.code}`)).status, 200);
  assert.equal((await call(app, ministry, 'GET', '/api/v1/stats/funnel?facility=NOPE')).status, 404);
  assert.equal((await call(app, ministry, 'GET', '/api/v1/stats/funnel?province=1')).status, 400);

  // Documented in OpenAPI.
  const doc = await json<{ paths: Record<string, unknown> }>(call(app, undefined, 'GET', '/openapi.json'));
  for (const p of ['/api/v1/stats/funnel', '/api/v1/verification/run', '/api/v1/people/{id}/verification']) assert.ok(p in doc.paths, p);
});
