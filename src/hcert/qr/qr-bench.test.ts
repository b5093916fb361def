import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { benchQr, sampleHc1Text } from './qr-bench.js';

describe('benchQr', () => {
  it('measures version-15 SVG renders (a smoke run; the goal is checked by `vaxpass bench`)', () => {
    const r = benchQr(150);
    assert.equal(r.version, 15);
    // Rates only: no ratio between them is asserted (timings are noisy on a shared machine).
    assert.ok(r.svg_per_s > 0 && r.matrix_per_s > 0, JSON.stringify(r));
    assert.ok(r.svg_bytes > 10_000);
  });

  it('samples deterministic HC1-like texts in the base45 alphabet', () => {
    const t = sampleHc1Text(580, 3);
    assert.equal(t.length, 580);
    assert.match(t, /^HC1:[0-9A-Z $%*+\-./:]+$/);
    assert.equal(t, sampleHc1Text(580, 3));
    assert.notEqual(t, sampleHc1Text(580, 4));
  });
});
