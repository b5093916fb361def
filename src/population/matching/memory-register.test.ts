import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../../errors/index.js';
import { nameMatchKey } from '../../registry/text/index.js';
import { MemoryRegister, loadRegisterCsv } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vaxpass-register-'));

test('MemoryRegister: by ID, by name key + dob (collisions kept), a repeated ID keeps the first', async () => {
  const a = { idNumber: '001085000123', fullName: 'Nguyễn Văn An', dob: '1985-03-12', sex: 'M' as const };
  const b = { idNumber: '001085000999', fullName: 'Nguyễn Văn An', dob: '1985-03-12', sex: 'M' as const };
  const r = new MemoryRegister([a, b]);
  assert.equal(r.add({ ...a, fullName: 'Other' }), false);
  assert.equal(r.size, 2);
  assert.deepEqual(await r.byIdNumbers(['001085000123', '999', '001085000999']), [a, b]);
  assert.deepEqual(await r.byNameDob([{ nameKey: nameMatchKey('NGUYỄN VĂN AN'), dob: '1985-03-12' }]), [a, b]);
  assert.deepEqual(await r.byNameDob([{ nameKey: 'nguyễn văn an', dob: '1985' }]), []);
});

test('loadRegisterCsv: any column order, NFC names, unusable rows skipped and reported', async () => {
  const file = join(dir, 'register.csv');
  writeFileSync(
    file,
    [
      'sex,dob,full_name,id_number',
      `F,1990-05-12,${'Lê Thị Hòa'.normalize('NFD')},001190000456`,
      'M,1985,"Nguyễn Văn An",001085000123',
      'M,1985-02-30,Bad Date,001085000777',
      'X,1985,Bad Sex,001085000778',
      'M,1985,Bad Id,1234',
      'M,1985,,001085000779',
      'M,1985,Dup,001085000123',
      '',
    ].join('\r\n'),
  );
  const r = await loadRegisterCsv(file);
  assert.equal(r.rows, 2);
  assert.equal(r.rejectedCount, 5);
  assert.deepEqual(r.rejected, [
    { line: 4, reason: 'dob' },
    { line: 5, reason: 'sex' },
    { line: 6, reason: 'id_number' },
    { line: 7, reason: 'full_name' },
    { line: 8, reason: 'duplicate id_number' },
  ]);
  assert.deepEqual(r.register.get('001190000456'), { idNumber: '001190000456', fullName: 'Lê Thị Hòa', dob: '1990-05-12', sex: 'F' });
  const noDob = join(dir, 'bad-header.csv');
  writeFileSync(noDob, 'id_number,full_name,sex\n001085000123,A,M\n');
  await assert.rejects(loadRegisterCsv(noDob), (e: unknown) => e instanceof AppError && e.code === 'POPULATION_REGISTER_HEADER' && e.status === 400);
});
