import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../errors/index.js';
import { findProduct, findProvince } from '../reference/index.js';
import { nameMatchKey, repairText } from '../text/index.js';
import type { TextEncoding } from '../text/index.js';
import { decodeCccd, parseIdNumber, resolveVaccine } from '../validate/index.js';
import { ENCODING_MIX, REAL_ERROR_MIX, SCHEDULE_DATES, VACCINE_SPELLINGS, generateProvince } from './index.js';
import type { SeedPerson } from './index.js';
import { dayOf } from './day-table.js';

const ENCODING_OF: Partial<Record<string, TextEncoding>> = { name_tcvn3: 'tcvn3', name_vni: 'vni', name_mojibake: 'mojibake-cp1252' };

function take(n: number, opts: Parameters<typeof generateProvince>[0]): SeedPerson[] {
  const out: SeedPerson[] = [];
  for (const p of generateProvince(opts).persons()) {
    out.push(p);
    if (out.length >= n) break;
  }
  return out;
}

// One 20k-person run shared by the statistical tests (Hà Nội: 30 districts, CCCD code 001).
const BIG = take(20_000, { provinceCode: '01', people: 20_000, seed: 42 });
const vaccinated = BIG.filter((p) => p.doses.length > 0);

test('same seed → same people; another seed → others; persons() replays', () => {
  const a = take(2000, { provinceCode: '79', people: 2000, seed: 7 });
  const b = take(2000, { provinceCode: '79', people: 2000, seed: 7 });
  const c = take(2000, { provinceCode: '79', people: 2000, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const gen = generateProvince({ provinceCode: '79', people: 50, seed: 7 });
  assert.deepEqual([...gen.persons()], [...gen.persons()]);
  assert.equal([...gen.persons()].length, 50);
});

test('every CCCD is valid for the province, matches sex and birth year, and is unique', () => {
  const province = findProvince('01');
  const seen = new Set<string>();
  for (const p of BIG) {
    const id = p.truth.idNumber;
    assert.ok(id !== null && p.truth.idKind === 'CCCD');
    const year = Number(p.truth.dob.slice(0, 4));
    const parsed = parseIdNumber(id, { dob: { text: String(year), year }, sex: p.truth.sex, today: '2022-12-31' });
    assert.ok(parsed.ok, `${id}: ${JSON.stringify(parsed)}`);
    assert.equal(parsed.value?.kind, 'CCCD');
    const info = decodeCccd(id);
    assert.equal(info?.provinceCode, province?.code);
    assert.equal(info?.birthYear, year);
    assert.equal(info?.sex, p.truth.sex);
    assert.ok(!seen.has(id), `duplicate ${id}`);
    seen.add(id);
  }
});

test('ages ≥5 in April 2022, NFC names of 2–5 words, addresses in the province', () => {
  const districts = new Set(generateProvince({ provinceCode: '01', people: 0, seed: 1 }).facilities.map((f) => f.districtCode));
  let thi = 0;
  let olderWomen = 0;
  for (const p of BIG) {
    const t = p.truth;
    const birth = t.dob.length === 4 ? dayOf(`${t.dob}-12-31`) : dayOf(t.dob);
    assert.ok(dayOf('2022-04-14') - birth >= 5 * 365, t.dob);
    assert.equal(t.fullName, t.fullName.normalize('NFC'));
    const words = t.fullName.split(' ').length;
    assert.ok(words >= 2 && words <= 5, t.fullName);
    assert.equal(p.address.provinceCode, '01');
    assert.ok(districts.has(p.address.districtCode));
    assert.match(p.phone, /^0\d{9}$/);
    if (t.sex === 'F' && Number(t.dob.slice(0, 4)) < 1975) {
      olderWomen++;
      if (t.fullName.split(' ')[1] === 'Thị') thi++;
    }
  }
  // Thị dominates women born before 1975 (NAME_DATA weight 80/100 when a middle name exists).
  assert.ok(thi / olderWomen > 0.6, `${thi}/${olderWomen}`);
});

test('doses: 2021-03..2022-12, numbered in order, primary intervals and booster gaps respected', () => {
  const first = dayOf('2021-03-01');
  let withTwoPlus = 0;
  for (const p of vaccinated) {
    const birth = p.truth.dob.length === 4 ? dayOf(`${p.truth.dob}-12-31`) : dayOf(p.truth.dob);
    const firstProduct = findProduct(p.doses[0]?.productId ?? '');
    assert.ok(firstProduct);
    const primary = firstProduct.primarySeriesDoses;
    let prev = -Infinity;
    p.doses.forEach((d, i) => {
      const day = dayOf(d.doseDate);
      assert.equal(d.doseNumber, i + 1);
      assert.ok(day >= first && day <= SCHEDULE_DATES.lastDay, d.doseDate);
      const product = findProduct(d.productId);
      assert.ok(product?.availableFrom != null && d.doseDate >= product.availableFrom, `${d.productId} ${d.doseDate}`);
      assert.ok(day - birth >= 5 * 365);
      if (d.productId === 'comirnaty_paediatric') assert.ok(day >= SCHEDULE_DATES.childStart);
      if (i > 0 && i < primary) assert.ok(day - prev >= (firstProduct.minIntervalDays ?? 0), `interval ${JSON.stringify(p.doses)}`);
      if (i === primary) assert.ok(day - prev >= 90, `booster ${JSON.stringify(p.doses)}`);
      if (i > primary) assert.ok(day - prev >= 120);
      assert.match(d.facilityCode, /^01\d{5}$/);
      assert.ok(d.lot.length > 0);
      prev = day;
    });
    if (p.doses.length >= 2) withTwoPlus++;
  }
  const adults = BIG.filter((p) => Number(p.truth.dob.slice(0, 4)) <= 2000);
  const adultCover = adults.filter((p) => p.doses.length > 0).length / adults.length;
  assert.ok(adultCover > 0.98, `adult coverage ${adultCover}`);
  assert.ok(withTwoPlus / vaccinated.length > 0.85);
  // Early 2021 was AstraZeneca.
  const early = vaccinated.filter((p) => (p.doses[0]?.doseDate ?? '') < '2021-06-01');
  assert.ok(early.length > 0 && early.every((p) => ['astrazeneca', 'sputnik_v'].includes(p.doses[0]?.productId ?? '')));
});

test('doses stop at `today`', () => {
  for (const p of take(3000, { provinceCode: '48', people: 3000, seed: 3, today: '2022-04-15' })) {
    for (const d of p.doses) assert.ok(d.doseDate <= '2022-04-15');
  }
});

test('real errors at errorRate with the documented mix; each changes exactly its field', () => {
  const withReal = vaccinated.filter((p) => p.injected.some((e) => e.realMismatch));
  const rate = withReal.length / vaccinated.length;
  assert.ok(Math.abs(rate - 0.27) < 0.015, `rate ${rate}`);
  const counts = new Map<string, number>();
  for (const p of withReal) {
    const real = p.injected.filter((e) => e.realMismatch);
    assert.equal(real.length, 1);
    const e = real[0];
    assert.ok(e);
    counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    const t = p.truth;
    const r = p.recorded;
    const encoded = p.injected.some((x) => !x.realMismatch);
    for (const f of ['idNumber', 'dob', 'sex'] as const) {
      if (f === e.field) assert.notEqual(r[f], t[f], `${e.kind} ${f}`);
      else assert.equal(r[f], t[f], `${e.kind} ${f}`);
    }
    const enc = p.injected.find((x) => !x.realMismatch)?.kind ?? '';
    const repaired = repairText(r.fullName, ENCODING_OF[enc] ?? 'unicode');
    if (e.field === 'fullName') assert.notEqual(nameMatchKey(repaired), nameMatchKey(t.fullName), `${t.fullName} / ${r.fullName}`);
    else if (!encoded) assert.equal(r.fullName, t.fullName);
    switch (e.kind) {
      case 'wrong_id_digit':
        assert.equal(r.idNumber?.length, 12);
        assert.equal(Array.from({ length: 12 }, (_, i) => r.idNumber?.[i] !== t.idNumber?.[i]).filter(Boolean).length, 1);
        break;
      case 'cmnd_instead_of_cccd':
        assert.match(r.idNumber ?? '', /^\d{9}$/);
        assert.equal(r.idKind, 'CMND');
        break;
      case 'missing_id':
        assert.equal(r.idNumber, null);
        break;
      case 'dob_day_month_swapped':
        assert.equal(r.dob, `${t.dob.slice(0, 4)}-${t.dob.slice(8, 10)}-${t.dob.slice(5, 7)}`);
        break;
      case 'dob_defaulted_jan1':
        assert.equal(r.dob, `${t.dob.slice(0, 4)}-01-01`);
        break;
      case 'name_typo':
      case 'wrong_sex':
      case 'name_tcvn3':
      case 'name_vni':
      case 'name_mojibake':
      case 'name_old_style_tones':
      case 'name_nfd':
        break;
    }
  }
  const share = (k: string): number => (counts.get(k) ?? 0) / withReal.length;
  for (const [k, want] of Object.entries(REAL_ERROR_MIX)) {
    if (k === 'cmnd_instead_of_cccd' || k === 'missing_id') continue;
    assert.ok(Math.abs(share(k) - want) < 0.025, `${k} ${share(k)} vs ${want}`);
  }
  const idLess = share('cmnd_instead_of_cccd') + share('missing_id');
  assert.ok(Math.abs(idLess - REAL_ERROR_MIX.cmnd_instead_of_cccd - REAL_ERROR_MIX.missing_id) < 0.025, `${idLess}`);
  // Nobody without a record carries an error.
  assert.ok(BIG.filter((p) => p.doses.length === 0).every((p) => p.injected.length === 0 && p.recorded === p.truth));
});

test('encoding-only variants are flagged realMismatch=false and repair to the true name', () => {
  const kinds = new Map<string, number>();
  let n = 0;
  for (const p of vaccinated) {
    const enc = p.injected.filter((e) => !e.realMismatch);
    if (enc.length === 0) continue;
    n++;
    const e = enc[0];
    assert.ok(e && e.field === 'fullName' && enc.length === 1);
    kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    assert.ok(e.kind in ENCODING_MIX);
    assert.notEqual(p.recorded.fullName, p.truth.fullName);
    if (p.injected.some((x) => x.realMismatch)) continue;
    // The importer decides the encoding per column (detectEncoding); here we know it.
    const repaired = repairText(p.recorded.fullName, ENCODING_OF[e.kind] ?? 'unicode');
    assert.equal(nameMatchKey(repaired), nameMatchKey(p.truth.fullName), `${e.kind}: ${p.recorded.fullName} → ${repaired} ≠ ${p.truth.fullName}`);
  }
  assert.ok(Math.abs(n / vaccinated.length - 0.06) < 0.01, `${n}`);
  for (const k of Object.keys(ENCODING_MIX)) assert.ok((kinds.get(k) ?? 0) > 0, k);
});

test('rates 0 → records equal the truth', () => {
  for (const p of take(2000, { provinceCode: '01', people: 2000, seed: 5, errorRate: 0, encodingRate: 0 })) {
    assert.equal(p.injected.length, 0);
    assert.equal(p.recorded, p.truth);
  }
});

test('facilities: stable documented codes, focal units present', () => {
  const { facilities } = generateProvince({ provinceCode: '01', people: 0, seed: 1 });
  const codes = new Set(facilities.map((f) => f.code));
  assert.equal(codes.size, facilities.length);
  for (const f of facilities) {
    assert.match(f.code, /^01\d{5}$/);
    assert.equal(f.code.slice(2, 5), f.districtCode);
  }
  assert.equal(facilities.find((f) => f.type === 'cdc')?.code, '0100002');
  assert.equal(facilities.find((f) => f.type === 'so_y_te')?.code, '0100001');
  assert.equal(facilities.find((f) => f.code === '0100101')?.name, 'Trung tâm Y tế quận Ba Đình');
  assert.deepEqual(
    facilities.map((f) => f.code),
    generateProvince({ provinceCode: '01', people: 0, seed: 99 }).facilities.map((f) => f.code),
  );
});

test('bad options are AppErrors', () => {
  assert.throws(() => generateProvince({ provinceCode: '03', people: 1, seed: 1 }), (e) => e instanceof AppError && e.code === 'SEED_UNKNOWN_PROVINCE');
  assert.throws(() => generateProvince({ provinceCode: '01', people: -1, seed: 1 }), (e) => e instanceof AppError && e.code === 'SEED_BAD_OPTION');
  assert.throws(() => generateProvince({ provinceCode: '01', people: 1, seed: 1, errorRate: 2 }), AppError);
});

test('every vaccine spelling the writers use resolves to its product', () => {
  for (const [id, spellings] of Object.entries(VACCINE_SPELLINGS)) {
    for (const [text] of spellings) {
      const r = resolveVaccine(text, { ageYears: id === 'comirnaty_paediatric' ? 8 : 30 });
      assert.ok(r.ok && r.value.id === id, `${text} → ${JSON.stringify(r)}`);
    }
  }
});
