import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before } from 'node:test';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { issueHc1 } from '../../hcert/index.js';
import type { Signer } from '../../hcert/index.js';
import { sampleDcc } from '../../hcert/test-helpers/sample-dcc.js';
import type { CertificateAuthority } from '../../trust/keys/certify-public-key.js';
import { gatewayEntry, makeCountryCsca, makeTestDsc } from '../../trust/test-helpers/trust-fixtures.js';
import type { TestDsc } from '../../trust/test-helpers/trust-fixtures.js';
import { runOnTestDb } from '../test-helpers/run-cli.js';
import type { CliRun } from '../test-helpers/run-cli.js';
import { registerTrust } from './trust.js';
import { registerVerify } from './verify.js';

/** Runs the trust and verify commands in-process on the test database, mapping errors to exit codes as main() does. */
function run(testDb: TestDb, ...args: string[]): Promise<CliRun> {
  return runOnTestDb(testDb, [registerTrust, registerVerify], args);
}

const now = Math.floor(Date.now() / 1000);
const issue = (signer: Signer, ci: string): string => issueHc1(sampleDcc({ ci, co: 'DE' }), { signer, iss: 'DE', iat: now, exp: now + 86400 });

let dir: string;
let cscaDe: CertificateAuthority;
let valid: TestDsc;
let forged: TestDsc;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vaxpass-trust-cli-'));
  cscaDe = await makeCountryCsca('DE');
  valid = await makeTestDsc(cscaDe, { country: 'DE', cn: 'DSC DE' });
  forged = await makeTestDsc(await makeCountryCsca('DE', { name: cscaDe.name }), { country: 'DE', cn: 'DSC DE forged' });
  writeFileSync(join(dir, 'csca.pem'), cscaDe.certificate.toString());
  writeFileSync(join(dir, 'gateway.json'), JSON.stringify([gatewayEntry(valid.certificate)]));
});

testEachDialect('vaxpass pki import-csca / import-trustlist URL / trustlist, verify, revoke, revocation export', async ({ testDb }) => {
  const csca = await run(testDb, 'pki', 'import-csca', join(dir, 'csca.pem'));
  assert.equal(csca.code, 0, csca.out + csca.err);
  assert.match(csca.out, /^accepted .*csca\.pem#1 {2}DE/m);

  const server = createServer((_req, res) => res.writeHead(200).end(JSON.stringify([gatewayEntry(valid.certificate), gatewayEntry(forged.certificate)])));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trustList`;
  try {
    const imp = await run(testDb, 'pki', 'import-trustlist', url);
    assert.equal(imp.code, 1, 'a rejected entry makes the import exit 1');
    assert.match(imp.out, /^accepted .*#1 {2}DE {2}kid \S+ {2}C=DE, O=VaxPass test, CN=DSC DE$/m);
    assert.match(imp.out, /^rejected .*#2 .*\n {10}signature does not verify against any of the 1 CSCA\(s\) of DE/m);
    assert.match(imp.out, /: 1 accepted, 0 duplicate, 1 rejected, 0 skipped$/m);
  } finally {
    server.close();
  }
  const list = await run(testDb, 'pki', 'trustlist', '--json');
  assert.deepEqual((JSON.parse(list.out) as { type: string; country: string }[]).map((r) => [r.type, r.country]), [['CSCA', 'DE'], ['DSC', 'DE']]);

  // verify uses the database by default; a forged signer is unknown there.
  const hc1 = issue(valid.signer, 'URN:UVCI:01:DE:AAAA#1');
  const ok = await run(testDb, 'verify', hc1);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /^VALID\nsigner: C=DE, O=VaxPass test, CN=DSC DE \(country DE, kid /);
  const unknown = await run(testDb, 'verify', issue(forged.signer, 'URN:UVCI:01:DE:BBBB#2'));
  assert.equal(unknown.code, 1);
  assert.match(unknown.out, /INVALID HC1_KID_UNKNOWN[\s\S]*unverified[\s\S]*Nguyễn/);

  // Revoked: verify says so, with or without --trust; the export lists it.
  const t0 = new Date().toISOString();
  const rev = await run(testDb, 'revoke', hc1, '--reason', 'fraud', '--actor', 'test');
  assert.equal(rev.code, 0, rev.out + rev.err);
  assert.match(rev.out, /^revoked {2}UCI/m);
  const bad = await run(testDb, 'verify', hc1, '--json');
  assert.equal(bad.code, 1);
  assert.equal((JSON.parse(bad.out) as { code: string }).code, 'HC1_REVOKED');
  const exp = JSON.parse((await run(testDb, 'revocation', 'export', '--since', t0)).out) as { kids: { hashType: string }[] };
  assert.deepEqual(exp.kids.map((k) => k.hashType), ['COUNTRYCODEUCI', 'SIGNATURE', 'UCI']);

  // --trust with a gateway-format file: only that file is trusted, revocation still applies.
  const other = issue(valid.signer, 'URN:UVCI:01:DE:CCCC#3');
  const gw = await run(testDb, 'verify', other, '--trust', join(dir, 'gateway.json'));
  assert.equal(gw.code, 0, gw.out + gw.err);
  assert.match(gw.out, /country DE/);
  assert.equal((await run(testDb, 'verify', hc1, '--trust', join(dir, 'gateway.json'))).code, 1);
  assert.match((await run(testDb, 'verify', other, '--trust', join(dir, 'csca.pem'))).out, /HC1_KID_UNKNOWN/);

  const audit = await testDb.db.selectFrom('audit_log').select(['entity', 'action']).orderBy('id').execute();
  assert.deepEqual(audit.map((a) => `${a.entity}:${a.action}`), ['trusted_csca:import', 'trusted_dsc:import', 'certificate:revoke']);
});

testEachDialect('vaxpass revoke: bad usage exits 2', async ({ testDb }) => {
  assert.equal((await run(testDb, 'revoke', '--uvci', 'URN:UVCI:01:VN:X#1', '--reason', 'fraud')).code, 2, '--kid missing');
  assert.equal((await run(testDb, 'revoke', 'HC1:x')).code, 2, '--reason missing');
  assert.equal((await run(testDb, 'revoke', 'HC1:x', '--reason', 'bored')).code, 2);
  assert.equal((await run(testDb, 'revocation', 'export', '--since', 'then')).code, 2);
  assert.equal((await run(testDb, 'pki', 'import-trustlist', join(dir, 'missing.json'))).code, 2);
});
