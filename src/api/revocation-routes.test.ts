import assert from 'node:assert/strict';
import { before } from 'node:test';
import { createToken } from '../auth/index.js';
import { issueHc1, kidOf, verifyHc1 } from '../hcert/index.js';
import { sampleDcc } from '../hcert/test-helpers/sample-dcc.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { loadDbTrustStore } from '../trust/db-trust-store.js';
import { RevocationList } from '../trust/revocation-list.js';
import type { RevocationListJson } from '../trust/revocation.js';
import { insertOurDsc, makeCountryCsca, makeTestDsc } from '../trust/test-helpers/trust-fixtures.js';
import type { TestDsc } from '../trust/test-helpers/trust-fixtures.js';
import { revocationRoutes } from './revocation-routes.js';

const now = Math.floor(Date.now() / 1000);
const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

let dsc: TestDsc;
before(async () => {
  dsc = await makeTestDsc(await makeCountryCsca('VN'), { country: 'VN' });
});

testEachDialect('GET/POST /trust/revocation: revoke, delta since, ETag, offline list', async ({ db }) => {
  await insertOurDsc(db, dsc.certificate);
  let changes = 0;
  const app = revocationRoutes(db, { onChange: () => {
      changes++;
    } });
  const officer = { authorization: `Bearer ${(await createToken(db, { name: 'officer-7', role: 'ministry' })).secret}` };
  const admin = { authorization: `Bearer ${(await createToken(db, { name: 'ops', role: 'admin' })).secret}` };
  const hc1 = issueHc1(sampleDcc(), { signer: dsc.signer, iss: 'VN', iat: now, exp: now + 86400 });
  const trust = await loadDbTrustStore(db);

  const first = await app.request('/trust/revocation');
  assert.equal(first.status, 200);
  const etag = first.headers.get('etag')!;
  const full = (await first.json()) as RevocationListJson;
  assert.deepEqual([full.since, full.kids], [null, []]);
  assert.equal((await app.request('/trust/revocation', { headers: { 'if-none-match': etag } })).status, 304);
  const offline = RevocationList.fromJson(full);
  assert.equal(verifyHc1(hc1, { trust, revocation: offline }).valid, true);

  const created = await app.request('/trust/revocation', post({ hc1, reason: 'superseded' }, officer));
  assert.equal(created.status, 201);
  const body = (await created.json()) as { kid: string; entries: unknown[] };
  assert.equal(body.kid, kidOf(dsc.certificate.raw).toString('base64'));
  assert.equal(body.entries.length, 3);
  assert.equal(changes, 1);
  assert.equal((await app.request('/trust/revocation', post({ hc1, reason: 'superseded' }, admin))).status, 200, 'already revoked');

  const delta = (await (await app.request(`/trust/revocation?since=${encodeURIComponent(full.generatedAt)}`)).json()) as RevocationListJson;
  assert.equal(delta.since, full.generatedAt);
  assert.deepEqual(delta.kids.map((g) => [g.kid, g.hashType, g.hashes.length, g.reasons]), [
    [body.kid, 'COUNTRYCODEUCI', 1, ['superseded']],
    [body.kid, 'SIGNATURE', 1, ['superseded']],
    [body.kid, 'UCI', 1, ['superseded']],
  ]);
  offline.applyDelta(delta);
  const r = verifyHc1(hc1, { trust, revocation: offline });
  assert.deepEqual([r.valid, r.code], [false, 'HC1_REVOKED']);
  assert.notEqual((await app.request('/trust/revocation', { headers: { 'if-none-match': etag } })).status, 304, 'the list changed');
  const future = new Date(Date.now() + 3600_000).toISOString();
  assert.deepEqual(((await (await app.request(`/trust/revocation?since=${future}`)).json()) as RevocationListJson).kids, []);

  const audit = await db.selectFrom('audit_log').select(['actor', 'action']).where('entity', '=', 'certificate').execute();
  assert.deepEqual(audit, [
    { actor: 'token:1:officer-7', action: 'revoke' },
    { actor: 'token:2:ops', action: 'revoke' },
  ]);

  const byUvci = await app.request('/trust/revocation', post({ uvci: 'URN:UVCI:01:VN:CCCCCCCCCCCCCCCCCCCCCCCCCC#C', kid: body.kid, reason: 'correction', expiresAt: '2030-01-01T00:00:00Z' }, officer));
  assert.equal(byUvci.status, 201);
  assert.equal(((await byUvci.json()) as { expiresAt: string }).expiresAt, '2030-01-01T00:00:00.000Z');
});

testEachDialect('POST /trust/revocation answers problem+json for bad requests', async ({ db }) => {
  const app = revocationRoutes(db);
  const auth = { authorization: `Bearer ${(await createToken(db, { name: 'officer', role: 'ministry' })).secret}` };
  const bad = await app.request('/trust/revocation', post({ uvci: 42, reason: 'bored' }, auth));
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('content-type'), 'application/problem+json');
  const p = (await bad.json()) as { code: string; problems: { field: string }[] };
  assert.equal(p.code, 'BAD_REQUEST');
  assert.deepEqual(p.problems.map((x) => x.field).sort(), ['kid', 'reason', 'uvci']);
  assert.equal((await app.request('/trust/revocation', { method: 'POST', body: '{', headers: { 'content-type': 'application/json', ...auth } })).status, 400);
  assert.equal((await app.request('/trust/revocation?since=yesterday')).status, 400);
  const forged = await app.request('/trust/revocation', post({ hc1: issueHc1(sampleDcc(), { signer: dsc.signer, iss: 'VN', iat: now, exp: now + 60 }), reason: 'fraud' }, auth));
  assert.equal(forged.status, 422, 'no trusted DSC in this database');
  assert.equal(((await forged.json()) as { code: string }).code, 'REVOKE_UNVERIFIED');
});

testEachDialect('POST /trust/revocation needs an admin or ministry token', async ({ db }) => {
  const app = revocationRoutes(db);
  const none = await app.request('/trust/revocation', post({ hc1: 'HC1:x', reason: 'fraud' }));
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('content-type'), 'application/problem+json');
  assert.equal(((await none.json()) as { code: string }).code, 'UNAUTHENTICATED');
  assert.equal((await app.request('/trust/revocation', post({ hc1: 'HC1:x', reason: 'fraud' }, { authorization: 'Bearer vp_forged' }))).status, 401);
  const partner = { authorization: `Bearer ${(await createToken(db, { name: 'airline', role: 'partner' })).secret}` };
  const denied = await app.request('/trust/revocation', post({ hc1: 'HC1:x', reason: 'fraud' }, partner));
  assert.equal(denied.status, 403);
  assert.deepEqual(((await denied.json()) as { requiredRoles: string[] }).requiredRoles, ['admin', 'ministry']);
});
