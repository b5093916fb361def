import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../errors/index.js';
import { checkValueSets } from './check-value-sets.js';
import type { ValueSetErrorCode } from './check-value-sets.js';
import { loadValueSets } from './load-value-sets.js';
import { conformanceVectors, readSharedJson } from './test-helpers/shared-data.js';

function vaccination(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ver: '1.3.3',
    nam: { fn: 'Trần', fnt: 'TRAN', gn: 'Văn Nam', gnt: 'VAN<NAM' },
    dob: '1985',
    v: [
      {
        tg: '840539006',
        vp: '28531000087107',
        mp: 'EU/1/21/1529',
        ma: 'ORG-100001699',
        dn: 1,
        sd: 2,
        dt: '2021-08-02',
        co: 'VN',
        is: 'Ministry of Health of Viet Nam',
        ci: 'URN:UVCI:01:VN:187/37512422923#Z',
        ...fields,
      },
    ],
  };
}

const codes = (r: { errors: { path: string; code: ValueSetErrorCode }[] }): [string, ValueSetErrorCode][] =>
  r.errors.map((e) => [e.path, e.code]);

describe('checkValueSets: Annex A (vaccine-encoding-instructions.json)', () => {
  it('accepts Vaxzevria with AstraZeneca AB', () => {
    assert.deepEqual(checkValueSets(vaccination(), { purpose: 'issue' }), { ok: true, errors: [] });
  });

  it('rejects a Vaxzevria dose paired with BioNTech (ORG-100030215)', () => {
    const result = checkValueSets(vaccination({ ma: 'ORG-100030215' }));
    assert.equal(result.ok, false);
    assert.deepEqual(codes(result), [['/v/0/ma', 'VALUESET_MP_MA_MISMATCH']]);
    assert.match(result.errors[0]?.message ?? '', /Biontech.*Vaxzevria.*"ORG-100001699" \(AstraZeneca AB\)/);
  });

  it('finds the same mismatch in the dgc-testdata vectors SE/1 and common/CO28', () => {
    const byId = new Map(conformanceVectors().map((v) => [v.id, v.payload]));
    for (const id of ['SE/1.json', 'common/CO28.json']) {
      assert.deepEqual(codes(checkValueSets(byId.get(id))), [['/v/0/ma', 'VALUESET_MP_MA_MISMATCH']], id);
    }
  });

  it('matches deprecated Annex A rows ("NVX-CoV2373 (deprecated)") on their bare code', () => {
    const nvx = vaccination({ mp: 'NVX-CoV2373', ma: 'ORG-100032020', vp: '1162643001' });
    assert.deepEqual(checkValueSets(nvx).errors, []);
    // Inactive in the mp value set: not for new certificates.
    assert.deepEqual(codes(checkValueSets(nvx, { purpose: 'issue' })), [['/v/0/mp', 'VALUESET_CODE_INACTIVE']]);
    assert.deepEqual(codes(checkValueSets(vaccination({ mp: 'NVX-CoV2373', ma: 'ORG-100030215' }))), [
      ['/v/0/ma', 'VALUESET_MP_MA_MISMATCH'],
    ]);
  });

  it('holds vp to Annex A when issuing, not when verifying older certificates', () => {
    const mrnaCodeForVectorVaccine = vaccination({ vp: '1119349007' });
    assert.deepEqual(checkValueSets(mrnaCodeForVectorVaccine).errors, []);
    const issued = checkValueSets(mrnaCodeForVectorVaccine, { purpose: 'issue' });
    assert.deepEqual(codes(issued), [['/v/0/vp', 'VALUESET_VP_MP_MISMATCH']]);
    assert.match(issued.errors[0]?.message ?? '', /28531000087107.*or.*29061000087103/);
  });

  it('flags deprecated codes only when issuing (J07BX03 was valid until value sets 1.14)', () => {
    const j07 = vaccination({ vp: 'J07BX03' });
    assert.deepEqual(checkValueSets(j07).errors, []);
    assert.deepEqual(codes(checkValueSets(j07, { purpose: 'issue' })), [['/v/0/vp', 'VALUESET_CODE_INACTIVE']]);
  });
});

describe('checkValueSets: the vaccines used in Viet Nam (vn/vaccines.json, read in place)', () => {
  interface VnVaccine {
    id: string;
    dcc: { mp: string | null; ma: string | null; vp_april_2022?: string[]; annexA_latest_sct_codes?: string[] };
  }
  const { vaccines } = readSharedJson('reference', 'vn', 'vaccines.json') as { vaccines: VnVaccine[] };
  for (const { id, dcc } of vaccines) {
    if (dcc.mp === null || dcc.ma === null) continue; // Nanocovax has no EU DCC code
    const { mp, ma } = dcc;
    it(`${id}: today's Annex A codes pass for issuing, April 2022 codes pass for verifying`, () => {
      for (const vp of dcc.annexA_latest_sct_codes ?? []) {
        assert.deepEqual(checkValueSets(vaccination({ mp, ma, vp }), { purpose: 'issue' }).errors, [], vp);
      }
      for (const vp of dcc.vp_april_2022 ?? []) {
        assert.deepEqual(checkValueSets(vaccination({ mp, ma, vp })).errors, [], vp);
      }
    });
  }
});

describe('checkValueSets: unknown codes', () => {
  it('reports each unknown code at its path', () => {
    const result = checkValueSets(vaccination({ tg: '12345', mp: 'Nanocovax', ma: 'Nanogen', co: 'XX' }));
    assert.deepEqual(codes(result), [
      ['/v/0/tg', 'VALUESET_UNKNOWN_CODE'],
      ['/v/0/mp', 'VALUESET_UNKNOWN_CODE'],
      ['/v/0/ma', 'VALUESET_UNKNOWN_CODE'],
      ['/v/0/co', 'VALUESET_UNKNOWN_CODE'],
    ]);
    assert.match(result.errors[1]?.message ?? '', /"Nanocovax" is not in value set vaccines-covid-19-names/);
  });

  it('checks test and recovery entries', () => {
    const test = {
      ver: '1.3.3',
      nam: { fnt: 'LE' },
      dob: '',
      t: [
        {
          tg: '840539006',
          tt: 'PCR',
          ma: '999999',
          sc: '2022-01-01T08:00:00Z',
          tr: 'negative',
          co: 'VN',
          is: 'MoH',
          ci: 'X',
        },
      ],
    };
    assert.deepEqual(codes(checkValueSets(test)), [
      ['/t/0/tt', 'VALUESET_UNKNOWN_CODE'],
      ['/t/0/ma', 'VALUESET_UNKNOWN_CODE'],
      ['/t/0/tr', 'VALUESET_UNKNOWN_CODE'],
    ]);
    const recovery = { ver: '1.3.3', nam: { fnt: 'LE' }, dob: '', r: [{ tg: 'covid', co: 'ZZ' }] };
    assert.deepEqual(codes(checkValueSets(recovery)), [
      ['/r/0/tg', 'VALUESET_UNKNOWN_CODE'],
      ['/r/0/co', 'VALUESET_UNKNOWN_CODE'],
    ]);
  });

  it('accepts an empty optional test device and the UNHCR country code the schema tests use', () => {
    const test = {
      t: [{ tg: '840539006', tt: 'LP6464-4', ma: '', tr: '260415000', co: 'UNHCR' }],
    };
    assert.deepEqual(checkValueSets(test).errors, []);
  });

  it('leaves wrong types and odd shapes to validateSchema()', () => {
    for (const input of [undefined, null, 'x', [], { v: 'no' }, { v: [null, 3] }, { v: [{ mp: 7, ma: null }] }]) {
      assert.deepEqual(checkValueSets(input), { ok: true, errors: [] });
    }
  });
});

describe('checkValueSets: dgc-testdata vectors of well-coded issuers (read in place)', () => {
  for (const v of conformanceVectors().filter((x) => ['AT', 'DE', 'GR', 'LV', 'VA'].includes(x.country))) {
    it(`${v.id} has only known codes`, () => assert.deepEqual(checkValueSets(v.payload).errors, []));
  }
});

describe('loadValueSets', () => {
  it('loads the bundled value sets and Annex A', () => {
    const sets = loadValueSets();
    assert.equal(sets.sets['vaccine-medicinal-product'].values.get('EU/1/21/1529')?.display, 'Vaxzevria');
    assert.equal(sets.sets['vaccine-prophylaxis'].values.get('J07BX03')?.active, false);
    assert.deepEqual(
      sets.encodingByMp.get('EU/1/21/1529')?.map((r) => r.ma),
      ['ORG-100001699'],
    );
    assert.equal(sets.encodingByMp.get('VLA2001')?.[0]?.deprecated, true);
    assert.equal(sets.encodingByMp.size, 39);
    assert.equal(loadValueSets(), sets, 'cached');
  });

  it('fails loudly (AppError) when the reference data is missing', () => {
    assert.throws(
      () => loadValueSets('/nonexistent/eu-dcc-valuesets'),
      (e: unknown) => e instanceof AppError && e.code === 'VALUESETS_UNAVAILABLE',
    );
  });

  it('uses injected value sets', () => {
    const real = loadValueSets();
    const values = new Map(real.sets['country-2-codes'].values);
    values.delete('VN');
    const noVn = { ...real, sets: { ...real.sets, 'country-2-codes': { ...real.sets['country-2-codes'], values } } };
    assert.deepEqual(codes(checkValueSets(vaccination(), { valueSets: noVn })), [['/v/0/co', 'VALUESET_UNKNOWN_CODE']]);
  });
});
