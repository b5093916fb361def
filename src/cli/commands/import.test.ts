import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { addFacility } from '../../registry/index.js';
import { TEMPLATE_HEADERS } from '../../registry/import/index.js';
import { generateCccd } from '../../registry/validate/index.js';
import { runOnTestDb } from '../test-helpers/run-cli.js';
import type { CliRun } from '../test-helpers/run-cli.js';
import { registerImport } from './import.js';
import { registerSeed } from './seed.js';

type Json = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'vaxpass-import-cli-'));
const an = generateCccd('001', 1985, 'M', 1);
const row = (name: string, sex: string, date: string, n: number): (string | number)[] => [name, '12/03/1985', sex, an, '0912345678', '01', 'AstraZeneca', 'AB1', date, n];

/** Runs `vaxpass import|seed …` in-process on a test database, mapping errors as main() does. */
function run(testDb: TestDb, ...args: string[]): Promise<CliRun> {
  return runOnTestDb(testDb, [registerImport, registerSeed], args);
}

testEachDialect('vaxpass import --json: the summary contract, exit 1 when rows are rejected, 0 when none', async ({ testDb, db, dialect }) => {
  const file = join(dir, `list-${dialect}.csv`);
  writeFileSync(file, [TEMPLATE_HEADERS, row('Nguyễn Văn An', 'Nam', '15/08/2021', 1), row('Nguyễn Văn An', 'Nam', '15/08/2021', 1), row('Nguyễn Văn An', 'X', '31/02/2021', 2)].map((r) => r.join(',')).join('\n'));
  const unknown = await run(testDb, 'import', file, '--facility', 'HN-A', '--json');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /FACILITY_NOT_FOUND/);
  await addFacility(db, { code: 'HN-A', name: 'Trạm Y tế A', provinceCode: '01' }, 't');

  const r = await run(testDb, 'import', file, '--facility', 'HN-A', '--json');
  assert.equal(r.code, 1, r.err);
  assert.equal(r.out.trim().split('\n').length, 1, 'one JSON object on one line');
  const s = JSON.parse(r.out) as Json;
  for (const k of ['rows', 'imported', 'duplicates', 'rejected', 'errors']) assert.ok(k in s, k);
  assert.deepEqual([s.rows, s.imported, s.duplicates, s.rejected], [3, 1, 1, 1]);
  const errors = s.errors as Json[];
  assert.deepEqual(errors.map((e) => [e.row, e.column, e.code]).sort(), [[4, 'dose_date', 'DATE_INVALID_DAY'], [4, 'sex', 'SEX_UNKNOWN']]);
  for (const e of errors) {
    assert.deepEqual(Object.keys(e).sort(), ['code', 'column', 'message', 'row']);
    assert.equal(typeof e.message, 'string');
  }
  assert.ok(existsSync(`${file}.errors.csv`), 'the error report is written next to the file');

  const clean = join(dir, `clean-${dialect}.csv`);
  writeFileSync(clean, [TEMPLATE_HEADERS, row('Nguyễn Văn An', 'Nam', '10/10/2021', 2)].map((x) => x.join(',')).join('\n'));
  const ok = await run(testDb, 'import', clean, '--facility', 'HN-A', '--no-report');
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /imported\s+1/);
  assert.ok(!existsSync(`${clean}.errors.csv`));
});

testEachDialect('vaxpass seed: --out writes the four files; into the database imports doses', async ({ testDb }) => {
  const out = join(dir, `seed-${String(process.pid)}-${testDb.dialect}`);
  const files = await run(testDb, 'seed', '--province', '01', '--people', '200', '--seed', '7', '--out', out, '--json');
  assert.equal(files.code, 0, files.err);
  for (const f of ['records.csv', 'register.csv', 'facilities.csv', 'injected.csv']) assert.ok(existsSync(join(out, f)), f);
  assert.equal((JSON.parse(files.out) as Json).people, 200);

  const seeded = await run(testDb, 'seed', '--province', '01', '--people', '300', '--seed', '7', '--json');
  assert.equal(seeded.code, 0, seeded.err);
  const s = JSON.parse(seeded.out) as Json;
  assert.ok(Number(s.imported) > 0, JSON.stringify(s));
  assert.equal(Number(s.rows), Number(s.imported) + Number(s.duplicates) + Number(s.rejected));
  assert.equal((await run(testDb, 'seed', '--province', '01', '--people', '-1')).code, 2);
});
