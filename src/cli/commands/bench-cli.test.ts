import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { testPgUrl } from '../../db/test-helpers/dialects.js';
import { captureOutput } from '../test-helpers/capture-output.js';
import { registerBenchIssuance } from './bench-issuance.js';
import { registerBenchPopulation } from './bench-population.js';

/** Runs `vaxpass bench …` in-process on tiny sizes; the figures are not judged, only their shape. */
async function bench(...args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command('vaxpass').exitOverride();
  const b = program.command('bench').exitOverride();
  registerBenchIssuance(b);
  registerBenchPopulation(b);
  const r = await captureOutput(() => program.parseAsync(['node', 'vaxpass', 'bench', ...args, '--pg', testPgUrl()]));
  return { out: r.out, err: r.err };
}

type Json = Record<string, unknown>;

describe('vaxpass bench population / issuance (tiny runs on SQLite and PostgreSQL)', () => {
  it('bench population --json: matching rate, then the same verification counts on both engines', async () => {
    const { out } = await bench('population', '--people', '300', '--match-people', '400', '--json');
    const r = JSON.parse(out) as { matching: Json; verification: { dialect: string; people: number; verify: Json }[]; goals: Json[] };
    assert.ok((r.matching.recordsPerCpuSecond as number) > 0);
    assert.deepEqual(r.verification.map((v) => v.dialect), ['sqlite', 'postgres']);
    const [lite, pg] = r.verification.map((v) => v.verify);
    assert.ok((lite!.verified as number) > 0);
    for (const k of ['verified', 'mismatch', 'notFound', 'notSent']) assert.equal(lite![k], pg![k], k);
    assert.equal(r.goals.length, 1);
  });

  it('bench issuance: a table with ES256 and PS256 on both engines and the goal line', async () => {
    const { out } = await bench('issuance', '--people', '80', '--ps-people', '30', '--workers', '1');
    const rows = out.split('\n').filter((l) => /^(ES256|PS256) /.test(l));
    assert.deepEqual(rows.map((l) => l.split(/\s+/).slice(0, 2).join(' ')), ['ES256 sqlite', 'ES256 postgres', 'PS256 sqlite', 'PS256 postgres']);
    for (const l of rows) assert.ok(Number(l.split(/\s+/)[2]!.replace(/,/g, '')) > 0, l);
    assert.match(out, /goal: ≥ 10,000 ES256 certificates\/s — best [\d,]+: (met|NOT met)/);
  });
});
