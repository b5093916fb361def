import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { Command } from 'commander';
import { describeEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { verifyPublishedTrustList } from '../../trust/pki/index.js';
import type { PkiCertificate } from '../../trust/pki/index.js';
import { registerPki } from './pki.js';

/** Runs `vaxpass pki …` in process against a test database, capturing stdout. */
async function run(testDb: TestDb, env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const program = new Command('vaxpass').exitOverride().configureOutput({ writeErr: () => undefined });
  // The test database outlives each command: close() is a no-op here.
  registerPki(program, { openDb: () => ({ db: testDb.db, dialect: testDb.dialect, close: () => Promise.resolve() }), env });
  let out = '';
  const w = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? ((out += s), true) : w(s, ...rest)));
  try {
    await program.parseAsync(['node', 'vaxpass', 'pki', ...args]);
  } finally {
    process.stdout.write = w;
  }
  return out;
}

describeEachDialect('vaxpass pki', (getDb) => {
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-pki-cli-'));
  // No passphrase configured: init generates the embedded dev secret.
  const env = { VAXPASS_KEY_DIR: join(dir, 'keys'), VAXPASS_KEY_SECRET_FILE: join(dir, 'secrets', 'key-passphrase') };

  it('init creates the PKI and generates the dev passphrase; a second init changes nothing', async () => {
    const first = await run(getDb(), env, 'init', '--dsc-days', '400');
    assert.match(first, /generated a random key passphrase into .*key-passphrase \(mode 0600\)/);
    assert.match(first, /created  +\d+ +csca/);
    assert.match(first, /created csca, dsc, facility_ca, trustlist/);
    assert.equal(statSync(env.VAXPASS_KEY_SECRET_FILE).mode & 0o777, 0o600);
    const second = await run(getDb(), env, 'init');
    assert.match(second, /PKI already initialised: nothing changed/);
    assert.doesNotMatch(second, /generated/);
    assert.equal(readdirSync(env.VAXPASS_KEY_DIR).length, 4);
  });

  it('issue-dsc, issue-facility-cert, rotate, revoke-dsc and list --json', async () => {
    await run(getDb(), env, 'issue-dsc', '--alg', 'PS256', '--rsa-bits', '2048');
    await run(getDb(), env, 'issue-facility-cert', '--owner', '01-HN-007', '--kind', 'province');
    const rotated = await run(getDb(), env, 'rotate');
    assert.match(rotated, /^issued/m);
    assert.equal(rotated.match(/^retired/gm)?.length, 2, 'both previously active DSCs are retired');
    const list = JSON.parse(await run(getDb(), env, 'list', '--json')) as PkiCertificate[];
    const dscs = list.filter((c) => c.role === 'dsc');
    assert.deepEqual(dscs.map((c) => c.status), ['retired', 'retired', 'active']);
    assert.equal(list.find((c) => c.role === 'facility')?.owner, '01-HN-007');
    assert.match(await run(getDb(), env, 'revoke-dsc', String(dscs[0]!.id), '--reason', 'key compromise'), /^revoked .* revoked /);
    const after = JSON.parse(await run(getDb(), env, 'list', '--json')) as PkiCertificate[];
    assert.equal(after.find((c) => c.id === dscs[0]!.id)?.revokeReason, 'key compromise');
    assert.match(await run(getDb(), env, 'list'), /csca +active/);
  });

  it('export-trustlist writes signed files that verify (also with openssl)', async () => {
    const out = join(dir, 'export');
    await run(getDb(), env, 'export-trustlist', '--out', out);
    assert.deepEqual(readdirSync(out).sort(), ['csca.json', 'csca.json.sig', 'csca.pem', 'dsc.json', 'dsc.json.sig', 'signer.pem']);
    const signerPem = readFileSync(join(out, 'signer.pem'), 'utf8');
    const cscaPem = readFileSync(join(out, 'csca.pem'), 'utf8');
    for (const kind of ['dsc', 'csca']) {
      const v = verifyPublishedTrustList(readFileSync(join(out, `${kind}.json`)), readFileSync(join(out, `${kind}.json.sig`)), signerPem, cscaPem);
      assert.equal(v.valid, true, v.reason);
    }
    assert.equal(JSON.parse(readFileSync(join(out, 'dsc.json'), 'utf8')).length, 2, 'the revoked DSC is not published');
    const pub = execFileSync('openssl', ['x509', '-pubkey', '-noout'], { input: signerPem });
    const pubFile = join(out, 'signer-pub.pem');
    execFileSync('bash', ['-c', `cat > ${pubFile}`], { input: pub });
    const ok = execFileSync('openssl', ['dgst', '-sha256', '-verify', pubFile, '-signature', join(out, 'dsc.json.sig'), join(out, 'dsc.json')], { encoding: 'utf8' });
    assert.match(ok, /Verified OK/);
    // Each entry's signature is a CMS SignedData over the certificate, chained to the CSCA.
    const entry = (JSON.parse(readFileSync(join(out, 'dsc.json'), 'utf8')) as { signature: string; rawData: string }[])[0]!;
    const p7 = join(out, 'entry.p7');
    writeFileSync(p7, Buffer.from(entry.signature, 'base64'));
    const content = execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', p7, '-CAfile', join(out, 'csca.pem'), '-purpose', 'any'], { stdio: ['ignore', 'pipe', 'pipe'] });
    assert.ok(content.equals(Buffer.from(entry.rawData, 'base64')), 'the CMS content is the certificate');
  });

  it('key-usage reads the counters', async () => {
    const { db } = getDb();
    await db.insertInto('key_usage_daily').values([{ kid: 'AAAAAAAAAAA=', day: '2026-01-02', count: 5 }, { kid: 'AAAAAAAAAAA=', day: '2026-01-03', count: 2 }]).execute();
    const u = JSON.parse(await run(getDb(), env, 'key-usage', '--kid', 'AAAAAAAAAAA=', '--json')) as { total: number };
    assert.equal(u.total, 7);
    assert.match(await run(getDb(), env, 'key-usage', '--from', '2026-01-03'), /total 2/);
  });

  it('rejects bad options', async () => {
    await assert.rejects(run(getDb(), env, 'init', '--alg', 'RS256'), /Allowed choices are ES256, PS256/);
    await assert.rejects(run(getDb(), env, 'init', '--dsc-days', '0'), /whole number/);
    await assert.rejects(run(getDb(), env, 'issue-facility-cert'), /--owner/);
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
