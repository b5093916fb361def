import assert from 'node:assert/strict';
import { Command } from 'commander';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { enqueueIssuance } from '../../issuance/central/index.js';
import { addVaccinated, markVerified, setupIssuance, signAll } from '../../issuance/central/test-helpers/issuance-fixture.js';
import type { IssuanceFixture } from '../../issuance/central/test-helpers/issuance-fixture.js';
import { captureOutput } from '../test-helpers/capture-output.js';
import { registerIssue } from './issue.js';

async function run(testDb: TestDb, f: IssuanceFixture, ...args: string[]): Promise<{ out: string; code: number | undefined }> {
  const program = new Command('vaxpass').exitOverride().configureOutput({ writeErr: () => undefined });
  registerIssue(program, {
    openDb: () => Promise.resolve({ db: testDb.db, dialect: testDb.dialect, close: () => Promise.resolve() }),
    env: { VAXPASS_KEY_DIR: f.keyDir, VAXPASS_KEY_PASSPHRASE: f.passphrase },
  });
  const { out, result } = await captureOutput(async () => {
    await program.parseAsync(['node', 'vaxpass', 'issue', ...args]);
    return typeof process.exitCode === 'number' ? process.exitCode : undefined;
  });
  return { out, code: result };
}

testEachDialect('vaxpass issue --all / --renew / --person / --drain', async ({ db, testDb }) => {
  const f = await setupIssuance(db);
  try {
    const doses = [{ vaccine: 'Pfizer', date: '2021-08-01', n: 1 }];
    const a = await addVaccinated(db, f, { fullName: 'Đặng Văn Giang', dob: '1980-03-04', sex: 'M', n: 11, doses });
    const b = await addVaccinated(db, f, { fullName: 'Vũ Thị Hà', dob: '1982-05-06', sex: 'F', n: 12, doses });
    await markVerified(db, a.personId);
    await signAll(db, f);

    const all = JSON.parse((await run(testDb, f, '--all', '--workers', '1', '--json')).out) as { issued: number; ineligible: Record<string, number> };
    assert.equal(all.issued, 1);
    assert.deepEqual(all.ineligible, { ISSUE_NOT_VERIFIED: 1 });

    const single = await run(testDb, f, '--person', String(b.personId));
    assert.match(single.out, /ineligible ISSUE_NOT_VERIFIED/);
    assert.equal(single.code, 1);

    await markVerified(db, b.personId);
    await enqueueIssuance(db, b.personId, 'verified');
    assert.match((await run(testDb, f, '--drain')).out, /outbox: 1 rows handled, 1 passports issued/);

    const renew = await run(testDb, f, '--renew', '--days', '400', '--workers', '1');
    assert.match(renew.out, /^2 passports issued/);
    assert.match(renew.out, /renewed +2/);
    await assert.rejects(run(testDb, f, '--all', '--renew'), /exactly one of/);
  } finally {
    await f.close();
  }
});
