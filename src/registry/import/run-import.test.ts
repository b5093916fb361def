import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import { sqliteHandleOf } from '../../db/index.js';
import type { Database } from '../../db/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { encodeLegacy } from '../text/index.js';
import { generateCccd } from '../validate/index.js';
import { TEMPLATE_HEADERS, importFile } from './index.js';
import { templateCsv } from './test-helpers/template-csv.js';

const TODAY = '2026-11-25';
const dir = mkdtempSync(join(tmpdir(), 'vaxpass-import-'));

const an = generateCccd('001', 1985, 'M', 1);
const binh = generateCccd('079', 1990, 'F', 2);
const lostZero = generateCccd('001', 1970, 'M', 3).slice(1); // Excel dropped the leading 0

/** Every row kind of the issue: the good ones land, each bad one is reported with its row. */
const MESSY: readonly { row: (string | number)[]; expect: 'imported' | 'duplicate' | { column: string; code: string }[] }[] = [
  { row: ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB1', '15/08/2021', 1], expect: 'imported' },
  { row: ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB2', '10/10/2021', 2], expect: 'imported' },
  { row: ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB1', '15/08/2021', 1], expect: 'duplicate' },
  { row: ['Trần Thị Bình', '1990-05-20', 'Nữ', binh, '912345678', '79', 'Pfizer', 'FK1', '2021-09-01', 1], expect: 'imported' },
  { row: ['Phạm Văn Cường', '01/01/1970', 'Nam', lostZero, '', '01', 'Moderna', 'M1', '01/09/2021', 1], expect: 'imported' },
  { row: ['Lê Văn Dũng', '1/2/1960', 'Nam', '', '', '01', 'Vero Cell', 'V1', '01/07/2021', 1], expect: 'imported' },
  { row: ['Đỗ Thị Hà', '1975', 'Nữ', '', '', '01', 'Moderna', 'M2', 44440, 1], expect: 'imported' },
  { row: ['Hoàng Văn Hùng', '5/6/88', 'M', generateCccd('001', 1988, 'M', 4), '', '01', 'EU/1/21/1529', 'A9', '3/9/21', 1], expect: 'imported' },
  { row: ['Bùi Văn Khoa', '01/01/1980', 'Nam', '999080000001', '', '01', 'AstraZeneca', 'A1', '01/09/2021', 1], expect: 'imported' }, // unknown prefix: a warning (may be a country code)
  { row: ['Bùi Thị Lan', '12/03/1985', 'Nữ', generateCccd('001', 1985, 'M', 5), '', '01', 'AstraZeneca', 'A1', '01/09/2021', 1], expect: [{ column: 'id_number', code: 'ID_SEX_MISMATCH' }] },
  { row: ['Bùi Văn Minh', '12/03/1986', 'Nam', generateCccd('001', 1985, 'M', 6), '', '01', 'AstraZeneca', 'A1', '01/09/2021', 1], expect: [{ column: 'id_number', code: 'ID_BIRTH_YEAR_MISMATCH' }] },
  { row: ['Bùi Văn Nam', '12/03/1985', 'Nam', '1.23457E+11', '', '01', 'AstraZeneca', 'A1', '01/09/2021', 1], expect: [{ column: 'id_number', code: 'ID_SCIENTIFIC_LOST' }] },
  { row: ['Bùi Văn Phúc', '12/03/1985', 'Nam', generateCccd('001', 1985, 'M', 7), '', '01', 'AstraZeneca', 'A1', '31/02/2021', 1], expect: [{ column: 'dose_date', code: 'DATE_INVALID_DAY' }] },
  { row: ['Bùi Văn Quang', '12/03/1985', 'Nam', generateCccd('001', 1985, 'M', 8), '', '01', 'AstraZeneca', 'A1', '01/01/2099', 1], expect: [{ column: 'dose_date', code: 'DOSE_DATE_IN_FUTURE' }] },
  { row: ['Bùi Văn Sơn', '12/03/1985', 'Nam', generateCccd('001', 1985, 'M', 9), '', '01', 'AstraZeneca', 'A1', '20/01/2021', 1], expect: [{ column: 'dose_date', code: 'DOSE_DATE_BEFORE_PRODUCT' }] },
  { row: ['Bùi Văn Tài', '12/03/1985', 'Nam', generateCccd('001', 1985, 'M', 10), '', '01', 'Vaccine X', 'A1', '01/09/2021', 1], expect: [{ column: 'vaccine', code: 'VACCINE_UNKNOWN' }] },
  { row: ['Bùi Văn Tâm', '12/03/1985', 'Nam', generateCccd('001', 1985, 'M', 11), '', '01', 'Sputnik Light', 'A1', '01/09/2021', 1], expect: [{ column: 'vaccine', code: 'VACCINE_NOT_LICENSED' }] },
  { row: ['Bùi Văn Thắng', '12/03/1985', 'X', generateCccd('001', 1985, 'M', 12), '', '01', 'AstraZeneca', 'A1', '01/09/2021', 1], expect: [{ column: 'sex', code: 'SEX_UNKNOWN' }] },
  { row: ['Bùi Văn Toàn', '12/03/1985', 'Nam', generateCccd('001', 1985, 'M', 13), '', '01', 'AstraZeneca', 'A1', '01/09/2021', 0], expect: [{ column: 'dose_number', code: 'DOSE_NUMBER_RANGE' }] },
  { row: ['Trần Thị Bình', '1990-05-20', 'Nữ', binh, '', '79', 'Pfizer', 'FK2', '2021-08-25', 2], expect: [{ column: 'dose_number', code: 'DOSE_ORDER' }] },
  { row: ['Bùi Văn 3', '12/03/1985', 'Nam', generateCccd('001', 1985, 'M', 14), '', '01', 'AstraZeneca', 'A1', '01/09/2021', 1], expect: [{ column: 'full_name', code: 'NAME_INVALID_CHARACTER' }] },
  { row: ['Khoa', '12/03/1985', 'Nam', generateCccd('001', 1985, 'M', 15), '', '01', 'AstraZeneca', 'A1', '01/09/2021', 1], expect: [{ column: 'full_name', code: 'NAME_ONE_WORD' }] },
  {
    row: ['Bùi Văn Vinh', '12/13/1985', 'Nam', generateCccd('001', 1985, 'M', 16), '', '01', 'Vaccine Y', 'A1', '01/09/2021', 1],
    expect: [
      { column: 'dob', code: 'DATE_INVALID_MONTH' },
      { column: 'vaccine', code: 'VACCINE_UNKNOWN' },
    ],
  },
];

async function facility(db: Kysely<Database>): Promise<void> {
  await db.insertInto('facility').values({ code: 'HN-001', name: 'Trạm Y tế Phúc Xá', province_code: '01', type: 'health_station' }).execute();
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const count = async (db: Kysely<Database>, table: 'person' | 'dose' | 'import_quarantine' | 'person_document'): Promise<number> =>
  (await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

// Each file test runs twice: validated on the importing thread, and on the import worker.
for (const worker of [false, true]) {
const mode = worker ? 'worker thread' : 'same thread';

testEachDialect(`a messy file: every good row lands, every bad row is reported with its row number and kept in quarantine (${mode})`, async ({ db, dialect }) => {
  await facility(db);
  const file = join(dir, `messy-${dialect}-${String(worker)}.csv`);
  writeFileSync(file, templateCsv(MESSY.map((m) => m.row)));
  const s = await importFile(db, dialect, file, { facilityCode: 'HN-001', actor: 'test', today: TODAY, worker });

  assert.equal(s.rows, MESSY.length);
  assert.equal(s.imported, MESSY.filter((m) => m.expect === 'imported').length);
  assert.equal(s.duplicates, 1);
  assert.equal(s.rejected, MESSY.filter((m) => Array.isArray(m.expect)).length);
  MESSY.forEach((m, i) => {
    const row = i + 2; // header is row 1
    const errs = s.errors.filter((e) => e.row === row);
    if (!Array.isArray(m.expect)) {
      assert.deepEqual(errs, [], `row ${row} should have no error: ${JSON.stringify(errs)}`);
      return;
    }
    for (const want of m.expect) {
      assert.ok(errs.some((e) => e.column === want.column && e.code === want.code), `row ${row}: want ${want.column} ${want.code}, got ${JSON.stringify(errs.map((e) => [e.column, e.code]))}`);
    }
    for (const e of errs) assert.ok(e.message.length > 10 && e.messageVi.length > 10, 'both languages');
  });
  // Repairs are warnings on imported rows, listed in the report.
  const report = readFileSync(`${file}.errors.csv`, 'utf8');
  assert.match(report, /^row,column,code,severity,message_en,message_vi,value\r?\n/);
  assert.match(report, /\n6,id_number,ID_LEADING_ZERO_RESTORED,warning,/);
  assert.match(report, /\n7,id_number,ID_MISSING,warning,/);
  assert.match(report, /\n10,id_number,ID_PROVINCE_UNKNOWN,warning,.*,999080000001\n/);
  assert.match(report, /\n21,dose_number,DOSE_ORDER,error,/);

  assert.equal(await count(db, 'dose'), s.imported);
  assert.equal(await count(db, 'person'), 7); // An (2 doses), Bình, Cường, Dũng, Hà, Hùng, Khoa
  assert.equal(await count(db, 'import_quarantine'), s.rejected);
  const q = await db.selectFrom('import_quarantine').selectAll().where('row_number', '=', 13).executeTakeFirstOrThrow();
  assert.equal((JSON.parse(q.raw_json) as { id_number: string }).id_number, '1.23457E+11');
  assert.equal((JSON.parse(q.issues_json) as { code: string }[])[0]?.code, 'ID_SCIENTIFIC_LOST');
  const restored = await db.selectFrom('person_document').select('number').where('number', '=', `0${lostZero}`).executeTakeFirst();
  assert.ok(restored, 'the leading zero is restored');
  const dung = await db.selectFrom('person').selectAll().where('full_name', '=', 'Lê Văn Dũng').executeTakeFirstOrThrow();
  assert.equal(dung.dob, '1960-02-01');
  assert.ok(dung.dedup_key);

  // Re-importing the same file creates nothing new.
  const again = await importFile(db, dialect, file, { facilityCode: 'HN-001', actor: 'test', today: TODAY, errorReport: null, worker });
  assert.equal(again.imported, 0);
  assert.equal(again.duplicates, s.imported + s.duplicates);
  assert.equal(again.rejected, s.rejected);
  assert.equal(await count(db, 'dose'), s.imported);
  assert.equal(await count(db, 'person'), 7);
  assert.equal(await count(db, 'import_quarantine'), s.rejected);
  const jobs = await db.selectFrom('import_job').selectAll().orderBy('id').execute();
  assert.deepEqual(jobs.map((j) => [j.status, j.rows, j.imported, j.duplicates, j.rejected, j.file_sha256]), [
    ['done', s.rows, s.imported, 1, s.rejected, sha256(file)],
    ['done', s.rows, 0, s.imported + 1, s.rejected, sha256(file)],
  ]);
});

testEachDialect(`legacy-encoded names (TCVN3 read as Windows-1252) are detected per column and repaired, the raw kept (${mode})`, async ({ db, dialect }) => {
  await facility(db);
  const names = ['Nguyễn Thị Thủy', 'Trần Văn Đức', 'Lê Hoàng Yến', 'Phạm Minh Tuấn'];
  const rows = names.map((n, i) => [encodeLegacy(n, 'tcvn3'), '01/01/1980', i % 2 ? 'Nam' : 'Nữ', generateCccd('001', 1980, i % 2 ? 'M' : 'F', 100 + i), '', '01', 'AstraZeneca', 'A', '01/09/2021', 1]);
  const file = join(dir, `tcvn3-${dialect}-${String(worker)}.csv`);
  writeFileSync(file, templateCsv(rows));
  const s = await importFile(db, dialect, file, { facilityCode: 'HN-001', actor: 'test', today: TODAY, errorReport: null, worker });
  assert.equal(s.imported, 4, JSON.stringify(s.errors));
  assert.equal(s.encodings.full_name, 'tcvn3');
  const people = await db.selectFrom('person').select(['full_name', 'full_name_raw']).orderBy('id').execute();
  assert.deepEqual(people.map((p) => p.full_name), names);
  assert.equal(people[0]?.full_name_raw, encodeLegacy(names[0] ?? '', 'tcvn3'));
});

testEachDialect(`XLSX: numbers for ID numbers (leading zero lost) and real Excel dates (${mode})`, async ({ db, dialect }) => {
  await facility(db);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sách');
  ws.addRow([...TEMPLATE_HEADERS]);
  const id = generateCccd('001', 1992, 'F', 77);
  ws.addRow(['Vũ Thị Mai', new Date(Date.UTC(1992, 6, 4)), 'Nữ', Number(id), 912345678, 1, 'Pfizer', 'P1', new Date(Date.UTC(2021, 8, 20)), 1]);
  ws.addRow(['Vũ Thị Mai', new Date(Date.UTC(1992, 6, 4)), 'Nữ', Number(id), 912345678, 1, 'Pfizer', 'P2', new Date(Date.UTC(2021, 9, 20)), 2]);
  const file = join(dir, `list-${dialect}-${String(worker)}.xlsx`);
  await wb.xlsx.writeFile(file);
  const s = await importFile(db, dialect, file, { facilityCode: 'HN-001', actor: 'test', today: TODAY, errorReport: null, worker });
  assert.deepEqual([s.rows, s.imported, s.rejected], [2, 2, 0], JSON.stringify(s.errors));
  const p = await db.selectFrom('person').selectAll().executeTakeFirstOrThrow();
  assert.equal(p.dob, '1992-07-04');
  const d = await db.selectFrom('dose').select(['dose_date', 'dose_number']).orderBy('dose_number').execute();
  assert.deepEqual(d.map((x) => x.dose_date), ['2021-09-20', '2021-10-20']);
  assert.ok(await db.selectFrom('person_document').select('number').where('number', '=', id).executeTakeFirst());
  // Hashed in the import's own read (the reader stops after the first sheet: the tail is added).
  const job = await db.selectFrom('import_job').select(['status', 'file_sha256']).executeTakeFirstOrThrow();
  assert.deepEqual([job.status, job.file_sha256], ['done', sha256(file)]);
});
}

testEachDialect('a file hashed while it is read: a large CSV, and a file whose import fails at the header', async ({ db, dialect }) => {
  await facility(db);
  // Several read chunks (1 MiB each) so the hash spans chunk boundaries.
  const rows = Array.from({ length: 12_000 }, (_, i) => [`Nguyễn Văn ${['An', 'Bình', 'Cường'][i % 3] ?? ''}`, '01/01/1980', 'Nam', generateCccd('001', 1980, 'M', 1000 + i), '0912345678', '01', 'AstraZeneca', `LOT-${'X'.repeat(160)}`, '01/09/2021', 1]);
  const big = join(dir, `big-${dialect}.csv`);
  writeFileSync(big, templateCsv(rows));
  assert.ok(readFileSync(big).length > 2 << 20);
  const s = await importFile(db, dialect, big, { facilityCode: 'HN-001', actor: 'test', today: TODAY, errorReport: null });
  assert.equal(s.imported, rows.length, JSON.stringify(s.errors.slice(0, 3)));
  // SQLite: the WAL was checkpointed on a background thread; the connection's own checkpoints are back.
  if (dialect === 'sqlite') assert.equal(sqliteHandleOf(db)?.pragma('wal_autocheckpoint', { simple: true }), 1000);
  const bad = join(dir, `bad-${dialect}.csv`);
  // The header fails on the first chunk: the rest of the file is hashed after the failure.
  writeFileSync(bad, `Họ và tên,Ngày sinh\n${'A B,01/01/1990\n'.repeat(100_000)}`);
  assert.ok(readFileSync(bad).length > 1 << 20);
  await assert.rejects(importFile(db, dialect, bad, { facilityCode: 'HN-001', actor: 'test', errorReport: null }), { code: 'IMPORT_HEADER' });
  const jobs = await db.selectFrom('import_job').select(['status', 'file_sha256']).orderBy('id').execute();
  assert.deepEqual(jobs.map((j) => [j.status, j.file_sha256]), [['done', sha256(big)], ['failed', sha256(bad)]]);
});

testEachDialect('a write failure mid-file stops the worker and fails the job, keeping the batches committed before it', async ({ db, dialect }) => {
  await facility(db);
  const rows = Array.from({ length: 12_000 }, (_, i) => ['Nguyễn Văn An', '01/01/1980', 'Nam', generateCccd('001', 1980, 'M', 5000 + i), '', '01', 'AstraZeneca', i === 9000 ? 'BOOM' : `LOT-${'Y'.repeat(80)}`, '01/09/2021', 1]);
  const file = join(dir, `boom-${dialect}.csv`);
  writeFileSync(file, templateCsv(rows));
  if (dialect === 'sqlite') await sql`create trigger boom before insert on dose when new.lot = 'BOOM' begin select raise(abort, 'injected failure'); end`.execute(db);
  else {
    await sql`create function boom() returns trigger language plpgsql as $$ begin if new.lot = 'BOOM' then raise exception 'injected failure'; end if; return new; end $$`.execute(db);
    await sql`create trigger boom before insert on dose for each row execute function boom()`.execute(db);
  }
  await assert.rejects(importFile(db, dialect, file, { facilityCode: 'HN-001', actor: 'test', today: TODAY, errorReport: null, worker: true }), /injected failure/);
  const job = await db.selectFrom('import_job').selectAll().executeTakeFirstOrThrow();
  assert.deepEqual([job.status, job.imported, job.file_sha256], ['failed', 5000, sha256(file)]);
  assert.match(job.error ?? '', /injected failure/);
  assert.equal(await count(db, 'dose'), 5000);
});

testEachDialect('whole-file problems are clear errors: unknown facility, missing columns', async ({ db, dialect }) => {
  await facility(db);
  const file = join(dir, `hdr-${dialect}.csv`);
  writeFileSync(file, 'Họ và tên,Ngày sinh\nA B,01/01/1990\n');
  await assert.rejects(importFile(db, dialect, file, { facilityCode: 'NOPE', actor: 't', errorReport: null }), { code: 'FACILITY_NOT_FOUND' });
  await assert.rejects(importFile(db, dialect, file, { facilityCode: 'HN-001', actor: 't', errorReport: null }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'IMPORT_HEADER');
    assert.match(e.message, /row 1 \(header\): missing column\(s\): sex .*id_number/);
    return true;
  });
});
