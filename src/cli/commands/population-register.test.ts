import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { Command } from 'commander';
import { testEachDialect, type TestDb } from '../../db/test-helpers/dialects.js';
import { keepOpen, runProgram } from '../test-helpers/run-cli.js';
import type { CliRun } from '../test-helpers/run-cli.js';
import { registerPopulation } from './population.js';
import { registerPopulationRegister, type PopulationRegisterDeps } from './population-register.js';

const dir = mkdtempSync(join(tmpdir(), 'vaxpass-population-register-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `vaxpass population …` in-process on the test database, mapping errors as main() does. */
async function run(testDb: TestDb, extra: Omit<PopulationRegisterDeps, 'openDb'>, ...args: string[]): Promise<CliRun> {
  const program = new Command('vaxpass');
  const deps = { openDb: () => Promise.resolve(keepOpen(testDb)), ...extra };
  registerPopulation(program, deps);
  // The serve seams (onListening, signal) are ours: re-register on a fresh `population` to pass them.
  if (extra.onListening) {
    const fresh = new Command('vaxpass');
    registerPopulationRegister(fresh.command('population'), deps);
    return runOn(fresh, args);
  }
  return runOn(program, args);
}

function runOn(program: Command, args: string[]): Promise<CliRun> {
  return runProgram(program, ['population', ...args]);
}

const file = join(dir, 'register.csv');
writeFileSync(file, ['id_number,full_name,dob,sex', '001090012345,Nguyễn Văn An,1990-02-28,M', '001190054321,"Lê Thị Hòa",1991,F', '12345,Trần Văn Bình,1990-02-30,M', ''].join('\n'));

testEachDialect('population load: loads good rows, reports bad ones with line and reason, exit 1', async ({ testDb }) => {
  const report = join(dir, `errors-${testDb.dialect}.csv`);
  const r = await run(testDb, {}, 'load', file, '--report', report);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /loaded 2 register entries/);
  assert.match(r.out, /rejected {2}1 \(not loaded\)/);
  assert.match(r.out, /line 4 id_number: "12345" is not 9 \(CMND\) or 12 \(CCCD\) digits/);
  assert.match(r.out, /line 4 dob: day 30/);
  assert.equal(readFileSync(report, 'utf8'), 'line,field,reason\n4,id_number,"""12345"" is not 9 (CMND) or 12 (CCCD) digits"\n4,dob,day 30 does not exist in 1990-02\n');

  const good = join(dir, 'good.csv');
  writeFileSync(good, 'id_number,full_name,dob,sex\n079085000001,Phạm Thị Cúc,1985,F\n');
  const j = await run(testDb, {}, 'load', good, '--replace', '--json');
  assert.equal(j.code, 0, j.err);
  const s = JSON.parse(j.out) as { rows: number; loaded: number; rejected: number };
  assert.deepEqual([s.rows, s.loaded, s.rejected], [1, 1, 0]);
  assert.equal((await testDb.db.selectFrom('population_register').select('id_number').execute()).length, 1);

  const usage = await run(testDb, {}, 'load', good, '--batch', '0');
  assert.equal(usage.code, 2);
});

testEachDialect('population serve: answers the contract on a free port and stops cleanly', async ({ testDb }) => {
  await run(testDb, {}, 'load', file);
  const stop = new AbortController();
  let base = '';
  let checks: Promise<void> | undefined;
  const onListening = (url: string): void => {
    base = url;
    checks = (async () => {
      const health = (await (await fetch(`${url}/health`)).json()) as { status: string; register: number };
      assert.deepEqual(health, { status: 'ok', register: 2 });
      const r = await fetch(`${url}/v1/identity/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'cli-test' },
        body: JSON.stringify({ records: [{ record_id: 'x', id_number: '001090012345', full_name: 'nguyễn văn an', dob: '1990-02-28', sex: 'M' }] }),
      });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { results: [{ record_id: 'x', status: 'VERIFIED', fields: [], suggestions: [] }] });
      const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      assert.ok(doc.paths['/v1/identity/verify']);
    })().finally(() => stop.abort());
    checks.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
  };
  const r = await run(testDb, { onListening, signal: stop.signal }, 'serve', '--port', '0', '--latency-ms', '1', '--seed', '3');
  assert.ok(checks, 'the service listened');
  await checks;
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /population register service on http:\/\/127\.0\.0\.1:\d+/);
  assert.match(r.out, /stopped: 1 requests, 1 batches \/ 1 records matched/);
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  const bad = await run(testDb, {}, 'serve', '--fault-rate', '2');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /fault rate must be between 0 and 1/);
});
