import assert from 'node:assert/strict';
import { resolveToken } from '../../auth/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { runOnTestDb } from '../test-helpers/run-cli.js';
import type { CliRun } from '../test-helpers/run-cli.js';
import { registerFacility } from './facility.js';
import { registerToken } from './token.js';

/** Runs the facility and token commands in-process on the test database, mapping errors as main() does. */
function run(testDb: TestDb, ...args: string[]): Promise<CliRun> {
  return runOnTestDb(testDb, [registerFacility, registerToken], args);
}

testEachDialect('vaxpass facility add/list/signing and token create/list/revoke', async ({ testDb, db }) => {
  assert.equal((await run(testDb, 'facility', 'add', 'HN-1', '--name', 'Trạm Y tế 1', '--province', '01', '--district', '001')).code, 0);
  assert.equal((await run(testDb, 'facility', 'add', 'HN-SYT', '--name', 'Sở Y tế Hà Nội', '--province', '01', '--type', 'so_y_te')).code, 0);
  const dup = await run(testDb, 'facility', 'add', 'HN-1', '--name', 'x', '--province', '01');
  assert.equal(dup.code, 2);
  assert.match(dup.err, /FACILITY_EXISTS/);
  const bad = await run(testDb, 'facility', 'add', 'X', '--name', 'x', '--province', '99');
  assert.match(bad.err, /VALIDATION: province_code/);
  assert.equal((await run(testDb, 'facility', 'add', 'X', '--province', '01')).code, 2, '--name is required');

  const list = await run(testDb, 'facility', 'list', '--province', '01', '--json');
  assert.deepEqual((JSON.parse(list.out) as { code: string }[]).map((f) => f.code), ['HN-1', 'HN-SYT']);
  assert.match((await run(testDb, 'facility', 'list')).out, /2 facilities/);

  const s = await run(testDb, 'facility', 'signing', '01', '--mode', 'focal_unit', '--focal', 'HN-SYT');
  assert.equal(s.code, 0);
  assert.match(s.out, /signed by focal unit HN-SYT/);
  assert.equal((await run(testDb, 'facility', 'signing', '01', '--mode', 'focal_unit', '--focal', 'HN-1')).code, 2);

  const created = await run(testDb, 'token', 'create', '--role', 'facility', '--scope', 'HN-1', '--name', 'clinic');
  assert.equal(created.code, 0);
  const secret = created.out.trim();
  assert.match(secret, /^vp_/);
  assert.match(created.err, /shown only now/);
  assert.equal((await resolveToken(db, secret))?.scope, 'HN-1');
  assert.match((await run(testDb, 'token', 'list')).out, /facility\s+HN-1\s+active\s+clinic/);
  assert.doesNotMatch((await run(testDb, 'token', 'list', '--json')).out, new RegExp(secret.slice(3)));
  assert.equal((await run(testDb, 'token', 'create', '--role', 'root', '--name', 'x')).code, 2);
  assert.equal((await run(testDb, 'token', 'revoke', '1')).code, 0);
  assert.equal(await resolveToken(db, secret), null);
  assert.equal((await run(testDb, 'token', 'revoke', 'abc')).code, 2);
});
