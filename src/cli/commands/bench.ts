/**
 * `vaxpass bench [--json] [--seconds S] [--rounds N]`: HC1 throughput on this machine against
 * OpenSSL, the @pathcheck/dcc-sdk peer, a worker pool and QR rendering (see BENCHMARKS.md).
 * Exit code 0 whether goals pass or not: the bench reports, it does not gate.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { DEFAULT_BENCH_OPTIONS, formatReport, runBench } from '../../bench/index.js';

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
  program
    .command('bench')
    .description('measure HC1 issue/verify throughput against OpenSSL, @pathcheck/dcc-sdk, a worker pool and QR rendering')
    .option('--json', 'print one JSON object (with a goals array) instead of tables')
    .option('--seconds <s>', 'seconds per measurement window', positive('--seconds', false), DEFAULT_BENCH_OPTIONS.seconds)
    .option('--rounds <n>', 'interleaved rounds; each figure is the best round', positive('--rounds', true), DEFAULT_BENCH_OPTIONS.rounds)
    .action(async (opts: { json?: boolean; seconds: number; rounds: number }) => {
      const result = await runBench({ seconds: opts.seconds, rounds: opts.rounds, log: (line) => process.stderr.write(`${line}\n`) });
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatReport(result)}\n`);
    });
}
