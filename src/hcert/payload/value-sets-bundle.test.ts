import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VALUE_SETS_RELEASE, dccValueSetFiles } from './generated/dcc-value-sets.generated.js';
import { ENCODING_INSTRUCTIONS_FILE, VALUE_SET_FILES, loadValueSets } from './load-value-sets.js';
import { sharedDir, sharedPath } from './shared-path.js';
import { readSharedJson } from './test-helpers/shared-data.js';

const tmp = mkdtempSync(join(tmpdir(), 'vaxpass-valuesets-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('bundled value sets (generated/dcc-value-sets.generated.ts)', () => {
  it('holds exactly the files loadValueSets reads', () => {
    assert.deepEqual(
      Object.keys(dccValueSetFiles).sort(),
      [...Object.values(VALUE_SET_FILES), ENCODING_INSTRUCTIONS_FILE].sort(),
    );
  });

  it('equals ../shared/reference/eu-dcc-valuesets today (no drift)', () => {
    for (const [name, json] of Object.entries(dccValueSetFiles)) {
      assert.deepEqual(json, readSharedJson('reference', 'eu-dcc-valuesets', name), name);
    }
    const provenance = readFileSync(sharedPath('reference', 'eu-dcc-valuesets', 'PROVENANCE.txt'), 'utf8');
    assert.match(provenance, new RegExp(`release ${VALUE_SETS_RELEASE.replaceAll('.', '\\.')}\\b`));
    // Parsed, too: the default and the folder give the same sets (but separate cache entries).
    const fromShared = loadValueSets(sharedPath('reference', 'eu-dcc-valuesets'));
    assert.notEqual(loadValueSets(), fromShared);
    assert.deepEqual(loadValueSets(), fromShared);
  });
});

describe('loadValueSets(dir)', () => {
  it('still reads a folder, e.g. newer sets from the DCC gateway', () => {
    const dir = join(tmp, 'newer');
    cpSync(sharedPath('reference', 'eu-dcc-valuesets'), dir, { recursive: true });
    const file = join(dir, 'vaccine-medicinal-product.json');
    const mp = JSON.parse(readFileSync(file, 'utf8')) as { valueSetValues: Record<string, unknown> };
    mp.valueSetValues['EU/9/99/9999'] = { display: 'Future vaccine', lang: 'en', active: true, system: 'x', version: '' };
    writeFileSync(file, JSON.stringify(mp));
    assert.equal(loadValueSets(dir).sets['vaccine-medicinal-product'].values.get('EU/9/99/9999')?.display, 'Future vaccine');
    assert.equal(loadValueSets().sets['vaccine-medicinal-product'].values.has('EU/9/99/9999'), false);
  });
});

// What the child process runs: value-set checks and a vaccination DCC with ../shared out of reach.
// Every synchronous fs access to the real shared folder is recorded, to prove nothing bypasses
// VAXPASS_SHARED_DIR.
const CHILD = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const realShared = process.env.REAL_SHARED;
const touched = [];
for (const fn of ['readFileSync', 'readdirSync', 'existsSync', 'statSync', 'openSync']) {
  const orig = fs[fn];
  fs[fn] = (p, ...rest) => {
    if (String(p).startsWith(realShared)) touched.push(fn + ' ' + String(p));
    return orig(p, ...rest);
  };
}
syncBuiltinESMExports();
const src = process.env.SRC_URL;
const { checkValueSets } = await import(src + 'hcert/payload/check-value-sets.ts');
const { sharedDir, sharedPath } = await import(src + 'hcert/payload/shared-path.ts');
const { availableSchemaReleases } = await import(src + 'hcert/payload/schema-validators.ts');
const { validateSchema } = await import(src + 'hcert/payload/validate-schema.ts');
const { buildVaccinationDcc } = await import(src + 'issuance/central/build-vaccination-dcc.ts');
const sample = (ma) => ({
  ver: '1.3.0',
  nam: { fn: 'Trần', fnt: 'TRAN', gn: 'Văn Nam', gnt: 'VAN<NAM' },
  dob: '1985',
  v: [{ tg: '840539006', vp: '29061000087103', mp: 'EU/1/21/1529', ma, dn: 1, sd: 2, dt: '2021-08-02',
        co: 'VN', is: 'Ministry of Health of Viet Nam', ci: 'URN:UVCI:01:VN:187/37512422923#Z' }],
});
const dose = (id, productId, doseNumber, doseDate) => ({ id, productId, doseNumber, doseDate });
const person = { fullName: 'Nguyễn Thị Ngọc Ánh', dob: '1990-05-17' };
const builds = [
  [dose(1, 'astrazeneca', 1, '2021-07-01'), dose(2, 'astrazeneca', 2, '2021-09-01')],
  [dose(1, 'janssen', 1, '2021-08-01'), dose(2, 'comirnaty', 2, '2022-01-01')],
  [dose(1, 'comirnaty', 1, '2021-07-01'), dose(2, 'comirnaty', 2, '2021-08-01'), dose(3, 'spikevax', 3, '2022-01-01')],
].map((doses) => {
  const dcc = buildVaccinationDcc(person, doses);
  const { vp, mp, ma, dn, sd } = dcc.v[0];
  return { vp, mp, ma, dn, sd, schemaOk: validateSchema(dcc).ok, setErrors: checkValueSets(dcc, { purpose: 'issue' }).errors };
});
console.log(JSON.stringify({
  sharedDir: sharedDir(),
  valueSetFolderExists: fs.existsSync(sharedPath('reference', 'eu-dcc-valuesets')),
  releases: availableSchemaReleases(),
  good: checkValueSets(sample('ORG-100001699'), { purpose: 'issue' }),
  mismatch: checkValueSets(sample('ORG-100030215')).errors.map((e) => e.path + ' ' + e.code),
  builds,
  touched,
}));
`;

describe('without ../shared (VAXPASS_SHARED_DIR = an empty folder)', () => {
  it('checks value sets and builds a vaccination DCC with dn/sd and Annex A vp', () => {
    const empty = mkdtempSync(join(tmp, 'empty-shared-'));
    const r = spawnSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', CHILD],
      {
        cwd: empty,
        encoding: 'utf8',
        env: {
          ...process.env,
          VAXPASS_SHARED_DIR: empty,
          REAL_SHARED: sharedDir(),
          SRC_URL: new URL('../../', import.meta.url).href,
        },
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(out.sharedDir, empty);
    assert.equal(out.valueSetFolderExists, false);
    assert.deepEqual(out.releases, ['1.3.3'], 'only the bundled schema: ../shared really is out of reach');
    assert.deepEqual(out.good, { ok: true, errors: [] });
    assert.deepEqual(out.mismatch, ['/v/0/ma VALUESET_MP_MA_MISMATCH']);
    const ok = { schemaOk: true, setErrors: [] };
    assert.deepEqual(out.builds, [
      { vp: '29061000087103', mp: 'EU/1/21/1529', ma: 'ORG-100001699', dn: 2, sd: 2, ...ok },
      { vp: '1119349007', mp: 'EU/1/20/1528', ma: 'ORG-100030215', dn: 2, sd: 1, ...ok },
      { vp: '1119349007', mp: 'EU/1/20/1507', ma: 'ORG-100031184', dn: 3, sd: 3, ...ok },
    ]);
    assert.deepEqual(out.touched, [], `no access to the real ${sharedDir()}`);
  });
});
