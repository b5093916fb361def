import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { addFacility, createPerson, recordDose } from '../../registry/index.js';
import { generateCccd } from '../../registry/validate/index.js';
import { KeyCustody, pkiInit } from '../../trust/pki/index.js';
import { keepOpen, runCli } from '../test-helpers/run-cli.js';
import type { CliRun } from '../test-helpers/run-cli.js';
import { registerSign } from './sign.js';

/** Runs `vaxpass sign …` in-process on the test database, mapping errors as main() does. */
function run(testDb: TestDb, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  const handle = keepOpen(testDb);
  return runCli((p) => registerSign(p, { openDb: () => Promise.resolve(handle), env }), args);
}

testEachDialect('vaxpass sign --facility, sign verify --person/--dose', async ({ testDb, db }) => {
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-sign-cli-'));
  const env = { VAXPASS_KEY_BACKEND: 'file', VAXPASS_KEY_DIR: join(dir, 'keys'), VAXPASS_KEY_PASSPHRASE: 'test passphrase, not a secret' };
  const custody = new KeyCustody({ backend: 'file', keyDir: env.VAXPASS_KEY_DIR, secretFile: join(dir, 'secret'), passphrase: env.VAXPASS_KEY_PASSPHRASE });
  try {
    await pkiInit(db, { custody });
    await addFacility(db, { code: 'HN-A', name: 'Trạm Y tế A', provinceCode: '01' }, 't');
    const { person } = await createPerson(db, { fullName: 'Nguyễn Văn An', dob: '1990-05-01', sex: 'M', idNumber: generateCccd('001', 1990, 'M', 3) }, 't');
    const { dose } = await recordDose(db, { personId: person.id, facilityCode: 'HN-A', vaccine: 'AZ', doseDate: '2021-07-01', doseNumber: 1, source: 'form' }, 'nurse');

    const unsigned = await run(testDb, env, 'sign', 'verify', '--person', String(person.id));
    assert.equal(unsigned.code, 0);
    assert.match(unsigned.out, /unsigned +dose \d+ \(version 1\) has never been signed/);
    const noCert = await run(testDb, env, 'sign', '--facility', 'HN-A');
    assert.equal(noCert.code, 2);
    assert.match(noCert.err, /SIGNING_CERT_MISSING: .*vaxpass pki issue-facility-cert --owner HN-A/);

    const signed = await run(testDb, env, 'sign', '--facility', 'HN-A', '--ensure-cert');
    assert.equal(signed.code, 0, signed.err);
    assert.match(signed.out, /signed 1 records of \d{4}-\d{2}-\d{2} of HN-A as HN-A with certificate \d+ \(kid .+\), issued now; 0 already signed/);
    const again = JSON.parse((await run(testDb, env, 'sign', '--facility', 'HN-A', '--all', '--json')).out) as { signed: number; alreadySigned: number; date: null };
    assert.deepEqual([again.signed, again.alreadySigned, again.date], [0, 1, null]);

    const ok = await run(testDb, env, 'sign', 'verify', '--dose', String(dose.id), '--json');
    assert.equal(ok.code, 0);
    assert.equal((JSON.parse(ok.out) as { status: string }[])[0]?.status, 'valid');

    await db.updateTable('dose').set({ lot: 'FORGED' }).where('id', '=', dose.id).execute();
    const bad = await run(testDb, env, 'sign', 'verify', '--person', String(person.id));
    assert.equal(bad.code, 1, 'an invalid signature is a negative verdict');
    assert.match(bad.out, /invalid .*tampering/);

    assert.equal((await run(testDb, env, 'sign', 'verify')).code, 2);
    assert.equal((await run(testDb, env, 'sign', '--facility', 'HN-A', '--date', '2025-02-30')).code, 2);
    assert.equal((await run(testDb, env, 'sign', '--facility', 'NOPE')).code, 2);
  } finally {
    custody.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
