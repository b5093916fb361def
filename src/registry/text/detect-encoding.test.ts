import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVINCES } from '../reference/index.js';
import { decodeBytes, detectEncoding, encodeLegacy, repairText, repairVietnamese } from './index.js';
import type { LegacyEncoding } from './index.js';
import { EDGE_NAMES, SINGLE_NAMES, composedNames } from './test-helpers/test-names.js';
import { WINDOWS_1252_CHARS } from './windows-1252.js';

const FULL_NAMES = composedNames(200);
const ALL_NAMES = [...SINGLE_NAMES, ...EDGE_NAMES, ...FULL_NAMES];
const ENCODINGS: readonly LegacyEncoding[] = ['tcvn3', 'vni', 'mojibake-cp1252', 'cp1258', 'viqr'];

/** Bytes behind text shown as Windows-1252 (what a legacy file really contains). */
function cp1252Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => {
    const b = WINDOWS_1252_CHARS.indexOf(ch);
    assert.ok(b >= 0, `not Windows-1252: ${ch}`);
    return b;
  });
}

for (const enc of ENCODINGS) {
  test(`round trip ${enc}: a column of NAME_DATA + 200 full names is detected and repaired exactly`, () => {
    const column = ALL_NAMES.map((n) => encodeLegacy(n, enc));
    assert.equal(detectEncoding(column), enc);
    assert.equal(detectEncoding(column.slice(0, 50)), enc); // a short sample is enough
    column.forEach((v, i) => assert.equal(repairText(v, enc), ALL_NAMES[i]));
  });

  test(`round trip ${enc}: single full names are mostly guessed right, never made worse than raw`, () => {
    const names = [...FULL_NAMES, ...EDGE_NAMES];
    let right = 0;
    for (const name of names) {
      const raw = encodeLegacy(name, enc);
      const { text } = repairVietnamese(raw);
      if (text === name) right++;
    }
    // One cell is weak evidence (TCVN3 "Vò" for Vũ is also valid Unicode); columns are exact (above).
    assert.ok(right >= names.length * 0.9, `${enc}: ${String(right)}/${String(names.length)}`);
  });
}

test('no false positives: correct Unicode names, alone or as a column, stay unicode and unchanged', () => {
  const provinces = PROVINCES.flatMap((p) => [p.name, p.nameAscii, ...p.aliases]);
  const values = [...ALL_NAMES, ...provinces];
  assert.equal(detectEncoding(values), 'unicode');
  for (const v of values) {
    assert.equal(detectEncoding([v]), 'unicode', v);
    assert.equal(repairText(v, 'unicode'), v);
  }
});

test('no false positives: ASCII, English and foreign names', () => {
  const values = [
    'John Smith', "O'Brien", 'Nguyen Van An', 'Nguyen Van A.', 'Mary-Jane Watson', 'José Nguyễn', 'Ê Đê',
    'Jrai', 'Khmer', 'Zoë Müller', 'François Lefèvre', 'Søren Kierkegaard', 'Guðrún Jónsdóttir', 'Ñuñez',
    'Björk', 'Ana María', 'Lê Tâm', 'Hà', 'Võ Tú', 'Hoàng Ân', 'Tôn Thất Thuyết', 'Dr. Who?', 'A+B', 'Lý', "D'Arcy",
  ];
  assert.equal(detectEncoding(values), 'unicode');
  for (const v of values) assert.equal(detectEncoding([v]), 'unicode', v);
  assert.equal(detectEncoding([]), 'unicode');
  assert.equal(detectEncoding(['', '']), 'unicode');
});

test('NFD and half-composed Unicode is unicode, and repairText composes it', () => {
  for (const name of FULL_NAMES) {
    const nfd = name.normalize('NFD');
    assert.equal(detectEncoding([nfd]), 'unicode');
    assert.equal(repairText(nfd, 'unicode'), name);
    const half = name.replace(/[ễệ]/g, (c) => (c === 'ễ' ? 'ê\u0303' : 'ê\u0323'));
    assert.equal(repairText(half, 'unicode'), name);
  }
});

test('a mostly-Unicode column with a few legacy cells is not converted; repairText keeps Unicode cells', () => {
  const column = [...FULL_NAMES.slice(0, 40), encodeLegacy('Nguyễn Văn An', 'tcvn3')];
  assert.equal(detectEncoding(column), 'unicode');
  // In a TCVN3 column, a cell that cannot be TCVN3 (has "ễ") is left alone.
  assert.equal(repairText('Nguyễn Văn An', 'tcvn3'), 'Nguyễn Văn An');
  assert.equal(repairText('Nguyá»…n', 'mojibake-cp1252'), 'Nguyễn');
  assert.equal(repairText('plain', 'mojibake-cp1252'), 'plain');
});

test('mojibake: an Đ whose 0x90 byte was lost to ? or U+FFFD is recovered', () => {
  assert.equal(repairText('Ä?áº·ng VÄƒn Nam', 'mojibake-cp1252'), 'Đặng Văn Nam');
  assert.equal(repairText('Ä\uFFFDá»— Minh', 'mojibake-cp1252'), 'Đỗ Minh');
  assert.equal(repairText('Ä\u0090inh', 'mojibake-cp1252'), 'Đinh');
});

test('decodeBytes: UTF-8 (BOM dropped), else WHATWG Windows-1252 (0x85 is …, not U+0085)', () => {
  assert.deepEqual(decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Lê Hòa')])), {
    text: 'Lê Hòa',
    encoding: 'utf-8',
  });
  assert.deepEqual(decodeBytes(Uint8Array.from([0x41, 0x85, 0x80, 0x81, 0xe9])), {
    text: 'A…€\u0081é',
    encoding: 'windows-1252',
  });
  assert.deepEqual(decodeBytes(new Uint8Array()), { text: '', encoding: 'utf-8' });
});

test('importer path: legacy bytes → decodeBytes → detectEncoding per column → repairText per value', () => {
  for (const enc of ['tcvn3', 'vni', 'cp1258'] as const) {
    const file = FULL_NAMES.map((n) => encodeLegacy(n, enc)).join('\n');
    const { text, encoding } = decodeBytes(cp1252Bytes(file));
    assert.equal(encoding, 'windows-1252', enc);
    const values = text.split('\n');
    const detected = detectEncoding(values.slice(0, 100));
    assert.equal(detected, enc);
    assert.deepEqual(values.map((v) => repairText(v, detected)), FULL_NAMES);
  }
  // A UTF-8 file whose text was saved from a cp1252 view (mojibake) is valid UTF-8.
  const moji = new TextEncoder().encode(FULL_NAMES.map((n) => encodeLegacy(n, 'mojibake-cp1252')).join('\n'));
  const { text, encoding } = decodeBytes(moji);
  assert.equal(encoding, 'utf-8');
  const values = text.split('\n');
  assert.equal(detectEncoding(values), 'mojibake-cp1252');
  assert.deepEqual(values.map((v) => repairText(v, 'mojibake-cp1252')), FULL_NAMES);
});

test('the doc examples decode with the expected tables', () => {
  assert.equal(encodeLegacy('Nguyễn Văn An', 'tcvn3'), 'NguyÔn V¨n An');
  assert.equal(encodeLegacy('Nguyễn Văn An', 'vni'), 'Nguyeãn Vaên An');
  assert.equal(encodeLegacy('Nguyễn Văn An', 'viqr'), 'Nguye^~n Va(n An');
  assert.equal(encodeLegacy('Nguyễn Văn An', 'mojibake-cp1252'), 'Nguyá»…n VÄƒn An');
  assert.equal(encodeLegacy('Trần Thị Hương', 'tcvn3'), 'TrÇn ThÞ H\u00AD¬ng');
  assert.equal(repairText('Lª ThÞ Thuý', 'tcvn3'), 'Lê Thị Thuý'); // tone style is normalizeName's job
  assert.equal(repairText('Mỹ', 'vni'), 'Mỹ');
  assert.equal(repairText(encodeLegacy('Mỹ Kỳ', 'vni'), 'vni'), 'Mỹ Kỳ');
});
