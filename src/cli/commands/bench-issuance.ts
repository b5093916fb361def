/**
 * `vaxpass bench issuance [--people N] [--workers N] [--pg URL] [--json]`: end-to-end issuance
 * from the database (eligible people → stored signed certificates) on SQLite and PostgreSQL,
 * ES256 and PS256, side by side in one run, with the CPU cost per certificate (wall rates move
 * with the machine's load; CPU microseconds much less). Goal of issue 6: ≥ 10k ES256
 * certificates/s on 2 cores.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Command } from 'commander';
import { benchIssuance } from '../../issuance/index.js';
import type { IssuanceBenchResult } from '../../issuance/index.js';

/** Issue 6's ES256 goal, certificates per second on this 2-core machine. */
export const ISSUANCE_GOAL = 10_000;

/**
 * Registers `vaxpass bench issuance` under the `bench` command.
 * @param bench - the `bench` command
 */
export function registerBenchIssuance(bench: Command): void {
  bench
    .command('issuance')
    .description('end-to-end passport issuance from the database, ES256 and PS256, SQLite and PostgreSQL')
    .option('--people <n>', 'people seeded (eligible ones get a certificate)', '20000')
    .option('--ps-people <n>', 'people for the (slow) PS256 runs', '5000')
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--pg <url>', 'PostgreSQL server (default $VAXPASS_BENCH_PG or postgres://postgres@127.0.0.1:5432/test)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { people: string; psPeople: string; workers?: string; pg?: string; json?: boolean }, cmd: Command) => {
      const json = opts.json === true || cmd.optsWithGlobals<{ json?: boolean }>().json === true;
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      const workers = opts.workers === undefined ? availableParallelism() : Number(opts.workers);
      const pgUrl = opts.pg ?? process.env.VAXPASS_BENCH_PG;
      const load0 = loadavg();
      const runs: IssuanceBenchResult[] = [];
      for (const alg of ['ES256', 'PS256'] as const) {
        for (const dialect of ['sqlite', 'postgres'] as const) {
          log(`${alg} on ${dialect}…`);
          const people = Number(alg === 'ES256' ? opts.people : opts.psPeople);
          runs.push(await benchIssuance({ people, dialect, alg, workers, ...(pgUrl ? { pgUrl } : {}), log }));
        }
      }
      const load1 = loadavg();
      const es = runs.filter((r) => r.alg === 'ES256');
      const best = Math.max(...es.map((r) => r.perSecond));
      if (json) {
        process.stdout.write(`${JSON.stringify({ load: [load0, load1], runs, goals: [{ name: 'ES256 certificates per second', value: best, goal: ISSUANCE_GOAL, met: best >= ISSUANCE_GOAL }] }, null, 2)}\n`);
        return;
      }
      const n = (x: number): string => Math.round(x).toLocaleString('en-US');
      const lines = [
        `load average ${load0.map((x) => x.toFixed(2)).join(' ')} at start, ${load1.map((x) => x.toFixed(2)).join(' ')} at end; ${workers} worker thread(s)`,
        'alg    engine     certificates  seconds  per second  CPU µs/cert  CPU-bound per second',
      ];
      for (const r of runs) {
        lines.push(`${r.alg}  ${r.dialect.padEnd(9)} ${n(r.certificates).padStart(13)} ${r.seconds.toFixed(1).padStart(8)} ${n(r.perSecond).padStart(11)} ${n(r.cpuMicrosPerCertificate).padStart(12)} ${n(r.cpuBoundPerSecond).padStart(22)}`);
      }
      lines.push(`goal: ≥ ${n(ISSUANCE_GOAL)} ES256 certificates/s — best ${n(best)}: ${best >= ISSUANCE_GOAL ? 'met' : 'NOT met'}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
