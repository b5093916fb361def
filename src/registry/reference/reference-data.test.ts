import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { DISTRICTS, PROVINCES, VACCINE_PRODUCTS, districtsOf, findProduct, findProvince, findProvinceByCccdCode } from './index.js';

test('the bundled copy matches ../shared/reference/vn (scripts/sync-reference.mjs --check)', () => {
  // Throws (non-zero exit) and prints the stale file when the source changed.
  execFileSync(process.execPath, ['scripts/sync-reference.mjs', '--check'], { stdio: 'pipe' });
});

test('63 provinces with unique 2- and 3-digit codes; 705 districts, each in a known province', () => {
  assert.equal(PROVINCES.length, 63);
  assert.equal(new Set(PROVINCES.map((p) => p.cccdCode)).size, 63);
  assert.equal(findProvince('01')?.name, 'Hà Nội');
  assert.equal(findProvinceByCccdCode('079')?.code, '79');
  assert.equal(DISTRICTS.length, 705);
  for (const d of DISTRICTS) assert.ok(findProvince(d.provinceCode), d.code);
  assert.equal(districtsOf('01').length, findProvince('01') === undefined ? 0 : 30);
});

test('vaccines carry EU codes; never-licensed products have no availability date', () => {
  assert.equal(findProduct('astrazeneca')?.mp, 'EU/1/21/1529');
  assert.equal(findProduct('vero_cell')?.mp, 'BBIBP-CorV');
  assert.equal(findProduct('nanocovax')?.availableFrom, null);
  assert.equal(findProduct('sputnik_light')?.availableFrom, null);
  for (const v of VACCINE_PRODUCTS) if (v.availableFrom !== null) assert.match(v.availableFrom, /^\d{4}-\d{2}-\d{2}$/);
});
