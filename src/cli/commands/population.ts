/**
 * `vaxpass population …`: identity verification against the national population register.
 * `match` is the file tool on the matching engine (no database). Other sub-commands (`load`,
 * `serve`, `verify`) register themselves on the same `population` command from here.
 */
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { matchCsvFile } from '../../population/matching/index.js';
import type { MatchFileSummary } from '../../population/matching/index.js';
import type { IdentityField } from '../../population/index.js';
import { registerPopulationRegister } from './population-register.js';
import { registerPopulationVerify } from './population-verify.js';
import type { CliDbDeps } from './cli-db.js';

/** Seams for tests (the database for the sub-commands that use one). */
export type PopulationCommandDeps = CliDbDeps;

interface MatchCliOptions {
  register: string;
  records: string;
  out: string;
  batchSize: string;
  json?: boolean;
}

function fieldList(counts: Record<IdentityField, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} ${String(n)}`);
  return parts.length === 0 ? '' : `  (${parts.join(', ')})`;
}

/**
 * The human summary of a `population match` run.
 * @param s - the run's counts
 * @param out - result file
 */
export function matchSummaryText(s: MatchFileSummary, out: string): string {
  const pct = (n: number): string => (s.records === 0 ? '0.0' : ((100 * n) / s.records).toFixed(1)).padStart(5);
  const row = (status: string, n: number, extra = ''): string => `  ${status.padEnd(10)} ${String(n).padStart(9)} ${pct(n)} %${extra}`;
  const rejected = s.registerRejected > 0 ? ` (${String(s.registerRejected)} unusable register rows skipped)` : '';
  return [
    `matched ${String(s.records)} records against ${String(s.registerRows)} register entries${rejected} in ${s.seconds.toFixed(1)} s (${Math.round(s.recordsPerSecond).toLocaleString('en')} records/s)`,
    row('VERIFIED', s.byStatus.VERIFIED),
    row('MISMATCH', s.byStatus.MISMATCH, fieldList(s.mismatchedFields)),
    row('NOT_FOUND', s.byStatus.NOT_FOUND),
    row('NOT_SENT', s.byStatus.NOT_SENT, fieldList(s.missingFields)),
    `→ ${out}`,
  ].join('\n');
}

function registerMatch(population: Command): void {
  population
    .command('match')
    .description('match a records CSV (record_id,id_number,full_name,dob,sex) against a register CSV (id_number,full_name,dob,sex)')
    .requiredOption('--register <file>', 'register extract: id_number,full_name,dob,sex')
    .requiredOption('--records <file>', 'records to verify: record_id,id_number,full_name,dob,sex')
    .requiredOption('--out <file>', 'result CSV: record_id,status,fields,suggestion')
    .option('--batch-size <n>', 'records per matching batch', '2000')
    .option('--json', 'print the summary as one JSON object')
    .action(async (o: MatchCliOptions) => {
      const batchSize = Number(o.batchSize);
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new AppError('USAGE', `--batch-size must be a whole number ≥ 1 (got ${o.batchSize})`);
      const s = await matchCsvFile({ registerPath: o.register, recordsPath: o.records, outPath: o.out, batchSize });
      process.stdout.write(o.json === true ? `${JSON.stringify({ ...s, out: o.out })}\n` : `${matchSummaryText(s, o.out)}\n`);
    });
}

/**
 * Registers `vaxpass population …` (reusing a `population` command another module created).
 * @param program - the root command
 * @param deps - test seams (for the sub-commands that use the database; `match` does not)
 */
export function registerPopulation(program: Command, deps: PopulationCommandDeps = {}): void {
  const population = program.commands.find((c) => c.name() === 'population') ?? program.command('population');
  if (!population.description()) population.description('identity verification against the national population register');
  registerMatch(population);
  registerPopulationRegister(population, deps);
  registerPopulationVerify(population, deps);
}
