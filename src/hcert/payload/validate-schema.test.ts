import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateSchema } from './validate-schema.js';
import { availableSchemaReleases, selectSchemaRelease } from './schema-validators.js';
import { conformanceVectors, readSharedJsonDir } from './test-helpers/shared-data.js';

function omit(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));
}

const validVaccination = {
  ver: '1.3.3',
  nam: { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Thị Ngọc Ánh', gnt: 'THI<NGOC<ANH' },
  dob: '1990-04-14',
  v: [
    {
      tg: '840539006',
      vp: '1119349007',
      mp: 'EU/1/20/1528',
      ma: 'ORG-100030215',
      dn: 2,
      sd: 2,
      dt: '2022-04-15',
      co: 'VN',
      is: 'Ministry of Health of Viet Nam',
      ci: 'URN:UVCI:01:VN:187/37512422923#Z',
    },
  ],
};

describe('validateSchema: eu-dcc-schema test cases (read in place)', () => {
  for (const [file, payload] of readSharedJsonDir('reference', 'eu-dcc-schema', 'test', 'valid')) {
    it(`valid/${file}`, () => {
      assert.deepEqual(validateSchema(payload), { ok: true, errors: [], schemaVersion: '1.3.3' });
    });
  }

  const expectedInvalid: Record<string, { path: string; message: RegExp }[]> = {
    'empty.json': [{ path: '/v', message: /fewer than 1 items/ }],
    'invalid_dob.json': [{ path: '/dob', message: /pattern/ }],
    'invalid_dob2.json': [{ path: '/dob', message: /pattern/ }],
    'invalid_vac.json': [{ path: '/v/0/dn', message: />= 1/ }],
    'missing_dob.json': [{ path: '/dob', message: /required/ }],
    'missing_fnt_gnt.json': [{ path: '/nam', message: /at least one of: fnt, gnt/ }],
  };
  for (const [file, payload] of readSharedJsonDir('reference', 'eu-dcc-schema', 'test', 'invalid')) {
    it(`invalid/${file} reports exactly the failing field`, () => {
      const want = expectedInvalid[file];
      assert.ok(want, `no expectation written for ${file}`);
      const result = validateSchema(payload);
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.errors.map((e) => e.path),
        want.map((w) => w.path),
      );
      result.errors.forEach((e, i) => assert.match(e.message, want[i]?.message ?? /x^/));
    });
  }

  for (const group of ['vaccination', 'test', 'recovery']) {
    for (const [file, payload] of readSharedJsonDir('reference', 'eu-dcc-schema', 'examples', group)) {
      it(`examples/${group}/${file}`, () => assert.deepEqual(validateSchema(payload).errors, []));
    }
  }
});

describe('validateSchema: error reporting', () => {
  it('accepts a well-formed Vietnamese vaccination payload', () => {
    assert.deepEqual(validateSchema(validVaccination), { ok: true, errors: [], schemaVersion: '1.3.3' });
  });

  it('reports every failing field with its JSON Pointer path', () => {
    const entry = { ...validVaccination.v[0], dn: 0, sd: 'two', dt: '15/04/2022', co: 'vn', ci: 'X'.repeat(81) };
    const payload = { ...validVaccination, nam: { fn: 'Nguyễn', fnt: 'Nguyen' }, dob: '1890', v: [omit(entry, 'tg')] };
    const result = validateSchema(payload);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.errors.map((e) => e.path),
      ['/dob', '/nam/fnt', '/v/0/ci', '/v/0/co', '/v/0/dn', '/v/0/dt', '/v/0/sd', '/v/0/tg'],
    );
    assert.deepEqual(
      result.errors.find((e) => e.path === '/v/0/tg'),
      { path: '/v/0/tg', message: 'is required' },
    );
    assert.match(result.errors.find((e) => e.path === '/v/0/dt')?.message ?? '', /format "date"/);
  });

  it('says "exactly one of v, t, r" once instead of one message per oneOf branch', () => {
    const both = validateSchema({ ...validVaccination, t: [{}] });
    assert.equal(both.errors[0]?.path, '');
    assert.equal(both.errors[0]?.message, 'must have exactly one of: v, t, r (found v, t)');
    const none = validateSchema({ ver: '1.3.3', nam: { fnt: 'A' }, dob: '' });
    assert.deepEqual(none.errors, [{ path: '', message: 'must have exactly one of: v, t, r' }]);
  });

  it('reports a missing common field once, not once per oneOf branch', () => {
    assert.deepEqual(validateSchema(omit(validVaccination, 'dob')).errors, [{ path: '/dob', message: 'is required' }]);
  });

  it('never throws, whatever it is given', () => {
    for (const input of [undefined, null, 'HC1:', 42, [], [validVaccination], { ver: 7 }]) {
      const result = validateSchema(input);
      assert.equal(result.ok, false);
      assert.ok(result.errors.length > 0);
    }
    assert.deepEqual(validateSchema('x').errors, [{ path: '', message: 'must be object' }]);
  });
});

describe('validateSchema: schema release chosen from ver', () => {
  it('lists the releases of ../shared plus the bundled one', () => {
    const releases = availableSchemaReleases();
    for (const r of ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.3.1', '1.3.2', '1.3.3']) {
      assert.ok(releases.includes(r), r);
    }
  });

  it('picks the exact release, else the closest patch, else the latest', () => {
    const releases = ['1.0.0', '1.0.1', '1.2.1', '1.3.0', '1.3.3'];
    assert.equal(selectSchemaRelease('1.0.0', releases), '1.0.0');
    assert.equal(selectSchemaRelease('1.0.7', releases), '1.0.1');
    assert.equal(selectSchemaRelease('1.2.0', releases), '1.2.1');
    assert.equal(selectSchemaRelease('1.3.2', releases), '1.3.0');
    assert.equal(selectSchemaRelease('1.4.0', releases), '1.3.3');
    assert.equal(selectSchemaRelease('2.0.0', releases), '1.3.3');
    assert.equal(selectSchemaRelease('one', releases), '1.3.3');
    assert.equal(selectSchemaRelease(undefined, releases), '1.3.3');
  });

  it('validates by the rules of the named release', () => {
    // Year-only dob became legal in 1.1.0; release 1.0.0 demanded a full date.
    const yearOnly = { ...validVaccination, dob: '1990' };
    assert.equal(validateSchema({ ...yearOnly, ver: '1.3.3' }).ok, true);
    const old = validateSchema({ ...yearOnly, ver: '1.0.0' });
    assert.equal(old.schemaVersion, '1.0.0');
    assert.deepEqual([...new Set(old.errors.map((e) => e.path))], ['/dob']);
  });

  it('applies the one-certificate rule to releases whose schema lacks it', () => {
    const result = validateSchema({ ...validVaccination, ver: '1.2.1', t: [{}] });
    assert.equal(result.schemaVersion, '1.2.1');
    assert.ok(result.errors.some((e) => e.path === '' && /exactly one of: v, t, r/.test(e.message)));
  });
});

describe('validateSchema: dgc-testdata EXPECTEDSCHEMAVALIDATION (read in place)', () => {
  // Vectors whose expectation does not follow from any schema release, so they cannot be used:
  const quirks: Record<string, string> = {
    NL: 'NL vectors encode business rules (future dob, empty test result) in EXPECTEDSCHEMAVALIDATION',
    'BG/1.json': 'null for the absent groups and date-times in date fields, expected valid anyway',
    'BG/2.json': 'null for the absent groups and date-times in date fields, expected valid anyway',
    'HU/3.json': 'tc of over 100 characters, beyond every release maxLength, expected valid anyway',
  };
  const vectors = conformanceVectors().filter(
    (v) => typeof v.expected.EXPECTEDSCHEMAVALIDATION === 'boolean' && !quirks[v.country] && !quirks[v.id],
  );

  it('has enough vectors to mean something', () => {
    assert.ok(vectors.length >= 50, `only ${vectors.length} usable vectors`);
  });

  for (const v of vectors) {
    it(`${v.id} (ver ${String(v.payload.ver)})`, () => {
      const result = validateSchema(v.payload);
      assert.equal(result.ok, v.expected.EXPECTEDSCHEMAVALIDATION, JSON.stringify(result.errors));
    });
  }
});
