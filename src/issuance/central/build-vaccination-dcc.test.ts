import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../errors/index.js';
import { checkValueSets, validateSchema, validateUvci } from '../../hcert/index.js';
import { CERTIFICATE_ISSUER, buildVaccinationDcc, doseSeries, vpFor } from './build-vaccination-dcc.js';
import type { DccDose } from './build-vaccination-dcc.js';
import { certificateTimes } from './sign-certificate.js';

const person = { fullName: 'Nguyễn Thị Ngọc Ánh', dob: '1990-05-17' };
const dose = (id: number, productId: string, doseNumber: number, doseDate: string): DccDose => ({ id, productId, doseNumber, doseDate });
const entry = (dcc: ReturnType<typeof buildVaccinationDcc>): Record<string, unknown> => (dcc as unknown as { v: Record<string, unknown>[] }).v[0] ?? {};
const dnsd = (doses: DccDose[]): string => {
  const v = entry(buildVaccinationDcc(person, doses));
  return `${String(v.dn)}/${String(v.sd)}`;
};

describe('buildVaccinationDcc', () => {
  it('builds a schema- and value-set-valid 1.3.0 payload for the latest dose', () => {
    const dcc = buildVaccinationDcc(person, [dose(1, 'astrazeneca', 1, '2021-07-01'), dose(2, 'astrazeneca', 2, '2021-09-01')]);
    assert.equal(dcc.ver, '1.3.0');
    assert.deepEqual(dcc.nam, { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Thị Ngọc Ánh', gnt: 'THI<NGOC<ANH' });
    assert.equal(dcc.dob, '1990-05-17');
    const v = entry(dcc);
    assert.deepEqual({ ...v, ci: undefined }, { tg: '840539006', vp: '29061000087103', mp: 'EU/1/21/1529', ma: 'ORG-100001699', dn: 2, sd: 2, dt: '2021-09-01', co: 'VN', is: CERTIFICATE_ISSUER, ci: undefined });
    assert.match(String(v.ci), /^URN:UVCI:01:VN:[A-Z0-9]+#[A-Z0-9/:]$/);
    assert.equal(validateUvci(String(v.ci), { requireChecksum: true }).ok, true);
    assert.equal(validateSchema(dcc).ok, true);
    assert.deepEqual(checkValueSets(dcc, { purpose: 'issue' }).errors, []);
  });

  it('puts no identity document number anywhere in the payload', () => {
    const json = JSON.stringify(buildVaccinationDcc({ ...person, idNumber: '001190123456' } as typeof person, [dose(1, 'comirnaty', 1, '2021-08-01')]));
    assert.doesNotMatch(json, /001190123456|190123456/);
    assert.deepEqual(Object.keys(JSON.parse(json) as object).sort(), ['dob', 'nam', 'v', 'ver']);
  });

  it('encodes dn/sd per the EU convention and the product series', () => {
    assert.equal(dnsd([dose(1, 'astrazeneca', 1, '2021-07-01')]), '1/2');
    assert.equal(dnsd([dose(1, 'janssen', 1, '2021-08-01')]), '1/1');
    assert.equal(dnsd([dose(1, 'astrazeneca', 1, '2021-07-01'), dose(2, 'astrazeneca', 2, '2021-09-01'), dose(3, 'comirnaty', 3, '2022-02-01')]), '3/3');
    assert.equal(dnsd([dose(1, 'comirnaty', 1, '2021-07-01'), dose(2, 'comirnaty', 2, '2021-08-01'), dose(3, 'comirnaty', 3, '2022-01-01'), dose(4, 'spikevax', 4, '2022-06-01')]), '4/4');
    assert.equal(dnsd([dose(1, 'janssen', 1, '2021-08-01'), dose(2, 'comirnaty', 2, '2022-01-01')]), '2/1');
    assert.equal(dnsd([dose(1, 'abdala', 1, '2021-09-01'), dose(2, 'abdala', 2, '2021-09-15'), dose(3, 'abdala', 3, '2021-10-01')]), '3/3');
    // After AZ + AZ, an Abdala third dose is a booster: 3/3 by the series of dose 1.
    assert.equal(dnsd([dose(1, 'astrazeneca', 1, '2021-07-01'), dose(2, 'astrazeneca', 2, '2021-09-01'), dose(3, 'abdala', 3, '2022-01-01')]), '3/3');
    assert.deepEqual(doseSeries(5, 2), { dn: 5, sd: 5 });
  });

  it('uses the specific Annex A vp code (J07BX03 is deprecated for new certificates)', () => {
    assert.equal(vpFor({ mp: 'BBIBP-CorV', vp: 'J07BX03' }), '1157024006');
    assert.equal(vpFor({ mp: 'EU/1/20/1528', vp: '1119349007' }), '1119349007');
    assert.equal(vpFor({ mp: 'Abdala', vp: 'J07BX03' }), '28531000087107');
    for (const id of ['astrazeneca', 'sputnik_v', 'comirnaty', 'spikevax', 'janssen', 'vero_cell', 'hayat_vax', 'abdala']) {
      const dcc = buildVaccinationDcc(person, [dose(1, id, 1, '2021-10-01')]);
      assert.deepEqual(checkValueSets(dcc, { purpose: 'issue' }).errors, [], id);
    }
  });

  it('omits gn/gnt for a one-word name, and refuses products without EU codes', () => {
    assert.deepEqual(buildVaccinationDcc({ fullName: 'Thảo', dob: '1990' }, [dose(1, 'comirnaty', 1, '2021-08-01')]).nam, { fn: 'Thảo', fnt: 'THAO' });
    assert.throws(() => buildVaccinationDcc(person, [dose(1, 'nanocovax', 1, '2021-08-01')]), (e) => e instanceof AppError && e.code === 'ISSUE_PRODUCT_NO_EU_CODE');
    assert.throws(() => buildVaccinationDcc(person, []), (e) => e instanceof AppError && e.code === 'ISSUE_NO_DOSE');
  });
});

describe('certificateTimes', () => {
  it('exp is 12 calendar months after iat, or the DSC end if earlier', () => {
    const now = new Date('2022-04-15T08:00:00.500Z');
    const t = certificateTimes(now);
    assert.equal(t.iat, Date.parse('2022-04-15T08:00:00Z') / 1000);
    assert.equal(new Date(t.exp * 1000).toISOString(), '2023-04-15T08:00:00.000Z');
    assert.equal(new Date(certificateTimes(now, new Date('2022-10-01T00:00:00Z')).exp * 1000).toISOString(), '2022-10-01T00:00:00.000Z');
    assert.throws(() => certificateTimes(now, new Date('2022-01-01T00:00:00Z')), (e) => e instanceof AppError && e.code === 'ISSUE_DSC_EXPIRED');
  });
});
