/**
 * `vaxpass bench [--json] [--seconds S] [--rounds N]`: HC1 throughput on this machine against
 * OpenSSL, the @pathcheck/dcc-sdk peer, a worker pool and QR rendering (see BENCHMARKS.md).
 * `vaxpass bench registry [--json] [--rows N] [--rss-rows N] [--pg URL]`: seed and bulk-import
 * rates on SQLite and PostgreSQL, and the peak RSS of a large import.
 * Exit code 0 whether goals pass or not: the bench reports, it does not gate.
 */
import { InvalidArgumentError } from 'commander';
import { registerBenchIssuance } from './bench-issuance.js';
import { registerBenchPopulation } from './bench-population.js';
import type { Command } from 'commander';
import { DEFAULT_BENCH_OPTIONS, DEFAULT_REGISTRY_BENCH_OPTIONS, formatRegistryReport, formatReport, runBench, runRegistryBench } from '../../bench/index.js';

function positive(name: string, integer: boolean): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
    }
    return n;
  };
}

/**
 * Registers `bench`.
 * @param program - the root command
 */
export function registerBench(program: Command): void {
  const bench = program
    .command('bench')
    .description('measure HC1 issue/verify throughput against OpenSSL, @pathcheck/dcc-sdk, a worker pool and QR rendering')
    .option('--json', 'print one JSON object (with a goals array) instead of tables')
    .option('--seconds <s>', 'seconds per measurement window', positive('--seconds', false), DEFAULT_BENCH_OPTIONS.seconds)
    .option('--rounds <n>', 'interleaved rounds; each figure is the best round', positive('--rounds', true), DEFAULT_BENCH_OPTIONS.rounds)
    .action(async (opts: { json?: boolean; seconds: number; rounds: number }) => {
      const result = await runBench({ seconds: opts.seconds, rounds: opts.rounds, log: (line) => process.stderr.write(`${line}\n`) });
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatReport(result)}\n`);
    });
  const whole = (name: string): ((v: string) => number) => {
    const p = positive(name, true);
    return (v) => (v === '0' ? 0 : p(v));
  };
  bench
    .command('registry')
    .description('measure seed-to-CSV and CSV import rates (SQLite, PostgreSQL) and the peak RSS of a large import')
    .option('--json', 'print one JSON object (with a goals array) instead of tables')
    .option('--rows <n>', 'rows of the file imported into each engine', positive('--rows', true), DEFAULT_REGISTRY_BENCH_OPTIONS.rows)
    .option('--rss-rows <n>', 'rows of the file imported in a child process for the peak RSS (0 = skip)', whole('--rss-rows'), DEFAULT_REGISTRY_BENCH_OPTIONS.rssRows)
    .option('--seed-people <n>', 'people generated for the seed rate', positive('--seed-people', true), DEFAULT_REGISTRY_BENCH_OPTIONS.seedPeople)
    .option('--pg <url>', 'PostgreSQL server (a fresh schema is created and dropped; default $VAXPASS_BENCH_PG or postgres://postgres@127.0.0.1:5432/test)')
    .action(async (opts: { json?: boolean; rows: number; rssRows: number; seedPeople: number; pg?: string }, cmd: Command) => {
      // `--json` is also an option of `bench` itself, which takes it when both define it.
      const json = opts.json === true || cmd.optsWithGlobals<{ json?: boolean }>().json === true;
      const result = await runRegistryBench({
        rows: opts.rows,
        rssRows: opts.rssRows,
        seedPeople: opts.seedPeople,
        ...(opts.pg === undefined ? {} : { pgUrl: opts.pg }),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${formatRegistryReport(result)}\n`);
    });
  registerBenchPopulation(bench);
  registerBenchIssuance(bench);
}
