import assert from 'node:assert/strict';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { LocalVerifier, MemoryRegister } from '../../population/matching/index.js';
import type { FunnelReport } from '../../population/stats/index.js';
import type { RegisterEntry } from '../../population/verifier.js';
import { generateProvince, seedDatabase } from '../../registry/seed/index.js';
import { keepOpen, runCli } from '../test-helpers/run-cli.js';
import type { CliRun } from '../test-helpers/run-cli.js';
import { registerPopulationVerify } from './population-verify.js';
import { registerStats } from './stats.js';

/** Runs `vaxpass population verify|stats …` in-process, mapping errors as main() does. */
function run(testDb: TestDb, verifier: LocalVerifier, ...args: string[]): Promise<CliRun> {
  const handle = keepOpen(testDb);
  return runCli((p) => {
    registerPopulationVerify(p.command('population'), { openDb: () => Promise.resolve(handle), verifier });
    registerStats(p, { openDb: () => Promise.resolve(handle) });
  }, args);
}

testEachDialect('vaxpass population verify and stats funnel', async ({ testDb, db, dialect }) => {
  const gen = generateProvince({ provinceCode: '31', people: 120, seed: 3 });
  await seedDatabase(db, dialect, gen, { actor: 'test', today: '2026-11-25' });
  const truth: RegisterEntry[] = [];
  for (const p of gen.persons()) if (p.truth.idNumber !== null) truth.push({ idNumber: p.truth.idNumber, fullName: p.truth.fullName, dob: p.truth.dob, sex: p.truth.sex });
  const verifier = new LocalVerifier(new MemoryRegister(truth));

  const bad = await run(testDb, verifier, 'population', 'verify', '--batch', '0');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--batch/);

  const v = await run(testDb, verifier, 'population', 'verify', '--province', '31', '--batch', '25', '--json');
  assert.equal(v.code, 0, v.err);
  const s = JSON.parse(v.out) as Record<string, number | null>;
  const people = (await db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  assert.equal(Number(s.verified) + Number(s.mismatch) + Number(s.notFound) + Number(s.notSent), people);
  assert.equal(s.remaining, 0);
  assert.equal(s.stopped, null);
  const text = await run(testDb, verifier, 'population', 'verify');
  assert.match(text.out, /sent +0/);

  const f = await run(testDb, verifier, 'stats', 'funnel', '--json');
  assert.equal(f.code, 0, f.err);
  const report = JSON.parse(f.out) as FunnelReport;
  assert.equal(report.groupBy, 'province');
  assert.equal(report.total.sent.people + report.total.notSent.people + report.total.pending.people, report.total.recorded.people);
  assert.equal(report.total.sent.people, Number(s.verified) + Number(s.mismatch) + Number(s.notFound));
  const table = await run(testDb, verifier, 'stats', 'funnel', '--province', '31');
  assert.match(table.out, /verification funnel — province 31 \(Hải Phòng\)/);
  assert.match(table.out, /^ {4}verified +\d+ +\d+ +\d+\.\d%$/m);
  assert.match(table.out, /by facility/);
  const none = await run(testDb, verifier, 'stats', 'funnel', '--facility', 'NOPE');
  assert.equal(none.code, 2);
  assert.match(none.err, /FACILITY_NOT_FOUND/);
});
