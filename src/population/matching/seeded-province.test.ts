/**
 * The issue's acceptance test on a seeded province: every encoding-only variant verifies, every
 * real mismatch is flagged on the right field, and the suggestions point to the true record.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateProvince } from '../../registry/seed/index.js';
import type { InjectedErrorKind, SeedPerson } from '../../registry/seed/index.js';
import { nameMatchKey } from '../../registry/text/index.js';
import type { IdentityField, SuggestionReason, VerifyResult } from '../verifier.js';
import { MemoryRegister, matchBatch } from './index.js';

const PEOPLE = 20_000;
const province = generateProvince({ provinceCode: '01', people: PEOPLE, seed: 7, errorRate: 0.27 });
const persons: SeedPerson[] = [...province.persons()];
const register = new MemoryRegister(persons.map(({ truth: t }) => ({ idNumber: t.idNumber ?? '', fullName: t.fullName, dob: t.dob, sex: t.sex })));
const vaccinated = persons.filter((p) => p.doses.length > 0);

/** Register people per name key + dob + sex: more than one means a record without a usable ID is ambiguous. */
const namesakes = new Map<string, number>();
const personKey = (p: SeedPerson): string => `${nameMatchKey(p.truth.fullName)}|${p.truth.dob}|${p.truth.sex}`;
for (const p of persons) namesakes.set(personKey(p), (namesakes.get(personKey(p)) ?? 0) + 1);

const FIELD: Record<'idNumber' | 'fullName' | 'dob' | 'sex', IdentityField> = { idNumber: 'id_number', fullName: 'full_name', dob: 'dob', sex: 'sex' };

/** What each real error must give: status, fields, and the reason of the suggestion pointing to the truth. */
const EXPECTED: Partial<Record<InjectedErrorKind, { status: readonly string[]; fields: readonly IdentityField[] | null; reason: SuggestionReason }>> = {
  name_typo: { status: ['MISMATCH'], fields: ['full_name'], reason: 'NAME_CLOSE' },
  dob_day_month_swapped: { status: ['MISMATCH'], fields: ['dob'], reason: 'DOB_DAY_MONTH_SWAPPED' },
  dob_defaulted_jan1: { status: ['MISMATCH'], fields: ['dob'], reason: 'DOB_DIFFERS' },
  wrong_sex: { status: ['MISMATCH'], fields: ['sex'], reason: 'SEX_DIFFERS' },
  // A changed digit almost always gives an unknown number; rarely another person's (then MISMATCH).
  wrong_id_digit: { status: ['NOT_FOUND', 'MISMATCH'], fields: null, reason: 'ID_ONE_DIGIT_AWAY' },
  cmnd_instead_of_cccd: { status: ['NOT_FOUND'], fields: [], reason: 'CMND_REPLACED_BY_CCCD' },
  missing_id: { status: ['NOT_SENT'], fields: ['id_number'], reason: 'FOUND_BY_NAME_DOB' },
};

interface Tally {
  n: number;
  flagged: number;
  firstHit: number;
  anyHit: number;
  /** First suggestion missed the truth although the person has no namesake: must stay 0. */
  unexplained: number;
}

test(`seeded province (${String(PEOPLE)} people, errorRate 0.27): encoding-only variants verify, real errors are flagged and fixed by the first suggestion`, async (t) => {
  const results: VerifyResult[] = [];
  for (let i = 0; i < vaccinated.length; i += 1000) {
    const batch = vaccinated.slice(i, i + 1000).map((p) => ({ recordId: String(p.seq), ...p.recorded }));
    results.push(...(await matchBatch(batch, register)));
  }
  assert.equal(results.length, vaccinated.length);

  let clean = 0;
  let encodingOnly = 0;
  const encodingKinds = new Map<string, number>();
  const byKind = new Map<string, Tally>();
  results.forEach((r, i) => {
    const p = vaccinated[i];
    assert.ok(p);
    assert.equal(r.recordId, String(p.seq));
    const real = p.injected.find((x) => x.realMismatch);
    if (real === undefined) {
      // Untouched records and every encoding-only variant (TCVN3, VNI, mojibake, old-style tones, NFD): 100 %.
      assert.deepEqual({ status: r.status, fields: r.fields, suggestions: r.suggestions }, { status: 'VERIFIED', fields: [], suggestions: [] }, `${JSON.stringify(p.recorded)} (${p.injected.map((x) => x.kind).join()})`);
      if (p.injected.length > 0) encodingOnly++;
      else clean++;
      for (const x of p.injected) encodingKinds.set(x.kind, (encodingKinds.get(x.kind) ?? 0) + 1);
      return;
    }
    const want = EXPECTED[real.kind];
    assert.ok(want, real.kind);
    const tally = byKind.get(real.kind) ?? { n: 0, flagged: 0, firstHit: 0, anyHit: 0, unexplained: 0 };
    byKind.set(real.kind, tally);
    tally.n++;
    // Flagged on the right field: exact, for every record (an encoding variant on top changes nothing).
    assert.ok(want.status.includes(r.status), `${real.kind}: ${r.status} ${JSON.stringify(p.recorded)}`);
    if (want.fields !== null) assert.deepEqual(r.fields, want.fields, `${real.kind}: ${JSON.stringify(p.recorded)}`);
    tally.flagged++;
    // The suggestion points to the true record: the register's value of the wrong field.
    const field = FIELD[real.field];
    const truth = { id_number: p.truth.idNumber, full_name: p.truth.fullName, dob: p.truth.dob, sex: p.truth.sex }[field];
    const hits = r.suggestions.map((s) => s.reason === want.reason && s.values[field] === truth);
    if (hits[0] === true) tally.firstHit++;
    else if ((namesakes.get(personKey(p)) ?? 0) < 2) tally.unexplained++;
    if (hits.includes(true)) tally.anyHit++;
  });

  const rows = [...byKind].sort(([a], [b]) => (a < b ? -1 : 1));
  t.diagnostic(`clean ${String(clean)} and encoding-only ${String(encodingOnly)} records: 100 % VERIFIED`);
  for (const [kind, s] of rows) {
    t.diagnostic(`${kind}: ${String(s.n)} flagged ${String(s.flagged)}, first suggestion = truth ${String(s.firstHit)} (${((100 * s.firstHit) / s.n).toFixed(2)} %), truth among suggestions ${String(s.anyHit)}`);
  }
  t.diagnostic(`encoding-only variants: ${[...encodingKinds].map(([k, c]) => `${k} ${String(c)}`).join(', ')}`);
  for (const kind of ['name_tcvn3', 'name_vni', 'name_mojibake', 'name_old_style_tones', 'name_nfd']) {
    assert.ok((encodingKinds.get(kind) ?? 0) >= 10, `${kind} occurs (${String(encodingKinds.get(kind) ?? 0)})`);
  }
  assert.equal(byKind.size, Object.keys(EXPECTED).length, 'every real error kind occurs');
  let n = 0;
  let first = 0;
  for (const [kind, s] of rows) {
    assert.ok(s.n >= 300, `${kind}: enough cases`);
    assert.equal(s.flagged, s.n, kind);
    // The only accepted miss: a namesake (same name, dob and sex) ranks first; the truth is then still listed.
    assert.equal(s.unexplained, 0, kind);
    assert.equal(s.anyHit, s.n, `${kind}: the truth is among the suggestions`);
    n += s.n;
    first += s.firstHit;
  }
  // Measured with seed 7: 5185 real errors, 5184 first suggestions right (one missing_id with a namesake).
  assert.ok(first / n >= 0.999, `first suggestion = truth for ${String(first)} of ${String(n)}`);
  const nameSuggestions = byKind.get('name_typo');
  assert.equal(nameSuggestions?.firstHit, nameSuggestions?.n, 'every name typo gets its register name');
});
