import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCEPTED_VACCINE_NAMES, resolveVaccine } from './resolve-vaccine.js';
import { VACCINE_PRODUCTS } from '../reference/index.js';

function id(raw: string, ageYears?: number): string {
  const r = resolveVaccine(raw, ageYears === undefined ? {} : { ageYears });
  assert.ok(r.ok, JSON.stringify(r));
  return r.value.id;
}

describe('resolveVaccine', () => {
  const names: [string, string][] = [
    ['AstraZeneca', 'astrazeneca'], ['Astra', 'astrazeneca'], ['AZ', 'astrazeneca'], ['az', 'astrazeneca'], ['Vaxzevria', 'astrazeneca'], ['Astra Zeneca', 'astrazeneca'],
    ['Pfizer', 'comirnaty'], ['Pfizer-BioNTech', 'comirnaty'], ['PFIZER BIONTECH', 'comirnaty'], ['Comirnaty', 'comirnaty'],
    ['Moderna', 'spikevax'], ['Spikevax', 'spikevax'],
    ['Vero Cell', 'vero_cell'], ['Verocell', 'vero_cell'], ['VERO-CELL', 'vero_cell'], ['Sinopharm', 'vero_cell'], ['BBIBP-CorV', 'vero_cell'],
    ['Sputnik V', 'sputnik_v'], ['Sputnik-V', 'sputnik_v'], ['Hayat-Vax', 'hayat_vax'], ['Hayat Vax', 'hayat_vax'], ['Abdala', 'abdala'],
    ['Janssen', 'janssen'], ['J&J', 'janssen'], ['Johnson & Johnson', 'janssen'], ['Covaxin', 'covaxin'],
    ['EU/1/21/1529', 'astrazeneca'], ['EU/1/20/1528', 'comirnaty'], ['EU/1/20/1507', 'spikevax'], ['EU/1/20/1525', 'janssen'],
    ['vero_cell', 'vero_cell'], ['hayat_vax', 'hayat_vax'], ['comirnaty_paediatric', 'comirnaty_paediatric'],
    ['Vắc xin Pfizer', 'comirnaty'], ['vaccine Moderna', 'spikevax'], ['Pfizer (trẻ em)', 'comirnaty_paediatric'], ['Comirnaty 10 µg', 'comirnaty_paediatric'],
  ];
  for (const [raw, want] of names) it(`${JSON.stringify(raw)} → ${want}`, () => assert.equal(id(raw), want));

  it('every licensed product resolves by its id and its EU mp code', () => {
    for (const p of VACCINE_PRODUCTS) {
      if (p.availableFrom === null) continue;
      assert.equal(id(p.id), p.id);
      if (p.mp !== null && p.id !== 'comirnaty_paediatric') assert.equal(id(p.mp), p.id);
    }
  });

  it('Pfizer for ages 5–11 is the paediatric product', () => {
    assert.equal(id('Pfizer', 5), 'comirnaty_paediatric');
    assert.equal(id('Pfizer', 11), 'comirnaty_paediatric');
    assert.equal(id('Pfizer', 12), 'comirnaty');
    assert.equal(id('Pfizer', 4), 'comirnaty');
    assert.equal(id('Moderna', 8), 'spikevax');
  });

  it('an explicitly paediatric name for a 12+ year old is kept with a warning', () => {
    const r = resolveVaccine('Pfizer trẻ em', { ageYears: 15 });
    assert.ok(r.ok && r.value.id === 'comirnaty_paediatric');
    assert.deepEqual(r.warnings.map((w) => w.code), ['VACCINE_AGE_MISMATCH']);
  });

  it('never-licensed products are rejected', () => {
    for (const raw of ['Sputnik Light', 'Nanocovax']) {
      const r = resolveVaccine(raw);
      assert.ok(!r.ok && r.issues[0]!.code === 'VACCINE_NOT_LICENSED', raw);
    }
  });

  it('unknown names list the accepted ones', () => {
    const r = resolveVaccine('Sinovac');
    assert.ok(!r.ok);
    assert.equal(r.issues[0]!.code, 'VACCINE_UNKNOWN');
    assert.ok(r.issues[0]!.en.includes(ACCEPTED_VACCINE_NAMES));
    assert.ok(r.issues[0]!.vi.includes(ACCEPTED_VACCINE_NAMES));
    assert.equal(resolveVaccine('').ok, false);
    assert.equal(resolveVaccine(null).ok, false);
  });

  it('gives the same answer from the memo', () => {
    for (let i = 0; i < 3; i++) assert.equal(id('AstraZeneca'), 'astrazeneca');
  });
});
