import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDialects, testPgUrl } from '../../db/test-helpers/dialects.js';
import { benchVerification } from './bench-verification.js';

for (const dialect of testDialects()) {
  void test(`benchVerification measures a full run and an empty rerun [${dialect}]`, async () => {
    const r = await benchVerification({ people: 200, dialect, pgUrl: testPgUrl(), batchSize: 50, register: dialect === 'sqlite' ? 'memory' : 'db' });
    const v = r.verify;
    assert.ok(r.seed.imported > 0);
    assert.ok(r.registerLoad.entries >= 150);
    assert.equal(v.verified + v.mismatch + v.notFound + v.notSent, v.queued);
    assert.equal(v.remaining, 0);
    assert.ok(r.recordsPerSecond > 0);
    assert.ok(r.rerunSeconds >= 0);
  });
}
