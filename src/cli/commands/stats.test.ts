import assert from 'node:assert/strict';
import { Command, CommanderError } from 'commander';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { LocalVerifier, MemoryRegister } from '../../population/matching/index.js';
import type { FunnelReport } from '../../population/stats/index.js';
import type { RegisterEntry } from '../../population/verifier.js';
import { generateProvince, seedDatabase } from '../../registry/seed/index.js';
import { captureOutput } from '../test-helpers/capture-output.js';
import { registerPopulationVerify } from './population-verify.js';
import { registerStats } from './stats.js';

/** Runs `vaxpass population verify|stats …` in-process, mapping errors as main() does. */
async function run(testDb: TestDb, verifier: LocalVerifier, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const handle = { ...testDb, close: () => Promise.resolve() };
  const program = new Command('vaxpass').exitOverride();
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerPopulationVerify(program.command('population').exitOverride(), { openDb: () => Promise.resolve(handle), verifier });
  registerStats(program, { openDb: () => Promise.resolve(handle) });
  for (const c of program.commands) {
    c.exitOverride();
    c.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  }
  const r = await captureOutput(async () => {
    try {
      await program.parseAsync(['node', 'vaxpass', ...args]);
      return { code: typeof process.exitCode === 'number' ? process.exitCode : 0, extra: '' };
    } catch (e) {
      if (e instanceof CommanderError) return { code: 2, extra: e.message };
      if (e instanceof AppError) return { code: e.status >= 500 ? 1 : 2, extra: `error ${e.code}: ${e.message}` };
      throw e;
    }
  });
  return { code: r.result.code, out: r.out, err: r.err + r.result.extra };
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
