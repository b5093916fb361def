import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRegisterRow } from './parse-register-row.js';

test('a clean row parses to an entry; spaces collapse and the name becomes NFC', () => {
  const r = parseRegisterRow(' 001090012345 ', '  Nguyễn   Văn\tAn ', '1990-02-28', 'm', 2025);
  assert.deepEqual(r, { ok: true, entry: { idNumber: '001090012345', fullName: 'Nguyễn Văn An', dob: '1990-02-28', sex: 'M' } });
  const nfd = 'Lê Thị Hòa'.normalize('NFD');
  const r2 = parseRegisterRow('123456789', nfd, '1950', 'F', 2025);
  assert.ok(r2.ok);
  assert.equal(r2.entry.fullName, 'Lê Thị Hòa'.normalize('NFC'));
  assert.ok(parseRegisterRow('123456789', "H'Hen Niê", '1950-07', 'F', 2025).ok);
  assert.ok(parseRegisterRow('123456789', 'Nguyễn-Lê Hà', '2000-02-29', 'F', 2025).ok);
});

test('every bad field is reported with a reason', () => {
  const r = parseRegisterRow('12345', '', '1990-02-30', 'X', 2025);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(
    r.problems.map((p) => p.field),
    ['id_number', 'full_name', 'dob', 'sex'],
  );
  assert.match(r.problems[0]?.reason ?? '', /9 \(CMND\) or 12 \(CCCD\)/);
  assert.match(r.problems[2]?.reason ?? '', /day 30/);
  const cases: [string, string, string, string, string][] = [
    ['00109001234a', 'A B', '1990', 'M', 'id_number'],
    ['001090012345', 'Nguyen 2', '1990', 'M', 'full_name'],
    ['001090012345', 'A B', '1899', 'M', 'dob'],
    ['001090012345', 'A B', '2030', 'M', 'dob'],
    ['001090012345', 'A B', '1990-13', 'M', 'dob'],
    ['001090012345', 'A B', '1900-02-29', 'M', 'dob'],
    ['001090012345', 'A B', '31/12/1990', 'M', 'dob'],
    ['001090012345', 'A B', '1990', '', 'sex'],
  ];
  for (const [id, name, dob, sex, field] of cases) {
    const p = parseRegisterRow(id, name, dob, sex, 2025);
    assert.equal(p.ok, false, `${id} ${name} ${dob} ${sex}`);
    if (!p.ok) assert.deepEqual(p.problems.map((x) => x.field), [field]);
  }
});
