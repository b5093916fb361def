import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitVietnameseName, toIcao } from './icao.js';
import { conformanceVectors, readSharedJson, readSharedText } from './test-helpers/shared-data.js';

const NFD = (s: string): string => s.normalize('NFD');

describe('toIcao', () => {
  it('passes the ICAO pairs of vietnamese-text.md section 3 (read in place)', () => {
    const doc = readSharedText('reference', 'vn', 'vietnamese-text.md');
    const section = doc.slice(doc.indexOf('### ICAO fnt/gnt checks'));
    const pairs = [...section.matchAll(/`([^`]+)`(?: \([^)]*\))?→`([^`]+)`/g)].map(
      (m) => [m[1] ?? '', m[2] ?? ''] as const,
    );
    assert.equal(pairs.length, 9);
    for (const [name, want] of pairs) assert.equal(toIcao(name), want, name);
  });

  it('handles the pitfalls of vietnamese-text.md', () => {
    assert.equal(toIcao('Đặng'), 'DANG', 'Đ has no decomposition; NFD alone leaves "ĐANG"');
    assert.equal(toIcao('\u00D0ỗ Văn Nam'), 'DO<VAN<NAM', 'U+00D0 eth look-alike');
    assert.equal(toIcao(NFD('Ưng Thơ')), 'UNG<THO', 'NFD input');
    assert.equal(toIcao('Le\u0302 Va\u0306n Ta\u0341m'), 'LE<VAN<TAM', 'deprecated U+0341 tone mark');
    assert.equal(toIcao('ơ ư ă â ê ô Ơ Ư Ă Â Ê Ô đ'), 'O<U<A<A<E<O<O<U<A<A<E<O<D');
    assert.equal(toIcao('  Nguyễn\u00A0\u200BVăn\t An  '), 'NGUYEN<VAN<AN', 'NBSP, zero-width space, tabs');
    assert.equal(toIcao('Trần -- Thị – Hoà'), 'TRAN<THI<HOA', 'dashes collapse');
    assert.equal(toIcao('Y Ngông Niê Kdăm'), 'Y<NGONG<NIE<KDAM');
    assert.equal(toIcao(''), '');
  });

  it('matches the examples of the DCC schema (DCC.Core.Types person_name)', () => {
    assert.equal(toIcao("d'Červenková Panklová"), 'DCERVENKOVA<PANKLOVA');
    assert.equal(toIcao('Jiřina-Maria Alena'), 'JIRINA<MARIA<ALENA');
  });

  it('agrees with fnt/gnt of every Latin-script name in dgc-testdata (read in place)', () => {
    const latin = /^[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]*$/u;
    let checked = 0;
    for (const v of conformanceVectors()) {
      const nam = v.payload.nam as Record<string, unknown> | undefined;
      for (const [plain, icao] of [
        ['fn', 'fnt'],
        ['gn', 'gnt'],
      ] as const) {
        const name = nam?.[plain];
        const want = nam?.[icao];
        if (typeof name !== 'string' || typeof want !== 'string') continue;
        // Greek, Cyrillic, Georgian and Arabic names need a script transliteration we do not do.
        if (!latin.test(name)) {
          assert.equal(toIcao(name), '', `${v.id} ${name}`);
          continue;
        }
        assert.equal(toIcao(name), want, `${v.id} ${plain}=${name}`);
        checked++;
      }
    }
    assert.ok(checked >= 400, `only ${checked} names checked`);
  });

  it('cuts at 80 characters without leaving a trailing <', () => {
    assert.equal(toIcao(`${'A'.repeat(79)} B`), 'A'.repeat(79));
    assert.equal(toIcao('Nguyễn '.repeat(20)).length <= 80, true);
  });

  const vietnamese = 'aàáảãạăằắẳẵặâầấẩẫậdđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵĐÐð';
  const nameChars = fc.constantFrom(
    ...Array.from(vietnamese + vietnamese.toUpperCase()),
    ' ',
    '-',
    "'",
    '\u00A0',
    '\u200B',
    'n',
    'g',
    'h',
  );
  const anyName = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: nameChars, maxLength: 120 }));

  it('property: output is only A-Z and <, at most 80 long, no empty parts', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const out = toIcao(name);
        assert.match(out, /^[A-Z<]*$/);
        assert.ok(out.length <= 80);
        assert.ok(!out.startsWith('<') && !out.endsWith('<') && !out.includes('<<'), out);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: word by word (memoised) equals transliterating the whole name at once', () => {
    // The whole-string algorithm toIcao used before it went word by word, as the reference.
    const TABLE: Record<string, string> = { Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Æ: 'AE', æ: 'ae', Ä: 'AE', ä: 'ae', Å: 'AA', å: 'aa', Ö: 'OE', ö: 'oe', Ø: 'OE', ø: 'oe', Œ: 'OE', œ: 'oe', Ü: 'UE', ü: 'ue', ß: 'SS', ẞ: 'SS', Þ: 'TH', þ: 'th', Ĳ: 'IJ', ĳ: 'ij', Ł: 'L', ł: 'l', Ħ: 'H', ħ: 'h', Ŧ: 'T', ŧ: 't', Ŋ: 'N', ŋ: 'n', ı: 'i' };
    const whole = (name: string): string => {
      let mapped = '';
      for (const ch of name.normalize('NFC').replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')) mapped += TABLE[ch] ?? ch;
      const out = mapped
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toUpperCase()
        .replace(/[\s\p{Zs}\-\u2010-\u2015\u2212\uFE63\uFF0D]+/gu, '<')
        .replace(/[^A-Z<]/g, '')
        .replace(/<{2,}/g, '<')
        .replace(/^<+|<+$/g, '');
      return out.length > 80 ? out.slice(0, 80).replace(/<+$/, '') : out;
    };
    const tricky = fc.constantFrom(' ', '  ', '\u0301', '\u0308', 'A\u0308', ' \u0302', '\u00AD', '\uFEFF', 'ﬁ', 'Ｎ', 'Æ', 'ß', '-', '\t', '\u3000', 'Nguyễn', 'Thị');
    const mixed = fc.array(fc.oneof(tricky, fc.string({ unit: nameChars, maxLength: 12 })), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(anyName, mixed), (name) => assert.equal(toIcao(name), whole(name), JSON.stringify(name))),
      { numRuns: 3000 },
    );
  });

  it('property: idempotent, and NFC/NFD and case do not change the result', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const out = toIcao(name);
        assert.equal(toIcao(out), out);
        assert.equal(toIcao(NFD(name)), out);
        assert.equal(toIcao(name.normalize('NFC')), out);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: nameChars }), (name) => assert.equal(toIcao(name.toUpperCase()), toIcao(name))),
    );
  });
});

describe('splitVietnameseName', () => {
  it('puts the family name first, not the Western last-space split', () => {
    assert.deepEqual(splitVietnameseName('Nguyễn Thị Ngọc Ánh'), { fn: 'Nguyễn', gn: 'Thị Ngọc Ánh' });
    assert.deepEqual(splitVietnameseName('Lê Duẩn'), { fn: 'Lê', gn: 'Duẩn' });
    assert.deepEqual(splitVietnameseName('Giàng'), { fn: 'Giàng', gn: '' });
    assert.deepEqual(splitVietnameseName('   '), { fn: '', gn: '' });
  });

  it('keeps known compound family names whole, in any case', () => {
    assert.deepEqual(splitVietnameseName('Tôn Thất Thuyết'), { fn: 'Tôn Thất', gn: 'Thuyết' });
    assert.deepEqual(splitVietnameseName('Công Tằng Tôn Nữ Thị Hạnh'), { fn: 'Công Tằng Tôn Nữ', gn: 'Thị Hạnh' });
    assert.deepEqual(splitVietnameseName('TÔN NỮ THỊ NINH'), { fn: 'TÔN NỮ', gn: 'THỊ NINH' });
    assert.deepEqual(splitVietnameseName('Âu Dương Phong'), { fn: 'Âu Dương', gn: 'Phong' });
    // Phúc is a common middle name, so "Nguyễn Phúc" is not taken as a compound.
    assert.deepEqual(splitVietnameseName('Nguyễn Phúc Thịnh'), { fn: 'Nguyễn', gn: 'Phúc Thịnh' });
  });

  it('cleans spacing, invisible characters and the eth look-alike, and normalises to NFC', () => {
    assert.deepEqual(splitVietnameseName(` \u00D0ỗ\u00A0 Văn\u200B  Nam\t`), { fn: 'Đỗ', gn: 'Văn Nam' });
    assert.deepEqual(splitVietnameseName(NFD('Phạm Thị Thuỷ')), { fn: 'Phạm', gn: 'Thị Thuỷ' });
  });

  it('splits every edge-case name of vn/names.json so that fn + gn is the name (read in place)', () => {
    const { edge_cases_for_tests: cases } = readSharedJson('reference', 'vn', 'names.json') as {
      edge_cases_for_tests: Record<string, unknown>;
    };
    const names = Object.values(cases).flatMap((v) =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !x.includes(':')) : [],
    );
    assert.ok(names.length >= 15);
    for (const name of names) {
      const { fn, gn } = splitVietnameseName(name);
      assert.equal([fn, gn].filter(Boolean).join(' '), name, name);
      assert.ok(fn.length > 0);
      assert.match(toIcao(fn), /^[A-Z][A-Z<]*$/, fn);
    }
  });
});
