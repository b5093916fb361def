import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PROVINCES } from '../reference/index.js';
import { foldName, nameMatchKey, normalizeName, oldStyleTones, repairText, repairVietnamese } from './index.js';
import type { TextEncoding } from './index.js';
import { EDGE_NAMES, SINGLE_NAMES, composedNames } from './test-helpers/test-names.js';
import { placeTones } from './tone-placement.js';

const nfd = (s: string): string => s.normalize('NFD');
const cp1258 = (bytes: number[]): string => new TextDecoder('windows-1258').decode(Uint8Array.from(bytes));

/** vietnamese-text.md §3 "Must compare EQUAL": [left, right, encoding of left (null = guess)]. */
const EQUAL: readonly (readonly [string, string, TextEncoding | null])[] = [
  [nfd('Nguyễn Thị Thủy'), 'Nguyễn Thị Thủy', 'unicode'],
  ['Lê Thị Hoà', 'Lê Thị Hòa', 'unicode'],
  ['Phạm Thị Thuỷ', 'Phạm Thị Thủy', 'unicode'],
  ['Đỗ Minh Khoẻ', 'Đỗ Minh Khỏe', 'unicode'],
  ['Trần Văn Uý', 'Trần Văn Úy', 'unicode'],
  ['Nguyễn Thanh Tuỳ', 'Nguyễn Thanh Tùy', 'unicode'],
  ['Võ Thị Hòang Yến', 'Võ Thị Hoàng Yến', 'unicode'],
  ['Bùi Văn Qúy', 'Bùi Văn Quý', 'unicode'],
  ['NguyÔn V¨n An', 'Nguyễn Văn An', 'tcvn3'],
  ['TrÇn ThÞ H\u00AD¬ng', 'Trần Thị Hương', 'tcvn3'],
  ['Lª ThÞ Thuý', 'Lê Thị Thúy', 'tcvn3'],
  ['Nguyeãn Thò Thu Haø', 'Nguyễn Thị Thu Hà', 'vni'],
  ['Ñaëng Vaên Höng', 'Đặng Văn Hưng', 'vni'],
  ['DDa(.ng Thi. Ngo.c Ha^n', 'Đặng Thị Ngọc Hân', 'viqr'],
  ['Nguyá»…n VÄƒn An', 'Nguyễn Văn An', null],
  ['NGUYỄN VĂN AN', 'Nguyễn Văn An', 'unicode'],
  ['  Nguyễn   Văn\u00A0An\t', 'Nguyễn Văn An', 'unicode'],
  ['Nguyễn\u200B Văn An', 'Nguyễn Văn An', 'unicode'],
  ['\u00D0ỗ Văn Nam', 'Đỗ Văn Nam', 'unicode'],
  [cp1258([0x4e, 0x67, 0x75, 0x79, 0xea, 0xde, 0x6e, 0x20, 0x56, 0xe3, 0x6e, 0x20, 0x54, 0x61, 0xcc, 0x6e]), 'Nguyễn Văn Tàn', 'unicode'],
  ['Le\u0302 Va\u0306n Ta\u0341m', 'Lê Văn Tám', 'unicode'],
  [nfd('PHAN THỊ THU THUỶ'), 'Phan Thị Thu Thủy', 'unicode'],
];

/** vietnamese-text.md §3 "Must NOT compare equal". */
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

for (const [i, [left, right, enc]] of EQUAL.entries()) {
  test(`doc EQUAL #${String(i + 1)}: ${JSON.stringify(left)} = ${right}`, () => {
    const repaired = enc === null ? repairVietnamese(left).text : repairText(left, enc);
    assert.equal(nameMatchKey(repaired), nameMatchKey(right));
    assert.equal(normalizeName(repaired), normalizeName(right));
  });
}

for (const [i, [left, right]] of DIFFERENT.entries()) {
  test(`doc NOT-EQUAL #${String(i + 1)}: ${left} ≠ ${right}`, () => {
    assert.notEqual(nameMatchKey(left), nameMatchKey(right));
  });
}

test('the mojibake pair is recognised as such when guessed', () => {
  assert.deepEqual(repairVietnamese('Nguyá»…n VÄƒn An'), { text: 'Nguyễn Văn An', encoding: 'mojibake-cp1252' });
});

test('display form: NFC, spaces, invisibles, Đ look-alike, new-style tones, title case', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['  LÊ  THỊ HOÀ ', 'Lê Thị Hòa'],
    ['nguyễn\u00ADthị\u200B thuỷ', 'Nguyễnthị Thủy'],
    ["h'hen niê", "H'Hen Niê"],
    ['nguyễn-lê minh khôi', 'Nguyễn-Lê Minh Khôi'],
    ['\u00D0ặng \u00F0ình', 'Đặng Đình'],
    ['Guðrún Jónsdóttir', 'Guðrún Jónsdóttir'], // Icelandic ð inside a word stays
    ['giàng a páo', 'Giàng A Páo'],
    ['GÌA QÙY KHỎE', 'Già Quỳ Khỏe'],
    ['Huỳnh Quỳnh Khuyến Hoàng Toàn', 'Huỳnh Quỳnh Khuyến Hoàng Toàn'],
    ['tùng\u2003\u2003lâm', 'Tùng Lâm'],
    ['', ''],
    ['   ', ''],
    ['John O\'Brien-Smith', "John O'Brien-Smith"],
  ];
  for (const [raw, want] of cases) assert.equal(normalizeName(raw), want, JSON.stringify(raw));
});

test('every NAME_DATA name and province name already has canonical tone placement', () => {
  for (const name of [...SINGLE_NAMES, ...EDGE_NAMES, ...composedNames(200)]) {
    assert.equal(normalizeName(name), name);
  }
  // Province names mix styles ("Hoà Bình", "Thanh Hóa"): only open oa/oe/uy syllables may move.
  for (const p of PROVINCES) {
    for (const n of [p.name, ...p.aliases]) assert.equal(placeTones(n, 'new'), placeTones(oldStyleTones(n), 'new'));
  }
  assert.equal(placeTones('Tỉnh Hoà Bình', 'new'), 'Tỉnh Hòa Bình');
});

test('oldStyleTones moves oa/oe/uy tones to the second vowel and normalizeName moves them back', () => {
  assert.equal(oldStyleTones('Hòa Thủy Khỏe Úy Tùy Quý Hoàng Thúy'), 'Hoà Thuỷ Khoẻ Uý Tuỳ Quý Hoàng Thuý');
  for (const name of [...SINGLE_NAMES, ...composedNames(200)]) {
    assert.equal(normalizeName(oldStyleTones(name)), name);
    assert.equal(nameMatchKey(nfd(oldStyleTones(name)).toUpperCase()), nameMatchKey(name));
  }
});

test('foldName strips marks and maps đ to d, for blocking only', () => {
  assert.equal(foldName('Nguyễn Thị Thủy'), 'nguyen thi thuy');
  assert.equal(foldName('ĐẶNG  Văn Hưng'), 'dang van hung');
  assert.equal(foldName('Ðỗ Ưng Thơ'), 'do ung tho');
  assert.equal(foldName('Nguyễn Văn Hưng'), foldName('Nguyễn Văn Hùng'));
  for (const name of [...SINGLE_NAMES, ...EDGE_NAMES]) assert.match(foldName(name), /^[a-z' /-]*$/);
});

// Vietnamese-looking strings with the usual debris, to exercise the interesting paths.
const vnChar = fc.constantFrom(
  ...'aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐnghqkt '.split(''),
  ...'àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ'.split(''),
  '\u0300', '\u0301', '\u0303', '\u0309', '\u0323', '\u0302', '\u0306', '\u031B',
  '\u00A0', '\u200B', '\u00AD', '\t', '\u00D0', '\u00F0', "'", '-', 'J', 'ß', 'İ', 'ı',
);
const vnString = fc.array(vnChar, { maxLength: 30 }).map((a) => a.join(''));
const anyString = fc.string({ unit: 'binary', maxLength: 30 });

test('property: normalizeName is idempotent', () => {
  for (const arb of [vnString, anyString]) {
    fc.assert(
      fc.property(arb, (s) => normalizeName(normalizeName(s)) === normalizeName(s)),
      { numRuns: 2000 },
    );
  }
});

test('property: nameMatchKey(nfd(x)) === nameMatchKey(x) and equals the lower-cased display form', () => {
  for (const arb of [vnString, anyString]) {
    fc.assert(
      fc.property(arb, (s) => {
        const key = nameMatchKey(s);
        return nameMatchKey(nfd(s)) === key && normalizeName(s).toLowerCase() === key;
      }),
      { numRuns: 2000 },
    );
  }
});
