import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { createDb } from './create-db.js';
import { migrateToLatest } from './migrate-to-latest.js';
import { migrationStatus } from './migration-status.js';
import { MIGRATIONS } from './migrations/index.js';
import { openTestDb, testDialects, testPgUrl } from './test-helpers/dialects.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./test-helpers/migrate-child.ts', import.meta.url));
const COUNT = Object.keys(MIGRATIONS).length;
const RACERS = 3;

if (testDialects().includes('sqlite')) {
  test('processes racing to migrate one SQLite file apply each migration exactly once [sqlite]', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaxpass-lock-'));
    const file = join(dir, 'race.db');
    try {
      const outs = await Promise.all(
        Array.from({ length: RACERS }, () => run(process.execPath, ['--import', 'tsx', CHILD, file])),
      );
      const parsed = outs.map((o) => JSON.parse(o.stdout) as { error: string | null; applied: number });
      assert.deepEqual(parsed.filter((p) => p.error !== null), [], 'no process may fail');
      assert.deepEqual(parsed.map((p) => p.applied).sort(), [...Array<number>(RACERS - 1).fill(0), COUNT]);
      const handle = createDb({ kind: 'sqlite', file });
      assert.ok((await migrationStatus(handle.db)).every((s) => s.applied));
      await handle.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

if (testDialects().includes('postgres')) {
  test('pools racing to migrate one PostgreSQL schema apply each migration exactly once [postgres]', async () => {
    const target = await openTestDb('postgres', { migrate: false });
    const handles = Array.from({ length: RACERS }, () =>
      createDb({ kind: 'postgres', url: testPgUrl() }, { pgSchema: target.location, pgPoolSize: 2 }),
    );
    try {
      const outcomes = await Promise.all(handles.map((h) => migrateToLatest(h.db)));
      assert.deepEqual(outcomes.map((o) => o.error), Array<undefined>(RACERS).fill(undefined));
      assert.deepEqual(outcomes.map((o) => o.results.length).sort(), [...Array<number>(RACERS - 1).fill(0), COUNT]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await target.dispose();
    }
  });
}
