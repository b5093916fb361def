/**
 * `vaxpass bench population [--people N] [--match-people N] [--pg URL] [--json]`: identity
 * verification figures of issue 5, side by side in one run: the matching engine's rate per core
 * (goal ≥ 100k records/s) over an in-memory register, then end-to-end `population verify` on a
 * seeded province (seed → register load → verification of every person) on SQLite and on
 * PostgreSQL.
 */
import { loadavg } from 'node:os';
import type { Command } from 'commander';
import { benchMatching, benchVerification } from '../../population/index.js';

/** Per-core matching goal of issue 5. */
export const MATCHING_GOAL = 100_000;

/**
 * Registers `vaxpass bench population` under the existing `bench` command.
 * @param bench - the `bench` command
 */
export function registerBenchPopulation(bench: Command): void {
  bench
    .command('population')
    .description('matching rate per core, and end-to-end identity verification of a seeded province on SQLite and PostgreSQL')
    .option('--people <n>', 'people of the seeded province verified end to end', '100000')
    .option('--match-people <n>', 'people of the province the matching rate is measured on', '200000')
    .option('--pg <url>', 'PostgreSQL server (default $VAXPASS_BENCH_PG or postgres://postgres@127.0.0.1:5432/test)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { people: string; matchPeople: string; pg?: string; json?: boolean }, cmd: Command) => {
      const json = opts.json === true || cmd.optsWithGlobals<{ json?: boolean }>().json === true;
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      const load0 = loadavg();
      log('matching…');
      const matching = await benchMatching({ people: Number(opts.matchPeople) });
      const pgUrl = opts.pg ?? process.env.VAXPASS_BENCH_PG;
      const runs = [];
      for (const dialect of ['sqlite', 'postgres'] as const) {
        log(`verification on ${dialect}…`);
        runs.push(await benchVerification({ people: Number(opts.people), dialect, ...(pgUrl ? { pgUrl } : {}), log }));
      }
      const load1 = loadavg();
      const goalMet = matching.recordsPerCpuSecond >= MATCHING_GOAL;
      if (json) {
        process.stdout.write(`${JSON.stringify({ load: [load0, load1], matching, verification: runs, goals: [{ name: 'matching records per second per core', value: matching.recordsPerCpuSecond, goal: MATCHING_GOAL, met: goalMet }] }, null, 2)}\n`);
        return;
      }
      const n = (x: number): string => Math.round(x).toLocaleString('en-US');
      const lines = [
        `load average ${load0.map((x) => x.toFixed(2)).join(' ')} at start, ${load1.map((x) => x.toFixed(2)).join(' ')} at end`,
        `matching (${n(matching.records)} records, in-memory register of ${n(matching.registerEntries)}): ${n(matching.recordsPerSecond)} records/s wall, ${n(matching.recordsPerCpuSecond)} records per CPU-second (goal ≥ ${n(MATCHING_GOAL)} per core: ${goalMet ? 'met' : 'NOT met'})`,
        '',
        'end to end        people  seed rows  seed s  register s  verified  mismatch  not found  not sent  verify s  people/s  rerun s',
      ];
      for (const r of runs) {
        const v = r.verify;
        lines.push(
          `${r.dialect.padEnd(12)} ${n(r.people).padStart(11)} ${n(r.seed.rows).padStart(10)} ${r.seed.seconds.toFixed(1).padStart(7)} ${r.registerLoad.seconds.toFixed(1).padStart(11)} ${n(v.verified).padStart(9)} ${n(v.mismatch).padStart(9)} ${n(v.notFound).padStart(10)} ${n(v.notSent).padStart(9)} ${v.seconds.toFixed(1).padStart(9)} ${n(r.recordsPerSecond).padStart(9)} ${r.rerunSeconds.toFixed(2).padStart(8)}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
