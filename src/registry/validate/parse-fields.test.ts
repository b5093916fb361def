import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Parsed } from './field-issue.js';
import { parseDoseNumber } from './parse-dose-number.js';
import { parseFullName } from './parse-full-name.js';
import { parseLot } from './parse-lot.js';
import { parsePhone } from './parse-phone.js';
import { parseProvinceCode } from './parse-province-code.js';
import { parseSex } from './parse-sex.js';
import { foldKey } from './fold-key.js';
import { PROVINCES } from '../reference/index.js';

function val<T>(r: Parsed<T>): T {
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
}
function codes(r: Parsed<unknown>): string[] {
  return (r.ok ? r.warnings : r.issues).map((i) => i.code);
}

describe('foldKey', () => {
  it('drops case, diacritics (NFC and NFD), đ and punctuation', () => {
    assert.equal(foldKey('Hà Nội'), 'hanoi');
    assert.equal(foldKey('Hà Nội'.normalize('NFD')), 'hanoi');
    assert.equal(foldKey('ĐẮK LẮK'), 'daklak');
    assert.equal(foldKey('Bà Rịa - Vũng Tàu'), 'bariavungtau');
    assert.equal(foldKey('J&J'), 'jj');
  });
});

describe('parseSex', () => {
  for (const [raw, want] of [
    ['Nam', 'M'], ['nam', 'M'], ['NAM', 'M'], [' Nam ', 'M'], ['Nữ', 'F'], ['nữ', 'F'], ['NỮ', 'F'], ['Nu', 'F'], ['nu', 'F'],
    ['Nữ'.normalize('NFD'), 'F'], ['Trai', 'M'], ['Gái', 'F'], ['M', 'M'], ['f', 'F'], ['Male', 'M'], ['FEMALE', 'F'],
  ] as const) {
    it(`${JSON.stringify(raw)} → ${want}`, () => assert.equal(val(parseSex(raw)), want));
  }
  it('numeric codes only with a declared convention', () => {
    assert.deepEqual(codes(parseSex('1')), ['SEX_NUMERIC_CODE']);
    assert.deepEqual(codes(parseSex(0)), ['SEX_NUMERIC_CODE']);
    assert.equal(val(parseSex(0, { numeric: 'vn01' })), 'F');
    assert.equal(val(parseSex('1', { numeric: 'vn01' })), 'M');
    assert.equal(val(parseSex(2, { numeric: 'iso5218' })), 'F');
    assert.deepEqual(codes(parseSex(0, { numeric: 'iso5218' })), ['SEX_NUMERIC_CODE']);
  });
  it('unknown and empty', () => {
    assert.deepEqual(codes(parseSex('Khác')), ['SEX_UNKNOWN']);
    assert.deepEqual(codes(parseSex('')), ['FIELD_REQUIRED']);
    assert.deepEqual(codes(parseSex(null)), ['FIELD_REQUIRED']);
  });
});

describe('parsePhone (E.164 +84…)', () => {
  for (const [raw, want] of [
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['0912.345.678', '+84912345678'],
    ['912345678', '+84912345678'], // Excel dropped the 0
    [912345678, '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['+84 (0) 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['0084912345678', '+84912345678'],
    ['0352345678', '+84352345678'],
    ['024 3825 1234', '+842438251234'], // Hà Nội landline
    ['2838251234', '+842838251234'], // landline without its 0
  ] as const) {
    it(`${JSON.stringify(raw)} → ${want}`, () => assert.equal(val(parsePhone(raw)), want));
  }
  it('converts retired 11-digit mobile prefixes with a warning', () => {
    const r = parsePhone('01682345678');
    assert.equal(val(r), '+84382345678');
    assert.deepEqual(codes(r), ['PHONE_OLD_PREFIX']);
    assert.equal(val(parsePhone('0123 456 7890')), '+84834567890');
  });
  it('empty is null without a warning', () => {
    assert.deepEqual(parsePhone(''), { ok: true, value: null, warnings: [] });
    assert.deepEqual(parsePhone(null), { ok: true, value: null, warnings: [] });
  });
  for (const raw of ['12345', '0301234567', '091234567', '09123456789', '0912-345-67x', '01112345678', 'không có']) {
    it(`invalid ${JSON.stringify(raw)} → null with a warning, never an error`, () => {
      const r = parsePhone(raw);
      assert.deepEqual(r.ok && r.value, null);
      assert.deepEqual(codes(r), ['PHONE_INVALID']);
    });
  }
});

describe('parseProvinceCode', () => {
  for (const [raw, want] of [
    ['01', '01'], ['1', '01'], [1, '01'], ['1.0', '01'], ['79', '79'], ['Hà Nội', '01'], ['ha noi', '01'], ['HN', '01'], ['HÀ NỘI', '01'],
    ['Thành phố Hồ Chí Minh', '79'], ['TP.HCM', '79'], ['tp hcm', '79'], ['Sài Gòn', '79'], ['Tỉnh Thanh Hóa', '38'], ['Thanh Hoá', '38'],
    ['Thừa Thiên - Huế', '46'], ['Huế', '46'], ['BR-VT', '77'], ['Đắk Lắk', '66'], ['Dak Lak', '66'], ['Daklak', '66'], ['Cần Thơ', '92'],
  ] as const) {
    it(`${JSON.stringify(raw)} → ${want}`, () => assert.equal(val(parseProvinceCode(raw)), want));
  }
  it('every province resolves by code, name and ASCII name', () => {
    for (const p of PROVINCES) {
      assert.equal(val(parseProvinceCode(p.code)), p.code);
      assert.equal(val(parseProvinceCode(p.name)), p.code);
      assert.equal(val(parseProvinceCode(p.nameAscii.toLowerCase())), p.code);
      for (const a of p.aliases) assert.equal(val(parseProvinceCode(a)), p.code, a);
    }
  });
  it('no two provinces fold to the same key', () => {
    const seen = new Map<string, string>();
    for (const p of PROVINCES) {
      for (const n of [p.name, p.nameAscii, ...p.aliases]) {
        const k = foldKey(n);
        assert.ok(!seen.has(k) || seen.get(k) === p.code, `${n} collides`);
        seen.set(k, p.code);
      }
    }
  });
  it('unknown codes and names are errors', () => {
    for (const raw of ['03', '3', '99', '001', 'Sài Gòn Mới', 'DN']) assert.deepEqual(codes(parseProvinceCode(raw)), ['PROVINCE_UNKNOWN'], raw);
    assert.deepEqual(codes(parseProvinceCode('')), ['FIELD_REQUIRED']);
  });
});

describe('parseDoseNumber', () => {
  for (const [raw, want] of [
    ['1', 1], [2, 2], ['2.0', 2], ['2,0', 2], [' 3 ', 3], ['Mũi 1', 1], ['mui 2', 2], ['Mũi thứ 2', 2], ['Mũi thứ hai', 2], ['mũi thứ nhất', 1],
    ['Liều 3', 3], ['Dose 2', 2], ['#2', 2], ['2/2', 2], ['3 / 3', 3], ['Thứ ba', 3],
  ] as const) {
    it(`${JSON.stringify(raw)} → ${want}`, () => assert.equal(val(parseDoseNumber(raw)), want));
  }
  it('range and shape', () => {
    assert.deepEqual(codes(parseDoseNumber('0')), ['DOSE_NUMBER_RANGE']);
    assert.deepEqual(codes(parseDoseNumber(10)), ['DOSE_NUMBER_RANGE']);
    assert.deepEqual(codes(parseDoseNumber('Mũi 12')), ['DOSE_NUMBER_RANGE']);
    assert.deepEqual(codes(parseDoseNumber(1.5)), ['DOSE_NUMBER_INVALID']);
    assert.deepEqual(codes(parseDoseNumber('Mũi nhắc')), ['DOSE_NUMBER_INVALID']);
    assert.deepEqual(codes(parseDoseNumber('')), ['FIELD_REQUIRED']);
  });
});

describe('parseFullName', () => {
  it('accepts Vietnamese names in NFC and NFD, hyphens and apostrophes', () => {
    assert.equal(val(parseFullName('  Nguyễn Văn An ')), 'Nguyễn Văn An');
    assert.equal(val(parseFullName('Nguyễn Thị Ánh'.normalize('NFD'))), 'Nguyễn Thị Ánh'.normalize('NFD'));
    assert.equal(val(parseFullName("Marie-Anne O'Neil")), "Marie-Anne O'Neil");
    assert.equal(val(parseFullName('Ksor H’Bia')), 'Ksor H’Bia');
    assert.equal(val(parseFullName('王 小明')), '王 小明');
  });
  it('reports digits and symbols with the character and position', () => {
    const r = parseFullName('Nguyễn Văn 3');
    assert.deepEqual(codes(r), ['NAME_INVALID_CHARACTER']);
    assert.ok(!r.ok && r.issues[0]!.en.includes('"3" (U+0033) (a digit) at position 12'));
    assert.ok(!r.ok && r.issues[0]!.vi.includes('ký tự "3" (U+0033) (chữ số) ở vị trí 12'));
    const m = parseFullName('Nguy?n Văn A');
    assert.ok(!m.ok && m.issues[0]!.en.includes('damaged text encoding'));
    assert.deepEqual(codes(parseFullName('Trần V. An')), ['NAME_INVALID_CHARACTER']);
  });
  it('needs two words, at most 100 characters, not empty', () => {
    assert.deepEqual(codes(parseFullName('An')), ['NAME_ONE_WORD']);
    assert.deepEqual(codes(parseFullName(`Nguyễn ${'a'.repeat(100)}`)), ['NAME_TOO_LONG']);
    assert.deepEqual(codes(parseFullName('   ')), ['FIELD_REQUIRED']);
  });
});

describe('parseLot', () => {
  it('keeps lots as written; odd ones only warn', () => {
    assert.equal(val(parseLot(' ABV5811 ')), 'ABV5811');
    assert.equal(val(parseLot('FF2593/21')), 'FF2593/21');
    assert.equal(val(parseLot('')), null);
    assert.equal(val(parseLot(12345)), '12345');
    const r = parseLot('ABV#58');
    assert.equal(val(r), 'ABV#58');
    assert.deepEqual(codes(r), ['LOT_INVALID']);
    assert.deepEqual(codes(parseLot('A'.repeat(31))), ['LOT_INVALID']);
  });
});
