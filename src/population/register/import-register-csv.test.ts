import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { nameMatchKey } from '../../registry/text/index.js';
import { DbRegister } from './db-register.js';
import { importRegisterCsv } from './import-register-csv.js';
import { loadRegister } from './load-register.js';

const dir = mkdtempSync(join(tmpdir(), 'vaxpass-register-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GOOD_AND_BAD = file(
  'register.csv',
  [
    'full_name,id_number,dob,sex', // any column order
    'Nguyễn Văn An,001090012345,1990-02-28,M',
    'Lê Thị Hoà,001190054321,1991,F',
    'Trần Văn Bình,12345,1990-01-01,M', // bad id
    ',079085000001,1985-05-05,F', // missing name
    'Phạm Thị Cúc,079085000002,1985-02-30,X', // bad dob and sex
    '',
    '"Đỗ Văn, Dũng",123456789,1960,M', // a comma inside quotes (name char refused)
    'Hoàng Văn Em,024099000003,1999-12-31,m',
    'Nguyễn Văn An,001090012399,1990-02-28,M', // same name and dob as the first, another ID
  ].join('\n'),
);

testEachDialect('population load: good rows are loaded, every bad row is reported with its line and reason', async ({ db, dialect }) => {
  const rejectedLines: number[] = [];
  const s = await importRegisterCsv(db, dialect, GOOD_AND_BAD, { thisYear: 2025, onRejected: (errs) => rejectedLines.push(errs[0]?.line ?? 0) });
  assert.equal(s.rows, 8);
  assert.equal(s.loaded, 4);
  assert.equal(s.rejected, 4);
  assert.equal(s.rows, s.loaded + s.rejected, 'no row dropped silently');
  assert.deepEqual(rejectedLines, [4, 5, 6, 8]);
  assert.deepEqual(
    s.errors.map((e) => `${e.line}:${e.field}`),
    ['4:id_number', '5:full_name', '6:dob', '6:sex', '8:full_name'],
  );
  assert.equal(s.errorsTruncated, false);
  const rows = await db.selectFrom('population_register').selectAll().orderBy('id_number').execute();
  assert.deepEqual(
    rows.map((r) => [r.id_number, r.full_name, r.name_key, r.dob, r.sex, r.source]),
    [
      ['001090012345', 'Nguyễn Văn An', nameMatchKey('Nguyễn Văn An'), '1990-02-28', 'M', 'register.csv'],
      ['001090012399', 'Nguyễn Văn An', nameMatchKey('Nguyễn Văn An'), '1990-02-28', 'M', 'register.csv'],
      ['001190054321', 'Lê Thị Hoà', nameMatchKey('Lê Thị Hòa'), '1991', 'F', 'register.csv'],
      ['024099000003', 'Hoàng Văn Em', nameMatchKey('Hoàng Văn Em'), '1999-12-31', 'M', 'register.csv'],
    ],
  );

  // The summary keeps at most maxErrors problems and says so.
  const capped = await importRegisterCsv(db, dialect, GOOD_AND_BAD, { thisYear: 2025, maxErrors: 2 });
  assert.equal(capped.errors.length, 2);
  assert.equal(capped.errorsTruncated, true);
  assert.equal(capped.rejected, 4);
});

testEachDialect('population load: reload upserts by ID, --replace clears first, a bad header loads nothing', async ({ db, dialect }) => {
  await importRegisterCsv(db, dialect, GOOD_AND_BAD, { thisYear: 2025 });
  const fix = file('fix.csv', 'id_number,full_name,dob,sex\n001090012345,Nguyễn Văn Ân,1990-02-28,M\n001090012345,Nguyễn Văn Ân,1990-03-01,M\n');
  const s = await importRegisterCsv(db, dialect, fix, { thisYear: 2025 });
  assert.equal(s.loaded, 1, 'a repeated ID in one batch is written once (the last wins)');
  const one = await db.selectFrom('population_register').selectAll().where('id_number', '=', '001090012345').executeTakeFirstOrThrow();
  assert.deepEqual([one.full_name, one.dob, one.source], ['Nguyễn Văn Ân', '1990-03-01', 'fix.csv']);
  assert.equal((await db.selectFrom('population_register').select('id_number').execute()).length, 4);

  await assert.rejects(importRegisterCsv(db, dialect, file('bad-header.csv', 'id,full_name,dob,sex\n001090012345,A B,1990,M\n'), { replace: true }), (e: unknown) => {
    return e instanceof AppError && e.code === 'REGISTER_FILE' && /missing id_number/.test(e.message);
  });
  assert.equal((await db.selectFrom('population_register').select('id_number').execute()).length, 4, 'nothing cleared');
  await assert.rejects(importRegisterCsv(db, dialect, file('latin.csv', Buffer.from('id_number,full_name,dob,sex\n001090012345,L\xea Th\xf5,1990,M\n', 'latin1')), {}), (e: unknown) => {
    return e instanceof AppError && /not UTF-8/.test(e.message);
  });

  const r = await importRegisterCsv(db, dialect, fix, { replace: true, thisYear: 2025 });
  assert.equal(r.loaded, 1);
  assert.equal((await db.selectFrom('population_register').select('id_number').execute()).length, 1);
});

testEachDialect('DbRegister: batched lookups by ID and by name key + dob', async ({ db, dialect }) => {
  const entries = Array.from({ length: 3000 }, (_, i) => ({
    idNumber: `0010900${String(i).padStart(5, '0')}`,
    fullName: i % 2 === 0 ? 'Nguyễn Văn An' : `Trần Thị Hòa ${'ABCDEFGHIJ'[i % 10] ?? ''}`,
    dob: `19${String(50 + (i % 50)).padStart(2, '0')}-01-0${(i % 9) + 1}`,
    sex: i % 2 === 0 ? ('M' as const) : ('F' as const),
  }));
  const { loaded } = await loadRegister(db, dialect, entries, { batchSize: 700, source: 'test' });
  assert.equal(loaded, 3000);
  const reg = new DbRegister(db);
  // More IDs than one query chunk would hold on either engine, plus unknown and repeated ones.
  const ask = [...entries.map((e) => e.idNumber), ...Array.from({ length: 25_000 }, (_, i) => `9${String(i).padStart(11, '0')}`), '001090000007'];
  const found = await reg.byIdNumbers(ask);
  assert.equal(found.length, 3000);
  assert.deepEqual(
    found.find((e) => e.idNumber === '001090000007'),
    entries[7],
  );
  assert.deepEqual(await reg.byIdNumbers([]), []);

  const hits = await reg.byNameDob([
    { nameKey: nameMatchKey('nguyễn văn an'), dob: '1950-01-01' },
    { nameKey: nameMatchKey('NGUYỄN VĂN AN'), dob: '1950-01-01' }, // same key twice
    { nameKey: nameMatchKey('Trần Thị Hoà B'), dob: '1951-01-02' }, // old tone placement
    { nameKey: nameMatchKey('Nguyễn Văn Ân'), dob: '1950-01-01' }, // a different name
  ]);
  const expected = entries.filter((e) => (e.fullName === 'Nguyễn Văn An' && e.dob === '1950-01-01') || (e.fullName === 'Trần Thị Hòa B' && e.dob === '1951-01-02'));
  assert.ok(expected.length >= 2);
  assert.deepEqual(
    hits.map((e) => e.idNumber).sort(),
    expected.map((e) => e.idNumber).sort(),
  );
  assert.deepEqual(await reg.byNameDob([]), []);
});
