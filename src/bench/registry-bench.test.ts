import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testPgUrl } from '../db/test-helpers/dialects.js';
import { formatRegistryReport } from './goals.js';
import { runRegistryBench } from './registry-bench.js';

// Only checks that the registry bench runs and reports every figure: no timing assertions.
describe('vaxpass bench registry', () => {
  it('runs on tiny files and reports every figure and goal', { timeout: 120_000 }, async () => {
    const r = await runRegistryBench({ rows: 1500, rssRows: 1500, seedPeople: 1000, pgUrl: testPgUrl() });
    for (const v of [r.seed.people_per_s, r.csv_parse_rows_per_s, r.validate_rows_per_s, r.import.sqlite.rows_per_s, r.import.sqlite.reimport_rows_per_s]) assert.ok(v > 0);
    assert.equal(r.import.postgres.available, true, r.import.postgres.reason);
    assert.ok(r.import.postgres.rows_per_s > 0);
    assert.equal(r.import.sqlite.rows, r.file.rows);
    assert.equal(r.import.postgres.imported, r.import.sqlite.imported);
    assert.ok(r.peak_rss.measured && r.peak_rss.max_rss_mb > 0 && r.peak_rss.rows > 0);
    assert.deepEqual(
      r.goals.map((g) => g.id),
      ['seed_people_per_s', 'import_sqlite_rows_per_s', 'import_postgres_rows_per_s'],
    );
    assert.match(formatRegistryReport(r), /peak RSS/);
  });
});
