import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { runCli } from '../test-helpers/run-cli.js';
import type { CliRun } from '../test-helpers/run-cli.js';
import { registerPopulation } from './population.js';

const dir = mkdtempSync(join(tmpdir(), 'vaxpass-population-cli-'));

/** Runs `vaxpass population …` in-process, mapping errors as main() does. */
function run(...args: string[]): Promise<CliRun> {
  return runCli((p) => registerPopulation(p), ['population', ...args]);
}

const register = join(dir, 'register.csv');
writeFileSync(
  register,
  [
    'id_number,full_name,dob,sex',
    '001085000123,Nguyễn Văn An,1985-03-12,M',
    '001190000456,Lê Thị Hòa,1990-05-12,F',
    '001072000789,Trần Văn Nam,1972-07-08,M',
    '001160000111,"Phạm Thị Hoa",1960,F',
  ].join('\n'),
);
const records = join(dir, 'records.csv');
writeFileSync(
  records,
  [
    'record_id,id_number,full_name,dob,sex',
    'r1,001085000123,NguyÔn V¨n An,1985-03-12,Nam', // TCVN3, sex as Vietnamese
    'r2,001190000456,Lê Thị Hòa,1990-12-05,F', // day/month swapped
    'r3,001085000124,Nguyễn Văn An,1985-03-12,M', // one digit away
    'r4,012999888,Trần Văn Nam,1972-07-08,M', // CMND
    'r5,001190000456,Lê Thị Hoà,1990-05-12,Nữ', // old-style tone: verifies
    'r6,,Lê Thị Hòa,1990-05-12,F', // no ID
    'r7,001085000123,Nguyễn Văn An,12/03/1985,M', // malformed dob: not dropped
    'r8,001160000111,"Phạm Thị Hoa",1960-02-01,F', // fuller dob than the register
    'r9,001085000123,"Nguyễn Văn Ân",1985-03-12,M', // a different name, close
    '"r,10",079099999999,Someone,1999,X', // unknown sex value
  ].join('\n'),
);

test('population match: one row per record, in order, with fields and the first suggestion', async () => {
  const out = join(dir, 'out.csv');
  const r = await run('match', '--register', register, '--records', records, '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readFileSync(out, 'utf8').trimEnd().split('\n'), [
    'record_id,status,fields,suggestion',
    'r1,VERIFIED,,',
    'r2,MISMATCH,dob,dob=1990-05-12',
    'r3,NOT_FOUND,,id_number=001085000123',
    'r4,NOT_FOUND,,id_number=001072000789',
    'r5,VERIFIED,,',
    'r6,NOT_SENT,id_number,id_number=001190000456',
    'r7,NOT_SENT,dob,',
    'r8,MISMATCH,dob,dob=1960',
    'r9,MISMATCH,full_name,full_name=Nguyễn Văn An',
    '"r,10",NOT_SENT,sex,',
  ]);
  assert.match(r.out, /matched 10 records against 4 register entries/);
  assert.match(r.out, /VERIFIED\s+2\s+20\.0 %/);
  assert.match(r.out, /MISMATCH\s+3\s+30\.0 %\s+\(full_name 1, dob 2\)/);
  assert.match(r.out, /NOT_SENT\s+3\s+30\.0 %\s+\(id_number 1, dob 1, sex 1\)/);
});

test('population match --json: the machine summary', async () => {
  const out = join(dir, 'out-json.csv');
  const r = await run('match', '--register', register, '--records', records, '--out', out, '--json', '--batch-size', '3');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim().split('\n').length, 1);
  const s = JSON.parse(r.out) as Record<string, unknown>;
  assert.deepEqual(s.byStatus, { VERIFIED: 2, MISMATCH: 3, NOT_FOUND: 2, NOT_SENT: 3 });
  assert.deepEqual(s.mismatchedFields, { id_number: 0, full_name: 1, dob: 2, sex: 0 });
  assert.deepEqual(s.missingFields, { id_number: 1, full_name: 0, dob: 1, sex: 1 });
  assert.deepEqual(s.firstSuggestionReasons, { DOB_DAY_MONTH_SWAPPED: 1, ID_ONE_DIGIT_AWAY: 1, CMND_REPLACED_BY_CCCD: 1, FOUND_BY_NAME_DOB: 1, DOB_DIFFERS: 1, NAME_CLOSE: 1 });
  assert.equal(s.records, 10);
  assert.equal(s.registerRows, 4);
  assert.equal(s.out, out);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(join(dir, 'out.csv'), 'utf8'), 'batch size changes nothing');
});

test('population match: bad usage exits 2', async () => {
  const noCols = join(dir, 'records-bad.csv');
  writeFileSync(noCols, 'record_id,id_number,full_name,sex\nr1,001085000123,A,M\n');
  const bad = await run('match', '--register', register, '--records', noCols, '--out', join(dir, 'x.csv'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /POPULATION_RECORDS_HEADER.*dob/);
  assert.equal((await run('match', '--register', register, '--records', records)).code, 2, '--out is required');
  assert.equal((await run('match', '--register', register, '--records', records, '--out', join(dir, 'y.csv'), '--batch-size', '0')).code, 2);
});

test('registerPopulation reuses an existing population command', () => {
  const program = new Command('vaxpass');
  const existing = program.command('population').description('set by another module');
  existing.command('elsewhere');
  registerPopulation(program);
  assert.equal(program.commands.filter((c) => c.name() === 'population').length, 1);
  const names = existing.commands.map((c) => c.name());
  assert.ok(names.includes('elsewhere') && names.includes('match'), names.join());
  assert.equal(existing.description(), 'set by another module');
});
