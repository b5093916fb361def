import assert from 'node:assert/strict';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { createRegisterService } from './create-register-service.js';
import { loadRegister } from './load-register.js';
import { populationOpenApi } from './population-openapi.js';

const ENTRIES = [
  { idNumber: '001090012345', fullName: 'Nguyễn Văn An', dob: '1990-02-28', sex: 'M' as const },
  { idNumber: '001190054321', fullName: 'Lê Thị Hòa', dob: '1991-07-04', sex: 'F' as const },
];
const RECORDS = [
  { record_id: 'r1', id_number: '001090012345', full_name: 'NGUYỄN VĂN AN', dob: '1990-02-28', sex: 'M' },
  { record_id: 'r2', id_number: '001190054321', full_name: 'Lê Thị Hoà', dob: '1991-04-07', sex: 'F' },
  { record_id: 'r3', id_number: '079000000000', full_name: 'Trần Văn Bình', dob: '1980', sex: 'M' },
  { record_id: 'r4', id_number: null, full_name: 'Trần Văn Bình', dob: '1980' },
];

function post(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request('http://svc/v1/identity/verify', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

interface Body {
  results?: { record_id: string; status: string; fields: string[]; suggestions: unknown[] }[];
  code?: string;
  issues?: { path: string }[];
}

testEachDialect('verify: one result per record; a repeated key replays the stored answer and is counted once', async ({ db, dialect }) => {
  await loadRegister(db, dialect, ENTRIES);
  const svc = createRegisterService({ db, dialect });
  const r = await svc.app.request(post({ records: RECORDS }, { 'idempotency-key': 'k1' }));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('idempotent-replayed'), null);
  const text = await r.text();
  const body = JSON.parse(text) as Body;
  assert.deepEqual(
    body.results?.map((x) => [x.record_id, x.status, x.fields]),
    [
      ['r1', 'VERIFIED', []],
      ['r2', 'MISMATCH', ['dob']],
      ['r3', 'NOT_FOUND', []],
      ['r4', 'NOT_SENT', ['id_number', 'sex']],
    ],
  );
  const again = await svc.app.request(post({ records: RECORDS }, { 'idempotency-key': 'k1' }));
  assert.equal(again.status, 200);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(await again.text(), text);
  const reused = await svc.app.request(post({ records: RECORDS.slice(1) }, { 'idempotency-key': 'k1' }));
  assert.equal(reused.status, 422);
  assert.equal(((await reused.json()) as Body).code, 'IDEMPOTENCY_KEY_REUSED');

  // Concurrent repeats of a new key while the first is still working: matched once.
  const slow = createRegisterService({ db, dialect, faults: { latencyMs: 30 } });
  const answers = await Promise.all([1, 2, 3].map(async () => slow.app.request(post({ records: RECORDS }, { 'idempotency-key': 'k2' }))));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
  assert.deepEqual(new Set(await Promise.all(answers.map((a) => a.text()))), new Set([text]));

  const s = svc.stats();
  assert.deepEqual([s.requests, s.answered, s.batchesProcessed, s.recordsProcessed, s.replayed, s.rejected], [3, 2, 1, 4, 1, 1]);
  assert.deepEqual(s.byStatus, { VERIFIED: 1, MISMATCH: 1, NOT_FOUND: 1, NOT_SENT: 1 });
  assert.deepEqual([slow.stats().batchesProcessed, slow.stats().replayed], [1, 2]);
  const stored = await db.selectFrom('population_request').select(['idempotency_key', 'record_count']).orderBy('idempotency_key').execute();
  assert.deepEqual(stored, [
    { idempotency_key: 'k1', record_count: 4 },
    { idempotency_key: 'k2', record_count: 4 },
  ]);
});

testEachDialect('verify: faults before the work store nothing; faults after it store the answer a retry gets', async ({ db, dialect }) => {
  await loadRegister(db, dialect, ENTRIES);
  const before = createRegisterService({ db, dialect, faults: { rate: 1, beforeShare: 1 } });
  const r1 = await before.app.request(post({ records: RECORDS }, { 'idempotency-key': 'k' }));
  assert.equal(r1.status, 503);
  assert.equal(r1.headers.get('content-type'), 'application/problem+json');
  assert.equal(before.stats().batchesProcessed, 0);
  assert.equal((await db.selectFrom('population_request').select('idempotency_key').execute()).length, 0);

  const afterWork = createRegisterService({ db, dialect, faults: { rate: 1, beforeShare: 0 } });
  const r2 = await afterWork.app.request(post({ records: RECORDS }, { 'idempotency-key': 'k' }));
  assert.equal(r2.status, 500);
  assert.deepEqual([afterWork.stats().batchesProcessed, afterWork.stats().faultsAfter], [1, 1]);

  const healthy = createRegisterService({ db, dialect });
  const r3 = await healthy.app.request(post({ records: RECORDS }, { 'idempotency-key': 'k' }));
  assert.equal(r3.status, 200);
  assert.equal(r3.headers.get('idempotent-replayed'), 'true');
  assert.equal(healthy.stats().batchesProcessed, 0, 'the retry was not matched again');
});

testEachDialect('verify: bad requests are problem+json (400, 413, 422) and the API key is enforced', async ({ db, dialect }) => {
  const svc = createRegisterService({ db, dialect, apiKey: 's3cret' });
  const auth = { authorization: 'Bearer s3cret' };
  assert.equal((await svc.app.request(post({ records: [] }))).status, 401);
  assert.equal((await svc.app.request(post({ records: [] }, { authorization: 'Bearer nope' }))).status, 401);
  const ok = await svc.app.request(post({ records: [] }, auth));
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { results: [] });
  const notJson = await svc.app.request(post('{', auth));
  assert.equal(notJson.status, 400);
  const tooMany = await svc.app.request(post({ records: Array.from({ length: 1001 }, (_, i) => ({ record_id: String(i) })) }, auth));
  assert.equal(tooMany.status, 413);
  assert.equal(((await tooMany.json()) as Body).code, 'TOO_MANY_RECORDS');
  const huge = await svc.app.request(post({ records: [{ record_id: 'x'.repeat(5 << 20) }] }, auth));
  assert.equal(huge.status, 413);
  const bad = await svc.app.request(post({ records: [{ record_id: '' }, { record_id: 'b', sex: 'X', dob: 19900101 }] }, auth));
  assert.equal(bad.status, 422);
  assert.equal(bad.headers.get('content-type'), 'application/problem+json');
  assert.deepEqual(((await bad.json()) as Body).issues?.map((i) => i.path), ['records[0].record_id', 'records[1].sex', 'records[1].dob']);
  assert.equal((await svc.app.request(post({ records: [] }, { ...auth, 'idempotency-key': 'x'.repeat(201) }))).status, 422);
  const health = await svc.app.request('/health');
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', register: 0 });
});

testEachDialect('/openapi.json: a valid OpenAPI 3.1 document listing the routes, every $ref resolving', async ({ db, dialect }) => {
  const svc = createRegisterService({ db, dialect });
  const r = await svc.app.request('/openapi.json');
  assert.equal(r.status, 200);
  const doc = JSON.parse(await r.text()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> }; servers?: { url: string }[] };
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/v1/identity/verify']?.post);
  assert.ok(doc.paths['/health']?.get);
  assert.deepEqual(doc.servers, [{ url: 'http://localhost' }]);
  // Every route the app answers is documented.
  const routes = new Set(svc.app.routes.filter((x) => x.method !== 'ALL').map((x) => `${x.method.toLowerCase()} ${x.path}`));
  for (const route of routes) {
    const [method = '', path = ''] = route.split(' ');
    assert.ok(doc.paths[path]?.[method], route);
  }
  const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
  for (const ref of new Set(refs)) assert.ok(doc.components.schemas[ref.split('/').pop() ?? ''], ref);
  assert.deepEqual(populationOpenApi().servers, undefined);
});
