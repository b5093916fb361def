import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameMatchKey } from '../../registry/text/index.js';
import type { VerifyRecord } from '../verifier.js';
import { MemoryRegister, editDistance, isNameClose, legacyReadingKeys, matchBatch, recordNameKey, recordNameKeys, sameName } from './index.js';

const nfd = (s: string): string => s.normalize('NFD');
const cp1258 = (bytes: number[]): string => new TextDecoder('windows-1258').decode(Uint8Array.from(bytes));

/** vietnamese-text.md §3 "Must compare EQUAL" (22): [as recorded, as the register has it]. */
const EQUAL: readonly (readonly [string, string])[] = [
  [nfd('Nguyễn Thị Thủy'), 'Nguyễn Thị Thủy'],
  ['Lê Thị Hoà', 'Lê Thị Hòa'],
  ['Phạm Thị Thuỷ', 'Phạm Thị Thủy'],
  ['Đỗ Minh Khoẻ', 'Đỗ Minh Khỏe'],
  ['Trần Văn Uý', 'Trần Văn Úy'],
  ['Nguyễn Thanh Tuỳ', 'Nguyễn Thanh Tùy'],
  ['Võ Thị Hòang Yến', 'Võ Thị Hoàng Yến'],
  ['Bùi Văn Qúy', 'Bùi Văn Quý'],
  ['NguyÔn V¨n An', 'Nguyễn Văn An'],
  ['TrÇn ThÞ H\u00AD¬ng', 'Trần Thị Hương'],
  ['Lª ThÞ Thuý', 'Lê Thị Thúy'],
  ['Nguyeãn Thò Thu Haø', 'Nguyễn Thị Thu Hà'],
  ['Ñaëng Vaên Höng', 'Đặng Văn Hưng'],
  ['DDa(.ng Thi. Ngo.c Ha^n', 'Đặng Thị Ngọc Hân'],
  ['Nguyá»…n VÄƒn An', 'Nguyễn Văn An'],
  ['NGUYỄN VĂN AN', 'Nguyễn Văn An'],
  ['  Nguyễn   Văn\u00A0An\t', 'Nguyễn Văn An'],
  ['Nguyễn\u200B Văn An', 'Nguyễn Văn An'],
  ['\u00D0ỗ Văn Nam', 'Đỗ Văn Nam'],
  [cp1258([0x4e, 0x67, 0x75, 0x79, 0xea, 0xde, 0x6e, 0x20, 0x56, 0xe3, 0x6e, 0x20, 0x54, 0x61, 0xcc, 0x6e]), 'Nguyễn Văn Tàn'],
  ['Le\u0302 Va\u0306n Ta\u0341m', 'Lê Văn Tám'],
  [nfd('PHAN THỊ THU THUỶ'), 'Phan Thị Thu Thủy'],
];

/** vietnamese-text.md §3 "Must NOT compare equal" (12). */
const DIFFERENT: readonly (readonly [string, string])[] = [
  ['Nguyễn Văn Hưng', 'Nguyễn Văn Hùng'],
  ['Lê Thị Thu', 'Lê Thị Thư'],
  ['Phạm Thị Hoa', 'Phạm Thị Hòa'],
  ['Lê Văn Thủy', 'Lê Văn Thúy'],
  ['Đinh Văn Dũng', 'Dinh Văn Dũng'],
  ['Võ Văn Kiệt', 'Vũ Văn Kiệt'],
  ['Hoàng Minh Tuấn', 'Huỳnh Minh Tuấn'],
  ['Nguyễn Thị Lý', 'Nguyễn Thị Lí'],
  ['Bùi Quý', 'Bùi Quí'],
  ['Trần Văn Nam', 'Trần Nam'],
  ['Nguyễn Thị Ngọc Ánh', 'Nguyễn Thị Ngọc Anh'],
  ['Nguyễn Văn An', 'Nguyễn An Văn'],
];

const ID = '001085000123';
const DOB = '1985-03-12';

/** One record with `recorded` as its name against a register holding `registered` under the same ID, dob and sex. */
async function verdict(recorded: string, registered: string): Promise<{ status: string; fields: readonly string[] }> {
  const register = new MemoryRegister([{ idNumber: ID, fullName: registered, dob: DOB, sex: 'M' }]);
  const record: VerifyRecord = { recordId: '1', idNumber: ID, fullName: recorded, dob: DOB, sex: 'M' };
  const [r] = await matchBatch([record], register);
  assert.ok(r);
  return { status: r.status, fields: r.fields };
}

for (const [i, [recorded, registered]] of EQUAL.entries()) {
  test(`doc EQUAL #${String(i + 1)} through the engine: ${JSON.stringify(recorded)} verifies as ${registered}`, async () => {
    assert.deepEqual(await verdict(recorded, registered), { status: 'VERIFIED', fields: [] });
  });
}

for (const [i, [a, b]] of DIFFERENT.entries()) {
  test(`doc NOT-EQUAL #${String(i + 1)} through the engine: ${a} ≠ ${b} (both ways round)`, async () => {
    assert.deepEqual(await verdict(a, b), { status: 'MISMATCH', fields: ['full_name'] });
    assert.deepEqual(await verdict(b, a), { status: 'MISMATCH', fields: ['full_name'] });
    assert.equal(sameName(a, b), false);
    assert.equal(sameName(b, a), false);
  });
}

test('legacy readings are tried only where possible, and only an exact hit on the register name counts', () => {
  assert.deepEqual(legacyReadingKeys('Nguyễn Văn An'), [], 'letters outside Windows-1252: no legacy reading');
  assert.deepEqual(legacyReadingKeys('Nguyen Van An'), [], 'plain ASCII without VIQR marks');
  // "Phan Thò Linh" is plausible Unicode on its own; only the register's name shows it is VNI.
  assert.equal(recordNameKey('Phan Thò Linh'), 'phan thò linh');
  assert.ok(sameName('Phan Thò Linh', 'Phan Thị Linh'));
  assert.ok(recordNameKeys('Phan Thò Linh').includes(nameMatchKey('Phan Thị Linh')));
  assert.equal(recordNameKey('NguyÔn V¨n An'), nameMatchKey('Nguyễn Văn An'));
});

test('editDistance (restricted Damerau–Levenshtein with a cut-off)', () => {
  assert.equal(editDistance('an', 'an', 2), 0);
  assert.equal(editDistance('an', 'ân', 2), 1);
  assert.equal(editDistance('hoàng', 'hòang', 2), 2);
  assert.equal(editDistance('nguyen', 'nguyne', 2), 1, 'neighbours swapped');
  assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3, 'gives up past the cut-off');
  assert.equal(editDistance('', 'abc', 5), 3);
});

test('isNameClose: diacritics only, ≤ 2 letter edits, or one whole word; otherwise far', () => {
  const close = (a: string, b: string): boolean => isNameClose(nameMatchKey(a), nameMatchKey(b));
  assert.ok(close('Trương Hữu Đức', 'Truong Huu Duc'), 'diacritics only');
  assert.ok(close('Nguyễn Văn An', 'Nguyễn Văn Ân'));
  assert.ok(close('Lê Thị Thu', 'Lê Thị Thư'));
  assert.ok(close('Nguyễn Thị Lý', 'Nguyễn Thị Lí'));
  assert.ok(close('Trần Văn Nam', 'Trần Nam'), 'a dropped middle name');
  assert.ok(close('Công Tằng Tôn Nữ Thị Hà', 'Công Tằng Tôn Nữ Hà'));
  assert.ok(close('Nguyễn Văn Anh', 'Nguyễn Văn An'));
  assert.ok(!close('Nguyễn Văn An', 'Trần Thị Bích'));
  assert.ok(!close('Nguyễn Văn An', 'Nguyễn Thị Hồng'));
  assert.ok(!close('Lê Văn Nam', 'Lê Nam Văn Hùng'));
});
