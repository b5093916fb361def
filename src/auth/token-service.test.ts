import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { AppError } from '../errors/index.js';
import { addFacility } from '../registry/index.js';
import { authorize, can, createToken, listTokens, resolveToken, revokeToken } from './index.js';

testEachDialect('tokens: secret shown once, only its hash stored; resolve, revoke, scope checks', async ({ db }) => {
  await addFacility(db, { code: 'F1', name: 'Trạm 1', provinceCode: '01' }, 't');
  const { token, secret } = await createToken(db, { name: 'clinic app', role: 'facility', scope: 'F1' }, 'admin-cli');
  assert.match(secret, /^vp_[A-Za-z0-9_-]{43}$/);
  const stored = await db.selectFrom('api_token').selectAll().executeTakeFirstOrThrow();
  assert.notEqual(stored.token_sha256, secret);
  assert.ok(!JSON.stringify(stored).includes(secret.slice(3)));
  assert.deepEqual(await resolveToken(db, secret), { tokenId: token.id, name: 'clinic app', role: 'facility', scope: 'F1' });
  assert.equal(await resolveToken(db, 'vp_wrong'), null);
  assert.equal(await resolveToken(db, 'not-a-token'), null);

  for (const [input, field] of [
    [{ name: 'x', role: 'facility', scope: 'NOPE' }, 'scope'],
    [{ name: 'x', role: 'facility' }, 'scope'],
    [{ name: 'x', role: 'province', scope: '99' }, 'scope'],
    [{ name: 'x', role: 'ministry', scope: '01' }, 'scope'],
    [{ name: 'x', role: 'root' }, 'role'],
    [{ name: ' ', role: 'admin' }, 'name'],
  ] as const) {
    await assert.rejects(createToken(db, input), (e: unknown) => e instanceof AppError && e.status === 422 && e.details?.field === field);
  }

  const revoked = await revokeToken(db, token.id, 'admin-cli');
  assert.ok(revoked.revokedAt !== null);
  assert.equal(await resolveToken(db, secret), null);
  assert.equal((await revokeToken(db, token.id)).revokedAt, revoked.revokedAt, 'idempotent');
  await assert.rejects(revokeToken(db, 999), (e: unknown) => e instanceof AppError && e.code === 'TOKEN_NOT_FOUND');
  assert.deepEqual((await listTokens(db)).map((t) => [t.name, t.role, t.scope]), [['clinic app', 'facility', 'F1']]);
  const audit = await db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'api_token').orderBy('id').execute();
  assert.deepEqual(audit, [{ action: 'create', actor: 'admin-cli' }, { action: 'revoke', actor: 'admin-cli' }]);
});

test('authorize: roles and scopes (no database)', () => {
  const facility = { tokenId: 1, name: 'f', role: 'facility', scope: 'F1' } as const;
  const province = { tokenId: 2, name: 'p', role: 'province', scope: '01' } as const;
  const ministry = { tokenId: 3, name: 'm', role: 'ministry', scope: null } as const;
  assert.equal(can(facility, { action: 'facility.write', facilityCode: 'F1' }), true);
  assert.equal(can(facility, { action: 'facility.write', facilityCode: 'F2' }), false);
  assert.equal(can(province, { action: 'facility.manage', provinceCode: '01' }), true);
  assert.equal(can(province, { action: 'facility.manage', provinceCode: '79' }), false);
  assert.equal(can(province, { action: 'facility.read', facilityCode: 'X', provinceCode: '01' }), true);
  assert.equal(can(ministry, { action: 'facility.read', facilityCode: 'X', provinceCode: '79' }), true);
  assert.equal(can(ministry, { action: 'facility.write', facilityCode: 'X' }), false);
  assert.equal(can(facility, { action: 'person.search' }), false);
  assert.equal(can(facility, { action: 'person.write', facilityCodes: ['F1'], createdBy: 'x', actor: 'y' }), true);
  assert.throws(
    () => authorize(facility, { action: 'facility.write', facilityCode: 'F2' }),
    (e: unknown) => e instanceof AppError && e.status === 403 && e.code === 'FORBIDDEN' && /facility F2/.test(e.message),
  );
});
