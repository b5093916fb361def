import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VACCINE_PRODUCTS, findProduct } from '../reference/index.js';
import { doseToImmunization, FHIR_SYSTEMS, personToPatient, type Coding } from './index.js';
import { FACILITY, sampleRows } from './test-helpers/fhir-fixtures.js';

const VALUESETS = '/work/shared/reference/eu-dcc-valuesets';
type ValueSet = { valueSetValues: Record<string, { system: string }> };
const loadValueSet = (name: string): ValueSet => JSON.parse(readFileSync(`${VALUESETS}/${name}`, 'utf8')) as ValueSet;

test('Patient: identifiers, Vietnamese name order, partial birth date, gender, phone, address codes', () => {
  const [an, ngoc] = sampleRows();
  assert.ok(an && ngoc);
  const p = personToPatient({ ...an.person, district_code: '001', ward_code: '00001' }, [
    { kind: 'CMND', number: '012345678', country: 'VNM', current: 0 },
    { kind: 'CCCD', number: '001090012345', country: 'VNM', current: 1 },
  ]);
  assert.equal(p.resourceType, 'Patient');
  assert.equal(p.id, '1');
  assert.deepEqual(p.name, [{ use: 'official', text: 'Nguyễn Văn An', family: 'Nguyễn', given: ['Văn', 'An'] }]);
  assert.equal(p.gender, 'male');
  assert.equal(p.birthDate, '1990-05-17');
  assert.deepEqual(
    p.identifier?.map((i) => [i.system, i.value, i.use]),
    [
      [FHIR_SYSTEMS.cccd, '001090012345', 'official'],
      [FHIR_SYSTEMS.cmnd, '012345678', 'old'],
      [FHIR_SYSTEMS.person, '1', 'secondary'],
    ],
  );
  assert.deepEqual(p.telecom, [{ system: 'phone', value: '0912345678', use: 'mobile' }]);
  const addr = p.address?.[0];
  assert.equal(addr?.state, 'Hà Nội');
  assert.deepEqual(
    addr?.extension?.map((e) => [e.url, e.valueCode]),
    [
      [FHIR_SYSTEMS.provinceCodeExt, '01'],
      [FHIR_SYSTEMS.districtCodeExt, '001'],
      [FHIR_SYSTEMS.wardCodeExt, '00001'],
    ],
  );
  const q = personToPatient(ngoc.person, ngoc.documents);
  assert.equal(q.birthDate, '1965');
  assert.equal(q.gender, 'female');
  assert.equal(q.telecom, undefined);
});

test('Immunization: status, EU mp/ma/vp codes with the value sets\' systems, dose and series, performer, ids', () => {
  const mpSet = loadValueSet('vaccine-medicinal-product.json').valueSetValues;
  const maSet = loadValueSet('vaccine-mah-manf.json').valueSetValues;
  const vpSet = loadValueSet('vaccine-prophylaxis.json').valueSetValues;
  const [an] = sampleRows();
  const dose = an?.doses[0];
  assert.ok(dose);
  for (const product of VACCINE_PRODUCTS) {
    const imm = doseToImmunization({ ...dose, product_id: product.id }, product, FACILITY, 'Patient/1');
    const coding: Coding[] = imm.vaccineCode.coding ?? [];
    const find = (system: string | undefined): Coding | undefined => coding.find((c) => c.system === system);
    if (product.mp !== null) {
      assert.equal(find(mpSet[product.mp]?.system)?.code, product.mp, `${product.id} mp`);
    }
    if (product.vp !== null) assert.equal(find(vpSet[product.vp]?.system)?.code, product.vp, `${product.id} vp`);
    if (product.ma !== null) {
      assert.deepEqual(imm.manufacturer?.identifier, { system: maSet[product.ma]?.system, value: product.ma }, `${product.id} ma`);
    } else {
      assert.equal(imm.manufacturer, undefined);
    }
    assert.equal(find(FHIR_SYSTEMS.vaccineProduct)?.code, product.id);
    assert.equal(imm.protocolApplied?.[0]?.seriesDosesPositiveInt, product.primarySeriesDoses);
  }

  const az = findProduct('astrazeneca');
  const imm = doseToImmunization({ ...dose, vaccinator: 'Phạm Thu Hà' }, az, FACILITY, 'Patient/1');
  assert.equal(imm.status, 'completed');
  assert.equal(imm.id, '1');
  assert.deepEqual(imm.identifier, [{ system: FHIR_SYSTEMS.dose, value: '1' }]);
  assert.deepEqual(imm.patient, { reference: 'Patient/1' });
  assert.equal(imm.occurrenceDateTime, '2021-07-01');
  assert.equal(imm.lotNumber, 'ABV1234');
  assert.deepEqual(imm.vaccineCode.coding?.slice(0, 2), [
    { system: 'https://ec.europa.eu/health/documents/community-register/html/', code: 'EU/1/21/1529' },
    { system: 'http://www.whocc.no/atc', code: 'J07BX03' },
  ]);
  assert.deepEqual(imm.performer?.[0]?.actor.identifier, { system: FHIR_SYSTEMS.facility, value: FACILITY.code });
  assert.equal(imm.performer?.[1]?.actor.display, 'Phạm Thu Hà');
  assert.equal(imm.protocolApplied?.[0]?.doseNumberPositiveInt, 1);

  const booster = doseToImmunization({ ...dose, dose_number: 3, dose_kind: 'booster' }, az, FACILITY, 'Patient/1');
  const applied = booster.protocolApplied?.[0];
  assert.ok(applied?.doseNumberPositiveInt !== undefined && applied.seriesDosesPositiveInt !== undefined);
  assert.ok(applied.doseNumberPositiveInt > applied.seriesDosesPositiveInt, 'a booster counts past the series');
  assert.equal(applied.series, 'booster');

  const voided = doseToImmunization({ ...dose, status: 'voided', void_reason: 'entered twice' }, az, FACILITY, 'Patient/1');
  assert.equal(voided.status, 'entered-in-error');
  assert.deepEqual(voided.note, [{ text: 'entered twice' }]);

  const vero = doseToImmunization({ ...dose, product_id: 'vero_cell' }, findProduct('vero_cell'), FACILITY, 'Patient/1');
  assert.deepEqual(vero.vaccineCode.coding?.[0], { system: 'http://ec.europa.eu/temp/vaccineproductname', code: 'BBIBP-CorV' });
  assert.deepEqual(vero.manufacturer?.identifier, { system: 'https://spor.ema.europa.eu/v1/organisations', value: 'ORG-100020693' });
});
